"""The read-only JSON API (django-ninja), mounted at /api/; its schema is /api/openapi.json.

Who: researchers, editors and admins (``is_reader``), signed in (session cookie) or from a
script with ``Authorization: Bearer <token>`` (``manage.py create_api_token``). No
credentials or an unknown token: 401; a valid account without the role: 403.

Every read goes through the selectors the pages use (``approved_statements``,
``timeline_for_actor``, ``positions_side_by_side``) or plain ones beside them
(``selectors.proposal_records``): the API adds shapes, not queries.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from django.db.models import F
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from ninja import Field, NinjaAPI, Path, Query, Schema, Swagger
from ninja.errors import HttpError, ValidationError
from ninja.security import HttpBearer, SessionAuth
from pydantic.json_schema import SkipJsonSchema

from positions.access import is_reader, public
from positions.models import Actor, Negotiation, Participation, Proposal, Statement
from positions.selectors import (
    TIMELINE_PAGE_SIZE,
    Mode,
    Position,
    StatementFilters,
    TimelineEntry,
    approved_statements,
    positions_side_by_side,
    timeline_for_actor,
)
from positions.selectors.lookup import (
    Ambiguous,
    NotFound,
    actor_named,
    issue_named,
    negotiation_named,
    proposal_named,
)
from positions.selectors.proposal_records import (
    ProposalLink,
    proposal_links,
    proposal_record,
    proposals_of,
    stances_toward,
    with_proposals,
)
from positions.selectors.proposals import proposals_matrix
from positions.selectors.timeline import _with_outlets
from positions.tokens import api_token_user

MAX_LIMIT = 100
MAX_OFFSET = 1_000_000
MAX_ID = 2**63 - 1
NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL: refuse it as invalid input
SLUG = r"^[-a-zA-Z0-9_]+$"
Unset = SkipJsonSchema[None]  # an optional query parameter: absent, never null
Date = date  # a field is named "date": annotations use this name
ROLE_MISSING = "This account has no researcher or editor role."


class ReaderToken(HttpBearer):
    """A script's bearer token; a token of an account without the role is refused (403)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_user(secret=token)
        if user is not None and not is_reader(user):
            raise HttpError(403, ROLE_MISSING)
        return user


class ReaderSession(SessionAuth):
    """A signed-in researcher's browser session (GET only, so no CSRF token is needed)."""

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if not user.is_authenticated:
            return None
        if not is_reader(user):
            raise HttpError(403, ROLE_MISSING)
        return user


api = NinjaAPI(
    title="Parley API",
    version="1",
    description="Read-only access to approved negotiation positions.",
    auth=[ReaderToken(), ReaderSession()],
    urls_namespace="api",
    # Interactive docs (Swagger UI) from django-ninja's packaged static files: "ninja" is an
    # installed app, so the page loads them from our own static URL, never from a CDN.
    docs=Swagger(settings={"persistAuthorization": True}),
    docs_url="/docs",
    docs_decorator=public,
)


class Error(Schema):
    detail: str


class InvalidInput(Schema):
    detail: list[dict[str, Any]]


ERRORS: dict[int, Any] = {401: Error, 403: Error, 422: InvalidInput}
NOT_FOUND: dict[int, Any] = {**ERRORS, 404: Error}


class NegotiationOut(Schema):
    id: int
    slug: str
    name: str
    description: str
    started_on: Date | None


class ActorOut(Schema):
    id: int
    name: str
    short_name: str
    kind: str
    role: str = Field(description="party or mediator in this negotiation")
    colour: str


class IssueOut(Schema):
    id: int
    key: str
    name: str
    parent_id: int | None


class ProposalRef(Schema):
    key: str = Field(description="short and stable within its negotiation")
    name: str


class EvidenceOut(Schema):
    start: int = Field(description="code points into the article's body")
    end: int
    text: str


