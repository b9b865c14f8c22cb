"""Research views: timeline, side by side, statement, what changed, search and exports.

Each view: access decorator, then load, form, selector, response. A page's swappable
region is an inline partial named after the DOM id it replaces; for an htmx request the
partial is chosen from HX-Target (never from a client parameter), see
``positions.web.render_region``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from positions import export as exports
from positions.access import is_editor, reader_required
from positions.forms import AsOfForm, ChangesForm, ExportForm, SearchForm, TimelineFilterForm
from positions.models import Actor, Issue, Negotiation, Proposal, Statement
from positions.selectors import (
    CHANGES_PAGE_SIZE,
    DEFAULT_DAYS,
    SEARCH_PAGE_SIZE,
    SearchResults,
    StatementFilters,
    count_search_matches,
    data_version,
    default_changes_range,
    matrix_legend,
    mode_choices,
    positions_side_by_side,
    search_statements,
    shifts_between,
    statement_detail,
    timeline_chart_for_actor,
    timeline_for_actor,
)
from positions.selectors.proposals import proposal_page, proposals_matrix
from positions.web import AuthenticatedHttpRequest, htmx_target, render_region, url_stem

CHANGES_EXPORT_LIMIT = 300  # statements: the page's own list, and the pages after it


# --- Loading what a URL names (the role is checked by each view's decorator) ------------


def _actor(pk: int) -> tuple[Actor, list[Negotiation], list[Issue]]:
    """The actor, the negotiations it takes part in and their issues; 404 when none."""
    actor = get_object_or_404(Actor, pk=pk)
    negotiations = list(actor.negotiations.prefetch_related("issues"))
    return actor, negotiations, [issue for n in negotiations for issue in n.issues.all()]


def _negotiation(slug: str) -> Negotiation:
    """The negotiation a URL names, or 404. In plain SQL, as the matrices' other reads: every
    research page asks for it, and building the query through the ORM cost three times
    running it."""
    found = list(Negotiation.objects.raw(
        f"SELECT * FROM {Negotiation._meta.db_table} WHERE slug = %s", [slug]
    ))
    if not found:
        raise Http404("No negotiation by that name.")
    return found[0]


def _published_statement(pk: int) -> Statement:
    """An approved statement, or a duplicate (shown as its canonical statement): readers never
    see drafts or rejected statements, which answer 404."""
    return get_object_or_404(
        Statement.objects.select_related("actor", "person", "negotiation", "article__outlet"),
        pk=pk, status__in=[Statement.Status.APPROVED, Statement.Status.DUPLICATE],
    )


def _links() -> dict[str, str]:
    """One reverse each for the links a page repeats on every row (statements, timelines)."""
    return {
        "statements_url": url_stem("positions:statement"),
        "actors_url": url_stem("positions:timeline"),
        "proposals_url": url_stem("positions:proposal"),
    }


def _query(params: Any, **changes: Any) -> str:
    """The current query string with some parameters replaced (None drops one)."""
    merged = {k: v for k, v in params.items() if v not in ("", None)}
    for key, value in changes.items():
        if value in ("", None):
            merged.pop(key, None)
        else:
            merged[key] = value
    return urlencode(merged)


def _citation(request: HttpRequest, title: str, form: Any, **shown: str) -> exports.Citation:
    """How to cite what this page shows: its filters by name, its URL. The data version is
    left for the export (or the panel's own request), so a page costs no query for it."""
    url = request.build_absolute_uri(f"{request.path}?{_query(request.GET, format=None, bom=None)}")
    return exports.citation_for(
        title=title, url=url.removesuffix("?"), filters={**exports.filter_labels(form), **shown},
        data_version="",
    )


def _page_export(
    form: Any, records: list[dict[str, Any]], columns: list[str], name: str,
    citation: exports.Citation,
) -> StreamingHttpResponse:
    """What a page shows, as the CSV or JSON its ``format`` asks for."""
    return exports.table_response(
        records=records, columns=columns, fmt=form.cleaned_data["format"], name=name,
        citation=replace(citation, data_version=data_version()),
        bom=form.cleaned_data.get("bom", False),
    )



@require_GET
@reader_required
def timeline(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    actor, negotiations, issues = _actor(pk)
    form = TimelineFilterForm(request.GET or None, negotiations=negotiations, issues=issues)
    form.is_valid()
    filters = form.filters()
    cursor = form.cleaned_data.get("after") if form.is_bound else None
    page = timeline_for_actor(actor=actor, filters=filters, cursor=cursor, issues=issues)
    chart = timeline_chart_for_actor(actor=actor, filters=filters, issues=issues)
    context = {
        "actor": actor, "form": form, "page": page, "chart": chart,
        "citation": _citation(request, f"Parley: timeline of {actor.name}", form),
        "stances": Statement.Stance.choices, **_links(),
        "next_query": _query(request.GET, after=page.next_cursor) if page.next_cursor else "",
        "first_query": _query(request.GET, after=None),
        "export_query": _query(request.GET, after=None, actor=actor.pk),
    }
    return render_region(request, "positions/timeline.html", context, regions={"timeline-results"})


@dataclass(frozen=True)
class _Matrix:
    """What differs between the two matrix pages: rows of issues or of proposals."""

    title: str  # for the citation: "Parley: <title>, <negotiation>"
    build: Callable[..., Any]  # (negotiation, as_of, compare, mode) -> the matrix
    records: Callable[[Any], list[dict[str, Any]]]  # its export's rows
    columns: list[str]
    stem: str  # the export's file name, before the negotiation's slug
    template: str
    region: str  # the partial htmx swaps


SIDE_BY_SIDE = _Matrix("side by side", positions_side_by_side, exports.matrix_records,
                       exports.MATRIX_COLUMNS, "side-by-side", "positions/side_by_side.html", "matrix")
PROPOSALS = _Matrix("proposals", proposals_matrix, exports.proposals_matrix_records,
                    exports.PROPOSALS_MATRIX_COLUMNS, "proposals", "positions/proposals.html",
                    "proposals-matrix")


def _matrix_page(request: AuthenticatedHttpRequest, slug: str, kind: _Matrix) -> HttpResponseBase:
    """A matrix on a date in a time mode, compared with another date; or its export."""
    negotiation = _negotiation(slug)
    form = AsOfForm(request.GET)
    valid = form.is_valid()
    if not valid and request.GET.get("format"):
        return _export_refused(form.errors)  # a file was asked for: not an HTML page with 200
    mode, as_of, compare = form.shown()
    matrix = kind.build(negotiation=negotiation, as_of=as_of, compare=compare, mode=mode)
    citation = _citation(request, f"Parley: {kind.title}, {negotiation.name}", form)
    if valid and form.cleaned_data.get("format"):
        return _page_export(form, kind.records(matrix), kind.columns,
                            f"{kind.stem}-{negotiation.slug}", citation)
    context = {
        "negotiation": negotiation, "form": form, "matrix": matrix, "citation": citation,
        "legend": matrix_legend(), "modes": mode_choices(), **_links(),
        "page_query": _query(request.GET, format=None, bom=None, as_of=as_of.isoformat(),
                             mode=mode.value),
        "export_query": _query({"negotiation": negotiation.slug, "date_to": as_of.isoformat()}),
    }
    return render_region(request, kind.template, context, regions={kind.region})


@require_GET
@reader_required
def side_by_side(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    """Issues as rows, actors as columns: each actor's latest position on each issue."""
    return _matrix_page(request, slug, SIDE_BY_SIDE)


@require_GET
@reader_required
def proposals(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    """Proposals as rows, actors as columns: each actor's latest stance toward each proposal,
    in the same three time modes as the side by side."""
    return _matrix_page(request, slug, PROPOSALS)


@require_GET
@reader_required
def proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A proposal: its clauses, its versions and what each changed, every actor's stances."""
    found = get_object_or_404(Proposal.objects.select_related("negotiation", "parent"), pk=pk)
    context = {"page": proposal_page(proposal=found), "p": found, "can_edit": is_editor(request.user),
               **_links()}
    return render(request, "positions/proposal.html", context)


@require_GET
@reader_required
def statement(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    found = _published_statement(pk)
    if found.status == Statement.Status.DUPLICATE and found.duplicate_of_id:
        return redirect("positions:statement", pk=found.duplicate_of_id)
    detail = statement_detail(statement=found)
    return render(request, "positions/statement_detail.html", {"detail": detail, "s": found})


def _export_refused(errors: dict[str, Any]) -> HttpResponseBadRequest:
    """A 400 in plain text naming each invalid filter: an export asked for is never a page."""
    return HttpResponseBadRequest(
        "Invalid export filters: " + "; ".join(
            f"{field}: {' '.join(messages)}" for field, messages in errors.items()
        ),
        content_type="text/plain; charset=utf-8",
    )


def _changes_range(
    request: HttpRequest, form: ChangesForm, negotiation: Negotiation
) -> tuple[date, date, bool]:
    """The dates asked for. With none chosen, the last days that have data (not that many
    empty days up to today); the flag says the range was chosen for the reader."""
    start, end = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
    if form.errors or request.GET.get("date_from") or request.GET.get("date_to"):
        return start, end, False
    found = default_changes_range(negotiation=negotiation)
    return (found[0], found[1], True) if found else (start, end, False)


@require_GET
@reader_required
def changes(request: AuthenticatedHttpRequest, slug: str) -> HttpResponseBase:
    negotiation = _negotiation(slug)
    form = ChangesForm(request.GET)
    form.is_valid()
    if form.errors and request.GET.get("format"):
        return _export_refused(form.errors)  # a file was asked for: not an HTML page with 200
    start, end, defaulted = _changes_range(request, form, negotiation)
    exporting = bool(form.cleaned_data.get("format"))
    found = None if form.errors else shifts_between(
        negotiation=negotiation, start=start, end=end, cursor=form.cleaned_data.get("after"),
        limit=CHANGES_EXPORT_LIMIT if exporting else CHANGES_PAGE_SIZE,
    )
    citation = _citation(request, f"Parley: what changed, {negotiation.name}", form,
                         **{"from": start.isoformat(), "to": end.isoformat()})
    if found and exporting:
        return _page_export(form, exports.shift_records(found.shifts), exports.SHIFT_COLUMNS,
                            f"changes-{negotiation.slug}", citation)
    context = {
        "negotiation": negotiation, "form": form, "start": start, "end": end, "citation": citation,
        "defaulted": defaulted, "default_days": DEFAULT_DAYS, "export_limit": CHANGES_EXPORT_LIMIT,
        "found": found, "shifts": found.shifts if found else [], **_links(),
        **_changes_queries(request, start, end, found.next_cursor if found else None),
    }
    return render_region(request, "positions/changes.html", context, regions={"changes-list"})


def _changes_queries(
    request: HttpRequest, start: date, end: date, next_cursor: str | None
) -> dict[str, str]:
    """The page's own links: itself with the dates it shows, its first page, the next one."""
    unpaged = {"format": None, "bom": None}
    return {
        "page_query": _query(request.GET, **unpaged, date_from=start.isoformat(),
                             date_to=end.isoformat()),
        "first_query": _query(request.GET, **unpaged, after=None),
        "next_query": _query(request.GET, **unpaged, after=next_cursor) if next_cursor else "",
    }


@require_GET
@reader_required
def search(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The newest matches; the total and the facet counts load from ``search_counts``."""
    form = SearchForm(request.GET)
    form.is_valid()
    text = form.cleaned_data.get("q", "")
    results = search_statements(text=text, filters=form.filters(), page_size=SEARCH_PAGE_SIZE)
    return render_region(request, "positions/search.html", _search_context(request, form, results),
                         regions={"search-results"})


@require_GET
@reader_required
def search_counts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The total and facet counts of a search: for htmx the counts alone (the search page
    loads them once shown), otherwise the search page with them (no JavaScript)."""
    form = SearchForm(request.GET)
    form.is_valid()
    text, filters = form.cleaned_data.get("q", ""), form.filters()
    counts = count_search_matches(text=text, filters=filters)
    results = None if htmx_target(request) == "search-counts" else search_statements(
        text=text, filters=filters, page_size=SEARCH_PAGE_SIZE
    )
    context = {
        **_search_context(request, form, results), "counts": counts,
        "facets": _facet_links(request, counts.facets),
    }
    return render_region(request, "positions/search.html", context, regions={"search-counts"})


def _facet_links(
    request: HttpRequest, facets: dict[str, list[tuple[Any, str, int]]]
) -> dict[str, list[tuple[str, int, str, bool]]]:
    """Each facet value as (label, count, the search narrowed to it, whether it is chosen)."""
    search_url = reverse("positions:search")
    return {
        name: [
            (label, count, f"{search_url}?{_query(request.GET, **{name: value})}",
             request.GET.get(name) == str(value))
            for value, label, count in values
        ]
        for name, values in facets.items()
    }


def _search_context(
    request: HttpRequest, form: SearchForm, results: SearchResults | None
) -> dict[str, Any]:
    text = form.cleaned_data.get("q", "")
    return {
        "form": form, "results": results, "text": text, "page_size": SEARCH_PAGE_SIZE,
        "search_url": reverse("positions:search"),
        "proposals_url": url_stem("positions:proposal"),
        "counts_url": f"{reverse('positions:search_counts')}?{_query(request.GET)}",
        **_links(),
        "clear_query": _query({"q": text}),
        # The export holds every match of the text under the same facets.
        "export_query": _query(request.GET),
        "citation": _citation(request, "Parley: search", form),
    }


@require_GET
@reader_required
def export(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    """Approved statements under the filters (and a search's text) as CSV or JSON; with an
    actor, as that actor's timeline, shift labels included."""
    form = ExportForm(request.GET)
    search = SearchForm(request.GET)
    form.is_valid()
    search.is_valid()  # for its text alone: its other fields are the export form's too
    errors = {**form.errors, **{k: v for k, v in search.errors.items() if k == "q"}}
    if errors:
        return _export_refused(errors)
    filters, text = form.filters(), search.cleaned_data.get("q", "")
    labels = exports.filter_labels(form)
    citation = exports.citation_for(
        title="Parley: approved statements", url=request.build_absolute_uri(),
        filters={"search": text, **labels} if text else labels, data_version=data_version(),
        rows=exports.export_queryset(filters, text).count(),
    )
    if form.cleaned_data.get("format") == "json":
        response = _json_export(filters, text, citation)
    else:
        response = _csv_export(filters, text, citation, bom=form.cleaned_data.get("bom", False))
    return exports.cite(response, citation)


def _json_export(
    filters: StatementFilters, text: str, citation: exports.Citation
) -> StreamingHttpResponse:
    records = exports.export_records(filters, text=text, shifts=filters.actor_id is not None)
    response = StreamingHttpResponse(
        exports.stream_json(records, citation=citation), content_type="application/json",
    )
    stamp = f"{citation.exported_at:%Y%m%d-%H%M%S}"
    response["Content-Disposition"] = f'attachment; filename="parley-statements-{stamp}.json"'
    return response


def _csv_export(
    filters: StatementFilters, text: str, citation: exports.Citation, *, bom: bool
) -> StreamingHttpResponse:
    rows = exports.statements_csv(filters, bom=bom, text=text, shifts=filters.actor_id is not None)
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    stamp = f"{citation.exported_at:%Y%m%d-%H%M%S}"
    response["Content-Disposition"] = f'attachment; filename="parley-statements-{stamp}.csv"'
    response["X-Parley-Rows"] = str(citation.rows)
    return response


@require_GET
@reader_required
def cite_version(request: AuthenticatedHttpRequest) -> HttpResponse:
    """The current data version, for a "cite this" panel (loaded when it is opened)."""
    return render_region(request, "positions/cite.html", {"version": data_version()},
                         regions={"data-version"})
