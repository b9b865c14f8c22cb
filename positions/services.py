"""Every write to the domain: statements (review decisions, edits, hand entries), the outlet
an article names, and the metadata editors correct on articles. Drafts from extraction are
written by the adapter ``articles.drafts``.

Edits are optimistic: the caller passes the version it read; the row is locked, the
versions compared, and a mismatch raises ``StatementConflict`` carrying the current row.
Saves go through the model so django-simple-history records each change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from positions.history import as_change
from positions.models import (
    Actor,
    Article,
    Clause,
    Evidence,
    Issue,
    Outlet,
    Person,
    Proposal,
    Statement,
)
from positions.proposal_services import proposal_create
from positions.text import MAX_OUTLET, safe_line


class StatementConflict(Exception):
    """Someone saved the statement since the caller read it."""

    def __init__(self, current: Statement) -> None:
        super().__init__(f"Statement {current.pk} is at version {current.version}")
        self.current = current


@dataclass(frozen=True)
class StatementChanges:
    """The fields an editor may change on a statement."""

    actor: Actor
    speaker: str
    issues: Sequence[Issue]
    stance: str
    summary: str
    conditions: str
    via: str
    stated_on: date | None


@dataclass(frozen=True)
class ProposalLink:
    """The proposal a statement responds to (None: none) and the clauses its stance is
    about (none: the whole proposal). ``confirm``: the editor vouches for the link as it is."""

    proposal: Proposal | None
    clauses: Sequence[Clause] = ()
    confirm: bool = False


# The confidence of a link an editor set or confirmed: extraction's guess is then settled
# (history keeps extraction's own figure).
EDITOR_LINK = 1.0


def _link_fields(statement: Statement, link: ProposalLink) -> tuple[dict[str, Any], bool]:
    """The statement's fields the link sets, and whether its clauses change; a proposal of
    another negotiation, or a clause of another proposal, is refused."""
    proposal = link.proposal
    if proposal is not None and proposal.negotiation_id != statement.negotiation_id:
        raise ValidationError(f"“{proposal.name}” is a proposal of another negotiation.")
    if link.clauses and proposal is None:
        raise ValidationError("Clauses belong to a proposal: choose the proposal first.")
    foreign = [clause.key for clause in link.clauses if proposal and clause.proposal_id != proposal.pk]
    if foreign:
        raise ValidationError(
            f"Clauses of another proposal, not of “{proposal.name if proposal else ''}”: "
            f"{', '.join(foreign)}."
        )
    clauses_changed = {clause.pk for clause in link.clauses} != set(
        statement.clauses.values_list("pk", flat=True)
    )
    proposal_id = proposal.pk if proposal else None
    touched = proposal_id != statement.proposal_id or clauses_changed or link.confirm
    confidence = (EDITOR_LINK if proposal else None) if touched else statement.proposal_confidence
    return {"proposal_id": proposal_id, "proposal_confidence": confidence}, clauses_changed


def _link_reason(statement: Statement, link: ProposalLink) -> str:
    if link.proposal is None:
        return "proposal link removed"
    if link.proposal.pk == statement.proposal_id:
        return f"proposal link to “{link.proposal.name}” confirmed"
    return f"linked to proposal “{link.proposal.name}”"


def _locked(statement_id: int, version: int) -> Statement:
    current = Statement.objects.select_for_update().get(pk=statement_id)
    if current.version != version:
        raise StatementConflict(current)
    return current


def _save_reviewed(statement: Statement, *, user: User, reason: str) -> Statement:
    statement.version += 1
    statement.reviewed_by = user
    statement.reviewed_at = timezone.now()
    as_change(statement, user=user, reason=reason)
    statement.save()
    return statement


@transaction.atomic
def statement_approve(*, statement_id: int, version: int, user: User) -> Statement:
    """Approve a draft (or re-approve a rejected statement)."""
    statement = _locked(statement_id, version)
    statement.status = Statement.Status.APPROVED
    return _save_reviewed(statement, user=user, reason="approved")


@transaction.atomic
def statement_reject(
    *, statement_id: int, version: int, user: User, reason: str = ""
) -> Statement:
    """Reject a statement, keeping it (and why) in the history."""
    statement = _locked(statement_id, version)
    statement.status = Statement.Status.REJECTED
    return _save_reviewed(statement, user=user, reason=f"rejected: {reason}" if reason else "rejected")


def _prefix(actor: Actor, stance: str) -> str:
    return f"{actor.name} ({stance}): "


def summary_following(
    summary: str, *, before: Statement, actor: Actor, stance: str, conditions: str
) -> str:
    """The summary with what it repeats of the statement brought up to date.

    Drafts' summaries start "Actor (stance): "; when the editor changes the actor or the
    stance and leaves that prefix as it was, it follows. Conditions quoted in the summary
    are replaced by the new ones. An editor's own wording is otherwise kept.
    """
    stale = _prefix(before.actor, before.stance)
    if summary.startswith(stale) and (actor.pk != before.actor_id or stance != before.stance):
        summary = _prefix(actor, stance) + summary.removeprefix(stale)
    old = before.conditions.strip()
    if old and conditions.strip() != old and old in summary:
        summary = " ".join(summary.replace(old, conditions.strip()).split())
    return summary


def _speaker_names(person: Person) -> set[str]:
    return {name.casefold().strip() for name in (person.name, *person.aliases)}


def _changed(statement: Statement, fields: dict[str, Any]) -> bool:
    return any(getattr(statement, name) != value for name, value in fields.items())


@transaction.atomic
def statement_update(
    *, statement_id: int, version: int, user: User, changes: StatementChanges | None = None,
    approve: bool = False, link: ProposalLink | None = None,
) -> Statement:
    """Apply an editor's changes; the issues must belong to the statement's negotiation.

    With ``approve`` a draft (or rejected statement) is approved in the same version. With
    ``link`` the proposal link is set too (the proposal of this negotiation, its clauses of
    that proposal); without it, or without ``changes``, that part stays as it is.

    A form saved unchanged writes nothing (no new version, no history row). A summary that
    repeats the actor, stance or conditions follows them (``summary_following``); a speaker
    whose wording changes is unlinked from its person unless the new wording names them.
    """
    statement = _locked(statement_id, version)
    changes = changes or _unchanged(statement)
    foreign = [issue.key for issue in changes.issues if issue.negotiation_id != statement.negotiation_id]
    if foreign:
        raise ValidationError(f"Issues of another negotiation: {', '.join(foreign)}")
    link_fields, clauses_changed = _link_fields(statement, link) if link else ({}, False)
    summary = summary_following(
        changes.summary, before=statement, actor=changes.actor, stance=changes.stance,
        conditions=changes.conditions,
    )
    fields: dict[str, Any] = {
        "actor_id": changes.actor.pk, "speaker": changes.speaker, "stance": changes.stance,
        "summary": summary, "conditions": changes.conditions, "via": changes.via,
        "stated_on": changes.stated_on, **link_fields,
    }
    if (
        statement.person_id and changes.speaker != statement.speaker and statement.person
        and changes.speaker.casefold().strip() not in _speaker_names(statement.person)
    ):
        fields["person_id"] = None
    issues_changed = {issue.pk for issue in changes.issues} != set(
        statement.issues.values_list("pk", flat=True)
    )
    approving = approve and statement.status in (Statement.Status.DRAFT, Statement.Status.REJECTED)
    if not _changed(statement, fields) and not issues_changed and not clauses_changed and not approving:
        return statement
    only_link = link is not None and not issues_changed and not _changed(
        statement, {name: value for name, value in fields.items() if name not in link_fields}
    )
    reason = _link_reason(statement, link) if link is not None and only_link else "edited"
    if changes.stated_on != statement.stated_on:
        statement.date_basis = Statement.DateBasis.EDITOR if changes.stated_on else ""
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.actor = changes.actor
    statement.set_effective_on()
    if approving:
        statement.status = Statement.Status.APPROVED
    reason = f"{reason} and approved" if approving else reason
    statement = _save_reviewed(statement, user=user, reason=reason)
    if issues_changed:
        statement.issues.set(changes.issues)
    if link is not None and clauses_changed:
        statement.clauses.set(link.clauses)
    return statement


@transaction.atomic
def statement_link_new_proposal(
    *, statement_id: int, version: int, user: User, name: str, aliases: Sequence[str] = (),
    proposed_by: Sequence[Actor] = (), proposed_on: date | None = None,
) -> Statement:
    """A proposal the statement mentions and Parley does not know yet: created (its article
    as a source) and linked, both or neither. The version is checked first, so a stale card
    creates nothing; a bad name (empty, taken) is ``proposal_create``'s ValidationError."""
    statement = _locked(statement_id, version)
    proposal = proposal_create(
        negotiation=statement.negotiation, name=name, user=user, aliases=aliases,
        proposed_by=proposed_by, proposed_on=proposed_on,
        articles=[statement.article] if statement.article else [],
    )
    return statement_update(statement_id=statement_id, version=version, user=user,
                            link=ProposalLink(proposal=proposal))


