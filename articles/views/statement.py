"""One statement in the review workspace: its page, its card, and the review actions on it
(approve, reject, edit, merge, split, speaker, evidence, restore)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from articles import undo
from articles.forms import (
    AddEvidenceForm,
    MergeForm,
    RejectForm,
    SpeakerForm,
    SplitForm,
    StatementForm,
    VersionForm,
)
from articles.selectors import (
    duplicate_suggestions,
    has_drafts,
    merged_here,
    next_article,
    proposals_newest_first,
    reported_elsewhere,
    statement_versions,
)
from articles.views.lookups import statement_or_404
from positions.access import editor_required
from positions.models import Statement
from positions.services import (
    StatementConflict,
    person_learn,
    statement_add_evidence,
    statement_approve,
    statement_merge,
    statement_reject,
    statement_restore,
    statement_split_parts,
    statement_update,
)
from positions.web import AuthenticatedHttpRequest, htmx_target

CARD = "positions/statement.html#card"


# --- One statement: its page and the review actions ---------------------------------------


def _with_saved(card: Statement, saved: Statement) -> Statement:
    """The card loaded before a review, with what the service saved. Approving and rejecting
    change only the statement's own fields (status, version, reviewer), not its issues or
    evidence, so the card is shown again without reading the statement a second time."""
    for field in Statement._meta.concrete_fields:
        setattr(card, field.attname, getattr(saved, field.attname))
        if isinstance(field, ForeignKey) and field.is_cached(saved):
            field.set_cached_value(card, field.get_cached_value(saved))
    return card


def remember(request: AuthenticatedHttpRequest, statement: Statement, label: str) -> None:
    page, page_label = undo.page_of(statement)
    undo.remember(request.session, page=page, page_label=page_label, label=label,
                  items=[(statement.pk, statement.version)])


def _undo_offer(request: AuthenticatedHttpRequest, statement: Statement) -> undo.UndoOffer | None:
    return undo.offer(request.session, undo.page_of(statement)[0])


def after_action(
    request: AuthenticatedHttpRequest, statement: Statement, note: str, *, loaded: bool = False
) -> HttpResponse:
    """htmx: the changed card plus the undo bar; a plain POST: back to where the editor works.

    ``loaded``: the statement already holds everything its card shows (else it is read).
    """
    if request.htmx:
        statement = statement if loaded else statement_or_404(statement.pk)
        context = {"statement": statement, "review_actions": True,
                   "undo": _undo_offer(request, statement), "note": note}
        response = render(request, "articles/review.html#card-and-undo", context)
        return trigger_client_event(response, "statement-reviewed", {"id": statement.pk})
    messages.success(request, note)
    return HttpResponseRedirect(after_review_url(statement))


def after_review_url(statement: Statement) -> str:
    """Where a plain POST goes after an action: the article's review page (the next
    article's once this one has no drafts left), or a hand entry's own page."""
    article = statement.article
    if article is None:
        return reverse("articles:statement", args=[statement.pk])
    if not has_drafts(article):
        following = next_article(article)
        if following:
            return reverse("articles:review", args=[following.pk])
    return reverse("articles:review", args=[article.pk]) + f"#statement-{statement.pk}"


def conflict_page(
    request: AuthenticatedHttpRequest, current: Statement, attempted: StatementForm | None = None
) -> HttpResponse:
    """409 with the current version: the editor sees what was saved, nothing is overwritten.

    After an edit, the editor's own values are shown beside it, so nothing typed is lost.
    """
    context: dict[str, Any] = {
        "statement": statement_or_404(current.pk), "review_actions": True, "conflict": True,
        "attempted": _attempted(attempted) if attempted else [],
    }
    template = CARD if request.htmx else "articles/statement.html"
    if not request.htmx:
        context.update(statement_page_context(request, context["statement"]))
    return render(request, template, context, status=409)


def _attempted(form: StatementForm) -> list[tuple[str, str]]:
    shown = []
    for name, value in form.cleaned_data.items():
        if name == "version":
            continue
        if name == "issues":
            value = ", ".join(issue.key for issue in value)
        shown.append((str(form.fields[name].label or name.capitalize()), str(value or "—")))
    return shown


def _invalid(
    request: AuthenticatedHttpRequest, statement: Statement, **forms: Any
) -> HttpResponse:
    """422: a plain POST gets the statement page with the errors, htmx the form in place."""
    context: dict[str, Any] = {"statement": statement, "review_actions": True, **forms}
    if request.htmx and "form" in forms:
        return render(request, "positions/statement.html#edit-form", context, status=422)
    if request.htmx:
        return render(request, CARD, {**context, "errors": forms}, status=422)
    context.update(statement_page_context(request, statement))
    context.update(forms)
    return render(request, "articles/statement.html", context, status=422)


def statement_page_context(request: AuthenticatedHttpRequest, statement: Statement) -> dict[str, Any]:
    """What the statement's own page shows besides its card: history, duplicates, forms."""
    return {
        "history": statement_versions(statement), "undo": _undo_offer(request, statement),
        "duplicates": reported_elsewhere(statement), "merged_here": merged_here(statement),
        "suggestions": duplicate_suggestions(statement),
        "proposals": proposals_newest_first(statement.negotiation_id),
        "split_form": SplitForm(statement=statement, initial={"version": statement.version}),
        "speaker_form": SpeakerForm(
            negotiation=statement.negotiation,
            initial={"version": statement.version, "name": statement.person.name
                     if statement.person else statement.speaker, "actor": statement.actor_id,
                     "title": statement.person.title if statement.person else ""},
        ),
    }


