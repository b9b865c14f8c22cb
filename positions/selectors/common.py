"""What every research read shares: the effective date, filters, dated/undated branches."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import (
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce

from positions.models import Statement

StatementIssue = Statement.issues.through


def effective_date(prefix: str = "") -> Coalesce:
    """The date a statement counts from: its own date, else its article's publication date."""
    return Coalesce(F(f"{prefix}stated_on"), F(f"{prefix}article__published_on"))


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

    def as_dict(self) -> dict[str, str]:
        return {k: str(v) for k, v in self.__dict__.items() if v not in (None, "")}


def on_issue(issue_id: int, prefix: str = "") -> Exists:
    """The statement is on the issue or one of its sub-issues (no join, so no duplicates)."""
    return Exists(
        StatementIssue.objects.filter(statement_id=OuterRef(f"{prefix}pk")).filter(
            Q(issue_id=issue_id) | Q(issue__parent_id=issue_id)
        )
    )


DATED, UNDATED = "dated", "undated"


def approved_statements(filters: StatementFilters, branch: str = "") -> QuerySet[Statement]:
    """Approved statements narrowed by the filters, annotated with their effective date.

    ``branch`` narrows to dated statements (their own date, so the ``statement_timeline``
    index on (actor, status, stated_on) serves order and range) or to undated ones (their
    article's date). The effective date spans two tables and no index can hold it, so hot
    paths query the two branches apart and merge them (see ``_merge_newest``).
    """
    qs = Statement.objects.approved().annotate(effective=effective_date())
    day = "effective"
    if branch == DATED:
        qs, day = qs.filter(stated_on__isnull=False), "stated_on"
    elif branch == UNDATED:
        qs, day = qs.filter(stated_on__isnull=True), "article__published_on"
    if filters.negotiation_id:
        qs = qs.filter(negotiation_id=filters.negotiation_id)
    if filters.actor_id:
        qs = qs.filter(actor_id=filters.actor_id)
    if filters.issue_id:
        qs = qs.filter(on_issue(filters.issue_id))
    if filters.stance:
        qs = qs.filter(stance=filters.stance)
    if filters.speaker:
        who = filters.speaker
        qs = qs.filter(Q(speaker__icontains=who) | Q(person__name__icontains=who))
    if filters.date_from:
        qs = qs.filter(**{f"{day}__gte": filters.date_from})
    if filters.date_to:
        qs = qs.filter(**{f"{day}__lte": filters.date_to})
    if filters.outlet_id:
        qs = qs.filter(article__outlet_id=filters.outlet_id)
    if filters.year:
        qs = qs.filter(**{f"{day}__year": filters.year})
    return qs


def _newest_first(qs: QuerySet[Statement], branch: str) -> QuerySet[Statement]:
    if branch == DATED:
        return qs.order_by("-stated_on", "-pk")
    return qs.order_by(F("article__published_on").desc(nulls_last=True), "-pk")


def _before(branch: str, day: date | None, pk: int) -> Q:
    """Keyset condition: strictly after (day, pk) in newest-first order, nulls last."""
    if branch == DATED:
        if day is None:
            return Q(pk__in=[])
        # "<= day AND (…)" rather than a bare OR, so the index range starts at the day.
        return Q(stated_on__lte=day) & (Q(stated_on__lt=day) | Q(pk__lt=pk))
    if day is None:
        return Q(article__published_on__isnull=True, pk__lt=pk) | Q(
            article__isnull=True, pk__lt=pk
        )
    return (
        Q(article__published_on__lt=day) | Q(article__published_on=day, pk__lt=pk)
        | Q(article__published_on__isnull=True) | Q(article__isnull=True)
    )


def _newest_key(statement: Any) -> tuple[int, date, int]:
    day = statement.effective
    return (1, day, statement.pk) if day is not None else (0, date.min, statement.pk)


def _merge_newest(branches: Iterable[Iterable[Any]], limit: int) -> list[Any]:
    merged = [row for rows in branches for row in rows]
    merged.sort(key=_newest_key, reverse=True)
    return merged[:limit]
