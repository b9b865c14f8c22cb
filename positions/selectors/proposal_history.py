"""Reads for the editor's proposal pages: the proposals of a negotiation, and one proposal's
history (its own rows and its clauses', removed clauses included) as who changed what when."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import Count, QuerySet

from positions.models import Actor, Clause, Issue, Negotiation, Proposal


def proposals_for_editing(negotiation: Negotiation) -> QuerySet[Proposal]:
    """The negotiation's proposals, oldest first, with their proposers, parent and clause count."""
    return (
        negotiation.proposals.select_related("parent").prefetch_related("proposed_by")
        .annotate(clause_count=Count("clauses")).order_by("proposed_on", "name")
    )


@dataclass(frozen=True)
class Change:
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    """One recorded change: of the proposal itself, or of one of its clauses."""

    when: datetime
    who: str
    subject: str
    what: str
    changes: list[Change]
    order: int


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(str(item) for item in value)
    return str(value)


Describe = Callable[[Any], str]


def _changes(record: Any, earlier: Any | None, fields: dict[str, tuple[str, Describe]]) -> list[Change]:
    changes = []
    for label, describe in fields.values():
        after = describe(record)
        before = describe(earlier) if earlier is not None else ""
        if after != before:
            changes.append(Change(label, before, after))
    return changes


def _entries(
    records: Iterable[Any], *, subject: Callable[[Any], str], fields: dict[str, tuple[str, Describe]]
) -> list[HistoryEntry]:
    entries: list[HistoryEntry] = []
    previous: dict[int, Any] = {}
    for record in records:  # oldest first
        earlier = previous.get(record.id)
        changes = [] if record.history_type == "-" else _changes(record, earlier, fields)
        previous[record.id] = record
        if record.history_type == "~" and not changes and not record.history_change_reason:
            continue  # a save that changed nothing shown here
        user = record.history_user
        entries.append(HistoryEntry(
            when=record.history_date, who=user.get_username() if user else "system",
            subject=subject(record),
            what=record.history_change_reason or record.get_history_type_display(),
            changes=changes, order=record.history_id,
        ))
    return entries


def proposal_history(proposal: Proposal) -> list[HistoryEntry]:
    """Every recorded change of the proposal and its clauses, newest first."""
    negotiation_id = proposal.negotiation_id
    actors = dict(Actor.objects.filter(negotiations=negotiation_id).values_list("pk", "name"))
    names = dict(Proposal.objects.filter(negotiation=negotiation_id).values_list("pk", "name"))
    issues = dict(Issue.objects.filter(negotiation=negotiation_id).values_list("pk", "key"))
    proposal_records = list(
        proposal.history.select_related("history_user").order_by("history_date", "history_id")
    )
    # The relations each history row recorded, read for all rows at once.
    history_model = Proposal.history.model
    recorded: dict[tuple[str, int], list[int]] = {}
    for name, column in (("proposed_by", "actor_id"), ("articles", "article_id")):
        rows = history_model.proposed_by.model if name == "proposed_by" else history_model.articles.model
        for history_id, pk in rows.objects.filter(
            history_id__in=[record.history_id for record in proposal_records]
        ).values_list("history_id", column):
            recorded.setdefault((name, history_id), []).append(pk)

    def proposers(record: Any) -> str:
        ids = recorded.get(("proposed_by", record.history_id), [])
        return ", ".join(sorted(actors.get(pk, f"actor {pk}") for pk in ids))

    def sources(record: Any) -> str:
        return ", ".join(f"#{pk}" for pk in sorted(recorded.get(("articles", record.history_id), [])))

    proposal_fields: dict[str, tuple[str, Describe]] = {
        "name": ("name", lambda r: r.name), "key": ("key", lambda r: r.key),
        "aliases": ("aliases", lambda r: _text(r.aliases)),
        "proposed_by": ("proposed by", proposers),
        "proposed_on": ("proposed on", lambda r: _text(r.proposed_on)),
        "parent": ("amends", lambda r: names.get(r.parent_id, "") if r.parent_id else ""),
        "summary": ("summary", lambda r: r.summary), "articles": ("source articles", sources),
    }
    clause_records = (
        Clause.history.filter(proposal_id=proposal.pk).select_related("history_user")
        .order_by("history_date", "history_id")
    )
    clause_fields: dict[str, tuple[str, Describe]] = {
        "key": ("key", lambda r: r.key),
        "issue": ("issue", lambda r: issues.get(r.issue_id, "") if r.issue_id else ""),
        "text": ("text", lambda r: r.text),
    }
    entries = _entries(proposal_records, subject=lambda r: "proposal", fields=proposal_fields)
    entries += _entries(clause_records, subject=lambda r: f"clause {r.key}", fields=clause_fields)
    return sorted(entries, key=lambda entry: (entry.when, entry.order), reverse=True)
