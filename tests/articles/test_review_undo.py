"""Undo of the last review action: single and bulk, htmx and plain, never over a newer change."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.articles.conftest import htmx


def test_undo_after_approve_brings_back_the_draft_as_a_new_version(editor_client, draft):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    response = editor_client.post(reverse("articles:undo"))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.reviewed_by) == ("draft", 3, None)
    assert draft.history.latest().history_change_reason == f"undo: approved #{draft.pk}"


def test_undo_after_an_edit_restores_fields_and_issues(editor_client, draft, negotiation):
    data = {
        "actor": draft.actor_id, "speaker": "Changed", "stance": "assess", "summary": "",
        "conditions": "", "via": "", "stated_on": "", "version": 1,
        "issues": [negotiation.issues.get(key="hostages").pk],
    }
    editor_client.post(reverse("articles:statement_edit", args=[draft.pk]), data)
    editor_client.post(reverse("articles:undo"))
    draft.refresh_from_db()
    assert (draft.speaker, draft.stance, str(draft.stated_on)) == (draft.actor.name, "demand", "2024-01-15")
    assert [issue.key for issue in draft.issues.all()] == ["ceasefire"]


def test_htmx_undo_returns_the_undo_bar_and_the_restored_cards_out_of_band(editor_client, draft):
    editor_client.post(reverse("articles:statement_reject", args=[draft.pk]), {"version": 1})
    response = editor_client.post(reverse("articles:undo"), headers=htmx("undo-bar"))
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="undo-bar"')
    assert f'id="statement-{draft.pk}"' in html and 'hx-swap-oob="true"' in html
    assert "status-draft" in html and "<html" not in html


def test_undo_does_not_overwrite_a_later_change_by_someone_else(editor_client, draft, admin_user):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    other = Client()
    other.force_login(admin_user)
    other.post(reverse("articles:statement_reject", args=[draft.pk]), {"version": 2, "reason": "wrong"})
    editor_client.post(reverse("articles:undo"))
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("rejected", 3)
    page = editor_client.get(reverse("articles:statement", args=[draft.pk])).content.decode()
    assert "changed since by someone else" in page


def test_undo_with_nothing_to_undo_says_so(editor_client, db):
    response = editor_client.post(reverse("articles:undo"), follow=True)
    assert "Nothing to undo" in response.content.decode()


def test_undo_is_one_step_only(editor_client, draft):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    editor_client.post(reverse("articles:undo"))
    editor_client.post(reverse("articles:undo"))
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 3)


def test_undo_of_a_second_decision_brings_back_the_first_with_its_reviewer(editor_client, editor, draft):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    editor_client.post(reverse("articles:statement_reject", args=[draft.pk]), {"version": 2})
    response = editor_client.post(reverse("articles:undo"), headers=htmx("undo-bar"))
    assert response.status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.reviewed_by, draft.version) == ("approved", editor, 4)
