"""An actor's timeline: keyset pages, shift labels, the chart's marks."""

from __future__ import annotations

import base64
import re
from collections import defaultdict
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
    DATED,
    UNDATED,
    StatementFilters,
    StatementIssue,
    _before,
    _merge_newest,
    _newest_first,
    _newest_key,
    approved_statements,
    effective_date,
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

    Two bounded queries, one per branch (dated through the (actor, status, stated_on)
    index; undated by article date), merged; undated statements without an article date
    come last. Each statement gets ``issue_shifts``: (issue, shift label or None).
    """
    own = StatementFilters(**{**filters.__dict__, "actor_id": actor.pk})
    after = decode_cursor(cursor) if cursor else None
    branches = []
    for branch in (DATED, UNDATED):
        qs = approved_statements(own, branch)
        if after:
            qs = qs.filter(_before(branch, *after))
        qs = _newest_first(qs, branch).select_related(
            "article__outlet", "person", "actor"
        ).defer("article__body")
        branches.append(list(qs[: page_size + 1]))
    rows = _merge_newest(branches, page_size + 1)
    more = len(rows) > page_size
    rows = rows[:page_size]
    prefetch_related_objects(rows, *_outlet_prefetches(), "evidence")
    _attach_shifts(rows)
    return TimelinePage(
        statements=rows,
        next_cursor=encode_cursor(rows[-1]) if more and rows else None,
        cursor=cursor if after else None,
    )


def _previous_dated() -> Subquery:
    """For a (statement, issue) row: the id of the actor's previous dated positional
    statement on that issue (a backward walk of the (actor, status, stated_on) index)."""
    previous = (
        Statement.objects.approved()
        .filter(
            actor_id=OuterRef("statement__actor_id"),
            stance__in=POSITIONAL_STANCES,
            stated_on__isnull=False,
        )
        # A scalar subquery stays a per-candidate probe of the (statement, issue) unique
        # index; a join or EXISTS (pulled up into a semi-join by PostgreSQL) hashes every
        # row of the issue instead.
        .alias(on_issue=Subquery(StatementIssue.objects.filter(
            statement_id=OuterRef("pk"), issue_id=OuterRef(OuterRef("issue_id"))
        ).values("pk")[:1]))
        .filter(on_issue__isnull=False)
        # "<= current AND (…)" rather than a bare OR, so the index walk starts at the date.
        .filter(stated_on__lte=OuterRef("current"))
        .filter(Q(stated_on__lt=OuterRef("current")) | Q(pk__lt=OuterRef("statement_id")))
        .order_by("-stated_on", "-pk")
        .values("pk")[:1]
    )
    return Subquery(previous)


def _attach_shifts(statements: Sequence[Statement]) -> None:
    """Set ``issue_shifts`` on each statement: three queries whatever the page size.

    1. per (statement, issue), the previous dated positional statement (index lookups);
    2. those statements; 3. the actor's undated positional statements on the page's issues
    up to the page's newest date (background positions: few). The later of the two
    candidates is the previous statement.
    """
    if not statements:
        return
    ids = [s.pk for s in statements]
    rows = (
        StatementIssue.objects.filter(statement_id__in=ids)
        .annotate(current=effective_date("statement__"))
        .annotate(dated=_previous_dated())
    )
    pairs = list(rows.values_list("statement_id", "issue_id", "dated"))
    # [0] when there is none: the query then still runs, so the count stays the same.
    dated_ids = [dated for _, _, dated in pairs if dated] or [0]
    found = {
        s.pk: s for s in Statement.objects.filter(pk__in=dated_ids)
        .annotate(effective=effective_date()).only("pk", "stance", "conditions", "stated_on")
    }
    newest = max((s.effective for s in statements if s.effective), default=None)  # type: ignore[attr-defined]
    undated: dict[int, list[tuple[tuple[int, date, int], str, str]]] = defaultdict(list)
    background = StatementIssue.objects.filter(
        statement__actor_id=statements[0].actor_id,
        statement__status=Statement.Status.APPROVED,
        statement__stated_on__isnull=True,
        statement__stance__in=POSITIONAL_STANCES,
        statement__article__published_on__isnull=False,
        issue_id__in=StatementIssue.objects.filter(statement_id__in=ids).values("issue_id"),
    )
    if newest:
        background = background.filter(statement__article__published_on__lte=newest)
    for sid, iid, day, stance, conditions in background.values_list(
        "statement_id", "issue_id", "statement__article__published_on", "statement__stance",
        "statement__conditions",
    ):
        undated[iid].append(((1, day, sid), stance, conditions))
    current = {s.pk: _newest_key(s) for s in statements}
    previous: dict[tuple[int, int], tuple[str, str]] = {}
    for statement_id, issue_id, dated in pairs:
        best: tuple[tuple[int, date, int], str, str] | None = None
        if dated in found:
            prior = found[dated]
            best = (_newest_key(prior), prior.stance, prior.conditions)
        for key, stance, conditions in undated.get(issue_id, ()):
            if key < current[statement_id] and (best is None or key > best[0]):
                best = (key, stance, conditions)
        if best:
            previous[(statement_id, issue_id)] = (best[1], best[2])
    for statement in statements:
        shifts: list[tuple[Issue, str | None]] = []
        for issue in statement.issues.all():
            prior_stance, prior_conditions = previous.get((statement.pk, issue.pk), ("", ""))
            label = None
            if prior_stance and statement.effective is not None:  # type: ignore[attr-defined]
                label = shift_label(
                    previous_stance=prior_stance, previous_conditions=prior_conditions,
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
    branches = [
        _newest_first(approved_statements(own, branch), branch)
        .filter(effective__isnull=False).values_list("pk", "effective")[:limit]
        for branch in (DATED, UNDATED)
    ]
    newest = sorted(
        (row for rows in branches for row in rows), key=lambda r: (r[1], r[0]), reverse=True
    )[:limit]
    pairs = list(
        StatementIssue.objects.filter(statement_id__in=[pk for pk, _ in newest] or [0])
        .annotate(effective=effective_date("statement__"))
        .order_by("effective", "statement_id")
        .values_list("statement_id", "issue_id", "effective", "statement__stance",
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
