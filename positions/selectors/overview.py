"""The overview: each negotiation's matrix today, in miniature, and its latest shifts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from positions.models import Negotiation
from positions.selectors.changes import Shift, shifts_between
from positions.selectors.rules import RESTATED
from positions.selectors.side_by_side import Matrix, positions_side_by_side

LATEST_SHIFTS = 5
# The latest shifts are looked for among this many newest positional statements.
SHIFT_WINDOW = 30


@dataclass
class Overview:
    negotiation: Negotiation
    matrix: Matrix
    shifts: list[Shift]


def negotiation_overviews(*, negotiations: list[Negotiation], today: date) -> list[Overview]:
    """Per negotiation: its matrix as of today and its newest shifts (restatements left out,
    they are not moves). A fixed number of queries per negotiation."""
    overviews = []
    for negotiation in negotiations:
        found = shifts_between(negotiation=negotiation, start=date(1, 1, 1), end=today,
                               limit=SHIFT_WINDOW)
        overviews.append(Overview(
            negotiation=negotiation,
            matrix=positions_side_by_side(negotiation=negotiation, as_of=today),
            shifts=[s for s in found.shifts if s.label != RESTATED][:LATEST_SHIFTS],
        ))
    return overviews
