"""Proposals: one proposal's record (clauses, versions, every actor's stances toward it) and
the proposals matrix (each actor's latest stance toward each proposal as of a date).

A statement counts for the proposal it points at (``Statement.proposal``): a statement
about a later version counts for that version, not for the proposal it amends.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from positions.models import Actor, Clause, Evidence, Negotiation, Participation, Proposal, Statement
from positions.selectors.common import STANCE_LABELS, participations_in_order
from positions.selectors.modes import (
    By,
    Mode,
    Position,
    ShownByMode,
    candidates,
    gist,
    latest_per_actor,
    positions_for,
    record_start,
)
from positions.selectors.rules import shift_label

# A proposal's page lists at most this many stances (the newest): a page, not an export.
STANCES_LIMIT = 500
EVIDENCE_SHOWN = 1  # spans per stance on the page, as the timeline (the statement's page has all)

StatementClause = Statement.clauses.through


@dataclass(frozen=True)
class ProposalRef:
    """A proposal as a row or a link shows it (plain values)."""

    pk: int
    key: str
    name: str
    proposed_on: date | None
    parent_id: int | None


def _proposal_refs(negotiation_id: int) -> dict[int, ProposalRef]:
    """Every proposal of a negotiation, in one query."""
    return {
        pk: ProposalRef(pk, key, name, proposed_on, parent_id)
        for pk, key, name, proposed_on, parent_id in Proposal.objects.filter(
            negotiation_id=negotiation_id
        ).order_by().values_list("pk", "key", "name", "proposed_on", "parent_id")
    }


def _by_date(ref: ProposalRef) -> tuple[date, str, int]:
    return (ref.proposed_on or date.max, ref.name.casefold(), ref.pk)


def proposal_tree(refs: Iterable[ProposalRef]) -> list[tuple[ProposalRef, int]]:
    """Proposals ordered by date, each followed by the versions that amend it (indented one
    level deeper, themselves by date). A version whose parent is not among ``refs`` is a
    root, and so is the earliest of proposals that amend each other in a loop (bad data:
    each is still listed once)."""
    refs = list(refs)
    known = {ref.pk for ref in refs}
    children: dict[int | None, list[ProposalRef]] = defaultdict(list)
    for ref in refs:
        children[ref.parent_id if ref.parent_id in known else None].append(ref)
    ordered: list[tuple[ProposalRef, int]] = []
    placed: set[int] = set()

    def walk(parents: list[ProposalRef], depth: int) -> None:
        for ref in sorted(parents, key=_by_date):
            if ref.pk not in placed:
                placed.add(ref.pk)
                ordered.append((ref, depth))
                walk(children.get(ref.pk, []), depth + 1)

    walk(children.get(None, []), 0)
    for ref in sorted(refs, key=_by_date):  # only proposals in a loop are left
        walk([ref], 0)
    return ordered


# --- One proposal's page --------------------------------------------------------------


@dataclass(frozen=True)
class ClauseText:
    pk: int
    key: str
    text: str
    issue: str  # the issue's name, or "" when the clause has none
    issue_key: str


@dataclass(frozen=True)
class ClauseChange:
    """How a version's clause differs from its parent's clause with the same key."""

    key: str
    kind: str  # "added", "removed" or "changed"
    issue: str
    before: str
    after: str
    # The text word by word: ("same" | "removed" | "added", words); for "changed" only.
    diff: tuple[tuple[str, str], ...] = ()


@dataclass
class Version:
    """One proposal of the family (earlier versions, this one, later ones) and what it
    changed from its parent."""

    proposal: ProposalRef
    depth: int
    relation: str  # "earlier", "this" or "later"
    parent: ProposalRef | None
    changes: list[ClauseChange] = field(default_factory=list)
    kept: int = 0  # clauses carried over from the parent unchanged

    @property
    def indent(self) -> int:
        """How far the page indents it (deep chains stop at three steps)."""
        return min(self.depth, 3)


@dataclass
class ProposalStance:
    """A statement toward the proposal, as its page shows it (plain values)."""

    pk: int
    effective: date | None
    stated_on: date | None
    actor_id: int
    stance: str
    summary: str
    conditions: str
    speaker: str  # the person's name, else the speaker as named in the text
    outlet: str
    url: str
    article_id: int | None
    article_title: str
    evidence: list[str] = field(default_factory=list)
    clauses: list[ClauseText] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # its duplicates' outlets

    @property
    def stance_label(self) -> str:
        return STANCE_LABELS[self.stance]

    @property
    def outlets(self) -> list[str]:
        return list(dict.fromkeys(filter(None, (self.outlet, *self.also))))


@dataclass
class ActorStances:
    """One actor's row: every approved stance it took toward the proposal, oldest first."""

    actor_id: int
    name: str
    role: str  # "party", "mediator", or "" for an actor outside the negotiation
    colour: str
    stances: list[ProposalStance] = field(default_factory=list)