def _unchanged(statement: Statement) -> StatementChanges:
    """The statement's editable fields as they are (a change of the proposal link alone)."""
    return StatementChanges(
        actor=statement.actor, speaker=statement.speaker, issues=list(statement.issues.all()),
        stance=statement.stance, summary=statement.summary, conditions=statement.conditions,
        via=statement.via, stated_on=statement.stated_on,
    )


# --- Review workspace: restore, undo, bulk decisions, merge, hand entries, learning. ---

RESTORED_FIELDS = (
    "actor_id", "person_id", "speaker", "stance", "summary", "quote_type", "stated_on",
    "date_basis", "via", "conditions", "status", "duplicate_of_id", "reviewed_by_id",
    "reviewed_at", "proposal_id", "proposal_confidence",
)


def _historical_state(statement_id: int, version: int) -> Any:
    """The last history row recorded at that version (m2m changes add rows at one version)."""
    record = (
        Statement.history.filter(id=statement_id, version=version)
        .order_by("-history_date", "-history_id")
        .first()
    )
    if record is None:
        raise ValidationError(f"Statement {statement_id} has no recorded version {version}.")
    return record


def _restore_from(
    statement: Statement, record: Any, *, user: User, reason: str
) -> Statement:
    for name in RESTORED_FIELDS:
        setattr(statement, name, getattr(record, name))
    # History keeps ids of rows that may be gone since (SET_NULL relations): drop those.
    if statement.person_id and not Person.objects.filter(pk=statement.person_id).exists():
        statement.person_id = None
    reviewers = get_user_model().objects
    if statement.reviewed_by_id and not reviewers.filter(pk=statement.reviewed_by_id).exists():
        statement.reviewed_by_id = None
    if statement.proposal_id and not Proposal.objects.filter(pk=statement.proposal_id).exists():
        statement.proposal_id = statement.proposal_confidence = None
    # Recomputed, not restored: the article's date may have changed since that version.
    statement.set_effective_on()
    statement.version += 1
    as_change(statement, user=user, reason=reason)
    statement.save()
    issue_ids = {row.issue_id for row in record.issues.all()}
    if issue_ids != set(statement.issues.values_list("pk", flat=True)):
        statement.issues.set(issue_ids)
    # Only clauses still there, of the proposal restored (none without one).
    clause_ids = set(
        Clause.objects.filter(pk__in=[row.clause_id for row in record.clauses.all()],
                              proposal__statements=statement).values_list("pk", flat=True)
    )
    if clause_ids != set(statement.clauses.values_list("pk", flat=True)):
        statement.clauses.set(clause_ids)
    return statement


