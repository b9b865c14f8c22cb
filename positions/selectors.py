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


def approved_statements(filters: StatementFilters) -> QuerySet[Statement]:
    """Approved statements narrowed by the filters, annotated with their effective date."""
    qs = Statement.objects.approved().annotate(effective=effective_date())
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
        qs = qs.filter(effective__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(effective__lte=filters.date_to)
    if filters.outlet_id:
        qs = qs.filter(article__outlet_id=filters.outlet_id)
    if filters.year:
        qs = qs.filter(effective__year=filters.year)
    return qs


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


def _with_outlets(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    return qs.select_related("article__outlet", "person", "actor").prefetch_related(
        "issues",
        Prefetch(
            "duplicates",
            queryset=Statement.objects.filter(status=Statement.Status.DUPLICATE)
            .select_related("article__outlet")
            .order_by("id"),
        ),
    )


def timeline_for_actor(
    *, actor: Actor, filters: StatementFilters, cursor: str | None = None,
    page_size: int = TIMELINE_PAGE_SIZE,
) -> TimelinePage:
    """One page of an actor's approved statements, newest first, by keyset on (date, id).

    Undated statements without an article date come last. Each statement gets
    ``issue_shifts``: (issue, shift label or None) for each of its issues.
    """
    qs = approved_statements(StatementFilters(**{**filters.__dict__, "actor_id": actor.pk}))
    after = decode_cursor(cursor) if cursor else None
    if after:
        day, pk = after
        if day is None:
            qs = qs.filter(effective__isnull=True, pk__lt=pk)
        else:
            qs = qs.filter(
                Q(effective__lt=day) | Q(effective=day, pk__lt=pk) | Q(effective__isnull=True)
            )
    qs = _with_outlets(qs).prefetch_related("evidence")
    qs = qs.order_by(F("effective").desc(nulls_last=True), "-pk")
    rows = list(qs[: page_size + 1])
    more = len(rows) > page_size
    rows = rows[:page_size]
    _attach_shifts(rows)
    return TimelinePage(
        statements=rows,
        next_cursor=encode_cursor(rows[-1]) if more and rows else None,
        cursor=cursor if after else None,
    )


def _previous_positional(field_name: str) -> Subquery:
    """For a (statement, issue) row: a field of the actor's previous positional statement on it."""
    previous = (
        Statement.objects.approved()
        .annotate(effective=effective_date())
        .filter(
            actor_id=OuterRef("statement__actor_id"),
            issues=OuterRef("issue_id"),
            stance__in=POSITIONAL_STANCES,
        )
        .filter(
            Q(effective__lt=OuterRef("current"))
            | Q(effective=OuterRef("current"), pk__lt=OuterRef("statement_id"))
        )
        .order_by("-effective", "-pk")
        .values(field_name)[:1]
    )
    return Subquery(previous)


def _attach_shifts(statements: Sequence[Statement]) -> None:
    """Set ``issue_shifts`` on each statement, in one query with a correlated lookup per row."""
    if not statements:
        return
    pairs = (
        StatementIssue.objects.filter(statement_id__in=[s.pk for s in statements])
        .annotate(current=effective_date("statement__"))
        .annotate(
            previous_stance=_previous_positional("stance"),
            previous_conditions=_previous_positional("conditions"),
        )
        .values_list("statement_id", "issue_id", "previous_stance", "previous_conditions")
    )
    previous = {(sid, iid): (stance, conditions) for sid, iid, stance, conditions in pairs}
    for statement in statements:
        shifts: list[tuple[Issue, str | None]] = []
        for issue in statement.issues.all():
            stance, conditions = previous.get((statement.pk, issue.pk), (None, None))
            label = None
            if stance and statement.effective is not None:  # type: ignore[attr-defined]
                label = shift_label(
                    previous_stance=stance, previous_conditions=conditions or "",
                    stance=statement.stance, conditions=statement.conditions,
                )
            shifts.append((issue, label))
        statement.issue_shifts = shifts  # type: ignore[attr-defined]


@dataclass
class ChartMark:
    statement: Statement
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
    qs = (
        approved_statements(StatementFilters(**{**filters.__dict__, "actor_id": actor.pk}))
        .filter(effective__isnull=False)
        .order_by("-effective", "-pk")
    )
    pairs = list(
        StatementIssue.objects.filter(statement__in=Subquery(qs.values("pk")[:limit]))
        .select_related("statement")
        .annotate(effective=effective_date("statement__"))
        .order_by("effective", "statement_id")
    )
    lane_of = {issue.pk: issue for issue in issues}
    used = [issue for issue in issues if any(p.issue_id == issue.pk for p in pairs)]
    left, top, lane_h, width = 150.0, 20.0, 28.0, 900
    lanes = [(issue, top + lane_h * i + lane_h / 2) for i, issue in enumerate(used)]
    lane_y = {issue.pk: y for issue, y in lanes}
    days = [p.effective for p in pairs]  # type: ignore[attr-defined]
    start, end = (min(days), max(days)) if days else (None, None)
    span = max(((end - start).days if start and end else 0), 1)
    plot = width - left - 20

    def x_of(day: date) -> float:
        return round(left + plot * ((day - start).days / span), 1)  # type: ignore[operator]

    marks = [
        ChartMark(
            statement=p.statement, x=x_of(p.effective), y=lane_y[p.issue_id],  # type: ignore[attr-defined]
            issue=lane_of[p.issue_id],
            title=f"{p.effective:%d %b %Y} · {lane_of[p.issue_id].name} · "  # type: ignore[attr-defined]
            f"{p.statement.get_stance_display()}: {p.statement.summary[:140]}",
        )
        for p in pairs
        if p.issue_id in lane_y
    ]
    ticks: list[tuple[float, str]] = []
    if start and end:
        ticks = [(x_of(start), f"{start:%d %b %Y}")]
        if end != start:
            ticks.append((x_of(end), f"{end:%d %b %Y}"))
    return TimelineChart(
        width=width, height=int(top * 2 + lane_h * max(len(lanes), 1)), lanes=lanes,
        marks=marks, start=start, end=end, ticks=ticks,
        truncated=len({p.statement_id for p in pairs}) >= limit,
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


def latest_positions_as_of(
    *, negotiation: Negotiation, as_of: date, actor_ids: Iterable[int] | None = None,
    issue_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], Statement]:
    """The latest approved statement per (actor, issue) as of a date, in one query.

    A window (ROW_NUMBER over actor × issue by effective date, then id) numbers each
    actor's statements on each issue; the outer query keeps the first. Portable across
    PostgreSQL and SQLite.
    """
    rows = (
        StatementIssue.objects.filter(
            statement__negotiation=negotiation, statement__status=Statement.Status.APPROVED
        )
        .annotate(effective=effective_date("statement__"))
        .filter(effective__lte=as_of)
    )
    if actor_ids is not None:
        rows = rows.filter(statement__actor_id__in=list(actor_ids))
    if issue_ids is not None:
        rows = rows.filter(issue_id__in=list(issue_ids))
    rows = (
        rows.annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("statement__actor_id"), F("issue_id")],
                order_by=[F("effective").desc(), F("statement_id").desc()],
            )
        )
        .filter(rank=1)
        .select_related("statement__article__outlet", "statement__person")
    )
    latest: dict[tuple[int, int], Statement] = {}
    for row in rows:
        row.statement.effective = row.effective  # type: ignore[attr-defined]
        latest[(row.statement.actor_id, row.issue_id)] = row.statement
    return latest


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
    latest = latest_positions_as_of(negotiation=negotiation, as_of=as_of)
    before = (
        latest_positions_as_of(negotiation=negotiation, as_of=compare) if compare else {}
    )
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