class StatementOut(Schema):
    id: int
    date: Date | None = Field(description="effective date: stated_on, else the article's")
    stated_on: Date | None
    date_basis: str
    negotiation_id: int
    actor_id: int
    actor: str
    speaker: str
    person: str | None
    stance: str
    issues: list[str] = Field(description="issue keys")
    summary: str
    conditions: str
    quote_type: str
    via: str = Field(description="reporting chain, source first")
    evidence: list[EvidenceOut]
    article_id: int | None
    article_title: str | None
    url: str | None
    published_on: Date | None
    outlets: list[str] = Field(description="the article's outlet, then every other that reported it")
    confidence: float
    proposal: ProposalRef | None = Field(
        description="the proposal the statement responds to, if any",
        examples=[{"key": "three-phase-plan", "name": "Three-phase plan"}],
    )
    clauses: list[str] = Field(
        description="keys of the proposal's clauses the stance is about; empty: the whole proposal",
        examples=[["phase-one-truce"]],
    )


class ShiftOut(Schema):
    issue: str
    label: str | None = Field(description="restated, hardened, softened, reversed or null")


class TimelineStatementOut(StatementOut):
    shifts: list[ShiftOut]


class StatementPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[StatementOut]


class TimelinePageOut(Schema):
    next_cursor: str | None = Field(description="pass as ?cursor= for the next (older) page")
    items: list[TimelineStatementOut]


# The side-by-side's time modes (positions/selectors/modes.py), by their URL keys.
ModeName = Literal["as_of", "published", "record"]


class PositionOut(Schema):
    id: int
    date: Date | None
    stance: str
    summary: str
    conditions: str
    outlets: list[str]
    since: str = Field("", description=(
        "In mode record: what became of the statement after the day (\"edited since\", "
        "\"rejected since\", \"merged since\", \"removed since\"); empty otherwise."
    ))


class SubPositionOut(Schema):
    issue: str
    position: PositionOut


class CellOut(Schema):
    actor_id: int
    position: PositionOut | None
    sub_issues: list[SubPositionOut]
    compared: PositionOut | None
    changed: bool


class RowOut(Schema):
    issue: str
    issue_name: str
    depth: int
    gap: str
    cells: list[CellOut]


class MatrixOut(Schema):
    negotiation: str
    mode: ModeName
    as_of: Date
    compare: Date | None
    actors: list[ActorOut]
    rows: list[RowOut]


class ProposalCellOut(Schema):
    actor_id: int
    position: PositionOut | None = Field(description="the actor's latest stance toward the proposal")
    compared: PositionOut | None
    changed: bool
    shift: str | None = Field(None, description="how the stance moved since the compared date")


class ProposalRowOut(Schema):
    proposal: str = Field(description="the proposal's key")
    proposal_id: int
    name: str
    parent: str | None = Field(description="the key of the proposal it amends")
    proposed_on: Date | None
    depth: int = Field(description="0 for a proposal, 1 for a version of it, and so on")
    cells: list[ProposalCellOut]


class ProposalMatrixOut(Schema):
    negotiation: str
    mode: ModeName
    as_of: Date
    compare: Date | None
    later: int = Field(description="proposals put forward after as_of, not listed")
    actors: list[ActorOut]
    rows: list[ProposalRowOut]


class ActorRef(Schema):
    id: int
    name: str


class ProposalOut(Schema):
    id: int
    negotiation: str = Field(description="the negotiation's slug")
    key: str = Field(description="short and stable within its negotiation", examples=["three-phase-plan"])
    name: str = Field(examples=["Three-phase plan"])
    aliases: list[str] = Field(description="other names the press uses", examples=[["the Biden plan"]])
    proposers: list[ActorRef] = Field(description="who put it forward")
    proposed_on: Date | None
    parent: str | None = Field(description="key of the earlier proposal this one amends")
    clause_count: int
    url: str = Field(description="path of the proposal's page on this site", examples=["/proposals/7/"])


class ClauseOut(Schema):
    key: str = Field(description="shared with the clause it revises in the parent proposal")
    issue: str | None = Field(description="the issue's key")
    text: str
    position: int


class VersionOut(Schema):
    id: int
    key: str
    name: str
    proposed_on: Date | None
    url: str


class SourceOut(Schema):
    id: int
    title: str
    url: str | None
    published_on: Date | None


class ProposalDetailOut(ProposalOut):
    summary: str
    clauses: list[ClauseOut] = Field(description="in the proposal's order")
    versions: list[VersionOut] = Field(description="the later proposals that amend this one, oldest first")
    articles: list[SourceOut] = Field(description="articles that report it")