@dataclass
class ProposalPage:
    proposal: Proposal
    proposers: list[str]
    clauses: list[ClauseText]
    versions: list[Version]
    actors: list[ActorStances]
    truncated: bool  # more than ``limit`` stances: the newest are shown
    limit: int = STANCES_LIMIT


def word_diff(before: str, after: str) -> tuple[tuple[str, str], ...]:
    """Two texts compared word by word (difflib): runs of ("same" | "removed" | "added", words)."""
    old, new = before.split(), after.split()
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("same", " ".join(old[i1:i2])))
            continue
        if i2 > i1:
            runs.append(("removed", " ".join(old[i1:i2])))
        if j2 > j1:
            runs.append(("added", " ".join(new[j1:j2])))
    return tuple(runs)


def clause_changes(
    parent: Sequence[ClauseText], child: Sequence[ClauseText]
) -> tuple[list[ClauseChange], int]:
    """What a version changed from its parent, clause by clause (clauses share a key with
    the clause they revise): the changes in the child's clause order, removed ones last,
    and how many clauses it kept unchanged."""
    before = {c.key: c for c in parent}
    after = {c.key: c for c in child}
    changes: list[ClauseChange] = []
    kept = 0
    for clause in child:
        old = before.get(clause.key)
        if old is None:
            changes.append(ClauseChange(clause.key, "added", clause.issue, "", clause.text))
        elif old.text.split() != clause.text.split() or old.issue_key != clause.issue_key:
            changes.append(ClauseChange(clause.key, "changed", clause.issue or old.issue, old.text,
                                        clause.text, word_diff(old.text, clause.text)))
        else:
            kept += 1
    changes += [ClauseChange(c.key, "removed", c.issue, c.text, "") for c in parent if c.key not in after]
    return changes, kept


def _family(refs: dict[int, ProposalRef], pk: int) -> list[tuple[ProposalRef, int, str]]:
    """The proposal's earlier versions (its parent chain, oldest first), itself, and every
    later version (depth first, by date): (proposal, depth, relation)."""
    chain: list[ProposalRef] = []
    seen = {pk}
    parent = refs[pk].parent_id
    while parent is not None and parent in refs and parent not in seen:
        seen.add(parent)
        chain.append(refs[parent])
        parent = refs[parent].parent_id
    family = [(ref, depth, "earlier") for depth, ref in enumerate(reversed(chain))]
    family.append((refs[pk], len(chain), "this"))
    children: dict[int, list[ProposalRef]] = defaultdict(list)
    for ref in refs.values():
        if ref.parent_id is not None:
            children[ref.parent_id].append(ref)

    def walk(parent_pk: int, depth: int) -> None:
        for ref in sorted(children.get(parent_pk, []), key=_by_date):
            if ref.pk in seen:
                continue  # a loop in bad data: each proposal once
            seen.add(ref.pk)
            family.append((ref, depth, "later"))
            walk(ref.pk, depth + 1)

    walk(pk, len(chain) + 1)
    return family


def _clauses(proposal_ids: Sequence[int]) -> dict[int, list[ClauseText]]:
    """The clauses of these proposals in their order, in one query."""
    found: dict[int, list[ClauseText]] = defaultdict(list)
    for pk, proposal_id, key, text, issue, issue_key in Clause.objects.filter(
        proposal_id__in=list(proposal_ids) or [0]
    ).order_by("proposal_id", "position", "key").values_list(
        "pk", "proposal_id", "key", "text", "issue__name", "issue__key"
    ):
        found[proposal_id].append(ClauseText(pk, key, text, issue or "", issue_key or ""))
    return found


