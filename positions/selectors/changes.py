"""What changed over a date range: labelled shifts, a page of statements at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from positions.models import Negotiation, Participation, Statement
from positions.selectors.common import STANCE_LABELS, older_than
from positions.selectors.rules import POSITIONAL_STANCES, shift_label
from positions.selectors.timeline import (
    decode_cursor,
    encode_cursor,
    previous_positions,
)

CHANGES_PAGE_SIZE = 50  # statements (a statement on two issues may shift on both)
DEFAULT_DAYS = 30


def default_changes_range(*, negotiation: Negotiation) -> tuple[date, date] | None:
    """The last DEFAULT_DAYS days that have data: up to the newest effective date of an
    approved statement in the negotiation (None when it has none). One index lookup."""
    newest = (
        Statement.objects.approved().filter(negotiation=negotiation, effective_on__isnull=False)
        .order_by("-effective_on").values_list("effective_on", flat=True).first()
    )
    return (newest - timedelta(days=DEFAULT_DAYS), newest) if newest else None


@dataclass
class Shift:
    """One statement's shift on one issue against the same actor's previous positional
    statement on it, as the page and its export show it: plain values."""

    statement_id: int
    effective: date
    actor_id: int
    actor: str
    actor_label: str  # the actor's short name, else its name
    issue_id: int
    issue_key: str
    issue: str
    stance: str
    summary: str
    conditions: str
    label: str
    previous_id: int
    previous_effective: date | None
    previous_stance: str
    previous_conditions: str

    @property
    def stance_label(self) -> str:
        return STANCE_LABELS[self.stance]

    @property
    def previous_stance_label(self) -> str:
        return STANCE_LABELS[self.previous_stance]


@dataclass
class ShiftList:
    shifts: list[Shift]
    next_cursor: str | None  # where the next (older) page starts
    cursor: str | None  # where this page started, if not at the newest


def shifts_between(
    *, negotiation: Negotiation, start: date, end: date, cursor: str | None = None,
    limit: int = CHANGES_PAGE_SIZE,
) -> ShiftList:
    """Labelled shifts of the positional statements with an effective date in [start, end],
    newest first: the newest ``limit`` such statements after the cursor (a keyset on
    (effective date, id), as on the timeline), each compared on each of its issues with
    the same actor's previous positional statement on that issue, however long before.

    Three queries (four off PostgreSQL): the participants; the page's statements (a walk
    of the (negotiation, status, effective_on) index); their issues with the previous
    positional statement on each (``previous_positions``: a backward walk of the (actor,
    status, effective_on, id) index per pair).
    """
    actor_ids = list(
        Participation.objects.filter(negotiation=negotiation).values_list("actor_id", flat=True)
    )
    statements = Statement.objects.approved().filter(
        negotiation=negotiation, stance__in=POSITIONAL_STANCES, actor_id__in=actor_ids or [0],
        effective_on__range=(start, end),
    )
    after = decode_cursor(cursor) if cursor else None
    if after and after[0] is not None:
        statements = statements.filter(older_than(after[0], after[1]))
    rows = [
        (pk, day, actor_id, actor, short, stance, summary, conditions)
        for pk, day, actor_id, actor, short, stance, summary, conditions
        in statements.order_by("-effective_on", "-pk").values_list(
            "pk", "effective_on", "actor_id", "actor__name", "actor__short_name", "stance",
            "summary", "conditions",
        )[: limit + 1]
        if day is not None  # always: the range above excludes undated statements
    ]
    more = len(rows) > limit
    rows = rows[:limit]
    by_pk = {row[0]: row for row in rows}
    shifts = []
    for sid, issue_id, key, issue, prior in previous_positions([_Key(*row[:2]) for row in rows]):
        if prior is None:
            continue
        _, day, actor_id, actor, short, stance, summary, conditions = by_pk[sid]
        label = shift_label(previous_stance=prior.stance, previous_conditions=prior.conditions,
                            stance=stance, conditions=conditions, summary=summary)
        if label:
            shifts.append(Shift(
                statement_id=sid, effective=day, actor_id=actor_id, actor=actor,
                actor_label=short or actor, issue_id=issue_id, issue_key=key, issue=issue,
                stance=stance, summary=summary, conditions=conditions, label=label,
                previous_id=prior.pk, previous_effective=prior.effective,
                previous_stance=prior.stance, previous_conditions=prior.conditions,
            ))
    order = {pk: i for i, pk in enumerate(by_pk)}
    shifts.sort(key=lambda shift: order[shift.statement_id])  # newest first, issues in order
    return ShiftList(
        shifts=shifts,
        next_cursor=encode_cursor(_Key(rows[-1][0], rows[-1][1])) if more and rows else None,
        cursor=cursor if after else None,
    )


@dataclass
class _Key:
    """What ``encode_cursor`` and ``previous_positions`` read of a row."""

    pk: int
    effective: date
