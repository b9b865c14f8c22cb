"""A statement's page: its card and full history, and restoring an earlier version."""

from __future__ import annotations

from django.urls import reverse

from tests.articles.conftest import htmx


def test_shows_every_version_with_who_and_why(editor_client, draft):
    editor_client.post(reverse("articles:statement_reject", args=[draft.pk]), {"version": 1, "reason": "off topic"})
    html = editor_client.get(reverse("articles:statement", args=[draft.pk])).content.decode()
    assert "rejected: off topic" in html and "alice" in html
    assert "changed: status" in html
    assert "<td>v1</td>" in html and "<td>v2</td>" in html
    assert reverse("articles:statement_restore", args=[draft.pk, 1]) in html


def test_htmx_with_the_card_as_target_gets_only_the_card(editor_client, draft):
    response = editor_client.get(reverse("articles:statement", args=[draft.pk]), headers=htmx(f"statement-{draft.pk}"))
    html = response.content.decode()
    assert html.lstrip().startswith(f'<article id="statement-{draft.pk}"') and "<html" not in html


def test_restore_brings_back_an_earlier_version_as_a_new_one(editor_client, draft):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    url = reverse("articles:statement_restore", args=[draft.pk, 1])
    response = editor_client.post(url, {"version": 2})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 3)
    assert draft.history.latest().history_change_reason == "restored version 1"


def test_restore_of_a_stale_page_is_a_conflict(editor_client, draft):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    response = editor_client.post(reverse("articles:statement_restore", args=[draft.pk, 1]), {"version": 1})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_restore_of_an_unknown_version_says_so(editor_client, draft):
    response = editor_client.post(reverse("articles:statement_restore", args=[draft.pk, 9]), {"version": 1}, follow=True)
    assert "no recorded version 9" in response.content.decode()