class StanceOut(Schema):
    statement_id: int
    statement_url: str = Field(description="path of the statement's page: evidence and provenance",
                               examples=["/statements/42/"])
    date: Date | None = Field(description="effective date: stated_on, else the article's")
    actor_id: int
    actor: str
    speaker: str
    stance: str = Field(examples=["condition"])
    clauses: list[str] = Field(
        description="keys of the clauses the stance is about; empty: the whole proposal")
    conditions: str = Field(description="the condition attached, if any")
    summary: str
    evidence: list[EvidenceOut]
    outlets: list[str] = Field(description="the article's outlet, then every other that reported it")
    article_title: str | None
    url: str | None = Field(description="the article's URL")


class StancePage(Schema):
    proposal: ProposalRef
    as_of: Date | None
    count: int
    limit: int
    offset: int
    items: list[StanceOut]


def _outlets(statement: Statement) -> list[str]:
    article = statement.article
    names = [article.outlet.name] if article and article.outlet else []
    for duplicate in statement.duplicates.all():
        outlet = duplicate.article.outlet if duplicate.article else None
        if outlet and outlet.name not in names:
            names.append(outlet.name)
    return names


def _statement(s: Statement) -> dict[str, Any]:
    article = s.article
    return {
        "id": s.pk, "date": s.effective, "stated_on": s.stated_on,  # type: ignore[attr-defined]  # annotated by the query
        "date_basis": s.date_basis, "negotiation_id": s.negotiation_id, "actor_id": s.actor_id,
        "actor": s.actor.name, "speaker": s.speaker, "person": s.person.name if s.person else None,
        "stance": s.stance, "issues": [issue.key for issue in s.issues.all()],
        "summary": s.summary, "conditions": s.conditions, "quote_type": s.quote_type,
        "via": s.via, "evidence": [
            {"start": e.start, "end": e.end, "text": e.text} for e in s.evidence.all()
        ],
        "article_id": s.article_id, "article_title": article.title if article else None,
        "url": (article.url or None) if article else None,
        "published_on": article.published_on if article else None,
        "outlets": _outlets(s), "confidence": s.confidence,
        "proposal": {"key": s.proposal.key, "name": s.proposal.name} if s.proposal else None,
        "clauses": [clause.key for clause in s.clauses.all()],
    }


def _timeline_item(e: TimelineEntry, link: ProposalLink) -> dict[str, Any]:
    """A timeline entry in the shape of ``_statement``, with its shift label per issue."""
    return {
        "id": e.pk, "date": e.effective, "stated_on": e.stated_on, "date_basis": e.date_basis,
        "negotiation_id": e.negotiation_id, "actor_id": e.actor_id, "actor": e.actor,
        "speaker": e.speaker, "person": e.person, "stance": e.stance, "issues": e.issues,
        "summary": e.summary, "conditions": e.conditions, "quote_type": e.quote_type,
        "via": e.via, "evidence": [
            {"start": span.start, "end": span.end, "text": span.text} for span in e.evidence
        ],
        "article_id": e.article_id, "article_title": e.article_title, "url": e.url or None,
        "published_on": e.published_on,
        "outlets": list(dict.fromkeys(name for name in (e.outlet, *e.also) if name)),
        "confidence": e.confidence,
        "shifts": [{"issue": key, "label": label} for key, _, label in e.issue_shifts],
        "proposal": {"key": link.key, "name": link.name} if link.key else None,
        "clauses": link.clauses,
    }


def _position(s: Position | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"id": s.pk, "date": s.effective, "stance": s.stance,
            "summary": s.summary, "conditions": s.conditions, "outlets": s.outlets,
            "since": s.since}


def _actors(negotiation: Negotiation) -> list[dict[str, Any]]:
    return [
        {"id": p.actor.pk, "name": p.actor.name, "short_name": p.actor.short_name,
         "kind": p.actor.kind, "role": p.role, "colour": p.actor.colour}
        for p in Participation.objects.filter(negotiation=negotiation).select_related("actor")
    ]


class TimelineQuery(Schema):
    negotiation: str | Unset = Field(
        None, max_length=200, pattern=NO_NUL, description="slug, id or name")
    issue: str | Unset = Field(
        None, max_length=120, pattern=NO_NUL,
        description="id, key (ceasefire/permanent) or name; includes its sub-issues")
    stance: Statement.Stance | Unset = None
    speaker: str | Unset = Field(None, max_length=120, pattern=NO_NUL)
    date_from: Date | Unset = None
    date_to: Date | Unset = None


