"""Search over approved statements: the newest matches, and (a second request) counts.

A text also finds proposals by name or alias (``search_proposals``), shown above the
statements; the statements about a matching proposal (or its clauses) are matches too.

The results page answers with the newest matches alone; the total and the facet counts
cost a pass over many matches, so the page loads them in a second request
(``count_search_matches``) and shows the results without waiting for them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db.models import (
    Count,
    F,
    Func,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast, TruncMonth
from django.db.models.lookups import IsNull

from positions.models import Evidence, Proposal, Statement
from positions.selectors.common import (
    STANCE_LABELS,
    StatementFilters,
    StatementIssue,
    approved_statements,
    duplicate_outlets,
    effective_date,
)
from positions.selectors.vendor import on_postgresql

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

SEARCH_PAGE_SIZE = 50
# Proposals shown above the statements at most (a negotiation has a few dozen).
PROPOSAL_LIMIT = 20
# The newest matches are looked for among about this many newest statements first.
WINDOW = 4000
FACET_LIMIT = 12
FACET_SAMPLE = 2000
COUNT_CAP = 10_000
# Where a matched word starts and stops in ``Hit.marked``: private-use characters no text
# holds; the template escapes the text first and only then turns them into <mark>.
MARK_START, MARK_STOP = "\ue000", "\ue001"



@dataclass
class Hit:
    """A search result as the page shows it: plain values, no model instances to build."""

    pk: int
    effective: date | None
    actor_id: int
    actor: str  # its short name, else its name
    stance: str
    summary: str
    speaker: str
    outlets: list[str]  # its article's outlet, then the outlets of its duplicates, once each
    issues: list[str] = field(default_factory=list)
    marked: str = ""  # the summary with the matched words between MARK_START and MARK_STOP

    @property
    def stance_label(self) -> str:
        return STANCE_LABELS[self.stance]


@dataclass
class ProposalHit:
    """A proposal whose name or alias matches, as the search page shows it."""

    pk: int
    name: str
    aliases: list[str]
    negotiation: str
    proposed_on: date | None
    marked: str  # the name with the matched words between MARK_START and MARK_STOP


@dataclass
class SearchResults:
    statements: list[Hit]
    proposals: list[ProposalHit] = field(default_factory=list)


@dataclass
class SearchCounts:
    total: int
    facets: dict[str, list[tuple[Any, str, int]]]
    total_capped: bool = False  # there are more than ``total`` matches
    facets_sampled: bool = False  # facets count the FACET_SAMPLE latest-entered matches


class SearchDocument(Func):
    """The table's stored ``search_document`` tsvector (migration 0006, PostgreSQL only).

    It is not a model field, so the column is named against the alias the query gives the
    table's primary key: ``"positions_statement"."id"`` becomes
    ``"positions_statement"."search_document"`` (``U0."search_document"`` in a subquery).
    """

    output_field = SearchVectorField()

    def __init__(self) -> None:
        super().__init__(F("pk"))

    def as_sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, *args: Any, **extra: Any,
    ) -> tuple[str, tuple[Any, ...]]:
        pk, params = compiler.compile(self.source_expressions[0])
        return f'{pk.rsplit(".", 1)[0]}."search_document"', tuple(params)


@dataclass(frozen=True)
class _Match:
    """A search text as two equivalent conditions on statements.

    ``each``: checked row by row (a statement's own document, then a probe of its
    evidence), cheap while walking a few thousand newest rows. ``every``: the set of
    matching ids from the GIN indexes, cheap when the text matches few statements.
    """

    each: Q
    every: Q


def _search_query(text: str) -> SearchQuery:
    return SearchQuery(text, config="english", search_type="websearch")


def matching_proposals(text: str) -> QuerySet[Proposal]:
    """The proposals whose name or an alias matches the text, as statements match it:
    full text on PostgreSQL (no index: the table holds a few dozen rows a negotiation),
    case-insensitive substring elsewhere."""
    if not on_postgresql():
        # Compared here, one query: SQLite stores the aliases as JSON text with non-ASCII
        # letters escaped, so a substring of that text would miss "Côte" (and match quotes).
        wanted = text.casefold()
        found = [
            pk for pk, name, aliases
            in Proposal.objects.order_by().values_list("pk", "name", "aliases")
            if any(wanted in str(n).casefold()
                   for n in (name, *(aliases if isinstance(aliases, list) else [])))
        ]
        return Proposal.objects.filter(pk__in=found)
    document = SearchVector("name", Cast("aliases", TextField()), config="english")
    return Proposal.objects.annotate(document=document).filter(document=_search_query(text))


def _match(text: str) -> _Match | None:
    """PostgreSQL: full text (websearch syntax) over the statement and its evidence.
    Elsewhere: case-insensitive substring over the same fields. Either way, a statement
    about a proposal whose name or alias matches matches too."""
    if not text:
        return None
    # Uncorrelated: the database finds the few matching proposals once per query.
    proposals = matching_proposals(text).values("pk")
    if not on_postgresql():
        quoted = Evidence.objects.filter(text__icontains=text).values("statement_id")
        each = (Q(summary__icontains=text) | Q(speaker__icontains=text)
                | Q(conditions__icontains=text) | Q(pk__in=quoted)
                | Q(proposal_id__in=proposals))
        return _Match(each=each, every=each)
    query = _search_query(text)

    def documents(model: type[Statement] | type[Evidence]) -> QuerySet[Any]:
        return model.objects.filter(SearchVectorExact(SearchDocument(), query)).order_by()

    own = documents(Statement).values("pk")
    quoted = documents(Evidence)
    # A scalar subquery stays a probe of the statement's own evidence; as EXISTS, the
    # planner may hash every matching evidence row of the table instead.
    each = Q(SearchVectorExact(SearchDocument(), query)) | Q(IsNull(
        Subquery(quoted.filter(statement_id=OuterRef("pk")).values("pk")[:1]), False
    )) | Q(proposal_id__in=proposals)
    # The statements about a matching proposal: from the index on Statement.proposal.
    about = Statement.objects.filter(proposal_id__in=proposals).order_by().values("pk")
    return _Match(each=each, every=Q(pk__in=own.union(quoted.values("statement_id"), about)))


def matching(qs: QuerySet[Statement], *, text: str) -> QuerySet[Statement]:
    """The statements of ``qs`` that match the search text (all of them when it is empty),
    as the search page matches them: for exports of what a search shows."""
    match = _match(text)
    return qs.filter(match.every) if match else qs


def _newest(qs: QuerySet[Statement]) -> QuerySet[Statement]:
    return qs.filter(effective_on__isnull=False).order_by("-effective_on", "-pk")


def search_statements(
    *, text: str, filters: StatementFilters, page_size: int = SEARCH_PAGE_SIZE
) -> SearchResults:
    """The newest approved statements matching the text (newest effective date first,
    statements with no date last), as ``Hit`` rows.

    A walk of the newest statements stops at the first ``page_size`` matches, which is
    quick when the text is common and ruinous when it is rare; so the walk is bounded:
    1. the date of the WINDOW-th newest statement (under the filters);
    2. the newest matches on or after that date, checked row by row (a bounded walk of an
       index on effective date);
    3. only if those are fewer than ``page_size``: the rest, older or undated, from the
       set of matching ids the GIN indexes give (few, or step 2 would have found them).
       With no bound (fewer statements than WINDOW), step 2 covered every dated one and
       step 3 checks the undated ones row by row.
    Then their issues and their duplicates' outlets, and the proposals whose name or
    alias matches (``search_proposals``): four to six queries in all.
    """
    base = approved_statements(filters, walk=True)
    match = _match(text)
    postgresql = on_postgresql()
    if text and postgresql:
        # The words PostgreSQL matched, stemmed as the search stems them (ts_headline).
        base = base.annotate(marked=SearchHeadline(
            "summary", _search_query(text),
            config="english", start_sel=MARK_START, stop_sel=MARK_STOP, highlight_all=True,
        ))
    bound = list(_newest(base).values_list("effective_on", flat=True)[WINDOW - 1:WINDOW])
    window = _newest(base.filter(effective_on__gte=bound[0]) if bound else base)
    found = _hit_rows(window.filter(match.each) if match else window, page_size)
    if len(found) < page_size:
        if bound:
            rest = base.filter(Q(effective_on__lt=bound[0]) | Q(effective_on__isnull=True))
            rest = rest.filter(match.every) if match else rest
        else:
            rest = base.filter(effective_on__isnull=True)
            rest = rest.filter(match.each) if match else rest
        found += _hit_rows(
            rest.order_by(F("effective_on").desc(nulls_last=True), "-pk"),
            page_size - len(found),
        )
    if text and not postgresql:
        for hit in found:
            hit.marked = mark_substring(hit.summary, text)
    return SearchResults(
        statements=_with_issues_and_outlets(found),
        proposals=search_proposals(text=text, negotiation_id=filters.negotiation_id),
    )


def search_proposals(*, text: str, negotiation_id: int | None = None) -> list[ProposalHit]:
    """The proposals whose name or an alias matches the text (none for no text), in the
    negotiation if given, oldest first, with the matched words of the name marked: one
    query."""
    if not text:
        return []
    qs = matching_proposals(text)
    if negotiation_id:
        qs = qs.filter(negotiation_id=negotiation_id)
    postgresql = on_postgresql()
    if postgresql:
        qs = qs.annotate(marked=SearchHeadline(
            "name", _search_query(text), config="english", start_sel=MARK_START,
            stop_sel=MARK_STOP, highlight_all=True,
        ))
    rows = qs.order_by(F("proposed_on").asc(nulls_last=True), "name", "pk").values_list(
        "pk", "name", "aliases", "negotiation__name", "proposed_on",
        *(["marked"] if postgresql else []),
    )[:PROPOSAL_LIMIT]
    return [
        ProposalHit(
            pk=pk, name=name, aliases=[a for a in aliases if isinstance(a, str)],
            negotiation=negotiation, proposed_on=day,
            marked=rest[0] if postgresql else mark_substring(name, text),
        )
        for pk, name, aliases, negotiation, day, *rest in rows
    ]


def mark_substring(summary: str, text: str) -> str:
    """The portable highlight (SQLite matches by substring): each case-insensitive
    occurrence of the text between MARK_START and MARK_STOP."""
    if not text:
        return summary
    return re.sub(re.escape(text), lambda m: f"{MARK_START}{m.group(0)}{MARK_STOP}", summary,
                  flags=re.IGNORECASE)


_HIT_FIELDS = ("pk", "effective_on", "actor_id", "actor__short_name", "actor__name", "stance",
               "summary", "speaker", "article__outlet__name")


def _hit_rows(qs: QuerySet[Statement], limit: int) -> list[Hit]:
    marked = "marked" in qs.query.annotations
    return [
        Hit(pk=pk, effective=day, actor_id=actor_id, actor=short or name, stance=stance,
            summary=summary, speaker=speaker, outlets=[outlet] if outlet else [],
            marked=rest[0] if marked else summary)
        for pk, day, actor_id, short, name, stance, summary, speaker, outlet, *rest
        in qs.values_list(*_HIT_FIELDS, *(["marked"] if marked else []))[:limit]
    ]


def _with_issues_and_outlets(hits: list[Hit]) -> list[Hit]:
    """Each hit's issue names (in the issues' order) and its duplicates' outlets (in the
    order they were entered): two queries."""
    by_pk = {hit.pk: hit for hit in hits}
    for statement_id, name in (
        StatementIssue.objects.filter(statement_id__in=list(by_pk) or [0])
        .order_by("issue__negotiation_id", "issue__position", "issue__key")
        .values_list("statement_id", "issue__name")
    ):
        by_pk[statement_id].issues.append(name)
    for canonical_id, outlet in duplicate_outlets(list(by_pk)):
        if outlet not in by_pk[canonical_id].outlets:  # each outlet once
            by_pk[canonical_id].outlets.append(outlet)
    return hits


def count_search_matches(*, text: str, filters: StatementFilters) -> SearchCounts:
    """How many approved statements match (up to COUNT_CAP) and the facet counts.

    Facets count at most the FACET_SAMPLE most recently entered matches and the total
    stops at COUNT_CAP, so a query matching half the data still answers; the flags say
    when either applies (Datasette caps its facets the same way). Six queries: the
    matches' ids, most recently entered first (capped), then one per facet.
    """
    qs = approved_statements(filters)
    match = _match(text)
    if match:
        # The GIN set: its cost follows the number of matches. (A walk checking row by row
        # stops at the cap sooner for a common word but reads the whole table for a rare one.)
        qs = qs.filter(match.every)
    matched = list(qs.order_by("-pk").values_list("pk", flat=True)[: COUNT_CAP + 1])
    total = len(matched)
    sample = matched[: FACET_SAMPLE + 1]
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
    # Months and years from one query: a statement has one effective date, so a year's
    # count is the sum of its months'.
    months = list(
        base.annotate(m=TruncMonth("effective_on")).filter(m__isnull=False)
        .values("m").annotate(n=Count("pk", distinct=True)).order_by("-m")
    )
    years: dict[int, int] = {}
    for row in months:
        years[row["m"].year] = years.get(row["m"].year, 0) + row["n"]
    facets["year"] = [(year, str(year), n) for year, n in list(years.items())[:FACET_LIMIT]]
    facets["month"] = [
        (f"{row['m']:%Y-%m}", f"{row['m']:%b %Y}", row["n"]) for row in months[:FACET_LIMIT]
    ]
    facets["outlet"] = [
        (row["article__outlet_id"], row["article__outlet__name"], row["n"])
        for row in base.filter(article__outlet__isnull=False)
        .values("article__outlet_id", "article__outlet__name")
        .annotate(n=Count("pk", distinct=True)).order_by("-n")[:FACET_LIMIT]
    ]
    return SearchCounts(
        total=min(total, COUNT_CAP), facets=facets,
        total_capped=total > COUNT_CAP, facets_sampled=len(sample) > FACET_SAMPLE,
    )


def data_version() -> str:
    """The newest change to any statement: a history id and time, for citations."""
    latest = Statement.history.aggregate(id=Max("history_id"), at=Max("history_date"))
    if not latest["id"]:
        return "empty"
    return f"{latest['id']}@{latest['at']:%Y-%m-%dT%H:%M:%SZ}"
