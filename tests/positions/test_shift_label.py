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


def test_adding_conditions_to_a_rejection_softens_it() -> None:
    assert label("reject", "reject", "", "unless the offensive ends") == "softened"


def test_dropping_conditions_from_a_rejection_hardens_it() -> None:
    assert label("reject", "reject", "unless the offensive ends", "") == "hardened"


def test_different_conditions_on_the_same_stance_are_restated() -> None:
    assert label("condition", "condition", "a full withdrawal", "a timetable") == "restated"


@pytest.mark.parametrize(("before", "after"), [("assess", "demand"), ("demand", "intent")])
def test_intent_and_assessment_get_no_label(before: str, after: str) -> None:
    assert label(before, after) is None
