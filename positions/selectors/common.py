"""What every research read shares: the effective date, filters, newest-first keyset."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.lookups import IsNull

from positions.models import Actor, Issue, Participation, Statement

StatementIssue = Statement.issues.through
# What get_stance_display gives, without rebuilding the choices on every call.
STANCE_LABELS = dict(Statement.Stance.choices)


def effective_date(prefix: str = "") -> F:
    """The date a statement counts from (stored: its own date, else its article's)."""
    return F(f"{prefix}effective_on")


@dataclass(frozen=True)
class StatementFilters:
    """What a researcher narrowed a list to; every field optional. Values are validated ids."""

    negotiation_id: int | None = None
    actor_id: int | None = None
    issue_id: int | None = None
    stance: str = ""
    speaker: str = ""
    date_from: date | None = None
    date_to: date | None = None
    outlet_id: int | None = None
    year: int | None = None
    month: date | None = None  # the first day of a month
    proposal_id: int | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def on_issue(issue_id: int, prefix: str = "") -> Exists:
    """The statement is on the issue or one of its sub-issues (no join, so no duplicates)."""
    return Exists(
        StatementIssue.objects.filter(statement_id=OuterRef(f"{prefix}pk")).filter(
            Q(issue_id=issue_id) | Q(issue__parent_id=issue_id)
        )
    )


def probe_issue(issue_id: int, prefix: str = "", *, known: Sequence[Issue] = ()) -> Q:
    """``on_issue`` as a scalar subquery: always a lookup of the statement's own issues.

    For a read that walks the newest statements and stops at a page: as EXISTS, the
    planner may instead hash every statement on the issue (a tenth of the table) first.
    ``known``: issues the caller has loaded; if the issue is among them, the ids of it and
    its sub-issues are written into the query, so that each probe is one lookup of the
    (statement, issue) unique index instead of a join with the issues.
    """
    family: Any = [i.pk for i in known if issue_id in (i.pk, i.parent_id)]
    if issue_id not in family:
        family = Issue.objects.filter(Q(pk=issue_id) | Q(parent_id=issue_id)).values("pk")
    return Q(IsNull(Subquery(
        # issue_id, not pk: both columns are in the (statement, issue) unique index, so the
        # probe reads the index alone.
        StatementIssue.objects.filter(statement_id=OuterRef(f"{prefix}pk"), issue_id__in=family)
        .values("issue_id")[:1]
    ), False))


def approved_statements(
    filters: StatementFilters, *, walk: bool = False, issues: Sequence[Issue] = ()
) -> QuerySet[Statement]:
    """Approved statements narrowed by the filters, annotated with their effective date.

    The date is the stored ``effective_on``, so a date range or an order by date is served
    by the (actor, status, effective_on, id) and (negotiation, status, effective_on) indexes.
    ``walk``: the caller reads the newest few (a page), so the issue filter probes each
    statement (``probe_issue``, given the ``issues`` the caller has loaded) instead of
    leaving the planner free to hash.
    """
    qs = Statement.objects.approved().annotate(effective=effective_date())
    if filters.negotiation_id:
        qs = qs.filter(negotiation_id=filters.negotiation_id)
    if filters.actor_id:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.issue_id:
        qs = qs.filter(
            probe_issue(filters.issue_id, known=issues) if walk else on_issue(filters.issue_id)
        )
    if filters.stance:
        qs = qs.filter(stance=filters.stance)
    if filters.speaker:
        who = filters.speaker
        qs = qs.filter(Q(speaker__icontains=who) | Q(person__name__icontains=who))
    if filters.date_from:
        qs = qs.filter(effective_on__gte=filters.date_from)
    if filters.date_to:
        qs = qs.filter(effective_on__lte=filters.date_to)
    if filters.outlet_id:
        qs = qs.filter(article__outlet_id=filters.outlet_id)
    if filters.proposal_id:
        qs = qs.filter(proposal_id=filters.proposal_id)
    if filters.year:
        qs = qs.filter(effective_on__year=filters.year)
    if filters.month:
        # A range, not __month: the (…, effective_on) indexes serve it.
        after = date(filters.month.year + filters.month.month // 12, filters.month.month % 12 + 1, 1)
        qs = qs.filter(effective_on__gte=filters.month, effective_on__lt=after)
    return qs


def older_than(day: date, pk: int, prefix: str = "") -> Q:
    """Keyset condition for dated rows: strictly after (day, pk) in newest-first order."""
    on, key = f"{prefix}effective_on", f"{prefix}pk"
    # "<= day AND (…)" rather than a bare OR, so the index range starts at the day.
    return Q(**{f"{on}__lte": day}) & (Q(**{f"{on}__lt": day}) | Q(**{f"{key}__lt": pk}))


def duplicate_outlets(statement_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(canonical id, outlet name) for each duplicate report of these statements, in the
    order they were entered: "also reported by"."""
    return list(
        Statement.objects.filter(status=Statement.Status.DUPLICATE,
                                 duplicate_of_id__in=list(statement_ids) or [0],
                                 article__outlet__isnull=False)
        .order_by("pk").values_list("duplicate_of_id", "article__outlet__name")
    )


def participations_in_order(negotiation_id: int) -> list[Participation]:
    """The negotiation's participations with their actors, parties first and then by the
    actor's name (a matrix's columns), in one query.

    Plain SQL through ``raw``: the matrix pages read this on every request, and building
    the query through the ORM cost about three times running it. The actors' columns a
    matrix shows; their aliases and adjectives (JSON, for extraction) are left unread.
    """
    actors = Actor.objects.raw(
        f"SELECT a.id, a.name, a.short_name, a.kind, a.colour,"
        f" p.id AS participation_id, p.role AS participation_role"
        f" FROM {Actor._meta.db_table} a JOIN {Participation._meta.db_table} p"
        " ON p.actor_id = a.id WHERE p.negotiation_id = %s",
        [negotiation_id],
    )
    found = [
        Participation(
            id=actor.participation_id,  # type: ignore[attr-defined]  # a column raw() adds
            negotiation_id=negotiation_id, actor=actor,
            role=actor.participation_role,  # type: ignore[attr-defined]  # a column raw() adds
        )
        for actor in actors
    ]
    found.sort(key=lambda p: (p.role != Participation.Role.PARTY, p.actor.name))
    return found