_STANCE_FIELDS = ("pk", "effective_on", "stated_on", "actor_id", "stance", "summary", "conditions",
                  "person__name", "speaker", "article__outlet__name", "article__url", "article_id",
                  "article__title")


def _stances(proposal: Proposal, limit: int) -> tuple[list[ProposalStance], bool]:
    """The approved statements about the proposal, oldest first (the newest ``limit``),
    with their evidence (the first span each), clauses and duplicates' outlets: four
    queries, each joined on the proposal rather than sent a list of ids (a long list
    costs more to send and plan than the join does to run)."""
    about = Statement.objects.approved().filter(proposal=proposal)
    rows = list(about.order_by("-effective_on", "-pk").values_list(*_STANCE_FIELDS)[: limit + 1])
    truncated = len(rows) > limit
    stances = [
        ProposalStance(pk=pk, effective=effective, stated_on=stated_on, actor_id=actor_id,
                       stance=stance, summary=summary, conditions=conditions,
                       speaker=person or speaker, outlet=outlet or "", url=url or "",
                       article_id=article_id, article_title=title or "")
        for (pk, effective, stated_on, actor_id, stance, summary, conditions, person, speaker,
             outlet, url, article_id, title) in reversed(rows[:limit])
    ]
    by_pk = {s.pk: s for s in stances}
    approved = {"statement__proposal": proposal, "statement__status": Statement.Status.APPROVED}
    for sid, text in Evidence.objects.filter(**approved).order_by(
        "statement_id", "start", "pk"
    ).values_list("statement_id", "text"):
        if sid in by_pk and len(by_pk[sid].evidence) < EVIDENCE_SHOWN:
            by_pk[sid].evidence.append(text)
    for sid, cpk, key, text, issue, issue_key in StatementClause.objects.filter(**approved).order_by(
        "statement_id", "clause__position", "clause__key"
    ).values_list("statement_id", "clause_id", "clause__key", "clause__text",
                  "clause__issue__name", "clause__issue__key"):
        if sid in by_pk:
            by_pk[sid].clauses.append(ClauseText(cpk, key, text, issue or "", issue_key or ""))
    for canonical, outlet in Statement.objects.filter(
        status=Statement.Status.DUPLICATE, duplicate_of__proposal=proposal,
        duplicate_of__status=Statement.Status.APPROVED, article__outlet__isnull=False,
    ).order_by("pk").values_list("duplicate_of_id", "article__outlet__name"):
        if canonical in by_pk:
            by_pk[canonical].also.append(outlet)
    return stances, truncated


def proposal_page(*, proposal: Proposal, limit: int = STANCES_LIMIT) -> ProposalPage:
    """A proposal's record: its clauses, its versions (earlier and later) with what each
    changed from its parent clause by clause, and a row per actor with every approved
    stance it took toward it, oldest first.

    Queries, whatever the size: the proposers; the negotiation's proposals; the family's
    clauses; the negotiation's actors; the statements; their evidence; their clauses;
    their duplicates' outlets.
    """
    proposers = list(proposal.proposed_by.order_by("name").values_list("name", flat=True))
    refs = _proposal_refs(proposal.negotiation_id)
    family = _family(refs, proposal.pk)
    clauses = _clauses([ref.pk for ref, _, _ in family])
    versions = []
    for ref, depth, relation in family:
        parent = refs.get(ref.parent_id) if ref.parent_id is not None else None
        version = Version(proposal=ref, depth=depth, relation=relation, parent=parent)
        # A parent is always in the family (the chain is, and the parents of later versions).
        if parent is not None:
            version.changes, version.kept = clause_changes(clauses.get(parent.pk, []),
                                                           clauses.get(ref.pk, []))
        versions.append(version)
    stances, truncated = _stances(proposal, limit)
    return ProposalPage(
        proposal=proposal, proposers=proposers, clauses=clauses.get(proposal.pk, []),
        versions=versions, actors=_actor_rows(proposal.negotiation_id, stances),
        truncated=truncated, limit=limit,
    )


