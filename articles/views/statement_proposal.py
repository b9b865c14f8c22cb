"""The proposal a statement responds to, on its review card: choose another (its clauses
to pick from), save, confirm or remove the link extraction proposed; or create the
proposal the statement mentions when Parley does not know it yet."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods

from articles.forms import ProposalLinkForm, ProposalNewForm, proposal_from_words
from articles.selectors import proposals_newest_first
from articles.templatetags.review import LinkState
from articles.views.lookups import statement_or_404
from articles.views.statement import (
    CARD,
    after_action,
    conflict_page,
    remember,
    statement_page_context,
)
from positions.access import editor_required
from positions.models import Statement
from positions.services import StatementConflict, statement_link_new_proposal, statement_update
from positions.web import AuthenticatedHttpRequest, htmx_target


def card_or_page(
    request: AuthenticatedHttpRequest, statement: Statement, status: int = 200, **context: Any
) -> HttpResponse:
    """htmx: the card's proposal region (when it is the target) or the card; else the
    statement's page, its card showing the same."""
    context = {"statement": statement, "review_actions": True, **context}
    if htmx_target(request) == f"proposal-{statement.pk}":
        return render(request, "positions/statement.html#proposal-link", context, status=status)
    if request.htmx:
        return render(request, CARD, context, status=status)
    context.update(statement_page_context(request, statement))
    return render(request, "articles/statement.html", context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def statement_proposal(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the link form for the proposal the editor typed (its clauses to pick from).
    POST: save the link through the edit service (history records it)."""
    statement = statement_or_404(pk)
    if request.method != "POST":
        return _preview(request, statement)
    form = ProposalLinkForm(request.POST, negotiation=statement.negotiation)
    if not form.is_valid():
        return card_or_page(request, statement, status=422, link=_as_posted(form))
    version = form.cleaned_data["version"]
    try:
        saved = statement_update(statement_id=pk, version=version, user=request.user, link=form.link())
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current)
    except ValidationError as error:
        form.add_error(None, error)
        return card_or_page(request, statement, status=422, link=_as_posted(form))
    if saved.version == version:
        return after_action(request, saved, f"No changes to the proposal of statement #{pk}.")
    remember(request, saved, f"proposal of #{pk}")
    name = saved.proposal.name if saved.proposal else ""
    note = f"Statement #{pk} is about “{name}”." if name else f"Statement #{pk} is about no proposal."
    return after_action(request, saved, note)


def _as_posted(form: ProposalLinkForm) -> LinkState:
    """The link form as the editor sent it, with what was wrong."""
    posted = form.data.getlist("clauses") if hasattr(form.data, "getlist") else []
    return LinkState(
        typed=form.data.get("proposal", ""), proposal=form.cleaned_data.get("proposal"),
        checked={int(pk) for pk in posted if str(pk).isdigit()},
        problems=[str(message) for messages in form.errors.values() for message in messages],
    )


def _preview(request: AuthenticatedHttpRequest, statement: Statement) -> HttpResponse:
    """The form for the proposal the editor typed: its clauses to pick from (the ones linked
    already checked, when it is the statement's own), or why the words name none."""
    words = request.GET.get("proposal", "")
    try:
        chosen = proposal_from_words(statement.negotiation, words)
    except ValidationError as error:
        return card_or_page(request, statement, link=LinkState(typed=words, problems=error.messages))
    own = chosen is not None and chosen.pk == statement.proposal_id
    checked = {clause.pk for clause in statement.clauses.all()} if own else set()
    typed = chosen.name if chosen is not None else words  # the words found it: its name
    return card_or_page(request, statement, link=LinkState(typed=typed, proposal=chosen, checked=checked))


@require_http_methods(["GET", "POST"])
@editor_required
def statement_proposal_new(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the form for a new proposal (the name typed, the article's date). POST: create
    it and link the statement to it, in one step."""
    statement = statement_or_404(pk)
    if request.method != "POST":
        published = statement.article.published_on if statement.article else None
        form = ProposalNewForm(negotiation=statement.negotiation, initial={
            "version": statement.version, "name": request.GET.get("name", "").strip(),
            "proposed_on": published,
        })
        return card_or_page(request, statement, new_form=form)
    form = ProposalNewForm(request.POST, negotiation=statement.negotiation)
    if not form.is_valid():
        return card_or_page(request, statement, status=422, new_form=form)
    data = form.cleaned_data
    try:
        saved = statement_link_new_proposal(
            statement_id=pk, version=data["version"], user=request.user, name=data["name"],
            aliases=data["aliases"], proposed_by=list(data["proposed_by"]),
            proposed_on=data["proposed_on"],
        )
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current)
    except ValidationError as error:
        _add_errors(form, error)
        return card_or_page(request, statement, status=422, new_form=form)
    remember(request, saved, f"new proposal for #{pk}")
    name = saved.proposal.name if saved.proposal else ""
    response = after_action(request, saved, f"Created “{name}”; statement #{pk} is about it.")
    if request.htmx:  # the names the proposal fields offer now include it
        names = proposals_newest_first(saved.negotiation_id)
        response.content += render_to_string(
            "positions/statement.html#proposal-names", {"proposals": names, "names_oob": True}
        ).encode()
    return response


def _add_errors(form: ProposalNewForm, error: ValidationError) -> None:
    """The service's errors on the form's fields where it has them, else on the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)
