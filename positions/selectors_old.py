"""Heavy reads for researchers: timelines, positions as of a date, shifts, statement provenance.

Every read here counts only approved statements. A duplicate (the same position reported by
another outlet) is never a row of its own: it is folded into its canonical statement's list
of outlets. An undated statement counts from its article's publication date (its
*effective date*); a statement with neither date has no place in time and is left out of
"as of" views and shifts, though the timeline still lists it at the end.
"""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Window,
    prefetch_related_objects,
)
from django.db.models.functions import Coalesce, ExtractYear, RowNumber

from positions.models import Actor, Evidence, Issue, Negotiation, Participation, Statement

StatementIssue = Statement.issues.through

TIMELINE_PAGE_SIZE = 25
CHART_LIMIT = 400

# ---------------------------------------------------------------------------------------
# Shifts
# ---------------------------------------------------------------------------------------

RESTATED = "restated"
HARDENED = "hardened"
SOFTENED = "softened"
REVERSED = "reversed"
SHIFT_LABELS = (RESTATED, HARDENED, SOFTENED, REVERSED)

# How far a stance is from agreeing, on one scale: accept is readiest, reject furthest.
FIRMNESS = {"accept": 0, "propose": 1, "condition": 2, "demand": 3, "reject": 4}
POSITIONAL_STANCES = tuple(FIRMNESS)
_FOR = {"accept", "propose", "demand"}


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def shift_label(
    *, previous_stance: str, previous_conditions: str, stance: str, conditions: str
) -> str | None:
    """Label an actor's statement on one (sub-)issue against its previous one on that issue.

    Only positional stances take part: ``intent`` and ``assess`` state a plan or a view, not
    a position, so they get no label and are skipped when looking for "the previous one".

    Stances sit on one firmness scale, from readiest to agree to furthest from it::

        accept (0) < propose (1) < condition (2) < demand (3) < reject (4)

    1. **reversed**: one of the two is ``reject`` and the other is ``accept``, ``propose``
       or ``demand`` (a no became a yes, or the reverse). ``reject`` ↔ ``condition`` is not
       a reversal: a conditional yes sits between a no and a yes.
    2. Different stances otherwise: **hardened** when the new one is higher on the scale,
       **softened** when lower.
    3. The same stance: compare the conditions (case and spacing ignored).
       Equal → **restated**. Conditions added → **hardened** for a yes-like stance (the
       actor now asks more) but **softened** for ``reject`` (a flat no became a "no,
       unless"); conditions dropped → the opposite. Both present but different →
       **restated** (the direction cannot be told from the text alone).

    Returns None when either stance is not positional.
    """
    if previous_stance not in FIRMNESS or stance not in FIRMNESS:
        return None
    pair = {previous_stance, stance}
    if "reject" in pair and pair & _FOR:
        return REVERSED
    if stance != previous_stance:
        return HARDENED if FIRMNESS[stance] > FIRMNESS[previous_stance] else SOFTENED
    before, after = _norm(previous_conditions), _norm(conditions)
    if before == after or (before and after):
        return RESTATED
    added = bool(after)
    if stance == "reject":
        return SOFTENED if added else HARDENED
    return HARDENED if added else SOFTENED


# ---------------------------------------------------------------------------------------
# Shared filters
# ---------------------------------------------------------------------------------------


def effective_date(prefix: str = "") -> Coalesce:
    """The date a statement counts from: its own date, else its article's publication date."""
    return Coalesce(F(f"{prefix}stated_on"), F(f"{prefix}article__published_on"))


@dataclass(frozen=True)
class StatementFilters:
    """What a researcher narrowed a list to; every field optional. Values are validated ids."""

    negotiation_id: int | None = None
    actor_id: int | None = None
    issue_id: int | None = None
    stance: str = ""
    speaker: str = ""
    date_from: date | None = None
    date_to: date | None = None
    outlet_id: int | None = None
    year: int | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def on_issue(issue_id: int, prefix: str = "") -> Exists:
    """The statement is on the issue or one of its sub-issues (no join, so no duplicates)."""
    return Exists(
        StatementIssue.objects.filter(statement_id=OuterRef(f"{prefix}pk")).filter(
            Q(issue_id=issue_id) | Q(issue__parent_id=issue_id)
        )
    )


