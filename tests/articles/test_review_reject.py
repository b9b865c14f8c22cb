"""Rejecting a draft with a reason: full page and htmx, history, conflicts."""

from __future__ import annotations

from django.urls import reverse

from tests.articles.conftest import htmx


def test_a_plain_post_rejects_with_the_reason_in_the_history(editor_client, draft, make_drafts):
    make_drafts(draft.article, 1)
    url = reverse("articles:statement_reject", args=[draft.pk])
    response = editor_client.post(url, {"version": 1, "reason": "not a position"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == "rejected"
    assert draft.history.latest().history_change_reason == "rejected: not a position"


def test_htmx_gets_only_the_rejected_card(editor_client, draft):
    url = reverse("articles:statement_reject", args=[draft.pk])
    response = editor_client.post(url, {"version": 1}, headers=htmx(f"statement-{draft.pk}"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "status-rejected" in html


def test_a_stale_reject_is_a_conflict_and_keeps_the_approval(editor_client, draft):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    url = reverse("articles:statement_reject", args=[draft.pk])
    response = editor_client.post(url, {"version": 1}, headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_an_overlong_reason_is_refused(editor_client, draft):
    url = reverse("articles:statement_reject", args=[draft.pk])
    response = editor_client.post(url, {"version": 1, "reason": "x" * 501})
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.status == "draft"