@transaction.atomic
def statement_restore(
    *, statement_id: int, version: int, to_version: int, user: User
) -> Statement:
    """Bring back the statement as it was at an earlier version, as a new version."""
    statement = _locked(statement_id, version)
    record = _historical_state(statement_id, to_version)
    return _restore_from(statement, record, user=user, reason=f"restored version {to_version}")


@dataclass(frozen=True)
class UndoResult:
    restored: list[Statement]
    conflicts: list[Statement]
    removed: list[int] = field(default_factory=list)  # created by the action undone


@transaction.atomic
def statements_undo(
    *, items: Sequence[tuple[int, ...]], user: User, label: str
) -> UndoResult:
    """Undo a decision: each (id, version it made[, version to go back to]) goes back (by
    default one version) unless changed since.

    Going back to version 0 means the action created the statement (a split): it is
    removed and its evidence returns to the entry's first statement, the one split.
    """
    restored: list[Statement] = []
    conflicts: list[Statement] = []
    removed: list[int] = []
    origin: Statement | None = None
    for index, (statement_id, version, *back) in enumerate(items):
        to_version = back[0] if back else version - 1
        try:
            statement = _locked(statement_id, version)
        except StatementConflict as conflict:
            conflicts.append(conflict.current)
            continue
        except Statement.DoesNotExist:
            continue
        if to_version == 0:
            if origin is None or statement.duplicates.exists():
                conflicts.append(statement)  # its origin was not undone, or merged into since
                continue
            # Moved spans go back; copies of spans the origin still cites go with the part.
            kept = set(Evidence.objects.filter(statement=origin).values_list("start", "end"))
            for span in Evidence.objects.filter(statement=statement):
                if (span.start, span.end) not in kept:
                    span.statement = origin
                    span.save(update_fields=["statement"])
            as_change(statement, user=user, reason=f"undo: {label}")
            statement.delete()
            removed.append(statement_id)
            continue
        record = _historical_state(statement_id, to_version)
        restored.append(_restore_from(statement, record, user=user, reason=f"undo: {label}"))
        if index == 0:
            origin = restored[-1]
    return UndoResult(restored=restored, conflicts=conflicts, removed=removed)


