"""Positions as of a date: the latest statement per actor × issue, the matrix, gaps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection

from positions.models import Actor, Issue, Negotiation, Participation, Statement
from positions.selectors.common import STANCE_LABELS, StatementIssue, duplicate_outlets
from positions.selectors.rules import (
    POSITIONAL_STANCES,
    SHIFT_MEANINGS,
    STANCE_MEANINGS,
    shift_label,
)
from positions.selectors.vendor import two_paths


@dataclass
class Position:
    """An actor's position on an issue: the statement that states it, as the page, its
    export and the API show it (plain values: sixty cells and more build no model
    instances)."""

    pk: int
    effective: date | None
    stance: str
    summary: str
    conditions: str
    speaker: str  # the person's name, else the speaker as named in the text
    outlet: str  # its article's outlet
    also: list[str] = field(default_factory=list)  # its duplicates' outlets, as entered

    @property
    def outlets(self) -> list[str]:
        """Every outlet that reported it, once each: its own first."""
        return list(dict.fromkeys(filter(None, (self.outlet, *self.also))))


@dataclass
class Cell:
    actor: Actor
    statement: Position | None
    sub: list[tuple[Issue, Position]] = field(default_factory=list)
    previous: Position | None = None
    changed: bool = False
    shift: str | None = None  # against ``previous`` (the position at the compared date)


GAP_MEANINGS = {
    "opposed": "one party rejects what another demands, proposes or accepts",
    "conditional": "a party attaches conditions",
    "converging": "every party accepts or proposes",
    "open": "the parties' positions neither meet nor clash",
}


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


def _winners_lateral(
    *, negotiation: Negotiation, as_of: date, actor_ids: list[int], issue_ids: list[int],
    positional: bool,
) -> dict[tuple[int, int], int]:
    """``_winners`` on PostgreSQL: arrays of ids, a LATERAL lookup per pair."""
    stance = "AND s.stance = ANY(%(stances)s)" if positional else ""
    sql = f"""
        SELECT p.actor_id, i.issue_id, d.id
        FROM unnest(%(actors)s::bigint[]) AS p(actor_id)
        CROSS JOIN unnest(%(issues)s::bigint[]) AS i(issue_id)
        CROSS JOIN LATERAL (
          SELECT s.id FROM {Statement._meta.db_table} s
          WHERE s.actor_id = p.actor_id AND s.status = 'approved'
            AND s.effective_on <= %(as_of)s AND s.negotiation_id = %(negotiation)s {stance}
            AND (SELECT 1 FROM {StatementIssue._meta.db_table} t
                 WHERE t.statement_id = s.id AND t.issue_id = i.issue_id LIMIT 1) IS NOT NULL
          ORDER BY s.effective_on DESC, s.id DESC LIMIT 1
        ) d
    """
    params: dict[str, Any] = {"actors": actor_ids, "issues": issue_ids, "as_of": as_of,
              "negotiation": negotiation.pk, "stances": list(POSITIONAL_STANCES)}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(a, i): pk for a, i, pk in cursor.fetchall()}


def _winners_portable(
    *, negotiation: Negotiation, as_of: date, actor_ids: list[int], issue_ids: list[int],
    positional: bool,
) -> dict[tuple[int, int], int]:
    """``_winners`` in plain SQL (SQLite; PostgreSQL too in the two-path test): the pairs
    as VALUES, and per pair a correlated subquery that the planner answers from the
    (actor, status, effective_on, id) index, newest first, LIMIT 1.
    An empty list becomes [0] (no such row): the query still runs, so the count stays the same.
    """
    actors, issues = actor_ids or [0], issue_ids or [0]
    stances = list(POSITIONAL_STANCES) if positional else []
    stance = f"AND s.stance IN ({', '.join(['%s'] * len(stances))})" if stances else ""
    sql = f"""
        WITH p(actor_id) AS (VALUES {', '.join(['(%s)'] * len(actors))}),
             i(issue_id) AS (VALUES {', '.join(['(%s)'] * len(issues))})
        SELECT p.actor_id, i.issue_id, (
          SELECT s.id FROM {Statement._meta.db_table} s
          WHERE s.actor_id = p.actor_id AND s.status = 'approved'
            AND s.effective_on <= %s AND s.negotiation_id = %s {stance}
            AND EXISTS (SELECT 1 FROM {StatementIssue._meta.db_table} t
                        WHERE t.statement_id = s.id AND t.issue_id = i.issue_id)
          ORDER BY s.effective_on DESC, s.id DESC LIMIT 1
        )
        FROM p CROSS JOIN i
    """
    params: list[Any] = [*actors, *issues, as_of, negotiation.pk, *stances]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(a, i): pk for a, i, pk in cursor.fetchall() if pk is not None}


# Per (actor, issue): the id of the latest approved statement up to as_of, in one query.
# Both paths look up the newest statement per cell: they walk the (actor, status,
# effective_on, id) index backwards and stop at the first statement on the issue (a pair
# with no statement at all walks the actor's whole history, though).
_winners = two_paths("latest statement per cell", postgresql=_winners_lateral,
                     portable=_winners_portable)


def _positions(ids: Iterable[int], *, outlets: bool) -> dict[int, Position]:
    """The statements as positions: one query, and with ``outlets`` one more for the outlets
    of their duplicates ("also reported by"). [0] when there is none: the queries still
    run, so the count stays the same."""
    found = {
        pk: Position(pk=pk, effective=day, stance=stance, summary=summary, conditions=conditions,
                     speaker=person or speaker, outlet=outlet or "")
        for pk, day, stance, summary, conditions, person, speaker, outlet
        in Statement.objects.filter(pk__in=list(ids) or [0]).order_by().values_list(
            "pk", "effective_on", "stance", "summary", "conditions", "person__name", "speaker",
            "article__outlet__name",
        )
    }
    if outlets:
        for canonical, outlet in duplicate_outlets(list(found)):
            found[canonical].also.append(outlet)
    return found


def latest_positions_as_of(
    *, negotiation: Negotiation, as_of: date, actor_ids: Iterable[int] | None = None,
    issue_ids: Iterable[int] | None = None, positional: bool = False, outlets: bool = False,
) -> dict[tuple[int, int], Position]:
    """The latest approved statement per (actor, issue) as of a date, in two queries.

    1. the latest statement per pair by effective date (``_winners``: LATERAL on
    PostgreSQL, a correlated subquery elsewhere); 2. the winning statements (``_positions``; with
    ``outlets`` one more query). Never a query per cell.
    With ``positional``, only stances that take part in shifts count.
    """
    best = _winners(
        negotiation=negotiation, as_of=as_of, positional=positional,
        actor_ids=list(actor_ids) if actor_ids is not None else list(
            Participation.objects.filter(negotiation=negotiation).values_list("actor_id", flat=True)
        ),
        issue_ids=list(issue_ids) if issue_ids is not None else list(
            negotiation.issues.values_list("pk", flat=True)
        ),
    )
    found = _positions(best.values(), outlets=outlets)
    return {pair: found[pk] for pair, pk in best.items() if pk in found}


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
    stances = {c.statement.stance for c in cells if c.statement and c.actor.role == "party"}  # type: ignore[attr-defined]  # role set on the actor for the page
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
    now_ids = _winners(negotiation=negotiation, as_of=as_of, actor_ids=actor_ids,
                       issue_ids=issue_ids, positional=False)
    then_ids = _winners(negotiation=negotiation, as_of=compare, actor_ids=actor_ids,
                        issue_ids=issue_ids, positional=False) if compare else {}
    # Both dates' statements in one query, and their duplicates' outlets in another.
    found = _positions({*now_ids.values(), *then_ids.values()}, outlets=True)
    latest = {pair: found[pk] for pair, pk in now_ids.items() if pk in found}
    before = {pair: found[pk] for pair, pk in then_ids.items() if pk in found}
    children: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.parent_id:
            children[issue.parent_id].append(issue)
    rows = []
    for issue, depth in _ordered_issues(issues):
        cells = []
        for p in participations:
            p.actor.role = p.role  # type: ignore[attr-defined]  # role set on the actor for the page
            now = latest.get((p.actor_id, issue.pk))
            then = before.get((p.actor_id, issue.pk)) if compare else None
            sub = [
                (child, latest[(p.actor_id, child.pk)])
                for child in children.get(issue.pk, [])
                if (p.actor_id, child.pk) in latest
            ]
            changed = bool(compare) and (now.pk if now else None) != (then.pk if then else None)
            cells.append(Cell(
                actor=p.actor, statement=now, sub=sub, previous=then, changed=changed,
                shift=shift_label(
                    previous_stance=then.stance, previous_conditions=then.conditions,
                    stance=now.stance, conditions=now.conditions, summary=now.summary,
                ) if changed and now and then else None,
            ))
        row = Row(issue=issue, depth=depth, cells=cells)
        row.gap = _gap(cells)
        rows.append(row)
    return Matrix(actors=participations, rows=rows, as_of=as_of, compare=compare)


@dataclass(frozen=True)
class Legend:
    """What the matrix's badges and labels mean: (key, label, meaning) each."""

    stances: list[tuple[str, str, str]]
    shifts: list[tuple[str, str]]
    gaps: list[tuple[str, str]]


def matrix_legend() -> Legend:
    """The side-by-side page's legend (no query)."""
    return Legend(
        stances=[(key, STANCE_LABELS[key], meaning) for key, meaning in STANCE_MEANINGS.items()],
        shifts=list(SHIFT_MEANINGS.items()),
        gaps=list(GAP_MEANINGS.items()),
    )
