"""A negotiation's proposals, one proposal with its clauses and versions, and the approved
stances taken toward it: plain reads for the API (the proposal page and the proposals
matrix have their own selectors in ``proposals``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.apps import apps
from django.db.models import Count, F, Prefetch, QuerySet

from positions.models import Clause, Negotiation, Proposal, Statement
from positions.selectors.common import StatementFilters, approved_statements
from positions.selectors.modes import recorded_on
from positions.selectors.timeline import _with_outlets

StatementClause = Statement.clauses.through


def proposals_of(negotiation: Negotiation) -> list[Proposal]:
    """The negotiation's proposals, oldest first, each with its proposers, its parent and
    ``clause_count``: three queries."""
    return list(
        Proposal.objects.filter(negotiation=negotiation)
        .select_related("parent")
        .prefetch_related(Prefetch("proposed_by", to_attr="proposers"))
        .annotate(clause_count=Count("clauses"))
        .order_by(F("proposed_on").asc(nulls_last=True), "name", "pk")
    )


def proposal_record(pk: int) -> Proposal | None:
    """One proposal with its negotiation, parent, proposers, clauses (with their issues),
    the versions that amend it and the articles that report it: five queries."""
    return (
        Proposal.objects.filter(pk=pk)
        .select_related("negotiation", "parent")
        .prefetch_related(
            Prefetch("proposed_by", to_attr="proposers"),
            Prefetch("clauses", queryset=Clause.objects.select_related("issue").order_by("position", "key")),
            Prefetch("versions", queryset=Proposal.objects.order_by(
                F("proposed_on").asc(nulls_last=True), "name", "pk")),
            "articles",
        )
        .annotate(clause_count=Count("clauses"))
        .first()
    )


def stances_toward(
    proposal: Proposal, *, as_of: date | None = None, actor_id: int | None = None
) -> QuerySet[Statement]:
    """The approved statements about the proposal (on the whole or on some of its clauses:
    such a statement points at the proposal too), oldest first, effective on or before
    ``as_of`` and by ``actor_id`` if given, with what their rows show: outlets, issues,
    evidence and clauses prefetched."""
    filters = StatementFilters(
        negotiation_id=proposal.negotiation_id, actor_id=actor_id, date_to=as_of,
        proposal_id=proposal.pk,
    )
    return with_proposals(_with_outlets(approved_statements(filters))).prefetch_related(
        "evidence"
    ).order_by(F("effective_on").asc(nulls_last=True), "pk")


def with_proposals(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    """The statements with their proposal (joined) and clauses (one more query, in the
    proposal's order): for ``statement.proposal`` and ``statement.clauses.all()``."""
    return qs.select_related("proposal").prefetch_related(
        Prefetch("clauses", queryset=Clause.objects.only("key").order_by("position", "key"))
    )


@dataclass
class ProposalLink:
    """What a statement says it is about: its proposal's key and name, its clauses' keys."""

    key: str | None = None
    name: str | None = None
    clauses: list[str] = field(default_factory=list)


def proposal_links(statement_ids: Sequence[int]) -> dict[int, ProposalLink]:
    """Each statement's proposal and clauses, by statement id (two queries): for rows that
    were read without them, such as the timeline's."""
    ids = list(statement_ids) or [0]
    links = {pk: ProposalLink() for pk in statement_ids}
    for pk, key, name in Statement.objects.filter(pk__in=ids, proposal__isnull=False).values_list(
        "pk", "proposal__key", "proposal__name"
    ):
        links[pk].key, links[pk].name = key, name
    for pk, key in (
        StatementClause.objects.filter(statement_id__in=ids)
        .order_by("statement_id", "clause__position", "clause__key")
        .values_list("statement_id", "clause__key")
    ):
        links[pk].clauses.append(key)
    return links


def proposal_links_recorded(statement_ids: Sequence[int], day: date) -> dict[int, ProposalLink]:
    """``proposal_links`` as Parley's record had them at the end of ``day`` (the ``record``
    time mode): each statement's proposal and clauses from its history row of that day, so
    a link changed since shows as it was (two queries)."""
    links = {pk: ProposalLink() for pk in statement_ids}
    statement_of: dict[int, int] = {}
    for pk, history_id, key, name in recorded_on(day).filter(
        id__in=list(statement_ids) or [0]
    ).values_list("id", "history_id", "proposal__key", "proposal__name"):
        statement_of[history_id] = pk
        links[pk].key, links[pk].name = key, name
    recorded_clauses = apps.get_model("positions", "HistoricalStatement_clauses")
    for history_id, key in (
        recorded_clauses.objects.filter(history_id__in=list(statement_of) or [0])
        .order_by("history_id", "clause__position", "clause__key")
        .values_list("history_id", "clause__key")
    ):
        links[statement_of[history_id]].clauses.append(key)
    return links
