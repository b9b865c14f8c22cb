"""Learning: confirming who a speaker is updates the people the next extraction uses."""

from __future__ import annotations

from django.urls import reverse

from articles.reference import reference_for
from positions.models import Person
from tests.articles.conftest import htmx


def _data(draft, **overrides):
    data = {"version": 1, "name": "Ada Northcott", "actor": draft.actor_id,
            "title": "chief negotiator", "add_alias": "on", "confirm": "on"}
    data.update(overrides)
    return data


def test_saves_the_person_with_the_speaker_wording_as_alias(editor_client, draft, negotiation):
    draft.speaker = "a senior Northland negotiator"
    draft.save()
    url = reverse("articles:statement_speaker", args=[draft.pk])
    response = editor_client.post(url, _data(draft), headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 200
    person = Person.objects.get(name="Ada Northcott")
    assert (person.actor, person.title, person.aliases) == (
        draft.actor, "chief negotiator", ["a senior Northland negotiator"],
    )
    draft.refresh_from_db()
    assert draft.person == person
    assert "speaker confirmed" in draft.history.latest().history_change_reason
    people = {ref.name: ref for ref in reference_for(negotiation).people}
    assert people["Ada Northcott"].aliases == ("a senior Northland negotiator",)


def test_nothing_changes_without_the_confirmation(editor_client, draft):
    url = reverse("articles:statement_speaker", args=[draft.pk])
    response = editor_client.post(url, _data(draft, confirm=""))
    assert response.status_code == 422
    assert not Person.objects.exists()
    draft.refresh_from_db()
    assert draft.version == 1


def test_an_existing_person_gets_the_new_alias_once(editor_client, draft):
    Person.objects.create(name="Ada Northcott", actor=draft.actor, aliases=["Northcott"])
    url = reverse("articles:statement_speaker", args=[draft.pk])
    editor_client.post(url, _data(draft))
    assert Person.objects.get().aliases == ["Northcott", draft.speaker]
