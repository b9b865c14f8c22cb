"""The editor's proposal pages: a negotiation's proposals, a new proposal, and one proposal
edited with its clauses on the same page, beside its history. Editors and admins only;
researchers read proposals on the research pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from positions.access import editor_required
from positions.models import Negotiation, Proposal
from positions.proposal_forms import (
    CLAUSES_PREFIX,
    MAX_CLAUSES,
    ClauseFormSet,
    ProposalForm,
    clause_form_kwargs,
    clause_initial,
)
from positions.proposal_services import (
    ClauseRowError,
    ProposalConflict,
    proposal_read_token,
    proposal_save,
)
from positions.selectors.proposal_history import proposal_history, proposals_for_editing
from positions.web import AuthenticatedHttpRequest

FORM_TEMPLATE = "positions/proposal_form.html"


def _negotiation_or_404(request: AuthenticatedHttpRequest) -> Negotiation:
    """The negotiation named by ``?negotiation=slug``; without one, the first created."""
    slug = request.GET.get("negotiation", "")
    negotiations = Negotiation.objects.order_by("pk")
    negotiation = negotiations.filter(slug=slug).first() if slug else negotiations.first()
    if negotiation is None:
        raise Http404("No such negotiation.")
    return negotiation


def _proposal_or_404(pk: int) -> Proposal:
    return get_object_or_404(Proposal.objects.select_related("negotiation"), pk=pk)


@require_GET
@editor_required
def proposal_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A negotiation's proposals, each linked to its editor page."""
    negotiation = _negotiation_or_404(request)
    context = {
        "negotiation": negotiation, "negotiations": Negotiation.objects.order_by("name"),
        "proposals": proposals_for_editing(negotiation),
    }
    return render(request, "positions/proposal_list.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def proposal_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    """A new proposal of ``?negotiation=slug``, with its first clauses."""
    return _editor_page(request, _negotiation_or_404(request), None)


@require_http_methods(["GET", "POST"])
@editor_required
def proposal_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A proposal and its clauses, edited together, beside its history."""
    proposal = _proposal_or_404(pk)
    return _editor_page(request, proposal.negotiation, proposal)


def _forms(
    request: AuthenticatedHttpRequest, negotiation: Negotiation, proposal: Proposal | None,
    *, bound: bool,
) -> tuple[ProposalForm, Any]:
    data = request.POST if bound else None
    initial = ProposalForm.initial_for(proposal, read_at=proposal_read_token(proposal)) if proposal else None
    form = ProposalForm(data, negotiation=negotiation, proposal=proposal, initial=initial)
    current = list(proposal.clauses.order_by("position", "key")) if proposal else []
    clauses = ClauseFormSet(
        data, prefix=CLAUSES_PREFIX, form_kwargs=clause_form_kwargs(negotiation),
        initial=clause_initial(current) if proposal else None,
        clauses={clause.pk: clause for clause in current},
    )
    return form, clauses


def _editor_page(
    request: AuthenticatedHttpRequest, negotiation: Negotiation, proposal: Proposal | None
) -> HttpResponse:
    """The form of a new or existing proposal: shown, or saved and redirected to."""
    if request.method != "POST":
        return _editor(request, negotiation, proposal, *_forms(request, negotiation, proposal, bound=False))
    form, clauses = _forms(request, negotiation, proposal, bound=True)
    read_at = request.POST.get("read_at") or None
    try:
        # Rows are compared with the clauses as they are now: a form read before someone
        # else's change is a conflict before it is anything else.
        if proposal is not None and read_at and read_at != proposal_read_token(proposal):
            raise ProposalConflict(proposal.pk)
        if form.is_valid() and clauses.is_valid():
            saved = proposal_save(
                negotiation=negotiation, proposal=proposal, user=request.user,
                fields=form.service_fields(), clauses=clauses.edits(), read_at=read_at,
            )
            unchanged = proposal is not None and read_at == proposal_read_token(saved)
            note = "No changes to save." if unchanged else f"Proposal “{saved.name}” saved."
            messages.success(request, note)
            return HttpResponseRedirect(reverse("positions:proposal_edit", args=[saved.pk]))
    except ProposalConflict:
        messages.error(request, "Someone saved this proposal since you opened it: "
                       "here it is as it stands now. Make your changes again.")
        fresh = _forms(request, negotiation, proposal, bound=False)
        return _editor(request, negotiation, proposal, *fresh, status=409)
    except ClauseRowError as refused:
        clauses.row_forms[refused.index].add_error(None, refused.error)
    except ValidationError as refused:
        form.add_error(None, refused)
    return _editor(request, negotiation, proposal, form, clauses, status=422)


def _editor(
    request: AuthenticatedHttpRequest, negotiation: Negotiation, proposal: Proposal | None,
    form: ProposalForm, clauses: Any, *, status: int = 200,
) -> HttpResponse:
    context = {
        "negotiation": negotiation, "proposal": proposal, "form": form, "clauses": clauses,
        "history": proposal_history(proposal) if proposal else [],
    }
    return render(request, FORM_TEMPLATE, context, status=status)


@require_GET
@editor_required
def proposal_clause_row(request: AuthenticatedHttpRequest) -> HttpResponse:
    """One more blank clause row for the form (htmx), numbered after the rows it has; the
    form's row count follows out of band. Visited as a page, it leads to a new proposal."""
    negotiation = _negotiation_or_404(request)
    if not request.htmx:
        query = urlencode({"negotiation": negotiation.slug})
        return HttpResponseRedirect(f"{reverse('positions:proposal_new')}?{query}")
    try:
        index = int(request.GET.get(f"{CLAUSES_PREFIX}-TOTAL_FORMS", "0"))
    except ValueError:
        index = -1
    if not 0 <= index < MAX_CLAUSES:
        return HttpResponse(f"A proposal has at most {MAX_CLAUSES} clauses.", status=422)
    formset = ClauseFormSet(prefix=CLAUSES_PREFIX, form_kwargs=clause_form_kwargs(negotiation))
    row = formset.empty_form
    row.prefix = formset.add_prefix(index)
    context = {"row": row, "number": index + 1, "total": index + 1, "prefix": CLAUSES_PREFIX}
    return render(request, f"{FORM_TEMPLATE}#clause-row-added", context)