def shifts_between(
    *, negotiation: Negotiation, start: date, end: date, limit: int = 500
) -> list[Shift]:
    """Labelled shifts with an effective date in [start, end], newest first, at most ``limit``.

    Two queries: the positional statements in the range (by effective date), and the
    latest positional statement per actor × issue before the range started.
    """
    pairs = list(
        StatementIssue.objects.filter(
            statement__negotiation=negotiation,
            statement__status=Statement.Status.APPROVED,
            statement__stance__in=POSITIONAL_STANCES,
        )
        .annotate(effective=effective_date("statement__"))
        .filter(effective__gte=start, effective__lte=end)
        .select_related("statement__actor", "statement__article__outlet", "issue")
        .order_by("effective", "statement_id")[: limit * 4]
    )
    issues_by_actor: dict[int, set[int]] = defaultdict(set)
    for p in pairs:
        issues_by_actor[p.statement.actor_id].add(p.issue_id)
    previous = _positional_as_of(
        negotiation=negotiation, as_of=start - timedelta(days=1),
        actor_ids=issues_by_actor.keys(),
        issue_ids={i for ids in issues_by_actor.values() for i in ids},
    ) if pairs else {}
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
    return shifts[:limit]


def _positional_as_of(
    *, negotiation: Negotiation, as_of: date, actor_ids: Iterable[int], issue_ids: Iterable[int]
) -> dict[tuple[int, int], Statement]:
    rows = (
        StatementIssue.objects.filter(
            statement__negotiation=negotiation,
            statement__status=Statement.Status.APPROVED,
            statement__stance__in=POSITIONAL_STANCES,
            statement__actor_id__in=list(actor_ids),
            issue_id__in=list(issue_ids),
        )
        .annotate(effective=effective_date("statement__"))
        .filter(effective__lte=as_of)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=[F("statement__actor_id"), F("issue_id")],
                order_by=[F("effective").desc(), F("statement_id").desc()],
            )
        )
        .filter(rank=1)
        .select_related("statement")
    )
    found = {}
    for row in rows:
        row.statement.effective = row.effective  # type: ignore[attr-defined]
        found[(row.statement.actor_id, row.issue_id)] = row.statement
    return found


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