@require_GET
@editor_required
def statement_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    context = {"statement": statement, "review_actions": True}
    if htmx_target(request) == f"statement-{pk}":
        return render(request, CARD, context)
    context.update(statement_page_context(request, statement))
    return render(request, "articles/statement.html", context)


@require_POST
@editor_required
def statement_approve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, version_form=form)
    return _decided(request, statement, "approved", lambda: statement_approve(
        statement_id=pk, version=form.cleaned_data["version"], user=request.user
    ))


@require_POST
@editor_required
def statement_reject_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, reject_form=form)
    return _decided(request, statement, "rejected", lambda: statement_reject(
        statement_id=pk, version=form.cleaned_data["version"], user=request.user,
        reason=form.cleaned_data["reason"],
    ))


def _decided(
    request: AuthenticatedHttpRequest, statement: Statement, verb: str,
    decide: Callable[[], Statement],
) -> HttpResponse:
    """An approve or reject: the service's decision, remembered for undo, shown on the card
    already loaded (a conflict shows the statement as it now stands)."""
    try:
        saved = decide()
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current)
    statement = _with_saved(statement, saved)
    remember(request, statement, f"{verb} #{statement.pk}")
    return after_action(request, statement, f"{verb.capitalize()} statement #{statement.pk}.", loaded=True)


def _edit_form(request: AuthenticatedHttpRequest, statement: Statement, form: StatementForm) -> HttpResponse:
    """The edit form: in place of the card for htmx, else on the statement's page."""
    context = {"statement": statement, "form": form, "review_actions": True}
    if request.htmx:
        return render(request, "positions/statement.html#edit-form", context)
    context.update(statement_page_context(request, statement))
    return render(request, "articles/statement.html", context)


@require_http_methods(["GET", "POST"])
@editor_required
def statement_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    initial = StatementForm.initial_for(statement)
    form = StatementForm(request.POST or None, negotiation=statement.negotiation, initial=initial)
    if request.method != "POST":
        return _edit_form(request, statement, form)
    if not form.is_valid():
        return _invalid(request, statement, form=form)
    version, approve = form.cleaned_data["version"], "and_approve" in request.POST
    try:
        saved = statement_update(
            statement_id=pk, version=version, user=request.user, changes=form.changes(),
            approve=approve,
        )
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current, attempted=form)
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, statement, form=form)
    if saved.version == version:
        return after_action(request, saved, f"No changes to statement #{pk}.")
    approved = approve and saved.status == Statement.Status.APPROVED
    remember(request, saved, f"{'edited and approved' if approved else 'edited'} #{pk}")
    return after_action(request, saved, f"Saved statement #{pk}.")