def _record_issue_history(statements: Sequence[Statement], at: Any) -> None:
    """bulk_update_with_history writes no m2m rows: copy the current issues and clauses onto
    the new rows."""
    history_model = Statement.history.model
    ids = [statement.pk for statement in statements]
    records = {
        record.id: record for record in history_model.objects.filter(id__in=ids, history_date=at)
    }
    issues_history = history_model.issues.model  # the m2m history model (related_name "issues")
    issues_history.objects.bulk_create(
        issues_history(history=records[row.statement_id], id=row.pk,
                       statement_id=row.statement_id, issue_id=row.issue_id)
        for row in Statement.issues.through.objects.filter(statement_id__in=records)
    )
    clauses_history = history_model.clauses.model
    clauses_history.objects.bulk_create(
        clauses_history(history=records[row.statement_id], id=row.pk,
                        statement_id=row.statement_id, clause_id=row.clause_id)
        for row in Statement.clauses.through.objects.filter(statement_id__in=records)
    )


@transaction.atomic
def statements_bulk_review(
    *, statement_ids: Sequence[int], approve: bool, user: User, reason: str = ""
) -> list[tuple[int, int]]:
    """Approve or reject many drafts at once; returns (id, new version) of each one changed.

    Only statements still drafts are touched. History rows come from the history library's
    bulk helper, so a bulk decision is recorded like a single one.
    """
    from simple_history.utils import bulk_update_with_history

    statements = list(
        Statement.objects.select_for_update()
        .filter(pk__in=statement_ids, status=Statement.Status.DRAFT)
        .order_by("pk")
    )
    now = timezone.now()
    for statement in statements:
        statement.status = Statement.Status.APPROVED if approve else Statement.Status.REJECTED
        statement.version += 1
        statement.reviewed_by = user
        statement.reviewed_at = now
    label = "approved (bulk)" if approve else "rejected (bulk)"
    if reason:
        label = f"{label}: {reason}"
    bulk_update_with_history(
        statements, Statement, ["status", "version", "reviewed_by", "reviewed_at"],
        default_user=user, default_change_reason=label, default_date=now,
    )
    _record_issue_history(statements, now)
    return [(statement.pk, statement.version) for statement in statements]


@transaction.atomic
def statement_merge(
    *, statement_id: int, version: int, canonical_id: int, user: User,
    other_actor: bool = False,
) -> Statement:
    """Mark a statement as a duplicate of another; the canonical one keeps every source.

    Statements of different actors are merged only when the editor said so
    (``other_actor``); otherwise a ValidationError with code ``other_actor`` asks first.
    """
    statement = _locked(statement_id, version)
    canonical = Statement.objects.select_related("actor").get(pk=canonical_id)
    if canonical.status == Statement.Status.DUPLICATE and canonical.duplicate_of_id:
        canonical = Statement.objects.select_related("actor").get(pk=canonical.duplicate_of_id)
    if canonical.pk == statement.pk:
        raise ValidationError("A statement cannot duplicate itself.")
    if canonical.negotiation_id != statement.negotiation_id:
        raise ValidationError("The statements belong to different negotiations.")
    if canonical.actor_id != statement.actor_id and not other_actor:
        raise ValidationError(
            f"#{canonical.pk} is a position of {canonical.actor.name}, this one of "
            f"{statement.actor.name}: merge anyway?", code="other_actor",
        )
    statement.status = Statement.Status.DUPLICATE
    statement.duplicate_of = canonical
    statement = _save_reviewed(statement, user=user, reason=f"duplicate of #{canonical.pk}")
    # Earlier duplicates of this statement now point at the canonical one.
    for earlier in Statement.objects.select_for_update().filter(duplicate_of=statement):
        earlier.duplicate_of = canonical
        _save_reviewed(earlier, user=user, reason=f"duplicate of #{canonical.pk} (merged)")
    return statement


