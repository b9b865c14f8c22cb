"""Editing a statement inline: the form fragment, saving, errors in place, two editors."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tests.articles.conftest import htmx


def _data(negotiation, **overrides):
    actor = negotiation.actors.get(name="Southport")
    data = {
        "actor": actor.pk, "speaker": "A Southport official",
        "issues": [negotiation.issues.get(key="hostages").pk], "stance": "reject",
        "summary": "Rejects the offer.", "conditions": "", "via": "Reuters",
        "stated_on": "2024-01-16", "version": 1,
    }
    data.update(overrides)
    return data


def test_get_with_htmx_returns_only_the_form(editor_client, draft):
    url = reverse("articles:statement_edit", args=[draft.pk])
    response = editor_client.get(url, headers=htmx(f"statement-{draft.pk}"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert f'<form id="statement-{draft.pk}"' in html and 'name="version"' in html


def test_get_without_htmx_is_the_statement_page_with_the_form(editor_client, draft):
    response = editor_client.get(reverse("articles:statement_edit", args=[draft.pk]))
    html = response.content.decode()
    assert "<html" in html and 'name="speaker"' in html


def test_saving_changes_the_statement_and_records_history(editor_client, editor, draft, negotiation):
    url = reverse("articles:statement_edit", args=[draft.pk])
    response = editor_client.post(url, _data(negotiation), headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 200
    assert "A Southport official" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.actor.name, draft.stance, draft.via, draft.version) == ("Southport", "reject", "Reuters", 2)
    assert [issue.key for issue in draft.issues.all()] == ["hostages"]
    assert draft.date_basis == "editor"
    latest = draft.history.latest()
    assert latest.history_change_reason == "edited" and latest.history_user == editor
    assert [row.issue.key for row in latest.issues.all()] == ["hostages"]


def test_a_plain_post_saves_and_redirects(editor_client, draft, negotiation):
    response = editor_client.post(reverse("articles:statement_edit", args=[draft.pk]), _data(negotiation))
    assert response.status_code == 302


def test_errors_come_back_in_the_form_and_nothing_is_saved(editor_client, draft, negotiation):
    url = reverse("articles:statement_edit", args=[draft.pk])
    data = _data(negotiation, speaker="", stance="threaten", stated_on="yesterday")
    response = editor_client.post(url, data, headers=htmx(f"statement-{draft.pk}"))
    html = response.content.decode()
    assert response.status_code == 422
    assert "<html" not in html and "errorlist" in html
    draft.refresh_from_db()
    assert (draft.version, draft.speaker) == (1, draft.actor.name)


def test_an_actor_outside_the_negotiation_is_refused(editor_client, draft, negotiation):
    from tests.factories import ActorFactory

    stranger = ActorFactory.create(name="Elsewhere")
    url = reverse("articles:statement_edit", args=[draft.pk])
    response = editor_client.post(url, _data(negotiation, actor=stranger.pk))
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.version == 1


def test_the_second_of_two_editors_gets_409_with_the_first_ones_version(draft, negotiation, editor, admin_user):
    first, second = Client(), Client()
    first.force_login(editor)
    second.force_login(admin_user)
    url = reverse("articles:statement_edit", args=[draft.pk])
    # Both opened the form at version 1.
    assert first.get(url, headers=htmx(f"statement-{draft.pk}")).status_code == 200
    assert second.get(url, headers=htmx(f"statement-{draft.pk}")).status_code == 200
    first.post(url, _data(negotiation, speaker="First editor's words"))
    response = second.post(
        url, _data(negotiation, speaker="Second editor's words"), headers=htmx(f"statement-{draft.pk}")
    )
    assert response.status_code == 409
    html = response.content.decode()
    assert "First editor&#x27;s words" in html and "v2" in html
    assert "Your changes (not saved)" in html and "Second editor&#x27;s words" in html
    draft.refresh_from_db()
    assert (draft.speaker, draft.version) == ("First editor's words", 2)
