"""A new statement: from text selected in an article (on a page of its own, or as a card
inline on the review page, prefilled by the extractor's reading), or entered by hand."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import trigger_client_event

from articles.forms import NewStatementForm
from articles.prefill import (
    reading_initial,
    reading_waited_out,
    selection_prefill,
    selection_reading_request,
)
from articles.selectors import default_negotiation, proposals_newest_first
from articles.views.lookups import article_or_404, reading_or_404, statement_or_404
from articles.views.statement import after_review_url
from positions.access import editor_required
from positions.models import Article, Negotiation, Statement
from positions.services import statement_create
from positions.web import AuthenticatedHttpRequest, render_region, stop_polling


@require_http_methods(["GET", "POST"])
@editor_required
def statement_new(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    """A statement from text selected in article ``pk``, or a hand entry without an article."""
    article = article_or_404(pk, "negotiation") if pk else None
    negotiation = article.negotiation if article else _hand_negotiation(request)
    initial = _new_initial(
        article, request.GET.get("evidence", "")[:5000], request.GET.get("evidence_start", "")
    )
    form = NewStatementForm(
        request.POST or None, negotiation=negotiation, article=article, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        statement = _created(request, form, negotiation, article)
        if statement is not None:
            messages.success(request, f"Statement #{statement.pk} saved.")
            return HttpResponseRedirect(after_review_url(statement))
    context = {
        "form": form, "article": article, "negotiation": negotiation,
        "negotiations": Negotiation.objects.all() if article is None else [],
        "proposals": proposals_newest_first(negotiation.pk),
    }
    return render_region(
        request, "articles/statement_new.html", context, regions={"new-statement"},
        status=422 if request.method == "POST" else 200,
    )


# --- A new statement inline, from a selection on the review page --------------------------

NEW_CARD = "articles/statement_new.html#new-card"


def _new_initial(article: Article | None, evidence: str, evidence_start: str) -> dict[str, Any]:
    """The quick prefill (plain text matching): shown at once, kept if no reading comes."""
    initial: dict[str, Any] = {"evidence": evidence, "stance": "demand", "evidence_start": evidence_start}
    if article is not None and evidence.strip():
        initial.update(selection_prefill(article=article, text=evidence))
    return initial


def _new_card_opened(request: AuthenticatedHttpRequest, article: Article) -> HttpResponse:
    """The card opened from a selection: the quick prefill at once, and the extractor's
    reading asked of a worker (the card polls ``statement_new_reading`` for it)."""
    evidence = request.POST.get("evidence", "")[:5000]
    start = request.POST.get("evidence_start", "")
    form = NewStatementForm(
        negotiation=article.negotiation, article=article,
        initial=_new_initial(article, evidence, start),
    )
    if not evidence.strip():
        context = {"form": form, "article": article, "note": "Select text in the article first."}
        return render(request, NEW_CARD, context, status=422)
    reading = selection_reading_request(article=article, text=evidence)
    context = {"form": form, "article": article, "reading": reading, "waiting": True,
               "evidence_start": start}
    return render(request, NEW_CARD, context)


@require_POST
@editor_required
def statement_new_card(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The review page's new-statement card: opened from a selection, or saved."""
    article = article_or_404(pk, "negotiation")
    if "save" not in request.POST:
        return _new_card_opened(request, article)
    form = NewStatementForm(request.POST, negotiation=article.negotiation, article=article)
    statement = _created(request, form, article.negotiation, article) if form.is_valid() else None
    if statement is None:
        return render(request, NEW_CARD, {"form": form, "article": article}, status=422)
    if not request.htmx:
        messages.success(request, f"Statement #{statement.pk} saved.")
        return HttpResponseRedirect(after_review_url(statement))
    context = {"statement": statement_or_404(statement.pk), "review_actions": True,
               "note": f"Statement #{statement.pk} saved."}
    response = render(request, "articles/statement_new.html#new-card-saved", context)
    return trigger_client_event(response, "statement-reviewed", {"id": statement.pk})


@require_GET
@editor_required
def statement_new_reading(request: AuthenticatedHttpRequest, token: UUID) -> HttpResponse:
    """What the card polls: 204 while the worker reads, then the card filled in (286 stops
    the polling). A reading that never came leaves the quick prefill, saying so."""
    reading = reading_or_404(token)
    waiting = reading.reading is None and not reading_waited_out(reading)
    if waiting and request.htmx:
        return HttpResponse(status=204)  # nothing to swap: the card polls again
    article, start = reading.article, request.GET.get("evidence_start", "")
    initial = {**_new_initial(article, reading.text, start), **reading_initial(reading)}
    note = reading.error or (
        "" if reading.reading is not None or waiting
        else "The extractor did not answer in time: the fields show the quick guess."
    )
    form = NewStatementForm(negotiation=article.negotiation, article=article, initial=initial)
    context = {"form": form, "article": article, "note": note, "read": not (note or waiting),
               "waiting": waiting, "reading": reading, "evidence_start": start}
    if not request.htmx:  # a plain visit: the card on a page of its own
        return render(request, "articles/statement_new.html", {
            **context, "card": True, "proposals": proposals_newest_first(article.negotiation_id)})
    return stop_polling(render(request, NEW_CARD, context))  # htmx swaps it in, polls no more


def _created(request: AuthenticatedHttpRequest, form: NewStatementForm, negotiation: Negotiation,
             article: Article | None) -> Statement | None:
    """The statement the valid form describes, or None with the evidence error on the form."""
    try:
        return statement_create(
            negotiation=negotiation, article=article, changes=form.changes(),
            user=request.user, evidence=form.cleaned_data["evidence"],
            evidence_near=form.cleaned_data["evidence_start"],
            approve=form.cleaned_data["approve"], proposal=form.cleaned_data["proposal"],
        )
    except ValidationError as error:
        form.add_error("evidence", error)
        return None


def _hand_negotiation(request: AuthenticatedHttpRequest) -> Negotiation:
    """The negotiation named by ``?negotiation=slug``, else the first one; 404 when none."""
    negotiation = default_negotiation(slug=request.GET.get("negotiation"))
    if negotiation is None:
        raise Http404("No such negotiation.")
    return negotiation

