"""No edit loses data: a form saved as it was rendered changes nothing, a summary that
repeats the actor, stance or conditions follows them, and a changed speaker is unlinked."""

from __future__ import annotations

import re
from typing import Any

from django.urls import reverse

from positions.models import Statement
from positions.services import StatementChanges, statement_update
from tests.articles.conftest import htmx
from tests.factories import PersonFactory


def _rendered_values(html: str) -> dict[str, object]:
    """What a browser submits for the form as rendered (inputs, checked boxes, selects)."""
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        if 'type="checkbox"' in tag:
            if "checked" in tag:
                data.setdefault(name.group(1), []).append(value.group(1) if value else "on")
            continue
        data[name.group(1)] = value.group(1) if value else ""
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.removeprefix("\n")
    for name, body in re.findall(r'<select[^>]*name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else ""
    return data


def test_the_edit_form_renders_the_date_as_iso(editor_client, draft):
    html = editor_client.get(reverse("articles:statement_edit", args=[draft.pk])).content.decode()
    assert 'type="date"' in html and 'value="2024-01-15"' in html


def test_saving_the_form_as_rendered_changes_nothing(editor_client, draft):
    url = reverse("articles:statement_edit", args=[draft.pk])
    html = editor_client.get(url, headers=htmx(f"statement-{draft.pk}")).content.decode()
    history = draft.history.count()
    response = editor_client.post(url, _rendered_values(html), headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 200
    assert "No changes" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.version, draft.stated_on.isoformat(), draft.date_basis) == (1, "2024-01-15", "relative")
    assert draft.history.count() == history
    assert editor_client.session.get("parley_undo") is None


def _changes(statement: Statement, **overrides: object) -> StatementChanges:
    fields: dict[str, object] = {
        "actor": statement.actor, "speaker": statement.speaker,
        "issues": list(statement.issues.all()), "stance": statement.stance,
        "summary": statement.summary, "conditions": statement.conditions, "via": statement.via,
        "stated_on": statement.stated_on,
    }
    fields.update(overrides)
    return StatementChanges(**fields)  # type: ignore[arg-type]  # the form's cleaned fields by name


def test_the_summary_prefix_follows_a_new_actor_and_stance(editor, draft, negotiation):
    draft.summary = f"{draft.actor.name} ({draft.stance}): wants the talks to resume"
    draft.save()
    other = negotiation.actors.exclude(pk=draft.actor_id).first()
    updated = statement_update(
        statement_id=draft.pk, version=1, user=editor,
        changes=_changes(draft, actor=other, stance="reject"),
    )
    assert updated.summary == f"{other.name} (reject): wants the talks to resume"


def test_an_editors_own_summary_is_kept(editor, draft, negotiation):
    updated = statement_update(
        statement_id=draft.pk, version=1, user=editor,
        changes=_changes(draft, stance="reject", summary="Turns the offer down."),
    )
    assert updated.summary == "Turns the offer down."


def test_conditions_repeated_in_the_summary_follow(editor, draft):
    draft.conditions = "the captives are freed"
    draft.summary = "Would accept a truce if the captives are freed."
    draft.save()
    updated = statement_update(
        statement_id=draft.pk, version=1, user=editor,
        changes=_changes(draft, conditions="the siege ends"),
    )
    assert updated.summary == "Would accept a truce if the siege ends."


def test_a_changed_speaker_is_unlinked_from_the_old_person(editor, draft):
    draft.person = PersonFactory.create(name="Lena Hart", actor=draft.actor, aliases=["the envoy"])
    draft.save()
    updated = statement_update(
        statement_id=draft.pk, version=1, user=editor,
        changes=_changes(draft, speaker="a senior official"),
    )
    assert updated.person_id is None
    assert Statement.objects.get(pk=draft.pk).person_id is None


def test_a_speaker_reworded_to_an_alias_of_the_person_stays_linked(editor, draft):
    person = PersonFactory.create(name="Lena Hart", actor=draft.actor, aliases=["the envoy"])
    draft.person = person
    draft.save()
    updated = statement_update(
        statement_id=draft.pk, version=1, user=editor, changes=_changes(draft, speaker="The envoy"),
    )
    assert updated.person_id == person.pk


def test_the_speaker_form_confirmed_as_it_was_changes_nothing(editor_client, draft):
    person = PersonFactory.create(name="Lena Hart", actor=draft.actor, aliases=[draft.speaker])
    draft.person = person
    draft.save()
    history = draft.history.count()
    data = {"version": 1, "name": "Lena Hart", "actor": draft.actor_id, "title": person.title,
            "add_alias": "on", "confirm": "on"}
    response = editor_client.post(reverse("articles:statement_speaker", args=[draft.pk]), data)
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.version == 1 and draft.history.count() == history
