"""Every write to statements: drafts from extraction, review decisions and edits.

Edits are optimistic: the caller passes the version it read; the row is locked, the
versions compared, and a mismatch raises ``StatementConflict`` carrying the current row.
Saves go through the model so django-simple-history records each change.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from articles.extraction.types import Candidate
from positions.models import Actor, Evidence, Issue, Person, Statement


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


def _locked(statement_id: int, version: int) -> Statement:
    current = Statement.objects.select_for_update().get(pk=statement_id)
    if current.version != version:
        raise StatementConflict(current)
    return current


def _save_reviewed(statement: Statement, *, user: AbstractBaseUser, reason: str) -> Statement:
    statement.version += 1
    statement.reviewed_by = user  # type: ignore[assignment]
    statement.reviewed_at = timezone.now()
    statement._change_reason = reason  # type: ignore[attr-defined]
    statement.save()
    return statement


@transaction.atomic
def statement_approve(*, statement_id: int, version: int, user: AbstractBaseUser) -> Statement:
    """Approve a draft (or re-approve a rejected statement)."""
    statement = _locked(statement_id, version)
    statement.status = Statement.Status.APPROVED
    return _save_reviewed(statement, user=user, reason="approved")


@transaction.atomic
def statement_reject(
    *, statement_id: int, version: int, user: AbstractBaseUser, reason: str = ""
) -> Statement:
    """Reject a statement, keeping it (and why) in the history."""
    statement = _locked(statement_id, version)
    statement.status = Statement.Status.REJECTED
    return _save_reviewed(statement, user=user, reason=f"rejected: {reason}" if reason else "rejected")


@transaction.atomic
def statement_update(
    *, statement_id: int, version: int, user: AbstractBaseUser, changes: StatementChanges
) -> Statement:
    """Apply an editor's changes; the issues must belong to the statement's negotiation."""
    statement = _locked(statement_id, version)
    foreign = [issue.key for issue in changes.issues if issue.negotiation_id != statement.negotiation_id]
    if foreign:
        raise ValidationError(f"Issues of another negotiation: {', '.join(foreign)}")
    statement.actor = changes.actor
    statement.speaker = changes.speaker
    statement.stance = changes.stance
    statement.summary = changes.summary
    statement.conditions = changes.conditions
    statement.via = changes.via
    if changes.stated_on != statement.stated_on:
        statement.stated_on = changes.stated_on
        statement.date_basis = Statement.DateBasis.EDITOR if changes.stated_on else ""
    statement = _save_reviewed(statement, user=user, reason="edited")
    statement.issues.set(changes.issues)
    return statement


def _spans_inside(spans: Iterable[tuple[int, int]], body: str) -> list[tuple[int, int]]:
    kept = [(start, end) for start, end in spans if 0 <= start < end <= len(body)]
    if not kept:
        raise ValidationError("A statement needs at least one evidence span inside the article.")
    return kept


def statement_create_draft(
    *, article: Any, candidate: Candidate, extractor_version: str,
    actors: dict[str, Actor], issues: dict[str, Issue], people: dict[str, Person],
) -> Statement | None:
    """Save one extraction candidate as a draft; None when its actor is not in the negotiation."""
    actor = actors.get(candidate.actor)
    if actor is None:
        return None
    spans = _spans_inside(candidate.spans, article.body)
    statement = Statement(
        negotiation=article.negotiation,
        article=article,
        actor=actor,
        person=people.get(candidate.person) if candidate.person else None,
        speaker=candidate.speaker[:200] or actor.name,
        stance=candidate.stance,
        summary=candidate.summary,
        quote_type=candidate.quote_type,
        stated_on=candidate.stated_on,
        date_basis=candidate.date_basis if candidate.stated_on else "",
        via=candidate.via[:300],
        conditions=candidate.conditions,
        confidence=min(max(candidate.confidence, 0.0), 1.0),
        extractor_version=extractor_version,
    )
    statement._change_reason = f"drafted by extractor {extractor_version}"  # type: ignore[attr-defined]
    statement.save()
    statement.issues.set([issues[key] for key in candidate.issues if key in issues])
    Evidence.objects.bulk_create(
        Evidence(statement=statement, start=start, end=end, text=article.body[start:end])
        for start, end in spans
    )
    return statement
