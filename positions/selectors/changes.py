"""What changed over a date range: labelled shifts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import (
    F,
)

from positions.models import Issue, Negotiation, Participation, Statement
from positions.selectors.common import StatementIssue
from positions.selectors.rules import POSITIONAL_STANCES, shift_label
from positions.selectors.side_by_side import latest_positions_as_of


@dataclass
class Shift:
    statement: Statement
    issue: Issue
    label: str
    previous: Statement


@dataclass
class ShiftList:
    shifts: list[Shift]
    since: date | None  # when the range was cut short: the shifts shown start here


def shifts_between(
    *, negotiation: Negotiation, start: date, end: date, limit: int = 300
) -> ShiftList:
    """Labelled shifts with an effective date in [start, end], newest first.

    At most ``limit`` (statement, issue) pairs are read, newest first; when the range
    holds more, it is cut at a day boundary and ``since`` says from which day the list is
    complete. Queries: the participants; the positional statements in the range (the
    (negotiation, status, effective_on) index); and the positions just before the first
    day (``latest_positions_as_of``, two queries).
    """
    actor_ids = list(
        Participation.objects.filter(negotiation=negotiation).values_list("actor_id", flat=True)
    )
    base = StatementIssue.objects.filter(
        statement__negotiation=negotiation, statement__status=Statement.Status.APPROVED,
        statement__stance__in=POSITIONAL_STANCES, statement__actor_id__in=actor_ids or [0],
    ).select_related("statement__actor", "issue")  # the page shows no article or outlet
    pairs = list(
        base.filter(statement__effective_on__range=(start, end))
        .annotate(effective=F("statement__effective_on"))
        .order_by("-statement__effective_on", "-statement_id")[: limit + 1]
    )
    since = None
    if len(pairs) > limit:
        cut = pairs[limit].effective  # type: ignore[attr-defined]
        pairs = [p for p in pairs[:limit] if p.effective > cut]  # type: ignore[attr-defined]
        since = cut + timedelta(days=1)
    pairs.reverse()
    first = pairs[0].effective if pairs else start  # type: ignore[attr-defined]
    issues_by_actor: dict[int, set[int]] = defaultdict(set)
    for p in pairs:
        issues_by_actor[p.statement.actor_id].add(p.issue_id)
    previous = latest_positions_as_of(
        negotiation=negotiation, as_of=min(first, since or first) - timedelta(days=1),
        positional=True, actor_ids=issues_by_actor.keys(),
        issue_ids={i for ids in issues_by_actor.values() for i in ids},
    )
    shifts: list[Shift] = []
    for p in pairs:
        p.statement.effective = p.effective  # type: ignore[attr-defined]
        key = (p.statement.actor_id, p.issue_id)
        prior = previous.get(key)
        if prior is not None:
            label = shift_label(
                previous_stance=prior.stance, previous_conditions=prior.conditions,
                stance=p.statement.stance, conditions=p.statement.conditions,
            )
            if label:
                shifts.append(
                    Shift(statement=p.statement, issue=p.issue, label=label, previous=prior)
                )
        previous[key] = p.statement
    shifts.reverse()
    return ShiftList(shifts=shifts, since=since)
