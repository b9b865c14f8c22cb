"""Conditions, background positions, negation and dates resolved against publication."""

from __future__ import annotations

from datetime import date

import pytest

# PUBLISHED in conftest is Thursday 14 March 2024.


def test_reads_wont_until_as_a_condition(run):
    body = "Hamas said it would not free more hostages until Israel stopped its bombing of Gaza."
    [draft] = run(body)
    assert draft.stance == "condition"
    assert draft.conditions.startswith("until Israel stopped")


def test_reads_only_if_as_a_condition(run):
    body = ("Bezalel Smotrich said he would back the deal only if the army could resume "
            "fighting after the first phase.")
    [draft] = run(body)
    assert draft.stance == "condition"
    assert "resume fighting" in draft.conditions


def test_reads_unless_as_a_condition(run):
    body = "Israel said it would not withdraw from the Philadelphi corridor unless Egypt secured the border."
    [draft] = run(body)
    assert draft.stance == "condition"
    assert "Egypt secured the border" in draft.conditions


def test_reads_not_while_as_a_condition(run):
    body = '"We cannot negotiate while the occupation continues its aggression," Izzat al-Rishq said.'
    [draft] = run(body)
    assert draft.stance == "condition"
    assert draft.conditions.startswith("while the occupation")


def test_halting_fire_while_captives_go_free_describes_terms_not_a_condition(run):
    body = ("Israel said it would pause its bombardment for three days while the captives "
            "were handed over.")
    drafts = run(body)
    assert drafts and all(d.stance != "condition" for d in drafts), [d.stance for d in drafts]


def test_a_background_position_has_no_date(run):
    body = "Israel has long insisted that Hamas must never again govern the Gaza Strip."
    [draft] = run(body)
    assert draft.stated_on is None
    assert draft.stance == "demand"


def test_a_weekday_is_the_latest_such_day_before_publication(run):
    body = "Qatar said on Tuesday that the negotiations on a truce had made progress."
    [draft] = run(body)
    assert draft.stated_on == date(2024, 3, 12)
    assert draft.date_basis == "relative"


def test_the_publication_weekday_is_the_publication_day(run):
    body = "Egypt said on Thursday that it would host the next round of ceasefire talks."
    [draft] = run(body)
    assert draft.stated_on == date(2024, 3, 14)


def test_a_possessive_weekday_dates_the_statement(run):
    body = "Hamas rejected Sunday's proposal for a six-week truce, a senior official said."
    [draft] = run(body)
    assert draft.stated_on == date(2024, 3, 10)


def test_reads_an_abbreviated_month(run):
    body = "On Nov. 22, Israel's cabinet approved the agreement to pause the fighting."
    [draft] = run(body, published=date(2023, 11, 24))
    assert draft.stated_on == date(2023, 11, 22)
    assert draft.date_basis == "explicit"


def test_a_statement_without_a_day_takes_the_publication_date(run):
    body = "Hamas said the mediators had not yet delivered the new ceasefire draft."
    [draft] = run(body)
    assert (draft.stated_on, draft.date_basis) == (date(2024, 3, 14), "publication")


def test_counts_relative_days_from_the_dateline(run):
    body = "CAIRO, March 12 - Qatar said on Monday that the truce talks would resume soon."
    [draft] = run(body)  # published Thursday 14 March; the dateline is Tuesday 12 March
    assert draft.stated_on == date(2024, 3, 11)
    assert draft.speaker == "Qatar"


def test_a_future_day_does_not_date_the_statement(run):
    body = "Hamas said its delegation would travel to Cairo on Saturday for more ceasefire talks."
    [draft] = run(body)
    assert draft.date_basis == "publication"


def test_a_statement_continuing_a_dated_one_takes_its_day(run):
    # The day is in a sentence that is no statement of its own (a meeting), so no earlier
    # draft carries it: the quote after it continues the same person's day.
    body = ("Yoav Gallant met the Egyptian mediators in Cairo on Tuesday.\n\n"
            "\"We will not stop the offensive until every captive is home,\" he said.")
    [draft] = run(body)
    assert (draft.actor, draft.stated_on, draft.date_basis) == ("Israel", date(2024, 3, 12), "context")


def test_a_day_named_for_another_side_does_not_date_the_statement(run):
    body = ("Qatar said on Monday that the mediators would meet again soon.\n\n"
            "Gallant demanded that Hamas release the women it holds before any pause.")
    drafts = run(body)
    later = [d for d in drafts if "women" in " ".join(d.evidence(body))]
    assert [(d.actor, d.stated_on, d.date_basis) for d in later] == [
        ("Israel", date(2024, 3, 14), "publication")]


# (what was said, the side, the day and how it was found): periods with no day leave a
# statement undated; "earlier" next to a day names that day. Published Thursday 14 March.
EARLIER_AND_VAGUE = {
    "a month without its day": (
        "In March, Hamas said it would not accept a temporary truce.", "Hamas", None, ""),
    "said earlier": (
        "A Hamas official earlier said the group would study the mediators' proposal.",
        "Hamas", None, ""),
    "earlier in the day": (
        "Hamas said earlier in the day that it had received the new proposal from the mediators.",
        "Hamas", date(2024, 3, 14), "relative"),
    "earlier on a weekday": (
        "Earlier on Tuesday, Qatar said the talks on a truce would resume.",
        "Qatar", date(2024, 3, 12), "relative"),
    "earlier this week": (
        "Egypt said earlier this week that it was ready to host more talks on a ceasefire.",
        "Egypt", None, ""),
}


@pytest.mark.parametrize("case", sorted(EARLIER_AND_VAGUE))
def test_periods_and_earlier_days(run, case):
    body, actor, day, basis = EARLIER_AND_VAGUE[case]
    [draft] = run(body)
    assert (draft.actor, draft.stated_on, draft.date_basis) == (actor, day, basis)
