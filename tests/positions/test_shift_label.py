"""The shift rule: restated, hardened, softened, reversed (see selectors.shift_label)."""

from __future__ import annotations

import pytest

from positions.selectors import shift_label


def label(before: str, after: str, before_conditions: str = "", after_conditions: str = "") -> str | None:
    return shift_label(
        previous_stance=before, previous_conditions=before_conditions,
        stance=after, conditions=after_conditions,
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [("reject", "accept"), ("accept", "reject"), ("propose", "reject"), ("reject", "propose"),
     ("demand", "reject"), ("reject", "demand")],
)
def test_a_no_becoming_a_yes_or_back_is_reversed(before: str, after: str) -> None:
    assert label(before, after) == "reversed"


@pytest.mark.parametrize(
    ("before", "after"),
    [("accept", "propose"), ("accept", "demand"), ("propose", "condition"), ("condition", "demand"),
     ("condition", "reject")],
)
def test_moving_up_the_firmness_scale_is_hardened(before: str, after: str) -> None:
    assert label(before, after) == "hardened"


@pytest.mark.parametrize(
    ("before", "after"),
    [("demand", "accept"), ("demand", "condition"), ("condition", "propose"), ("reject", "condition")],
)
def test_moving_down_the_firmness_scale_is_softened(before: str, after: str) -> None:
    assert label(before, after) == "softened"


def test_the_same_stance_and_conditions_is_restated_ignoring_case_and_spacing() -> None:
    assert label("demand", "demand", "Israel  withdraws", "israel withdraws") == "restated"


def test_adding_conditions_to_a_yes_hardens_it() -> None:
    assert label("accept", "accept", "", "only if aid enters") == "hardened"


def test_dropping_conditions_from_a_yes_softens_it() -> None:
    assert label("demand", "demand", "first a ceasefire", "") == "softened"


def test_adding_conditions_to_a_rejection_restates_it() -> None:
    # "No deal" then "no deal unless the offensive ends": still a no.
    assert label("reject", "reject", "", "unless the offensive ends") == "restated"


def test_dropping_conditions_from_a_rejection_hardens_it() -> None:
    assert label("reject", "reject", "unless the offensive ends", "") == "hardened"


def test_different_conditions_on_the_same_stance_are_restated() -> None:
    assert label("condition", "condition", "a full withdrawal", "a timetable") == "restated"


@pytest.mark.parametrize(("before", "after"), [("assess", "demand"), ("demand", "intent")])
def test_intent_and_assessment_get_no_label(before: str, after: str) -> None:
    assert label(before, after) is None


def pair(before: tuple[str, str, str], after: tuple[str, str, str]) -> str | None:
    """Two statements as (stance, conditions, summary), the way editors approve them."""
    return shift_label(
        previous_stance=before[0], previous_conditions=before[1], stance=after[0],
        conditions=after[1], summary=after[2],
    )


REFUSED = ("reject", "", "Israel (reject): said it rejected calls for a permanent ceasefire")


def test_a_leader_ruling_out_an_end_to_the_war_restates_the_refusal() -> None:
    ruling_out = ("condition", "until all of its goals are achieved",
                  "Israel (condition): said it would not end the war until all of its goals are achieved")
    assert pair(REFUSED, ruling_out) == "restated"
    no_talks = ("condition", "while the bombardment continues",
                "Hamas (condition): said it would never negotiate while the bombardment continues")
    assert pair(REFUSED, no_talks) == "restated"


def test_a_conditional_yes_after_a_refusal_is_softened() -> None:
    opening = ("condition", "if it leads to a permanent ceasefire",
               "Hamas (condition): said it would accept a pause if it leads to a permanent ceasefire")
    assert pair(REFUSED, opening) == "softened"


def test_a_refusal_after_a_conditional_yes_is_hardened() -> None:
    conditional_yes = ("condition", "if aid enters", "said it would accept if aid enters")
    assert pair(conditional_yes, REFUSED) == "hardened"


def test_acceptance_after_a_refusal_is_reversed() -> None:
    accepted = ("accept", "", "Israel (accept): said it accepted the agreement to end the war")
    assert pair(REFUSED, accepted) == "reversed"


def test_the_same_demand_again_is_restated() -> None:
    demand = ("demand", "", "Hamas (demand): said it wanted a complete end to the war")
    assert pair(demand, demand) == "restated"


@pytest.mark.parametrize(
    ("summary", "refuses"),
    [("said it would not stop the fighting until Hamas was destroyed", True),
     ("said the movement won't free captives while bombing goes on", True),
     ("said it ruled out any truce unless troops withdrew", True),
     ("said it would finish the job if Hamas rejected the plan", False),
     ("said it would only accept the plan it had agreed to in July", False)],
)
def test_a_conditional_statement_refuses_when_its_words_negate(summary: str, refuses: bool) -> None:
    from positions.selectors import is_conditional_refusal

    assert is_conditional_refusal(summary) is refuses