def _actor_rows(negotiation_id: int, stances: list[ProposalStance]) -> list[ActorStances]:
    """A row per actor of the negotiation (parties first, then mediators, by name), then
    any other actor with a stance toward the proposal: one query (two with such an actor)."""
    rows = {
        p.actor_id: ActorStances(p.actor_id, p.actor.name, p.role, p.actor.colour)
        for p in participations_in_order(negotiation_id)
    }
    others = {s.actor_id for s in stances} - set(rows)
    if others:
        for actor in Actor.objects.filter(pk__in=others).order_by("name"):
            rows[actor.pk] = ActorStances(actor.pk, actor.name, "", actor.colour)
    for stance in stances:
        rows[stance.actor_id].stances.append(stance)
    return list(rows.values())


# --- The proposals matrix -------------------------------------------------------------


@dataclass
class ProposalCell:
    actor_id: int
    statement: Position | None
    previous: Position | None = None
    changed: bool = False
    shift: str | None = None  # against ``previous``


@dataclass
class ProposalRow:
    proposal: ProposalRef
    depth: int
    cells: list[ProposalCell]


@dataclass
class ProposalMatrix(ShownByMode):
    actors: list[Participation]
    rows: list[ProposalRow]
    as_of: date
    compare: date | None
    later: int = 0  # proposals put forward after as_of, not shown
    keys: dict[int, str] = field(default_factory=dict)  # every proposal's key, by id
    mode: Mode = Mode.AS_OF
    record_starts: date | None = None  # record mode: the first day Parley's history has


def proposals_matrix(
    *, negotiation: Negotiation, as_of: date, compare: date | None = None,
    mode: Mode = Mode.AS_OF,
) -> ProposalMatrix:
    """Proposals as rows (by date, versions under the proposal they amend), actors as
    columns (parties first), each cell the actor's latest approved stance toward the
    proposal on the date, as ``mode`` counts statements (``modes``: as of, published by,
    Parley's record on); with ``compare``, also the stance on that date and whether it
    changed. A proposal put forward after ``as_of`` is not a row yet.

    Queries: the actors, the proposals, the latest stances (one more with ``compare``:
    ``latest_per_actor``, a LATERAL walk of the (proposal, actor, status, effective_on, id)
    index on PostgreSQL), those statements, their duplicates' outlets (in ``record`` mode
    one more: what became of them since).
    """
    participations = participations_in_order(negotiation.pk)
    refs = _proposal_refs(negotiation.pk)
    shown = [r for r in refs.values() if r.proposed_on is None or r.proposed_on <= as_of]
    actor_ids = [p.actor_id for p in participations]
    proposal_ids = [r.pk for r in shown]
    found = candidates(mode=mode, day=as_of, negotiation_id=negotiation.pk)
    now_ids = latest_per_actor(found=found, actor_ids=actor_ids, group_ids=proposal_ids,
                               by=By.PROPOSAL)
    then_ids = latest_per_actor(
        found=candidates(mode=mode, day=compare, negotiation_id=negotiation.pk),
        actor_ids=actor_ids, group_ids=proposal_ids, by=By.PROPOSAL,
    ) if compare else {}
    # Both dates' statements in one query (in the record, both dates' rows are history rows).
    values = positions_for(found, {*now_ids.values(), *then_ids.values()}, outlets=True)
    rows = []
    for ref, depth in proposal_tree(shown):
        cells = []
        for p in participations:
            p.actor.role = p.role  # type: ignore[attr-defined]  # as the side-by-side does
            now = values.get(now_ids.get((p.actor_id, ref.pk), 0))
            then = values.get(then_ids.get((p.actor_id, ref.pk), 0)) if compare else None
            # Another statement, or (the record) the same one edited to another stance.
            changed = bool(compare) and gist(now) != gist(then)
            cells.append(ProposalCell(
                actor_id=p.actor_id, statement=now, previous=then, changed=changed,
                shift=shift_label(
                    previous_stance=then.stance, previous_conditions=then.conditions,
                    stance=now.stance, conditions=now.conditions, summary=now.summary,
                ) if changed and now and then else None,
            ))
        rows.append(ProposalRow(proposal=ref, depth=depth, cells=cells))
    return ProposalMatrix(actors=participations, rows=rows, as_of=as_of, compare=compare,
                          later=len(refs) - len(shown),
                          keys={pk: ref.key for pk, ref in refs.items()}, mode=mode,
                          record_starts=record_start(negotiation_id=negotiation.pk)
                          if mode == Mode.RECORD else None)