@require_POST
@editor_required
def statement_merge_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = MergeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, merge_form=form)
    try:
        statement = statement_merge(
            statement_id=pk, version=form.cleaned_data["version"],
            canonical_id=form.cleaned_data["canonical"], user=request.user,
            other_actor=form.cleaned_data["other_actor"],
        )
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current)
    except (ValidationError, Statement.DoesNotExist) as error:
        # Different actors: the page asks, with a button that merges anyway.
        ask = form.cleaned_data["canonical"] if getattr(error, "code", None) == "other_actor" else None
        form.add_error("canonical", getattr(error, "message", "No such statement."))
        return _invalid(request, statement, merge_form=form, merge_confirm=ask)
    remember(request, statement, f"merged #{pk}")
    canonical = statement.duplicate_of_id
    return after_action(request, statement, f"Statement #{pk} is a duplicate of #{canonical}.")


@require_POST
@editor_required
def statement_evidence_add(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Selected article text becomes more evidence of a statement (the current card's)."""
    form = AddEvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select text in the article and choose a statement first.")
        back = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return HttpResponseRedirect(back if safe else reverse("articles:queue"))
    data = form.cleaned_data
    statement = statement_or_404(data["statement"])
    try:
        statement = statement_add_evidence(
            statement_id=statement.pk, user=request.user, evidence=data["evidence"],
            evidence_near=data["evidence_start"],
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, f"Added the selection to the evidence of #{statement.pk}.")
    if not statement.article_id:
        return redirect("articles:statement", pk=statement.pk)
    url = reverse("articles:review", args=[statement.article_id])
    return HttpResponseRedirect(f"{url}#statement-{statement.pk}")


@require_POST
@editor_required
def statement_split_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = SplitForm(request.POST, statement=statement)
    if not form.is_valid():
        return _invalid(request, statement, split_form=form)
    try:
        statement, parts = statement_split_parts(
            statement_id=pk, version=form.cleaned_data["version"], parts=form.parts(),
            user=request.user, stance=form.stance(),
        )
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current)
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, statement, split_form=form)
    page, page_label = undo.page_of(statement)
    ids = ", ".join(f"#{new.pk}" for new in parts)
    undo.remember(request.session, page=page, page_label=page_label, label=f"split #{pk}",
                  items=[(statement.pk, statement.version), *((new.pk, 1) for new in parts)])
    messages.success(request, f"Split #{pk}: the new statements are {ids}.")
    if request.htmx:
        return HttpResponseClientRefresh()
    return HttpResponseRedirect(after_review_url(statement))


@require_POST
@editor_required
def statement_speaker(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = SpeakerForm(request.POST, negotiation=statement.negotiation)
    if not form.is_valid():
        return _invalid(request, statement, speaker_form=form)
    data = form.cleaned_data
    try:
        statement = person_learn(
            statement_id=pk, version=data["version"], user=request.user, name=data["name"],
            actor=data["actor"], title=data["title"], add_alias=data["add_alias"],
        )
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current)
    if statement.version != data["version"]:
        remember(request, statement, f"speaker of #{pk}")
    note = f"{data['name']} is saved; the next extraction will recognise them."
    return after_action(request, statement, note)


@require_POST
@editor_required
def statement_restore_view(request: AuthenticatedHttpRequest, pk: int, to_version: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, version_form=form)
    try:
        statement = statement_restore(
            statement_id=pk, version=form.cleaned_data["version"], to_version=to_version,
            user=request.user,
        )
    except StatementConflict as conflict:
        return conflict_page(request, conflict.current)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("articles:statement", pk=pk)
    remember(request, statement, f"restored #{pk}")
    messages.success(request, f"Restored version {to_version} of statement #{pk}.")
    return redirect("articles:statement", pk=pk)

