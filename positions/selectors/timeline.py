"""An actor's timeline: keyset pages, shift labels, the chart's marks."""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery

from positions.models import Actor, Evidence, Issue, Statement
from positions.selectors.common import (
    STANCE_LABELS,
    StatementFilters,
    StatementIssue,
    approved_statements,
    duplicate_outlets,
    older_than,
)
from positions.selectors.rules import POSITIONAL_STANCES, shift_label
from positions.selectors.vendor import two_paths

TIMELINE_PAGE_SIZE = 25
CHART_LIMIT = 200


@dataclass
class TimelinePage:
    statements: list[TimelineEntry]
    next_cursor: str | None
    cursor: str | None


def encode_cursor(statement: Any) -> str:
    """Where the page after ``statement`` (anything with ``pk`` and ``effective``) starts."""
    day = statement.effective.isoformat() if statement.effective else "-"
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


def _keyset_page(
    qs: QuerySet[Statement], after: tuple[date | None, int] | None, page_size: int,
    fetch: Callable[[QuerySet[Statement], int], list[Any]],
) -> tuple[list[Any], bool]:
    """Up to ``page_size`` rows after the cursor, newest first, and whether there are more.

    Statements with an effective date, walking the (actor, status, effective_on, id) index
    backwards from the cursor; then, only on the page where the dated ones run out, those
    with none (neither their own date nor an article date: few), which come last.
    """
    dated = qs.filter(effective_on__isnull=False).order_by("-effective_on", "-pk")
    dateless = qs.filter(effective_on__isnull=True).order_by("-pk")
    rows: list[Any] = []
    if after and after[0] is not None:
        rows = fetch(dated.filter(older_than(after[0], after[1])), page_size + 1)
    elif not after:
        rows = fetch(dated, page_size + 1)
    else:
        dateless = dateless.filter(pk__lt=after[1])
    if len(rows) <= page_size:  # the dateless come after every dated one
        rows += fetch(dateless, page_size + 1 - len(rows))
    return rows[:page_size], len(rows) > page_size


@dataclass(frozen=True)
class Span:
    """One evidence span: code-point offsets into the article's body, and its text."""

    start: int
    end: int
    text: str


@dataclass
class TimelineEntry:
    """One statement as the timeline shows it (the page and the API alike): plain values,
    no model instances."""

    pk: int
    effective: date | None
    stated_on: date | None
    date_basis: str
    negotiation_id: int
    actor_id: int
    actor: str
    stance: str
    summary: str
    conditions: str
    speaker: str  # as named in the text
    person: str | None  # the person's name, where known
    quote_type: str
    via: str
    article_id: int | None
    article_title: str | None
    url: str  # the article's
    published_on: date | None  # the article's
    outlet: str  # the article's outlet
    confidence: float
    proposal_id: int | None = None  # the proposal it is about, if any
    proposal: str = ""  # that proposal's name
    also: list[str] = field(default_factory=list)  # the outlets of its duplicates
    evidence: list[Span] = field(default_factory=list)
    issue_shifts: list[tuple[str, str, str | None]] = field(default_factory=list)  # key, name, label

    @property
    def stance_label(self) -> str:
        return STANCE_LABELS[self.stance]

    @property
    def who(self) -> str:
        """The person's name, else the speaker as named in the text."""
        return self.person or self.speaker

    @property
    def has_article(self) -> bool:
        return self.article_id is not None

    @property
    def first_evidence(self) -> str:
        return self.evidence[0].text if self.evidence else ""

    @property
    def issues(self) -> list[str]:
        """Its issue keys, in the issues' order."""
        return [key for key, _, _ in self.issue_shifts]


_ENTRY_FIELDS = ("pk", "effective_on", "stated_on", "date_basis", "negotiation_id", "actor_id",
                 "stance", "summary", "conditions", "speaker", "person__name", "quote_type",
                 "via", "article_id", "article__title", "article__url", "article__published_on",
                 "article__outlet__name", "confidence", "proposal_id", "proposal__name")


