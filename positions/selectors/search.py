"""Search over approved statements, with facet counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db.models import (
    Count,
    F,
    Func,
    Max,
    Q,
    QuerySet,
)
from django.db.models.functions import ExtractYear

from positions.models import Evidence, Statement
from positions.selectors.common import (
    StatementFilters,
    StatementIssue,
    approved_statements,
    effective_date,
    newest_first,
)
from positions.selectors.timeline import _with_outlets

FACET_LIMIT = 12
FACET_SAMPLE = 2000
COUNT_CAP = 10_000


@dataclass
class SearchResults:
    statements: list[Statement]
    total: int
    facets: dict[str, list[tuple[Any, str, int]]]
    total_capped: bool = False  # there are more than ``total`` matches
    facets_sampled: bool = False  # facets count the FACET_SAMPLE latest-entered matches


class StatementDocument(Func):
    """The text a statement is searched by; the GIN index (migration 0003) uses the same SQL."""

    template = "to_tsvector('english'::regconfig, %(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("summary"), F("speaker"), F("conditions"))


class EvidenceDocument(Func):
    template = "to_tsvector('english'::regconfig, %(expressions)s)"
    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("text"))


def _matching(qs: QuerySet[Statement], text: str, vendor: str) -> QuerySet[Statement]:
    """PostgreSQL: full text (websearch syntax) over the statement and its evidence, through
    GIN indexes. Elsewhere: case-insensitive substring over the same fields."""
    if not text:
        return qs
    if vendor == "postgresql":
        query = SearchQuery(text, config="english", search_type="websearch")
        own = Statement.objects.annotate(document=StatementDocument()).filter(document=query)
        quoted = Evidence.objects.annotate(document=EvidenceDocument()).filter(document=query)
        return qs.filter(
            Q(pk__in=own.values("pk")) | Q(pk__in=quoted.values("statement_id"))
        )
    quoted_ids = Evidence.objects.filter(text__icontains=text).values("statement_id")
    return qs.filter(
        Q(summary__icontains=text) | Q(speaker__icontains=text) | Q(conditions__icontains=text)
        | Q(pk__in=quoted_ids)
    )


def search_statements(
    *, text: str, filters: StatementFilters, vendor: str, page_size: int = 50
) -> SearchResults:
    """Approved statements matching the text (full text on PostgreSQL), with facet counts.

    Facets count at most the FACET_SAMPLE most recently entered matches and the total
    stops at COUNT_CAP, so a query matching half the data still answers quickly; the
    flags say when either applies (Datasette caps its facets the same way).

    Matching is the costly part (full text over statements and their evidence), so it
    runs once: the ids and effective dates of the matches, most recently entered first,
    give the total, the facet sample and (sorted here) the newest page; only past
    COUNT_CAP matches does the database sort them all (one more query).
    """
    qs = _matching(approved_statements(filters), text, vendor)
    matched = list(qs.order_by("-pk").values_list("pk", "effective_on")[: COUNT_CAP + 1])
    total = len(matched)
    if total > COUNT_CAP:
        newest_ids = list(newest_first(qs).values_list("pk", flat=True)[:page_size])
    else:
        newest_ids = [pk for pk, _ in sorted(
            matched, key=lambda row: (row[1] is not None, row[1] or date.min, row[0]),
            reverse=True,
        )[:page_size]]
    found = _with_outlets(Statement.objects.annotate(effective=effective_date())).in_bulk(
        newest_ids or [0]
    )
    statements = [found[pk] for pk in newest_ids if pk in found]
    sample = [pk for pk, _ in matched[: FACET_SAMPLE + 1]]
    sampled = len(sample) > FACET_SAMPLE
    base = Statement.objects.filter(pk__in=sample[:FACET_SAMPLE] or [0]).annotate(
        effective=effective_date()
    )
    facets: dict[str, list[tuple[Any, str, int]]] = {}
    facets["actor"] = [
        (row["actor_id"], row["actor__name"], row["n"])
        for row in base.values("actor_id", "actor__name").annotate(n=Count("pk", distinct=True))
        .order_by("-n", "actor__name")[:FACET_LIMIT]
    ]
    facets["stance"] = [
        (row["stance"], Statement.Stance(row["stance"]).label, row["n"])
        for row in base.values("stance").annotate(n=Count("pk", distinct=True)).order_by("-n")
    ]
    facets["issue"] = [
        (row["issue_id"], row["issue__name"], row["n"])
        for row in StatementIssue.objects.filter(statement__in=base.values("pk"))
        .values("issue_id", "issue__name").annotate(n=Count("statement_id", distinct=True))
        .order_by("-n", "issue__name")[:FACET_LIMIT]
    ]
    facets["year"] = [
        (row["y"], str(row["y"]), row["n"])
        for row in base.annotate(y=ExtractYear("effective")).filter(y__isnull=False)
        .values("y").annotate(n=Count("pk", distinct=True)).order_by("-y")[:FACET_LIMIT]
    ]
    facets["outlet"] = [
        (row["article__outlet_id"], row["article__outlet__name"], row["n"])
        for row in base.filter(article__outlet__isnull=False)
        .values("article__outlet_id", "article__outlet__name")
        .annotate(n=Count("pk", distinct=True)).order_by("-n")[:FACET_LIMIT]
    ]
    return SearchResults(
        statements=statements, total=min(total, COUNT_CAP), facets=facets,
        total_capped=total > COUNT_CAP, facets_sampled=sampled,
    )


def data_version() -> str:
    """The newest change to any statement: a history id and time, for citations."""
    latest = Statement.history.aggregate(id=Max("history_id"), at=Max("history_date"))
    if not latest["id"]:
        return "empty"
    return f"{latest['id']}@{latest['at']:%Y-%m-%dT%H:%M:%SZ}"