DATED, UNDATED = "dated", "undated"


def approved_statements(filters: StatementFilters, branch: str = "") -> QuerySet[Statement]:
    """Approved statements narrowed by the filters, annotated with their effective date.

    ``branch`` narrows to dated statements (their own date, so the ``statement_timeline``
    index on (actor, status, stated_on) serves order and range) or to undated ones (their
    article's date). The effective date spans two tables and no index can hold it, so hot
    paths query the two branches apart and merge them (see ``_merge_newest``).
    """
    qs = Statement.objects.approved().annotate(effective=effective_date())
    day = "effective"
    if branch == DATED:
        qs, day = qs.filter(stated_on__isnull=False), "stated_on"
    elif branch == UNDATED:
        qs, day = qs.filter(stated_on__isnull=True), "article__published_on"
    if filters.negotiation_id:
        qs = qs.filter(negotiation_id=filters.negotiation_id)
    if filters.actor_id:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.issue_id:
        qs = qs.filter(on_issue(filters.issue_id))
    if filters.stance:
        qs = qs.filter(stance=filters.stance)
    if filters.speaker:
        who = filters.speaker
        qs = qs.filter(Q(speaker__icontains=who) | Q(person__name__icontains=who))
    if filters.date_from:
        qs = qs.filter(**{f"{day}__gte": filters.date_from})
    if filters.date_to:
        qs = qs.filter(**{f"{day}__lte": filters.date_to})
    if filters.outlet_id:
        qs = qs.filter(article__outlet_id=filters.outlet_id)
    if filters.year:
        qs = qs.filter(**{f"{day}__year": filters.year})
    return qs


def _newest_first(qs: QuerySet[Statement], branch: str) -> QuerySet[Statement]:
    if branch == DATED:
        return qs.order_by("-stated_on", "-pk")
    return qs.order_by(F("article__published_on").desc(nulls_last=True), "-pk")


def _before(branch: str, day: date | None, pk: int) -> Q:
    """Keyset condition: strictly after (day, pk) in newest-first order, nulls last."""
    if branch == DATED:
        if day is None:
            return Q(pk__in=[])
        return Q(stated_on__lt=day) | Q(stated_on=day, pk__lt=pk)
    if day is None:
        return Q(article__published_on__isnull=True, pk__lt=pk) | Q(
            article__isnull=True, pk__lt=pk
        )
    return (
        Q(article__published_on__lt=day) | Q(article__published_on=day, pk__lt=pk)
        | Q(article__published_on__isnull=True) | Q(article__isnull=True)
    )


def _newest_key(statement: Any) -> tuple[int, date, int]:
    day = statement.effective
    return (1, day, statement.pk) if day is not None else (0, date.min, statement.pk)


def _merge_newest(branches: Iterable[Iterable[Any]], limit: int) -> list[Any]:
    merged = [row for rows in branches for row in rows]
    merged.sort(key=_newest_key, reverse=True)
    return merged[:limit]


# ---------------------------------------------------------------------------------------
# Timeline
# ---------------------------------------------------------------------------------------


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
    return qs.select_related("article__outlet", "person", "actor").prefetch_related(
        *_outlet_prefetches()
    )


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
        qs = _newest_first(qs, branch).select_related("article__outlet", "person", "actor")
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
        .filter(
            Q(stated_on__lt=OuterRef("current"))
            | Q(stated_on=OuterRef("current"), pk__lt=OuterRef("statement_id"))
        )
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
    x: float
    y: float
    issue: Issue
    title: str