def _entries(qs: QuerySet[Statement], limit: int, *, actor: str) -> list[TimelineEntry]:
    return [
        TimelineEntry(
            pk=pk, effective=effective, stated_on=stated_on, date_basis=date_basis,
            negotiation_id=negotiation_id, actor_id=actor_id, actor=actor, stance=stance,
            summary=summary, conditions=conditions, speaker=speaker, person=person,
            quote_type=quote_type, via=via, article_id=article_id, article_title=title,
            url=url or "", published_on=published_on, outlet=outlet or "",
            confidence=confidence, proposal_id=proposal_id, proposal=proposal or "",
        )
        for (pk, effective, stated_on, date_basis, negotiation_id, actor_id, stance, summary,
             conditions, speaker, person, quote_type, via, article_id, title, url, published_on,
             outlet, confidence, proposal_id, proposal)
        in qs.values_list(*_ENTRY_FIELDS)[:limit]
    ]


def timeline_for_actor(
    *, actor: Actor, filters: StatementFilters, cursor: str | None = None,
    page_size: int = TIMELINE_PAGE_SIZE, issues: Sequence[Issue] = (),
) -> TimelinePage:
    """One page of an actor's approved statements, newest first, by keyset on (date, id),
    as ``TimelineEntry`` rows (the page and the API read the same), each with its issues
    and the shift label on each against the actor's previous positional statement.

    Queries: the page (one, or two where the dated statements run out); each statement's
    issues with the previous positional statement on each (``previous_positions``: one on
    PostgreSQL, two elsewhere); the duplicates' outlets; the evidence spans.
    ``issues``: those the caller has loaded (an issue filter then needs no lookup of
    sub-issues per statement, see ``probe_issue``).
    """
    own = StatementFilters(**{**filters.__dict__, "actor_id": actor.pk})
    after = decode_cursor(cursor) if cursor else None
    rows, more = _keyset_page(
        approved_statements(own, walk=True, issues=issues), after, page_size,
        lambda qs, limit: _entries(qs, limit, actor=actor.name),
    )
    by_pk = {row.pk: row for row in rows}
    for sid, _, key, name, prior in previous_positions(rows):
        by_pk[sid].issue_shifts.append((key, name, shift_for(by_pk[sid], prior)))
    for canonical, outlet in duplicate_outlets(list(by_pk)):
        by_pk[canonical].also.append(outlet)
    for sid, start, end, text in (
        Evidence.objects.filter(statement_id__in=list(by_pk) or [0])
        .order_by("statement_id", "start", "pk").values_list("statement_id", "start", "end", "text")
    ):
        by_pk[sid].evidence.append(Span(start, end, text))
    return TimelinePage(
        statements=rows,
        next_cursor=encode_cursor(rows[-1]) if more and rows else None,
        cursor=cursor if after else None,
    )


def previous_on_issue() -> Subquery:
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
        ).values("issue_id")[:1]))
        .filter(on_issue__isnull=False)
        # "<= current AND (…)" rather than a bare OR, so the index walk starts at the date.
        .filter(effective_on__lte=OuterRef("statement__effective_on"))
        .filter(Q(effective_on__lt=OuterRef("statement__effective_on"))
                | Q(pk__lt=OuterRef("statement_id")))
        .order_by("-effective_on", "-pk")
        .values("pk")[:1]
    )
    return Subquery(previous)


@dataclass(frozen=True)
class Prior:
    """The previous positional statement of an actor on an issue."""

    pk: int
    effective: date | None
    stance: str
    conditions: str


_PreviousRow = tuple[int, int, str, str, "Prior | None"]


