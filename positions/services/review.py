"""The review workspace's other writes: restore, undo, bulk decisions, merge, hand
entries, evidence, splits, re-dating and the people extraction learns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from positions.history import as_change
from positions.models import Actor, Article, Clause, Evidence, Person, Proposal, Statement
from positions.services.statements import (
    EDITOR_LINK,
    StatementChanges,
    StatementConflict,
    locked,
    save_reviewed,
)

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
    statement = locked(statement_id, version)
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
            statement = locked(statement_id, version)
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


def _record_relations_history(statements: Sequence[Statement], at: Any) -> None:
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


def save_with_history(
    statements: Sequence[Statement], fields: list[str], *, user: User | None, reason: str,
    at: Any,
) -> None:
    """Save ``fields`` of many statements at once, each with the history row a single save
    writes (who, why, when ``at``): the history library's bulk helper, then the issue and
    clause rows it leaves out."""
    from simple_history.utils import bulk_update_with_history

    bulk_update_with_history(statements, Statement, fields, default_user=user,
                             default_change_reason=reason, default_date=at)
    _record_relations_history(statements, at)


@transaction.atomic
def statements_bulk_review(
    *, statement_ids: Sequence[int], approve: bool, user: User, reason: str = ""
) -> list[tuple[int, int]]:
    """Approve or reject many drafts at once; returns (id, new version) of each one changed.

    Only statements still drafts are touched. History rows come from the history library's
    bulk helper, so a bulk decision is recorded like a single one.
    """
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
    save_with_history(statements, ["status", "version", "reviewed_by", "reviewed_at"],
                      user=user, reason=label, at=now)
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
    statement = locked(statement_id, version)
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
    statement = save_reviewed(statement, user=user, reason=f"duplicate of #{canonical.pk}")
    # Earlier duplicates of this statement now point at the canonical one.
    for earlier in Statement.objects.select_for_update().filter(duplicate_of=statement):
        earlier.duplicate_of = canonical
        save_reviewed(earlier, user=user, reason=f"duplicate of #{canonical.pk} (merged)")
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
    proposal: Proposal | None = None,
) -> Statement:
    """An editor's statement: from text selected in an article, or entered by hand.

    With an article the evidence must be exact text from its body (the occurrence nearest
    ``evidence_near`` is taken); a hand entry without an article has no evidence. With
    ``proposal`` the statement is about that proposal of the negotiation (the editor's link).
    """
    foreign = [issue.key for issue in changes.issues if issue.negotiation_id != negotiation.pk]
    if foreign:
        raise ValidationError(f"Issues of another negotiation: {', '.join(foreign)}")
    if proposal is not None and proposal.negotiation_id != negotiation.pk:
        raise ValidationError(f"“{proposal.name}” is a proposal of another negotiation.")
    span = _span_of(article.body, evidence, evidence_near) if article is not None else None
    statement = Statement(
        negotiation=negotiation, article=article, actor=changes.actor, speaker=changes.speaker,
        stance=changes.stance, summary=changes.summary, conditions=changes.conditions,
        via=changes.via, stated_on=changes.stated_on, proposal=proposal,
        proposal_confidence=EDITOR_LINK if proposal is not None else None,
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
    return save_reviewed(statement, user=user, reason=f"evidence added ({start}–{end})")


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
    statement = locked(statement_id, version)
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
    statement = save_reviewed(statement, user=user, reason=f"split: evidence moved to {ids}")
    if staying != linked:
        statement.clauses.set(staying)
    return statement, created


@transaction.atomic
def statements_redate(*, article_id: int, user: User | None = None) -> int:
    """After an article's publication date changed: its undated statements count from the
    new one. Returns how many moved.

    Each move is a new version with a history row (who changed the article, and why), as
    ``_redate_from_publication`` writes for the statements dated by the publication: the
    record mode ("Parley's record on D") then has each statement where the database had it
    on D, and an editor with the statement's form open is told it changed.
    """
    published_on = Article.objects.values_list("published_on", flat=True).get(pk=article_id)
    statements = list(
        Statement.objects.select_for_update()
        .filter(article_id=article_id, stated_on__isnull=True)
        .exclude(effective_on=published_on).order_by("pk")
    )
    if not statements:
        return 0
    for statement in statements:
        statement.effective_on = published_on
        statement.version += 1
    when = published_on.isoformat() if published_on else "no date"
    save_with_history(statements, ["effective_on", "version"], user=user,
                      reason=f"as of the article's publication date, now {when}",
                      at=timezone.now())
    return len(statements)


@transaction.atomic
def person_learn(
    *, statement_id: int, version: int, user: User, name: str, actor: Actor,
    title: str = "", add_alias: bool = True,
) -> Statement:
    """Confirm who the speaker is: the person (created or updated) is used by the next extraction.

    The speaker text as named in the article becomes an alias of the person when it differs
    from the name, and the statement is linked to the person.
    """
    statement = locked(statement_id, version)
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
    return save_reviewed(statement, user=user, reason=f"speaker confirmed as {person.name}")
