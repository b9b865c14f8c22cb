"""An actor's timeline: keyset pages, shift labels, the chart's marks."""

from __future__ import annotations

import base64
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    prefetch_related_objects,
)

from positions.models import Actor, Issue, Statement
from positions.selectors.common import (
    StatementFilters,
    StatementIssue,
    approved_statements,
    older_than,
)
from positions.selectors.rules import POSITIONAL_STANCES, shift_label

TIMELINE_PAGE_SIZE = 25
CHART_LIMIT = 200


@dataclass
class TimelinePage:
    statements: list[Statement]
    next_cursor: str | None
    cursor: str | None


def encode_cursor(statement: Statement) -> str:
    day = statement.effective.isoformat() if statement.effective else "-"  # type: ignore[attr-defined]
    return base64.urlsafe_b64encode(f"{day}|{statement.pk}".encode()).decode().rstrip("=")


_CURSOR = re.compile(r"^(\d{4}-\d{2}-\d{2}|-)\|(\d{1,18})$")


def decode_cursor(cursor: str) -> tuple[date | None, int] | None:
    """The (effective date, id) a cursor points after; None when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        return None
    match = _CURSOR.match(raw)
    if not match:
        return None
    try:
        day = None if match[1] == "-" else date.fromisoformat(match[1])
    except ValueError:
        return None
    return day, int(match[2])


def _outlet_prefetches() -> list[Any]:
    return [
        "issues",
        Prefetch(
            "duplicates",
            queryset=Statement.objects.filter(status=Statement.Status.DUPLICATE)
            .select_related("article__outlet")
            .order_by("id"),
        ),
    ]


def _with_outlets(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    return qs.select_related("article__outlet", "person", "actor").defer(
        "article__body"
    ).prefetch_related(*_outlet_prefetches())


def timeline_for_actor(
    *, actor: Actor, filters: StatementFilters, cursor: str | None = None,
    page_size: int = TIMELINE_PAGE_SIZE,
) -> TimelinePage:
    """One page of an actor's approved statements, newest first, by keyset on (date, id).

    Two bounded queries: statements with an effective date, walking the (actor, status,
    effective_on, id) index backwards from the cursor, then those with none (neither their
    own date nor an article date: few), which come last. Each statement gets
    ``issue_shifts``: (issue, shift label or None).
    """
    own = StatementFilters(**{**filters.__dict__, "actor_id": actor.pk})
    after = decode_cursor(cursor) if cursor else None
    qs = approved_statements(own).select_related("article__outlet", "person", "actor").defer(
        "article__body"
    )
    dated = qs.filter(effective_on__isnull=False).order_by("-effective_on", "-pk")
    dateless = qs.filter(effective_on__isnull=True).order_by("-pk")
    if after and after[0] is not None:
        dated = dated.filter(older_than(*after))  # type: ignore[arg-type]
    elif after:
        dated = dated.none()
        dateless = dateless.filter(pk__lt=after[1])
    rows = [*dated[: page_size + 1], *dateless[: page_size + 1]][: page_size + 1]
    more = len(rows) > page_size
    rows = rows[:page_size]
    prefetch_related_objects(rows, *_outlet_prefetches(), "evidence")
    _attach_shifts(rows)
    return TimelinePage(
        statements=rows,
        next_cursor=encode_cursor(rows[-1]) if more and rows else None,
        cursor=cursor if after else None,
    )


def _previous() -> Subquery:
    """For a (statement, issue) row: the id of the actor's previous positional statement on
    that issue (a backward walk of the (actor, status, effective_on, id) index)."""
    previous = (
        Statement.objects.approved()
        .filter(actor_id=OuterRef("statement__actor_id"), stance__in=POSITIONAL_STANCES)
        # A scalar subquery stays a per-candidate probe of the (statement, issue) unique
        # index; a join or EXISTS (pulled up into a semi-join by PostgreSQL) hashes every
        # row of the issue instead.
        .alias(on_issue=Subquery(StatementIssue.objects.filter(
            statement_id=OuterRef("pk"), issue_id=OuterRef(OuterRef("issue_id"))
        ).values("pk")[:1]))
        .filter(on_issue__isnull=False)
        # "<= current AND (…)" rather than a bare OR, so the index walk starts at the date.
        .filter(effective_on__lte=OuterRef("statement__effective_on"))
        .filter(Q(effective_on__lt=OuterRef("statement__effective_on"))
                | Q(pk__lt=OuterRef("statement_id")))
        .order_by("-effective_on", "-pk")
        .values("pk")[:1]
    )
    return Subquery(previous)


def _attach_shifts(statements: Sequence[Statement]) -> None:
    """Set ``issue_shifts`` on each statement: two queries whatever the page size.

    1. per (statement, issue), the previous positional statement (index lookups);
    2. those statements. A statement without an effective date has no place in time, so
    it has no previous one and gets no label.
    """
    if not statements:
        return
    pairs = list(
        StatementIssue.objects.filter(statement_id__in=[s.pk for s in statements])
        .annotate(previous=_previous())
        .values_list("statement_id", "issue_id", "previous")
    )
    # [0] when there is none: the query then still runs, so the count stays the same.
    found = {
        s.pk: s for s in Statement.objects.filter(
            pk__in=[previous for _, _, previous in pairs if previous] or [0]
        ).only("pk", "stance", "conditions")
    }
    previous = {
        (statement_id, issue_id): found[prior]
        for statement_id, issue_id, prior in pairs if prior in found
    }
    for statement in statements:
        shifts: list[tuple[Issue, str | None]] = []
        for issue in statement.issues.all():
            prior = previous.get((statement.pk, issue.pk))
            label = None
            if prior is not None and statement.effective is not None:  # type: ignore[attr-defined]
                label = shift_label(
                    previous_stance=prior.stance, previous_conditions=prior.conditions,
                    stance=statement.stance, conditions=statement.conditions,
                )
            shifts.append((issue, label))
        statement.issue_shifts = shifts  # type: ignore[attr-defined]


@dataclass
class ChartMark:
    statement_id: int
    stance: str
    x: str  # SVG coordinates as text: never localised (a decimal comma would break them)
    y: str
    issue: Issue
    title: str


@dataclass
class TimelineChart:
    width: int
    height: int
    lanes: list[tuple[Issue, str]]
    marks: list[ChartMark]
    start: date | None
    end: date | None
    ticks: list[tuple[str, str]]
    truncated: bool
    right: int = 880  # where lanes end
    tick_y: int = 0  # baseline of the date labels


def timeline_chart_for_actor(
    *, actor: Actor, filters: StatementFilters, issues: Sequence[Issue],
    limit: int = CHART_LIMIT,
) -> TimelineChart:
    """Marks for an SVG chart: time across, a lane per issue, the latest ``limit`` statements."""
    own = StatementFilters(**{**filters.__dict__, "actor_id": actor.pk})
    newest = list(
        approved_statements(own).filter(effective_on__isnull=False)
        .order_by("-effective_on", "-pk").values_list("pk", flat=True)[:limit]
    )
    pairs = list(
        StatementIssue.objects.filter(statement_id__in=newest or [0])
        .order_by("statement__effective_on", "statement_id")
        .values_list("statement_id", "issue_id", "statement__effective_on", "statement__stance",
                     "statement__summary")
    )
    lane_of = {issue.pk: issue for issue in issues}
    used = [issue for issue in issues if any(p[1] == issue.pk for p in pairs)]
    left, top, lane_h, width = 150.0, 20.0, 28.0, 900
    lanes = [(issue, f"{top + lane_h * i + lane_h / 2:.1f}") for i, issue in enumerate(used)]
    lane_y = {issue.pk: y for issue, y in lanes}
    days = [p[2] for p in pairs]
    start, end = (min(days), max(days)) if days else (None, None)
    span = max(((end - start).days if start and end else 0), 1)
    plot = width - left - 20
    stance_label = dict(Statement.Stance.choices)

    def x_of(day: date) -> str:
        return f"{left + plot * ((day - start).days / span):.1f}"  # type: ignore[operator]

    marks = [
        ChartMark(
            statement_id=sid, stance=stance, x=x_of(day), y=lane_y[iid], issue=lane_of[iid],
            title=f"{day:%d %b %Y} · {lane_of[iid].name} · {stance_label[stance]}: {summary[:140]}",
        )
        for sid, iid, day, stance, summary in pairs
        if iid in lane_y
    ]
    ticks: list[tuple[str, str]] = []
    if start and end:
        ticks = [(x_of(start), f"{start:%d %b %Y}")]
        if end != start:
            ticks.append((x_of(end), f"{end:%d %b %Y}"))
    height = int(top * 2 + lane_h * max(len(lanes), 1))
    return TimelineChart(
        width=width, height=height, lanes=lanes, marks=marks, start=start, end=end,
        ticks=ticks, truncated=len(newest) >= limit, right=width - 20, tick_y=height - 4,
    )