def _previous_positions_lateral(statements: Sequence[Any]) -> list[_PreviousRow]:
    """``previous_positions`` on PostgreSQL, in one query: a LATERAL per (statement, issue)
    walking the actor's (actor, status, effective_on, id) index backwards to the first
    positional statement on the issue."""
    ids = [s.pk for s in statements] or [0]
    through, statement = StatementIssue._meta.db_table, Statement._meta.db_table
    sql = f"""
        SELECT si.statement_id, si.issue_id, i.key, i.name, p.id, p.effective_on, p.stance,
               p.conditions
        FROM {through} si
        JOIN {Issue._meta.db_table} i ON i.id = si.issue_id
        JOIN {statement} s ON s.id = si.statement_id
        LEFT JOIN LATERAL (
          SELECT v.id, v.effective_on, v.stance, v.conditions FROM {statement} v
          WHERE v.actor_id = s.actor_id AND v.status = 'approved'
            AND v.stance = ANY(%(stances)s)
            -- "<= AND (…)" rather than a bare OR, so the walk starts at the date
            AND v.effective_on <= s.effective_on
            AND (v.effective_on < s.effective_on OR v.id < s.id)
            -- a scalar subquery stays a probe per candidate (as EXISTS, the planner
            -- may hash every statement on the issue instead)
            AND (SELECT 1 FROM {through} t
                 WHERE t.statement_id = v.id AND t.issue_id = si.issue_id LIMIT 1)
                IS NOT NULL
          ORDER BY v.effective_on DESC, v.id DESC LIMIT 1
        ) p ON true
        WHERE si.statement_id = ANY(%(ids)s)
        ORDER BY i.negotiation_id, i.position, i.key, si.statement_id
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, {"ids": ids, "stances": list(POSITIONAL_STANCES)})
        return [
            (sid, iid, key, name, Prior(prior, day, stance, conditions) if prior else None)
            for sid, iid, key, name, prior, day, stance, conditions in cursor.fetchall()
        ]


def _previous_positions_portable(statements: Sequence[Any]) -> list[_PreviousRow]:
    """``previous_positions`` through the ORM, in two queries: the previous statement's id
    per (statement, issue) (``previous_on_issue``), then those statements."""
    ids = [s.pk for s in statements] or [0]
    pairs = list(
        StatementIssue.objects.filter(statement_id__in=ids)
        .order_by("issue__negotiation_id", "issue__position", "issue__key", "statement_id")
        .values_list("statement_id", "issue_id", "issue__key", "issue__name", previous_on_issue())
    )
    found = {
        pk: Prior(pk, day, stance, conditions)
        for pk, day, stance, conditions in Statement.objects.filter(
            pk__in=[previous for *_, previous in pairs if previous] or [0]
        ).values_list("pk", "effective_on", "stance", "conditions")
    }
    return [(sid, iid, key, name, found.get(prior)) for sid, iid, key, name, prior in pairs]


# (statement id, issue id, issue key, issue name, the actor's previous positional statement
# on that issue or None) for each issue of each statement, in the issues' order (then the
# statements'), the same on both paths.
previous_positions = two_paths(
    "previous position per issue", postgresql=_previous_positions_lateral,
    portable=_previous_positions_portable,
)


def shift_for(statement: Any, prior: Prior | None) -> str | None:
    """The shift from the previous positional statement on an issue. A statement without
    an effective date has no place in time, so it has no previous one and gets no label."""
    if prior is None or statement.effective is None:
        return None
    return shift_label(
        previous_stance=prior.stance, previous_conditions=prior.conditions,
        stance=statement.stance, conditions=statement.conditions,
        summary=getattr(statement, "summary", ""),
    )


@dataclass
class ChartMark:
    statement_id: int
    stance: str
    x: str  # SVG coordinates as text: never localised (a decimal comma would break them)
    y: str
    issue: Issue
    title: str
    r: str = "6"
    count: int = 0  # on the first mark of a day's stack in a lane: how many it holds


def date_ticks(start: date, end: date, *, most: int = 8) -> list[tuple[date, str]]:
    """Round dates between start and end to label an axis, at most ``most`` of them, in the
    unit the span calls for: days (up to two months), months (up to four years), years."""
    span = (end - start).days
    if span <= 62:
        step = max(1, -(-span // (most - 1))) if span else 1
        days = [start + timedelta(days=n) for n in range(0, span + 1, step)]
        return [(day, f"{day.day} {day:%b}") for day in days]
    if span <= 4 * 366:
        months = (end.year - start.year) * 12 + end.month - start.month
        step = next(m for m in (1, 2, 3, 6, 12) if months // m + 1 <= most)
        first = start.year * 12 + start.month  # the first of the month after the start
        ticks: list[tuple[date, str]] = []
        for index in range(first, end.year * 12 + end.month):
            day = date(index // 12, index % 12 + 1, 1)
            if (day.month - 1) % step == 0 and start <= day <= end:  # Jan, Apr, Jul, Oct …
                ticks.append((day, f"{day:%b %Y}" if day.month == 1 or not ticks else f"{day:%b}"))
        return ticks or [(start, f"{start:%b %Y}")]
    years = end.year - start.year
    step = next(y for y in (1, 2, 5, 10, 20, 50) if years // y + 1 <= most)
    return [(date(year, 1, 1), str(year)) for year in range(start.year + 1, end.year + 1, step)]


@dataclass
class TimelineChart:
    width: int
    height: int
    lanes: list[tuple[Issue, str]]
    marks: list[ChartMark]
    start: date | None
    end: date | None
    ticks: list[tuple[str, str, str]]  # x, label, text-anchor (so none is clipped)
    truncated: bool
    right: int = 860  # where lanes end
    tick_y: int = 0  # baseline of the date labels


def timeline_chart_for_actor(
    *, actor: Actor, filters: StatementFilters, issues: Sequence[Issue],
    limit: int = CHART_LIMIT,
) -> TimelineChart:
    """Marks for an SVG chart: time across, a lane per issue, the latest ``limit`` statements.

    One query: the (statement, issue) pairs of the newest ``limit`` statements (a subquery
    walking the (actor, status, effective_on, id) index backwards).
    """
    own = StatementFilters(**{**filters.__dict__, "actor_id": actor.pk})
    newest = (
        approved_statements(own, walk=True, issues=issues).filter(effective_on__isnull=False)
        .order_by("-effective_on", "-pk").values("pk")[:limit]
    )
    marked = StatementIssue.objects.filter(statement_id__in=newest)
    if filters.issue_id:
        # Filtered by an issue, the chart shows that issue's lane, not the statements'
        # other issues too.
        marked = marked.filter(issue_id=filters.issue_id)
    pairs = [
        (sid, iid, day, stance, summary)
        for sid, iid, day, stance, summary in marked
        .order_by("statement__effective_on", "statement_id")
        .values_list("statement_id", "issue_id", "statement__effective_on", "statement__stance",
                     "statement__summary")
        if day is not None  # always: only dated statements are marked
    ]
    lane_of = {issue.pk: issue for issue in issues}
    used_ids = {p[1] for p in pairs}
    used = [issue for issue in issues if issue.pk in used_ids]
    left, top, lane_h, width, right_margin = 150.0, 20.0, 28.0, 900, 40
    lanes = [(issue, f"{top + lane_h * i + lane_h / 2:.1f}") for i, issue in enumerate(used)]
    lane_y = {issue.pk: y for issue, y in lanes}
    start, end = (pairs[0][2], pairs[-1][2]) if pairs else (None, None)
    span = max(((end - start).days if start and end else 0), 1)
    plot = width - left - right_margin
    stance_label = dict(Statement.Stance.choices)
    days: dict[date, tuple[str, str]] = {}  # a day's x and label, computed once

    def x_of(day: date) -> str:
        assert start is not None  # called only for the marks' days: there are marks
        return f"{left + plot * ((day - start).days / span):.1f}"

    # Statements of one day in one lane are stacked around the lane, with their count.
    stacks: dict[tuple[date, int], int] = defaultdict(int)
    for _, iid, day, _, _ in pairs:
        stacks[(day, iid)] += 1
    placed: dict[tuple[date, int], int] = defaultdict(int)
    marks = []
    for sid, iid, day, stance, summary in pairs:
        if iid not in lane_y:
            continue
        if day not in days:
            days[day] = (x_of(day), f"{day:%d %b %Y}")
        x, label = days[day]
        issue = lane_of[iid]
        size, index = stacks[(day, iid)], placed[(day, iid)]
        placed[(day, iid)] += 1
        y, r, of = lane_y[iid], "6", ""
        if size > 1:
            gap = min(6.0, 16.0 / (size - 1))
            y = f"{float(y) + (index - (size - 1) / 2) * gap:.1f}"
            r, of = "5", f" ({index + 1} of {size} that day)"
        marks.append(ChartMark(
            statement_id=sid, stance=stance, x=x, y=y, issue=issue, r=r,
            count=size if size > 1 and index == 0 else 0,
            title=f"{label}{of} · {issue.name} · {stance_label[stance]}: {summary[:140]}",
        ))
    ticks: list[tuple[str, str, str]] = []
    if start and end:
        right = width - right_margin
        for day, text in date_ticks(start, end):
            at = float(x_of(day))
            anchor = "start" if at < left + 30 else "end" if at > right - 30 else "middle"
            ticks.append((f"{at:.1f}", text, anchor))
    height = int(top * 2 + lane_h * max(len(lanes), 1))
    statements = len({p[0] for p in pairs})
    return TimelineChart(
        width=width, height=height, lanes=lanes, marks=marks, start=start, end=end,
        ticks=ticks, truncated=statements >= limit, right=width - right_margin, tick_y=height - 4,
    )