@dataclass
class TimelineChart:
    width: int
    height: int
    lanes: list[tuple[Issue, float]]
    marks: list[ChartMark]
    start: date | None
    end: date | None
    ticks: list[tuple[float, str]]
    truncated: bool


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
    lanes = [(issue, top + lane_h * i + lane_h / 2) for i, issue in enumerate(used)]
    lane_y = {issue.pk: y for issue, y in lanes}
    days = [p[2] for p in pairs]
    start, end = (min(days), max(days)) if days else (None, None)
    span = max(((end - start).days if start and end else 0), 1)
    plot = width - left - 20
    stance_label = dict(Statement.Stance.choices)

    def x_of(day: date) -> float:
        return round(left + plot * ((day - start).days / span), 1)  # type: ignore[operator]

    marks = [
        ChartMark(
            statement_id=sid, stance=stance, x=x_of(day), y=lane_y[iid], issue=lane_of[iid],
            title=f"{day:%d %b %Y} · {lane_of[iid].name} · {stance_label[stance]}: {summary[:140]}",
        )
        for sid, iid, day, stance, summary in pairs
        if iid in lane_y
    ]
    ticks: list[tuple[float, str]] = []
    if start and end:
        ticks = [(x_of(start), f"{start:%d %b %Y}")]
        if end != start:
            ticks.append((x_of(end), f"{end:%d %b %Y}"))
    return TimelineChart(
        width=width, height=int(top * 2 + lane_h * max(len(lanes), 1)), lanes=lanes,
        marks=marks, start=start, end=end, ticks=ticks,
        truncated=len(newest) >= limit,
    )


# ---------------------------------------------------------------------------------------
# Side by side
# ---------------------------------------------------------------------------------------


@dataclass
class Cell:
    actor: Actor
    statement: Statement | None
    sub: list[tuple[Issue, Statement]] = field(default_factory=list)
    previous: Statement | None = None
    changed: bool = False


@dataclass
class Row:
    issue: Issue
    depth: int
    cells: list[Cell]
    gap: str = ""


@dataclass
class Matrix:
    actors: list[Participation]
    rows: list[Row]
    as_of: date
    compare: date | None


def _dated_winners(
    *, negotiation: Negotiation, as_of: date, actor_ids: list[int], issue_ids: list[int],
    positional: bool,
) -> dict[tuple[int, int], tuple[date, int]]:
    """Per (actor, issue): (date, id) of the latest dated approved statement up to as_of.

    PostgreSQL: a LATERAL per pair walks the (actor, status, stated_on) index backwards
    and stops at the first statement on the issue (~5 ms for 60 pairs at 100k statements;
    a pair with no statement at all walks the actor's whole history, though). Elsewhere:
    ROW_NUMBER over actor × issue, which reads every dated statement up to the date.
    """
    if connection.vendor == "postgresql":
        stance = "AND s.stance = ANY(%(stances)s)" if positional else ""
        sql = f"""
            SELECT p.actor_id, i.issue_id, d.stated_on, d.id
            FROM unnest(%(actors)s::bigint[]) AS p(actor_id)
            CROSS JOIN unnest(%(issues)s::bigint[]) AS i(issue_id)
            CROSS JOIN LATERAL (
              SELECT s.id, s.stated_on FROM {Statement._meta.db_table} s
              WHERE s.actor_id = p.actor_id AND s.status = 'approved'
                AND s.stated_on <= %(as_of)s AND s.negotiation_id = %(negotiation)s {stance}
                AND (SELECT 1 FROM {StatementIssue._meta.db_table} t
                     WHERE t.statement_id = s.id AND t.issue_id = i.issue_id LIMIT 1) IS NOT NULL
              ORDER BY s.stated_on DESC, s.id DESC LIMIT 1
            ) d
        """
        params = {"actors": actor_ids, "issues": issue_ids, "as_of": as_of,
                  "negotiation": negotiation.pk, "stances": list(POSITIONAL_STANCES)}
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {(a, i): (day, pk) for a, i, day, pk in cursor.fetchall()}
    rows = StatementIssue.objects.filter(
        statement__negotiation=negotiation, statement__status=Statement.Status.APPROVED,
        statement__stated_on__lte=as_of, statement__actor_id__in=actor_ids or [0],
        issue_id__in=issue_ids or [0],
    )
    if positional:
        rows = rows.filter(statement__stance__in=POSITIONAL_STANCES)
    rows = rows.annotate(
        rank=Window(
            RowNumber(),
            partition_by=[F("statement__actor_id"), F("issue_id")],
            order_by=[F("statement__stated_on").desc(), F("statement_id").desc()],
        )
    ).filter(rank=1)
    return {
        (a, i): (day, pk)
        for a, i, day, pk in rows.values_list(
            "statement__actor_id", "issue_id", "statement__stated_on", "statement_id"
        )
    }