def _span_of(body: str, quote: str, near: int | None) -> tuple[int, int]:
    quote = quote.strip()
    if not quote:
        raise ValidationError("Give the evidence: the exact text from the article.")
    starts = []
    at = body.find(quote)
    while at != -1:
        starts.append(at)
        at = body.find(quote, at + 1)
    if not starts:
        raise ValidationError("The evidence must be text copied exactly from the article.")
    start = min(starts, key=lambda s: abs(s - near)) if near is not None else starts[0]
    return start, start + len(quote)


@transaction.atomic
def statement_create(
    *, negotiation: Any, article: Any | None, changes: StatementChanges, user: User,
    evidence: str = "", evidence_near: int | None = None, approve: bool = False,
) -> Statement:
    """An editor's statement: from text selected in an article, or entered by hand.

    With an article the evidence must be exact text from its body (the occurrence nearest
    ``evidence_near`` is taken); a hand entry without an article has no evidence.
    """
    foreign = [issue.key for issue in changes.issues if issue.negotiation_id != negotiation.pk]
    if foreign:
        raise ValidationError(f"Issues of another negotiation: {', '.join(foreign)}")
    span = _span_of(article.body, evidence, evidence_near) if article is not None else None
    statement = Statement(
        negotiation=negotiation, article=article, actor=changes.actor, speaker=changes.speaker,
        stance=changes.stance, summary=changes.summary, conditions=changes.conditions,
        via=changes.via, stated_on=changes.stated_on,
        date_basis=Statement.DateBasis.EDITOR if changes.stated_on else "",
        quote_type=Statement.QuoteType.REPORTED, confidence=1.0, extractor_version="editor",
        status=Statement.Status.APPROVED if approve else Statement.Status.DRAFT,
        reviewed_by=user if approve else None, reviewed_at=timezone.now() if approve else None,
    )
    statement.set_effective_on()
    as_change(statement, user=user, reason="entered by an editor")
    statement.save()
    statement.issues.set(changes.issues)
    if article is not None and span is not None:
        Evidence.objects.create(
            statement=statement, start=span[0], end=span[1], text=article.body[span[0]:span[1]]
        )
    return statement


@transaction.atomic
def statement_add_evidence(
    *, statement_id: int, user: User, evidence: str, evidence_near: int | None = None
) -> Statement:
    """Add a span of the article (exact text, the occurrence nearest ``evidence_near``) to a
    statement's evidence. Additive, so no version is compared; the new version and a
    history row record it."""
    statement = (
        Statement.objects.select_for_update(of=("self",)).select_related("article").get(pk=statement_id)
    )
    if statement.article is None:
        raise ValidationError("A statement entered by hand has no article to quote.")
    start, end = _span_of(statement.article.body, evidence, evidence_near)
    if statement.evidence.filter(start__lt=end, end__gt=start).exists():
        raise ValidationError("That text overlaps the statement's evidence already.")
    Evidence.objects.create(
        statement=statement, start=start, end=end, text=statement.article.body[start:end]
    )
    return _save_reviewed(statement, user=user, reason=f"evidence added ({start}–{end})")


@dataclass(frozen=True)
class SplitPart:
    """One new statement of a split: the evidence spans it takes, its stance (empty: the
    statement's) and the clauses it takes (none: the statement's clauses, as they were)."""

    evidence: Sequence[int] = ()
    stance: str = ""
    clauses: Sequence[int] = ()