class StatementQuery(TimelineQuery):
    actor: str | Unset = Field(
        None, max_length=120, pattern=NO_NUL, description="id, name, short name or alias")
    proposal: str | Unset = Field(
        None, max_length=200, pattern=NO_NUL, examples=["three-phase-plan"],
        description="id, key or name: the statements about that proposal or its clauses")


def _refusal(error: NotFound | Ambiguous, field: str) -> HttpError | ValidationError:
    """A name that finds nothing: 404 saying which; several things: 422 saying how to choose."""
    if isinstance(error, Ambiguous):
        return ValidationError([{"loc": ["query", field], "msg": str(error), "type": "ambiguous"}])
    return HttpError(404, str(error))


def _filters(query: TimelineQuery) -> StatementFilters:
    """The query's filters with names resolved: an unknown one is a 404 that says which, a
    name several things share a 422 that says how to tell them apart."""
    field = "negotiation"
    try:
        negotiation = negotiation_named(query.negotiation) if query.negotiation else None
        field = "actor"
        actor = getattr(query, "actor", None)
        actor_id = actor_named(actor, negotiation).pk if actor else None
        field = "issue"
        issue_id = issue_named(query.issue, negotiation).pk if query.issue else None
        field = "proposal"
        proposal = getattr(query, "proposal", None)
        proposal_id = proposal_named(proposal, negotiation).pk if proposal else None
    except (NotFound, Ambiguous) as error:
        raise _refusal(error, field) from None
    return StatementFilters(
        negotiation_id=negotiation.pk if negotiation else None, actor_id=actor_id,
        issue_id=issue_id, stance=query.stance or "", speaker=query.speaker or "",
        date_from=query.date_from, date_to=query.date_to, proposal_id=proposal_id,
    )


@api.get("/negotiations", response={200: list[NegotiationOut], **ERRORS}, tags=["negotiations"])
def negotiations(request: HttpRequest) -> Any:
    """Every negotiation (a handful: not paginated)."""
    return list(Negotiation.objects.all())


@api.get("/negotiations/{slug}/actors", response={200: list[ActorOut], **NOT_FOUND},
         tags=["negotiations"])
def negotiation_actors(request: HttpRequest, slug: str) -> Any:
    """The actors of a negotiation with their role (party or mediator)."""
    return _actors(get_object_or_404(Negotiation, slug=slug))


@api.get("/negotiations/{slug}/issues", response={200: list[IssueOut], **NOT_FOUND},
         tags=["negotiations"])
def negotiation_issues(request: HttpRequest, slug: str) -> Any:
    """The issues of a negotiation in display order; a sub-issue names its parent."""
    return list(get_object_or_404(Negotiation, slug=slug).issues.all())


@api.get("/negotiations/{slug}/side-by-side", response={200: MatrixOut, **NOT_FOUND},
         tags=["positions"])
def side_by_side(
    request: HttpRequest, slug: str, as_of: Date | None = None, compare: Date | None = None,
    mode: ModeName = "as_of",
) -> Any:
    """Each actor's latest position per issue on a date (default today), optionally against
    an earlier date. ``mode``: ``as_of`` (statements effective by the date), ``published``
    (only those whose article was published by the date) or ``record`` (the statements as
    editors had approved them that day, from Parley's history)."""
    negotiation = get_object_or_404(Negotiation, slug=slug)
    matrix = positions_side_by_side(
        negotiation=negotiation, as_of=as_of or timezone.localdate(), compare=compare,
        mode=Mode(mode),
    )
    return {
        "negotiation": negotiation.slug, "mode": matrix.mode.value, "as_of": matrix.as_of,
        "compare": matrix.compare,
        "actors": _matrix_actors(matrix.actors),
        "rows": [
            {"issue": row.issue.key, "issue_name": row.issue.name, "depth": row.depth,
             "gap": row.gap, "cells": [
                 {"actor_id": cell.actor.pk, "position": _position(cell.statement),
                  "sub_issues": [{"issue": issue.key, "position": _position(s)}
                                 for issue, s in cell.sub],
                  "compared": _position(cell.previous), "changed": cell.changed}
                 for cell in row.cells
             ]}
            for row in matrix.rows
        ],
    }