def latest_positions_as_of(
    *, negotiation: Negotiation, as_of: date, actor_ids: Iterable[int] | None = None,
    issue_ids: Iterable[int] | None = None, positional: bool = False,
) -> dict[tuple[int, int], Statement]:
    """The latest approved statement per (actor, issue) as of a date, in three queries.

    1. the latest dated statement per pair (``_dated_winners``: LATERAL on PostgreSQL,
    a window elsewhere); 2. the undated (background) statements up to the date, which
    count from their article's publication date — few, compared in Python; 3. the winning
    statements with their article, outlet and person. Never a query per cell.
    With ``positional``, only stances that take part in shifts count.
    """
    actors = list(actor_ids) if actor_ids is not None else list(
        Participation.objects.filter(negotiation=negotiation).values_list("actor_id", flat=True)
    )
    issues = list(issue_ids) if issue_ids is not None else list(
        negotiation.issues.values_list("pk", flat=True)
    )
    best = _dated_winners(
        negotiation=negotiation, as_of=as_of, actor_ids=actors, issue_ids=issues,
        positional=positional,
    )
    background = StatementIssue.objects.filter(
        statement__negotiation=negotiation, statement__status=Statement.Status.APPROVED,
        statement__stated_on__isnull=True, statement__article__published_on__lte=as_of,
        statement__actor_id__in=actors or [0], issue_id__in=issues or [0],
    )
    if positional:
        background = background.filter(statement__stance__in=POSITIONAL_STANCES)
    for actor_id, issue_id, day, pk in background.values_list(
        "statement__actor_id", "issue_id", "statement__article__published_on", "statement_id"
    ):
        if (day, pk) > best.get((actor_id, issue_id), (date.min, 0)):
            best[(actor_id, issue_id)] = (day, pk)
    # [0] when there is none: the query still runs, so the count stays the same.
    statements = Statement.objects.annotate(effective=effective_date()).select_related(
        "article__outlet", "person"
    ).in_bulk([pk for _, pk in best.values()] or [0])
    return {pair: statements[pk] for pair, (_, pk) in best.items() if pk in statements}


def _ordered_issues(issues: Sequence[Issue]) -> list[tuple[Issue, int]]:
    """Top-level issues in their order, each followed by its sub-issues."""
    children: dict[int | None, list[Issue]] = defaultdict(list)
    for issue in issues:
        children[issue.parent_id].append(issue)
    ordered: list[tuple[Issue, int]] = []

    def walk(parent: int | None, depth: int) -> None:
        for issue in children.get(parent, []):
            ordered.append((issue, depth))
            walk(issue.pk, depth + 1)

    walk(None, 0)
    return ordered


def _gap(cells: Sequence[Cell]) -> str:
    """Where the parties' positions on one issue meet or oppose (see ``positions_side_by_side``)."""
    stances = {c.statement.stance for c in cells if c.statement and c.actor.role == "party"}  # type: ignore[attr-defined]
    if not stances:
        return ""
    if "reject" in stances and stances & {"demand", "propose", "accept"}:
        return "opposed"
    if "condition" in stances:
        return "conditional"
    if stances <= {"accept", "propose"}:
        return "converging"
    return "open"