def _split_plan(
    statement: Statement, parts: Sequence[SplitPart], stance: str
) -> tuple[list[SplitPart], set[int]]:
    """The parts that make a new statement, checked; and the clauses that stay."""
    spans = {span.pk for span in statement.evidence.all()}
    linked = set(statement.clauses.values_list("pk", flat=True))
    known = set(statement.proposal.clauses.values_list("pk", flat=True)) if statement.proposal else set()
    for part in parts:
        if part.stance and not (part.evidence or part.clauses):
            raise ValidationError("A new statement with its own stance needs evidence or clauses.")
    groups = [part for part in parts if part.evidence or part.clauses]
    moving = [pk for part in groups for pk in part.evidence]
    moved_clauses = [pk for part in groups for pk in part.clauses]
    stances = {part.stance for part in groups} | {stance}
    if not groups or not set(moving) <= spans or len(set(moving)) < len(moving):
        raise ValidationError("Give each new statement some of this statement's evidence or clauses, once.")
    if set(moving) == spans:
        raise ValidationError("Leave at least one evidence span with this statement.")
    if moved_clauses and statement.proposal is None:
        raise ValidationError("This statement is about no proposal: it has no clauses to split.")
    if not set(moved_clauses) <= known or len(set(moved_clauses)) < len(moved_clauses):
        raise ValidationError(
            f"Give each new statement clauses of “{statement.proposal}”, each clause once."
        )
    if linked and linked <= set(moved_clauses):
        raise ValidationError("Leave at least one of its clauses with this statement.")
    if not stances <= {"", *Statement.Stance.values}:
        raise ValidationError("Choose each stance from the list.")
    return groups, linked - set(moved_clauses)


@transaction.atomic
def statement_split_parts(
    *, statement_id: int, version: int, parts: Sequence[Sequence[int] | SplitPart], user: User,
    stance: str = "",
) -> tuple[Statement, list[Statement]]:
    """Split a statement into several in one step: each part becomes a new draft with the
    statement's fields and proposal link, taking its evidence spans (the spans in no part
    stay), and its own stance and clauses where given; ``stance`` is a new stance for the
    statement that stays. A part with clauses but no evidence of its own cites the
    evidence that stays (one sentence that accepts one clause and rejects another).
    All or nothing."""
    statement = _locked(statement_id, version)
    plan = [part if isinstance(part, SplitPart) else SplitPart(evidence=part) for part in parts]
    groups, staying = _split_plan(statement, plan, stance)
    issues = list(statement.issues.all())
    linked = set(statement.clauses.values_list("pk", flat=True))
    moving = {pk for part in groups for pk in part.evidence}
    kept = [span for span in statement.evidence.all() if span.pk not in moving]
    created = []
    for part in groups:
        new = Statement.objects.get(pk=statement.pk)
        new.pk = new.id = None
        new.version = 1
        new.status = Statement.Status.DRAFT
        new.duplicate_of = None
        new.reviewed_by = None
        new.reviewed_at = None
        new.stance = part.stance or statement.stance
        new._state.adding = True
        as_change(new, user=user, reason=f"split from #{statement.pk}")
        new.save()
        new.issues.set(issues)
        new.clauses.set(part.clauses or linked)
        if part.evidence:
            Evidence.objects.filter(pk__in=part.evidence).update(statement=new)
        else:
            Evidence.objects.bulk_create(
                Evidence(statement=new, start=span.start, end=span.end, text=span.text) for span in kept
            )
        created.append(new)
    ids = ", ".join(f"#{new.pk}" for new in created)
    if stance:
        statement.stance = stance
    statement = _save_reviewed(statement, user=user, reason=f"split: evidence moved to {ids}")
    if staying != linked:
        statement.clauses.set(staying)
    return statement, created


def statements_redate(*, article_id: int) -> int:
    """After an article's publication date changed: its undated statements count from the
    new one. A derived column, not an editor's change, so no history row (bare update)."""
    published_on = Article.objects.values_list("published_on", flat=True).get(pk=article_id)
    return Statement.objects.filter(article_id=article_id, stated_on__isnull=True).update(
        effective_on=published_on
    )


@transaction.atomic
def person_learn(
    *, statement_id: int, version: int, user: User, name: str, actor: Actor,
    title: str = "", add_alias: bool = True,
) -> Statement:
    """Confirm who the speaker is: the person (created or updated) is used by the next extraction.

    The speaker text as named in the article becomes an alias of the person when it differs
    from the name, and the statement is linked to the person.
    """
    statement = _locked(statement_id, version)
    name = name.strip()
    if not name:
        raise ValidationError("Give the person's name.")
    person, created = Person.objects.get_or_create(name=name, actor=actor, defaults={"title": title})
    learned = created
    if title and person.title != title:
        person.title, learned = title, True
    alias = statement.speaker.strip()
    if add_alias and alias and alias.casefold() != name.casefold() and alias not in person.aliases:
        person.aliases, learned = [*person.aliases, alias], True
    if learned:
        person.save()
    if statement.person_id == person.pk and statement.actor_id == actor.pk:
        return statement  # confirmed as it was: nothing to write
    statement.person = person
    statement.actor = actor
    return _save_reviewed(statement, user=user, reason=f"speaker confirmed as {person.name}")


