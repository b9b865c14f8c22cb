"""Speakers and their sides: reporting chains, anonymous sources, relays, coreference, titles."""

from __future__ import annotations

from dataclasses import replace

from articles.extraction.types import PersonRef


def test_names_the_outlet_told(run):
    body = "Basem Naim told Reuters that Hamas would not release more captives during the fighting."
    [draft] = run(body)
    assert draft.via == "Reuters"
    assert draft.actor == "Hamas"


def test_names_state_media_as_a_link(run):
    body = ("Egypt has offered to host a new round of ceasefire talks next week, state media "
            "reported, citing a senior official.")
    [draft] = run(body)
    assert draft.actor == "Egypt"
    assert "state media" in draft.via


def test_told_reporters_is_no_chain(run):
    body = "Ron Dermer told reporters that Israel would keep troops in the Netzarim corridor."
    [draft] = run(body)
    assert draft.via == ""


def test_gives_an_anonymous_source_the_side_it_speaks_for(run):
    body = "A senior Hamas official said the group would study the new hostage proposal carefully."
    [draft] = run(body)
    assert draft.actor == "Hamas"
    assert "official" in draft.speaker


def test_gives_a_relayed_position_to_its_holder(run):
    body = ("Majed al-Ansari said Hamas had accepted the latest ceasefire proposal from the "
            "mediators.")
    [draft] = run(body)
    assert draft.actor == "Hamas"
    assert draft.stance == "accept"
    assert "Ansari" in draft.via


def test_follows_a_surname_a_pronoun_and_the_group(run):
    body = (
        "Hamas negotiator Khalil al-Hayya said the movement wanted a permanent ceasefire.\n\n"
        "Hayya said the group would not hand over its weapons.\n\n"
        "He added that talks with Egyptian mediators would resume on Sunday.\n\n"
        "The militant group said it rejected any deal that allowed the offensive to continue."
    )
    drafts = run(body)
    assert [d.actor for d in drafts] == ["Hamas"] * len(drafts)
    assert len(drafts) >= 3
    assert all("Hayya" in d.speaker for d in drafts[:-1])
    assert drafts[-1].stance == "reject"


def test_binds_the_official_to_the_official_named_before(run):
    body = (
        "An Israeli official said the cabinet would vote on the hostage deal on Friday.\n\n"
        '"There is no agreement yet on the prisoner list," the official said.'
    )
    drafts = run(body)
    assert {d.actor for d in drafts} == {"Israel"}


def test_resolves_unknown_people_by_their_title(run):
    cases = {
        "Hamas leader Mahmoud Example said the movement rejected the truce plan.": "Hamas",
        "White House spokesperson Jordan Sample said the hostage talks were making progress.":
            "United States",
        "Qatar's foreign ministry said the ceasefire negotiations would resume in Doha.": "Qatar",
    }
    for body, actor in cases.items():
        [draft] = run(body)
        assert draft.actor == actor, body


def test_remembers_a_new_name_through_the_article(run):
    body = (
        "Egyptian intelligence official Karim Placeholder said Cairo had proposed a short truce.\n\n"
        "Placeholder said the plan would let aid trucks enter Gaza."
    )
    drafts = run(body)
    assert [d.actor for d in drafts] == ["Egypt"] * len(drafts)


def test_drops_statements_by_non_parties(run):
    body = (
        "The UN agency said aid trucks must be allowed into Gaza without delay.\n\n"
        "Families of the hostages urged the government to accept the ceasefire deal.\n\n"
        "Residents of Khan Younis said the fighting had not stopped overnight.\n\n"
        "Doctors Without Borders said its staff could not reach the hospital."
    )
    assert run(body) == []


def test_a_person_added_by_an_editor_changes_the_next_run(run, reference):
    body = "Leila Newname said the group would only release the captives if the war ended."
    assert run(body) == []  # nobody knows whose side she is on
    taught = replace(reference, people=(
        *reference.people, PersonRef(name="Leila Newname", actor="Hamas", title="Spokesperson")))
    [draft] = run(body, ref=taught)
    assert draft.actor == "Hamas"
    assert draft.stance == "condition"


def test_an_alias_added_by_an_editor_changes_the_next_run(run, reference):
    body = "The Sample Brigades said they would not accept a temporary pause in the fighting."
    assert run(body) == []
    hamas = next(a for a in reference.actors if a.name == "Hamas")
    taught_hamas = replace(hamas, aliases=(*hamas.aliases, "Sample Brigades"))
    taught = replace(reference, actors=tuple(
        taught_hamas if a.name == "Hamas" else a for a in reference.actors))
    [draft] = run(body, ref=taught)
    assert draft.actor == "Hamas"


def test_the_group_is_the_movement_named_last_and_the_government_the_state(run):
    body = (
        "Israel and Hamas traded blame on Monday as the talks on a truce stalled.\n\n"
        "The militant group said it would not accept a temporary truce.\n\n"
        "The government said it would not withdraw its troops from the corridor."
    )
    assert [d.actor for d in run(body)] == ["Hamas", "Israel"]


def test_the_movement_can_be_named_only_as_an_object_before(run):
    body = ("Egyptian officials met Hamas leaders in Cairo on Tuesday.\n\n"
            "The movement said afterwards that it insisted on a permanent ceasefire.")
    [draft] = run(body)
    assert draft.actor == "Hamas"


def test_a_title_names_the_latest_person_who_holds_it(run):
    body = (
        "Qatar's Prime Minister Mohammed bin Abdulrahman Al Thani met Benjamin Netanyahu "
        "on Monday.\n\n"
        "The prime minister later said Israel would not accept a permanent ceasefire."
    )
    [draft] = run(body)
    assert (draft.actor, draft.stance) == ("Israel", "reject")
