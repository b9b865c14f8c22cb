"""What changed over a date range: labelled shifts, a page of statements at a time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from positions.models import Negotiation, Participation, Statement
from positions.selectors.common import StatementIssue, older_than
from positions.selectors.rules import POSITIONAL_STANCES, shift_label
from positions.selectors.timeline import (
    STANCE_LABELS,
    decode_cursor,
    encode_cursor,
    previous_on_issue,
)

CHANGES_PAGE_SIZE = 50  # statements (a statement on two issues may shift on both)


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

    Three queries: the participants; the (statement, issue) pairs of the page with the
    previous statement's id on each (a walk of the (negotiation, status, effective_on)
    index for the page, then one backward walk of the (actor, status, effective_on, id)
    index per pair); those previous statements.
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
        statements = statements.filter(older_than(*after))  # type: ignore[arg-type]
    page = statements.order_by("-effective_on", "-pk").values("pk")[: limit + 1]
    pairs = list(
        StatementIssue.objects.filter(statement_id__in=page)
        .annotate(previous=previous_on_issue())
        .order_by("-statement__effective_on", "-statement_id", "issue__position", "issue__key")
        .values_list(
            "statement_id", "statement__effective_on", "statement__actor_id",
            "statement__actor__name", "statement__actor__short_name", "issue_id",
            "issue__key", "issue__name", "statement__stance", "statement__summary",
            "statement__conditions", "previous",
        )
    )
    ids = list(dict.fromkeys(pair[0] for pair in pairs))
    more = len(ids) > limit
    if more:  # the first statement of the next page
        pairs = [pair for pair in pairs if pair[0] != ids[limit]]
    found = {
        pk: (day, stance, conditions)
        for pk, day, stance, conditions in Statement.objects.filter(
            pk__in=[pair[-1] for pair in pairs if pair[-1]] or [0]
        ).values_list("pk", "effective_on", "stance", "conditions")
    }
    shifts = []
    for (sid, day, actor_id, actor, short, issue_id, key, issue, stance, summary, conditions,
         prior) in pairs:
        if prior not in found:
            continue
        before, before_stance, before_conditions = found[prior]
        label = shift_label(previous_stance=before_stance, previous_conditions=before_conditions,
                            stance=stance, conditions=conditions)
        if label:
            shifts.append(Shift(
                statement_id=sid, effective=day, actor_id=actor_id, actor=actor,
                actor_label=short or actor, issue_id=issue_id, issue_key=key, issue=issue,
                stance=stance, summary=summary, conditions=conditions, label=label,
                previous_id=prior, previous_effective=before, previous_stance=before_stance,
                previous_conditions=before_conditions,
            ))
    last = pairs[-1] if more and pairs else None
    return ShiftList(
        shifts=shifts,
        next_cursor=encode_cursor(_Key(last[1], last[0])) if last else None,
        cursor=cursor if after else None,
    )


@dataclass
class _Key:
    """What ``encode_cursor`` reads of a row."""

    effective: date
    pk: int