def outlet_for(name: str, url: str = "") -> Outlet | None:
    """The outlet known by this name, an alias or the URL's domain, created on first sight."""
    try:
        domain = (urlsplit(url).hostname or "").removeprefix("www.")[:MAX_OUTLET] if url else ""
    except ValueError:  # a malformed link (a bad port, brackets) names no domain
        domain = ""
    name = safe_line(name)[:MAX_OUTLET]
    if not name and not domain:
        return None
    if name and (outlet := Outlet.objects.filter(name__iexact=name).first()):
        return outlet
    # Aliases and domains are short JSON lists on a small table: match them in Python,
    # which works the same on SQLite and PostgreSQL.
    wanted = name.casefold()
    for outlet in Outlet.objects.only("name", "aliases", "domains"):
        if (wanted and wanted in (alias.casefold() for alias in outlet.aliases)) or (
            domain and domain in outlet.domains
        ):
            return outlet
    outlet, _ = Outlet.objects.get_or_create(
        name=name or domain, defaults={"domains": [domain] if domain else []}
    )
    return outlet


# --- Article metadata an editor corrects --------------------------------------------------


class ArticleConflict(Exception):
    """The article's metadata changed since the editor's form was read."""


@dataclass(frozen=True)
class ArticleMetadata:
    """The fields of an article an editor may correct."""

    title: str
    outlet: str
    url: str
    published_on: date | None


@dataclass(frozen=True)
class MetadataUpdate:
    article: Any
    changed: list[str]
    redated: int
    undated: int


def article_seen(article: Any) -> int:
    """The token an edit form carries: the article's latest history row (0 before any)."""
    return article.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def _redate_from_publication(article: Any, user: User) -> int:
    """Statements dated by the article's publication take the new date, with history."""
    from simple_history.utils import bulk_update_with_history

    statements = list(
        Statement.objects.select_for_update()
        .filter(article=article, date_basis=Statement.DateBasis.PUBLICATION)
        .exclude(stated_on=article.published_on).order_by("pk")
    )
    if not statements:
        return 0
    now = timezone.now()
    for statement in statements:
        statement.stated_on = article.published_on
        statement.article = article
        statement.set_effective_on()
        statement.version += 1
    when = article.published_on.isoformat() if article.published_on else "no date"
    bulk_update_with_history(
        statements, Statement, ["stated_on", "effective_on", "version"], default_user=user,
        default_change_reason=f"re-dated: the article's publication date is now {when}",
        default_date=now,
    )
    _record_issue_history(statements, now)
    return len(statements)


@transaction.atomic
def article_update_metadata(
    *, article_id: int, seen: int, user: User, metadata: ArticleMetadata
) -> MetadataUpdate:
    """Correct an article's title, outlet, URL and publication date, with history.

    Nothing is written when nothing changed. A new publication date re-dates the statements
    that took their date from it and moves the undated ones' "as of" date; the counts say
    how many. ``seen`` is ``article_seen`` when the form was read: anything saved since is
    a conflict (``ArticleConflict``), as for statements.
    """
    article = Article.objects.select_for_update().get(pk=article_id)
    if article_seen(article) != seen:
        raise ArticleConflict(f"Article {article_id} changed since it was read.")
    outlet_name = metadata.outlet.strip()
    current_outlet = article.outlet.name if article.outlet else ""
    if outlet_name == current_outlet:
        outlet_id = article.outlet_id
    else:
        outlet = outlet_for(outlet_name) if outlet_name else None
        outlet_id = outlet.pk if outlet else None
    fields = {"title": metadata.title.strip(), "outlet_id": outlet_id, "url": metadata.url.strip(),
              "published_on": metadata.published_on}
    changed = [name.removesuffix("_id") for name, value in fields.items()
               if getattr(article, name) != value]
    if not changed:
        return MetadataUpdate(article=article, changed=[], redated=0, undated=0)
    for name, value in fields.items():
        setattr(article, name, value)
    as_change(article, user=user, reason="metadata corrected: " + ", ".join(changed))
    article.save(update_fields=[name for name in fields])
    redated = undated = 0
    if "published_on" in changed:
        redated = _redate_from_publication(article, user)
        undated = statements_redate(article_id=article.pk)
    return MetadataUpdate(article=article, changed=changed, redated=redated, undated=undated)