def positions_side_by_side(
    *, negotiation: Negotiation, as_of: date, compare: date | None = None
) -> Matrix:
    """Issues as rows (sub-issues under their parent), actors as columns, latest positions.

    Each row gets a gap label from the parties' stances: ``opposed`` (one side rejects what
    another demands, proposes or accepts), ``conditional`` (someone attaches conditions),
    ``converging`` (every party accepts or proposes), ``open`` otherwise. With ``compare``,
    cells also carry the position as of that earlier date and whether it changed.
    """
    participations = list(
        Participation.objects.filter(negotiation=negotiation).select_related("actor")
    )
    participations.sort(key=lambda p: (p.role != Participation.Role.PARTY, p.actor.name))
    issues = list(negotiation.issues.all())
    actor_ids = [p.actor_id for p in participations]
    issue_ids = [issue.pk for issue in issues]
    latest = latest_positions_as_of(
        negotiation=negotiation, as_of=as_of, actor_ids=actor_ids, issue_ids=issue_ids
    )
    before = latest_positions_as_of(
        negotiation=negotiation, as_of=compare, actor_ids=actor_ids, issue_ids=issue_ids
    ) if compare else {}
    children: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.parent_id:
            children[issue.parent_id].append(issue)
    rows = []
    for issue, depth in _ordered_issues(issues):
        cells = []
        for p in participations:
            p.actor.role = p.role  # type: ignore[attr-defined]
            now = latest.get((p.actor_id, issue.pk))
            then = before.get((p.actor_id, issue.pk)) if compare else None
            sub = [
                (child, latest[(p.actor_id, child.pk)])
                for child in children.get(issue.pk, [])
                if (p.actor_id, child.pk) in latest
            ]
            cells.append(Cell(
                actor=p.actor, statement=now, sub=sub, previous=then,
                changed=bool(compare) and (now.pk if now else None) != (then.pk if then else None),
            ))
        row = Row(issue=issue, depth=depth, cells=cells)
        row.gap = _gap(cells)
        rows.append(row)
    return Matrix(actors=participations, rows=rows, as_of=as_of, compare=compare)


