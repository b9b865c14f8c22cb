"""Positions on a date, by time mode: the latest statement per actor × issue, the matrix, gaps."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from positions.models import Actor, Issue, Negotiation, Participation
from positions.selectors.common import STANCE_LABELS, participations_in_order
from positions.selectors.modes import (
    By,
    Candidates,
    Mode,
    Position,
    ShownByMode,
    candidates,
    gist,
    latest_per_actor,
    mode_choices,
    positions_for,
    record_start,
)
from positions.selectors.rules import (
    SHIFT_MEANINGS,
    STANCE_MEANINGS,
    shift_label,
)


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
class Matrix(ShownByMode):
    actors: list[Participation]
    rows: list[Row]
    as_of: date
    compare: date | None
    mode: Mode = Mode.AS_OF
    record_starts: date | None = None  # record mode: the first day Parley's history has


def _winners(
    *, negotiation: Negotiation, as_of: date, actor_ids: list[int], issue_ids: list[int],
    positional: bool, mode: Mode = Mode.AS_OF,
) -> tuple[Candidates, dict[tuple[int, int], int]]:
    """The mode's statements on the day and, per (actor, issue), the key of the latest."""
    found = candidates(mode=mode, day=as_of, negotiation_id=negotiation.pk)
    return found, latest_per_actor(found=found, actor_ids=actor_ids, group_ids=issue_ids,
                                   by=By.ISSUE, positional=positional)


def latest_positions_as_of(
    *, negotiation: Negotiation, as_of: date, actor_ids: Iterable[int] | None = None,
    issue_ids: Iterable[int] | None = None, positional: bool = False, outlets: bool = False,
    mode: Mode = Mode.AS_OF,
) -> dict[tuple[int, int], Position]:
    """The latest statement per (actor, issue) that the mode counts on a date (by default:
    approved, effective by then), in two queries.

    1. the latest statement per pair by effective date (``latest_per_actor``: LATERAL on
    PostgreSQL, a correlated subquery elsewhere); 2. the winning statements
    (``positions_for``; with ``outlets`` one more query, in ``record`` mode one more).
    Never a query per cell. With ``positional``, only stances that take part in shifts count.
    """
    found, best = _winners(
        negotiation=negotiation, as_of=as_of, positional=positional, mode=mode,
        actor_ids=list(actor_ids) if actor_ids is not None else list(
            Participation.objects.filter(negotiation=negotiation).values_list("actor_id", flat=True)
        ),
        issue_ids=list(issue_ids) if issue_ids is not None else list(
            negotiation.issues.values_list("pk", flat=True)
        ),
    )
    values = positions_for(found, best.values(), outlets=outlets)
    return {pair: values[key] for pair, key in best.items() if key in values}


def _issues(negotiation_id: int) -> list[Issue]:
    """The negotiation's issues in their order, in plain SQL (as ``participations_in_order``
    and for the same reason): the columns a matrix shows. Keywords and descriptions (JSON and
    long text, for extraction) are left unread: decoding them cost more than the query."""
    return list(Issue.objects.raw(
        f"SELECT id, negotiation_id, parent_id, key, name, position FROM {Issue._meta.db_table}"
        ' WHERE negotiation_id = %s ORDER BY "position", "key"',
        [negotiation_id],
    ))


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


def _cell(
    actor: Actor, issue_id: int, children: Sequence[Issue],
    latest: dict[tuple[int, int], Position], before: dict[tuple[int, int], Position],
    compare: date | None,
) -> Cell:
    """One actor's cell on one issue: its position, its sub-issues' and, with ``compare``,
    the position then and the shift between the two."""
    actor_id = actor.pk
    now = latest.get((actor_id, issue_id))
    then = before.get((actor_id, issue_id)) if compare else None
    sub = [(child, latest[(actor_id, child.pk)]) for child in children
           if (actor_id, child.pk) in latest]
    # Another statement, or (the record) the same one edited to another stance.
    changed = bool(compare) and gist(now) != gist(then)
    return Cell(
        actor=actor, statement=now, sub=sub, previous=then, changed=changed,
        shift=shift_label(
            previous_stance=then.stance, previous_conditions=then.conditions,
            stance=now.stance, conditions=now.conditions, summary=now.summary,
        ) if changed and now and then else None,
    )


def positions_side_by_side(
    *, negotiation: Negotiation, as_of: date, compare: date | None = None,
    mode: Mode = Mode.AS_OF,
) -> Matrix:
    """Issues as rows (sub-issues under their parent), actors as columns, latest positions.

    Each row gets a gap label from the parties' stances: ``opposed`` (one side rejects what
    another demands, proposes or accepts), ``conditional`` (someone attaches conditions),
    ``converging`` (every party accepts or proposes), ``open`` otherwise. With ``compare``,
    cells also carry the position as of that earlier date and whether it changed. ``mode``
    says which statements count on each date, and with which values (see ``modes``).
    """
    participations = participations_in_order(negotiation.pk)
    issues = _issues(negotiation.pk)
    actor_ids = [p.actor_id for p in participations]
    issue_ids = [issue.pk for issue in issues]
    found, now_ids = _winners(negotiation=negotiation, as_of=as_of, actor_ids=actor_ids,
                              issue_ids=issue_ids, positional=False, mode=mode)
    then_ids = _winners(negotiation=negotiation, as_of=compare, actor_ids=actor_ids,
                        issue_ids=issue_ids, positional=False, mode=mode)[1] if compare else {}
    # Both dates' statements in one query, and their duplicates' outlets in another (the
    # record's rows are history rows: both dates' come from the same table, and the
    # outlets are the later date's).
    shown = positions_for(found, {*now_ids.values(), *then_ids.values()}, outlets=True)
    latest = {pair: shown[key] for pair, key in now_ids.items() if key in shown}
    before = {pair: shown[key] for pair, key in then_ids.items() if key in shown}
    children: dict[int, list[Issue]] = defaultdict(list)
    for issue in issues:
        if issue.parent_id:
            children[issue.parent_id].append(issue)
    actors = [p.actor for p in participations]
    for p, actor in zip(participations, actors, strict=True):
        actor.role = p.role  # type: ignore[attr-defined]  # role set on the actor for the page
    rows = []
    for issue, depth in _ordered_issues(issues):
        cells = [
            _cell(actor, issue.pk, children.get(issue.pk, []), latest, before, compare)
            for actor in actors
        ]
        rows.append(Row(issue=issue, depth=depth, cells=cells, gap=_gap(cells)))
    return Matrix(actors=participations, rows=rows, as_of=as_of, compare=compare, mode=mode,
                  record_starts=record_start(negotiation_id=negotiation.pk)
                  if mode == Mode.RECORD else None)


@dataclass(frozen=True)
class Legend:
    """What the matrix's badges and labels mean: (key, label, meaning) each."""

    stances: list[tuple[str, str, str]]
    shifts: list[tuple[str, str]]
    gaps: list[tuple[str, str]]
    modes: list[tuple[str, str, str]] = field(default_factory=list)


def matrix_legend() -> Legend:
    """The side-by-side page's legend (no query)."""
    return Legend(
        stances=[(key, STANCE_LABELS[key], meaning) for key, meaning in STANCE_MEANINGS.items()],
        shifts=list(SHIFT_MEANINGS.items()),
        gaps=list(GAP_MEANINGS.items()),
        modes=mode_choices(),
    )