def _matrix_actors(participations: Any) -> list[dict[str, Any]]:
    """A matrix's columns: its negotiation's actors with their roles."""
    return [
        {"id": p.actor.pk, "name": p.actor.name, "short_name": p.actor.short_name,
         "kind": p.actor.kind, "role": p.role, "colour": p.actor.colour}
        for p in participations
    ]


@api.get("/negotiations/{slug}/proposals/matrix", response={200: ProposalMatrixOut, **NOT_FOUND},
         tags=["proposals"], url_name="proposals_matrix")
def proposals_matrix_api(
    request: HttpRequest, slug: str, as_of: Date | None = None, compare: Date | None = None,
    mode: ModeName = "as_of",
) -> Any:
    """Each actor's latest stance toward each proposal on a date (default today), optionally
    against an earlier date; the same matrix as the page /negotiations/{slug}/proposals/, in
    the same time modes as the side-by-side. Proposals put forward after the date are left
    out (``later`` counts them)."""
    negotiation = get_object_or_404(Negotiation, slug=slug)
    matrix = proposals_matrix(
        negotiation=negotiation, as_of=as_of or timezone.localdate(), compare=compare,
        mode=Mode(mode),
    )
    return {
        "negotiation": negotiation.slug, "mode": matrix.mode.value, "as_of": matrix.as_of,
        "compare": matrix.compare, "later": matrix.later,
        "actors": _matrix_actors(matrix.actors),
        "rows": [
            {"proposal": row.proposal.key, "proposal_id": row.proposal.pk, "name": row.proposal.name,
             "parent": matrix.keys.get(row.proposal.parent_id) if row.proposal.parent_id else None,
             "proposed_on": row.proposal.proposed_on, "depth": row.depth,
             "cells": [
                 {"actor_id": cell.actor_id, "position": _position(cell.statement),
                  "compared": _position(cell.previous), "changed": cell.changed,
                  "shift": cell.shift}
                 for cell in row.cells
             ]}
            for row in matrix.rows
        ],
    }


