"""Statements' own fields: the review decisions (approve, reject) and an editor's edit,
the proposal link included.

Edits are optimistic: the caller passes the version it read; the row is locked, the
versions compared, and a mismatch raises ``StatementConflict`` carrying the current row.
Saves go through the model so django-simple-history records each change.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from positions.history import as_change
from positions.models import Actor, Clause, Issue, Person, Proposal, Statement
from positions.proposal_services import proposal_create


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


# How the history reason of a change to the link alone begins when it corrects the link
# (another proposal, none, other clauses); a confirmation corrects nothing. Draft outcomes
# count the corrections as edits (``articles.selectors``).
LINKED, UNLINKED, RECLAUSED = "linked to proposal", "proposal link removed", "clauses of proposal"
LINK_CORRECTIONS = (LINKED, UNLINKED, RECLAUSED)


def _link_reason(statement: Statement, link: ProposalLink, clauses_changed: bool) -> str:
    """The history reason of a change to the link alone."""
    if link.proposal is None:
        return UNLINKED
    if link.proposal.pk != statement.proposal_id:
        return f"{LINKED} “{link.proposal.name}”"
    if clauses_changed:
        return f"{RECLAUSED} “{link.proposal.name}” changed"
    return f"proposal link to “{link.proposal.name}” confirmed"


def locked(statement_id: int, version: int) -> Statement:
    current = Statement.objects.select_for_update().get(pk=statement_id)
    if current.version != version:
        raise StatementConflict(current)
    return current


def save_reviewed(statement: Statement, *, user: User, reason: str) -> Statement:
    statement.version += 1
    statement.reviewed_by = user
    statement.reviewed_at = timezone.now()
    as_change(statement, user=user, reason=reason)
    statement.save()
    return statement


@transaction.atomic
def statement_approve(*, statement_id: int, version: int, user: User) -> Statement:
    """Approve a draft (or re-approve a rejected statement)."""
    statement = locked(statement_id, version)
    statement.status = Statement.Status.APPROVED
    return save_reviewed(statement, user=user, reason="approved")


@transaction.atomic
def statement_reject(
    *, statement_id: int, version: int, user: User, reason: str = ""
) -> Statement:
    """Reject a statement, keeping it (and why) in the history."""
    statement = locked(statement_id, version)
    statement.status = Statement.Status.REJECTED
    return save_reviewed(statement, user=user, reason=f"rejected: {reason}" if reason else "rejected")


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
    statement = locked(statement_id, version)
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
    reason = (_link_reason(statement, link, clauses_changed) if link is not None and only_link
              else "edited")
    if changes.stated_on != statement.stated_on:
        statement.date_basis = Statement.DateBasis.EDITOR if changes.stated_on else ""
    for name, value in fields.items():
        setattr(statement, name, value)
    statement.actor = changes.actor
    statement.set_effective_on()
    if approving:
        statement.status = Statement.Status.APPROVED
    reason = f"{reason} and approved" if approving else reason
    statement = save_reviewed(statement, user=user, reason=reason)
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
    statement = locked(statement_id, version)
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