# ---------------------------------------------------------------------------------------
# What changed
# ---------------------------------------------------------------------------------------


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
    *, negotiation: Negotiation, start: date, end: date, limit: int = 1000
) -> ShiftList:
    """Labelled shifts with an effective date in [start, end], newest first.

    At most ``limit`` (statement, issue) pairs are read, newest first; when the range
    holds more, it is cut at a day boundary and ``since`` says from which day the list is
    complete. Queries: the participants; the positional statements in the range, dated
    and undated apart (each served by an index); and the positions just before the first
    day (``latest_positions_as_of``, three queries).
    """
    actor_ids = list(
        Participation.objects.filter(negotiation=negotiation).values_list("actor_id", flat=True)
    )
    base = StatementIssue.objects.filter(
        statement__negotiation=negotiation, statement__status=Statement.Status.APPROVED,
        statement__stance__in=POSITIONAL_STANCES, statement__actor_id__in=actor_ids or [0],
    ).select_related("statement__actor", "statement__article__outlet", "issue")
    dated = base.filter(statement__stated_on__range=(start, end)).annotate(
        effective=F("statement__stated_on")
    ).order_by("-statement__stated_on", "-statement_id")
    undated = base.filter(
        statement__stated_on__isnull=True, statement__article__published_on__range=(start, end)
    ).annotate(effective=F("statement__article__published_on")).order_by(
        "-statement__article__published_on", "-statement_id"
    )
    pairs = sorted(
        [*dated[: limit + 1], *undated[: limit + 1]],
        key=lambda p: (p.effective, p.statement_id), reverse=True,  # type: ignore[attr-defined]
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



# ---------------------------------------------------------------------------------------
# Statement page
# ---------------------------------------------------------------------------------------

CONTEXT_CHARS = 280


@dataclass
class EvidenceInContext:
    before: str
    text: str
    after: str
    start: int
    end: int


@dataclass
class StatementDetail:
    statement: Statement
    evidence: list[EvidenceInContext]
    via_chain: list[str]
    outlets: list[Statement]
    history: list[Any]


def statement_detail(*, statement: Statement) -> StatementDetail:
    """A statement's provenance: evidence in context, reporting chain, outlets, history."""
    body = statement.article.body if statement.article else ""
    evidence = []
    for span in statement.evidence.all():
        if body and body[span.start:span.end] == span.text:
            evidence.append(EvidenceInContext(
                before=body[max(0, span.start - CONTEXT_CHARS):span.start], text=span.text,
                after=body[span.end:span.end + CONTEXT_CHARS], start=span.start, end=span.end,
            ))
        else:
            evidence.append(EvidenceInContext("", span.text, "", span.start, span.end))
    via_chain = [part.strip() for part in re.split(r"\s*(?:>|›|→|;|,| via )\s*", statement.via)
                 if part.strip()]
    outlets = list(
        Statement.objects.filter(duplicate_of=statement)
        .select_related("article__outlet").order_by("article__published_on", "id")
    )
    history = list(statement.history.select_related("history_user").order_by("-history_date")[:50])
    return StatementDetail(
        statement=statement, evidence=evidence, via_chain=via_chain, outlets=outlets,
        history=history,
    )


# ---------------------------------------------------------------------------------------
# Search
# ---------------------------------------------------------------------------------------

FACET_LIMIT = 12


@dataclass
class SearchResults:
    statements: list[Statement]
    total: int
    facets: dict[str, list[tuple[Any, str, int]]]


class StatementDocument(Func):
    """The text a statement is searched by; the GIN index (migration 0003) uses the same SQL."""

    template = "to_tsvector('english'::regconfig, %(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("summary"), F("speaker"), F("conditions"))


class EvidenceDocument(Func):
    template = "to_tsvector('english'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("text"))


def _matching(qs: QuerySet[Statement], text: str, vendor: str) -> QuerySet[Statement]:
    """PostgreSQL: full text (websearch syntax) over the statement and its evidence, through
    GIN indexes. Elsewhere: case-insensitive substring over the same fields."""
    if not text:
        return qs
    if vendor == "postgresql":
        query = SearchQuery(text, config="english", search_type="websearch")
        own = Statement.objects.annotate(document=StatementDocument()).filter(document=query)
        quoted = Evidence.objects.annotate(document=EvidenceDocument()).filter(document=query)
        return qs.filter(
            Q(pk__in=own.values("pk")) | Q(pk__in=quoted.values("statement_id"))
        )
    quoted_ids = Evidence.objects.filter(text__icontains=text).values("statement_id")
    return qs.filter(
        Q(summary__icontains=text) | Q(speaker__icontains=text) | Q(conditions__icontains=text)
        | Q(pk__in=quoted_ids)
    )


def search_statements(
    *, text: str, filters: StatementFilters, vendor: str, page_size: int = 50
) -> SearchResults:
    """Approved statements matching the text (full text on PostgreSQL), with facet counts."""
    qs = _matching(approved_statements(filters), text, vendor)
    newest = _with_outlets(qs).order_by(F("effective").desc(nulls_last=True), "-pk")
    statements = list(newest[:page_size])
    total = qs.count()
    base = qs.order_by()
    facets: dict[str, list[tuple[Any, str, int]]] = {}
    facets["actor"] = [
        (row["actor_id"], row["actor__name"], row["n"])
        for row in base.values("actor_id", "actor__name").annotate(n=Count("pk", distinct=True))
        .order_by("-n", "actor__name")[:FACET_LIMIT]
    ]
    facets["stance"] = [
        (row["stance"], Statement.Stance(row["stance"]).label, row["n"])
        for row in base.values("stance").annotate(n=Count("pk", distinct=True)).order_by("-n")
    ]
    facets["issue"] = [
        (row["issue_id"], row["issue__name"], row["n"])
        for row in StatementIssue.objects.filter(statement__in=base.values("pk"))
        .values("issue_id", "issue__name").annotate(n=Count("statement_id", distinct=True))
        .order_by("-n", "issue__name")[:FACET_LIMIT]
    ]
    facets["year"] = [
        (row["y"], str(row["y"]), row["n"])
        for row in base.annotate(y=ExtractYear("effective")).filter(y__isnull=False)
        .values("y").annotate(n=Count("pk", distinct=True)).order_by("-y")[:FACET_LIMIT]
    ]
    facets["outlet"] = [
        (row["article__outlet_id"], row["article__outlet__name"], row["n"])
        for row in base.filter(article__outlet__isnull=False)
        .values("article__outlet_id", "article__outlet__name")
        .annotate(n=Count("pk", distinct=True)).order_by("-n")[:FACET_LIMIT]
    ]
    return SearchResults(statements=statements, total=total, facets=facets)


def data_version() -> str:
    """The newest change to any statement: a history id and time, for citations."""
    latest = Statement.history.aggregate(id=Max("history_id"), at=Max("history_date"))
    if not latest["id"]:
        return "empty"
    return f"{latest['id']}@{latest['at']:%Y-%m-%dT%H:%M:%SZ}"