@api.get("/statements", response={200: StatementPage, **NOT_FOUND}, tags=["statements"])
def statements(
    request: HttpRequest, query: Query[StatementQuery],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Any:
    """Approved statements, oldest first (statements with no date at all last), by limit
    and offset."""
    qs = approved_statements(_filters(query))
    # Nulls last: the order the (actor | negotiation, status, effective_on) indexes keep.
    rows = with_proposals(_with_outlets(qs)).prefetch_related("evidence").order_by(
        F("effective_on").asc(nulls_last=True), "pk"
    )[offset:offset + limit]
    return {"count": qs.count(), "limit": limit, "offset": offset,
            "items": [_statement(s) for s in rows]}


@api.get("/actors/{actor_id}/timeline", response={200: TimelinePageOut, **NOT_FOUND},
         tags=["statements"])
def actor_timeline(
    request: HttpRequest, query: Query[TimelineQuery],
    actor_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    cursor: Annotated[str | Unset, Query(max_length=80, pattern=r"^[A-Za-z0-9_-]+$")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = TIMELINE_PAGE_SIZE,
) -> Any:
    """An actor's approved statements, newest first, with each issue's shift label; page
    on with ``next_cursor``."""
    actor = get_object_or_404(Actor, pk=actor_id)
    page = timeline_for_actor(
        actor=actor, filters=_filters(query), cursor=cursor, page_size=limit
    )
    links = proposal_links([e.pk for e in page.statements])
    return {"next_cursor": page.next_cursor,
            "items": [_timeline_item(e, links[e.pk]) for e in page.statements]}


def _proposal(p: Proposal, negotiation_slug: str) -> dict[str, Any]:
    return {
        "id": p.pk, "negotiation": negotiation_slug, "key": p.key, "name": p.name,
        "aliases": [alias for alias in p.aliases if isinstance(alias, str)],
        "proposers": [{"id": a.pk, "name": a.name} for a in p.proposers],  # type: ignore[attr-defined]  # prefetched
        "proposed_on": p.proposed_on, "parent": p.parent.key if p.parent else None,
        "clause_count": p.clause_count,  # type: ignore[attr-defined]  # annotated by the query
        "url": reverse("positions:proposal", args=[p.pk]),
    }


def _proposal_or_404(proposal_id: int) -> Proposal:
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        raise HttpError(404, f"No proposal {proposal_id}.")
    return proposal


@api.get("/negotiations/{slug}/proposals", response={200: list[ProposalOut], **NOT_FOUND},
         tags=["proposals"])
def negotiation_proposals(request: HttpRequest, slug: str) -> Any:
    """The negotiation's proposals, oldest first (undated last): who put each forward and
    when, the version it amends, how many clauses it has (a few dozen: not paginated)."""
    negotiation = get_object_or_404(Negotiation, slug=slug)
    return [_proposal(p, negotiation.slug) for p in proposals_of(negotiation)]


@api.get("/proposals/{proposal_id}", response={200: ProposalDetailOut, **NOT_FOUND},
         tags=["proposals"])
def proposal(request: HttpRequest, proposal_id: Annotated[int, Path(ge=1, le=MAX_ID)]) -> Any:
    """One proposal with its clauses (each on an issue), the versions that amend it and
    the articles that report it."""
    p = proposal_record(proposal_id)
    if p is None:
        raise HttpError(404, f"No proposal {proposal_id}.")
    return {
        **_proposal(p, p.negotiation.slug), "summary": p.summary,
        "clauses": [
            {"key": c.key, "issue": c.issue.key if c.issue else None, "text": c.text,
             "position": c.position}
            for c in p.clauses.all()
        ],
        "versions": [
            {"id": v.pk, "key": v.key, "name": v.name, "proposed_on": v.proposed_on,
             "url": reverse("positions:proposal", args=[v.pk])}
            for v in p.versions.all()
        ],
        "articles": [
            {"id": a.pk, "title": a.title, "url": a.url or None, "published_on": a.published_on}
            for a in p.articles.all()
        ],
    }


class StanceQuery(Schema):
    as_of: Date | Unset = Field(None, description="only stances effective on or before this date")
    actor: str | Unset = Field(
        None, max_length=120, pattern=NO_NUL, description="id, name, short name or alias")


@api.get("/proposals/{proposal_id}/stances", response={200: StancePage, **NOT_FOUND},
         tags=["proposals"])
def proposal_stances(
    request: HttpRequest, query: Query[StanceQuery],
    proposal_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = MAX_LIMIT,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> Any:
    """Every approved stance toward the proposal or any of its clauses, oldest first:
    who, which stance, when, on which clauses, with what condition, the evidence and
    outlets, and the statement's page; ``as_of`` and ``actor`` narrow it."""
    p = _proposal_or_404(proposal_id)
    try:
        actor_id = actor_named(query.actor, p.negotiation).pk if query.actor else None
    except (NotFound, Ambiguous) as error:
        raise _refusal(error, "actor") from None
    qs = stances_toward(p, as_of=query.as_of, actor_id=actor_id)
    return {
        "proposal": {"key": p.key, "name": p.name}, "as_of": query.as_of,
        "count": qs.count(), "limit": limit, "offset": offset,
        "items": [_stance(s) for s in qs[offset:offset + limit]],
    }


def _stance(s: Statement) -> dict[str, Any]:
    article = s.article
    return {
        "statement_id": s.pk, "statement_url": reverse("positions:statement", args=[s.pk]),
        "date": s.effective_on, "actor_id": s.actor_id, "actor": s.actor.name,
        "speaker": s.speaker, "stance": s.stance,
        "clauses": [clause.key for clause in s.clauses.all()],
        "conditions": s.conditions, "summary": s.summary,
        "evidence": [{"start": e.start, "end": e.end, "text": e.text} for e in s.evidence.all()],
        "outlets": _outlets(s), "article_title": article.title if article else None,
        "url": (article.url or None) if article else None,
    }


@public
def index(request: HttpRequest) -> JsonResponse:
    """/api/ itself: where the schema is (django-ninja's own root view only answers 404)."""
    return JsonResponse({"openapi": reverse("api:openapi-json")})


def _marked(urls: tuple[list[Any], str, str]) -> tuple[list[Any], str, str]:
    """Mark each API view for tests/test_permissions.py (the schema and index are public)."""
    for pattern in urls[0]:
        if pattern.name == "api-root":
            pattern.callback = index
        elif not hasattr(pattern.callback, "parley_access"):
            pattern.callback.parley_access = "api_reader"
    return urls


urls = _marked(api.urls)
