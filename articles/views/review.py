"""The review workspace: the queue, an article's drafts, and the actions on one statement."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import ForeignKey
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from articles import undo
from articles.forms import (
    AddEvidenceForm,
    BulkForm,
    MergeForm,
    NewStatementForm,
    QueueFilterForm,
    RejectForm,
    SpeakerForm,
    SplitForm,
    StatementForm,
    VersionForm,
)
from articles.models import Article
from articles.prefill import (
    reading_initial,
    reading_waited_out,
    selection_prefill,
    selection_reading_request,
)
from articles.selectors import (
    SORTS,
    count_unconditioned,
    default_negotiation,
    draft_ids,
    draft_outcomes_by_version,
    duplicate_suggestions,
    has_drafts,
    highlight,
    merged_here,
    next_article,
    queue_articles,
    reported_elsewhere,
    review_statements,
    statement_versions,
)
from articles.views.lookups import article_or_404, reading_or_404, statement_or_404
from positions.access import editor_required
from positions.models import Negotiation, Statement
from positions.services import (
    StatementConflict,
    UndoResult,
    person_learn,
    statement_add_evidence,
    statement_approve,
    statement_create,
    statement_merge,
    statement_reject,
    statement_restore,
    statement_split_parts,
    statement_update,
    statements_bulk_review,
    statements_undo,
)
from positions.web import AuthenticatedHttpRequest, htmx_target, render_region, stop_polling

CARD = "positions/statement.html#card"


# --- The queue and an article's review page ---------------------------------------------


@require_GET
@editor_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    articles = list(queue_articles(filters)[:200])
    context = {
        "form": form, "articles": articles, "total": sum(a.pending for a in articles),
        "bulk_form": BulkForm(initial=request.GET.dict()),
        "undo": undo.offer(request.session, "queue"),
        # A callable: the template runs its one query only when the full page shows it.
        "outcomes": draft_outcomes_by_version,
    }
    return render_region(request, "articles/queue.html", context, regions={"queue-table"})


@require_GET
@editor_required
def article_review(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = article_or_404(pk, "negotiation", "outlet")
    sort = request.GET.get("sort", "position")
    sort = sort if sort in SORTS else "position"
    statements = review_statements(article, sort=sort)
    drafts = sum(1 for statement in statements if statement.status == Statement.Status.DRAFT)
    context = {
        "article": article, "statements": statements, "sort": sort, "sorts": list(SORTS),
        "segments": highlight(article.body, statements), "drafts": drafts,
        "next": next_article(article) if drafts == 0 else None,
        "undo": undo.offer(request.session, f"article-{article.pk}"), "review_actions": True,
        "actors": sorted({s.actor for s in statements}, key=lambda actor: actor.name),
    }
    regions = {"review-workspace", "review-progress"}
    return render_region(request, "articles/review.html", context, regions=regions)


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


def _remember(request: AuthenticatedHttpRequest, statement: Statement, label: str) -> None:
    page, page_label = undo.page_of(statement)
    undo.remember(request.session, page=page, page_label=page_label, label=label,
                  items=[(statement.pk, statement.version)])


def _undo_offer(request: AuthenticatedHttpRequest, statement: Statement) -> undo.UndoOffer | None:
    return undo.offer(request.session, undo.page_of(statement)[0])


def _after_action(
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
    return HttpResponseRedirect(_back_to(statement))


def _back_to(statement: Statement) -> str:
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


def _conflict(
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
        context.update(_statement_page_context(request, context["statement"]))
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
    context.update(_statement_page_context(request, statement))
    context.update(forms)
    return render(request, "articles/statement.html", context, status=422)


def _statement_page_context(request: AuthenticatedHttpRequest, statement: Statement) -> dict[str, Any]:
    """What the statement's own page shows besides its card: history, duplicates, forms."""
    return {
        "history": statement_versions(statement), "undo": _undo_offer(request, statement),
        "duplicates": reported_elsewhere(statement), "merged_here": merged_here(statement),
        "suggestions": duplicate_suggestions(statement),
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
    context.update(_statement_page_context(request, statement))
    return render(request, "articles/statement.html", context)


@require_POST
@editor_required
def statement_approve_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, version_form=form)
    try:
        saved = statement_approve(
            statement_id=pk, version=form.cleaned_data["version"], user=request.user
        )
    except StatementConflict as conflict:
        return _conflict(request, conflict.current)
    statement = _with_saved(statement, saved)
    _remember(request, statement, f"approved #{pk}")
    return _after_action(request, statement, f"Approved statement #{pk}.", loaded=True)


@require_POST
@editor_required
def statement_reject_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    statement = statement_or_404(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, reject_form=form)
    try:
        saved = statement_reject(
            statement_id=pk, version=form.cleaned_data["version"], user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except StatementConflict as conflict:
        return _conflict(request, conflict.current)
    statement = _with_saved(statement, saved)
    _remember(request, statement, f"rejected #{pk}")
    return _after_action(request, statement, f"Rejected statement #{pk}.", loaded=True)


def _edit_form(request: AuthenticatedHttpRequest, statement: Statement, form: StatementForm) -> HttpResponse:
    """The edit form: in place of the card for htmx, else on the statement's page."""
    context = {"statement": statement, "form": form, "review_actions": True}
    if request.htmx:
        return render(request, "positions/statement.html#edit-form", context)
    context.update(_statement_page_context(request, statement))
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
        return _conflict(request, conflict.current, attempted=form)
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, statement, form=form)
    if saved.version == version:
        return _after_action(request, saved, f"No changes to statement #{pk}.")
    approved = approve and saved.status == Statement.Status.APPROVED
    _remember(request, saved, f"{'edited and approved' if approved else 'edited'} #{pk}")
    return _after_action(request, saved, f"Saved statement #{pk}.")


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
        return _conflict(request, conflict.current)
    except (ValidationError, Statement.DoesNotExist) as error:
        # Different actors: the page asks, with a button that merges anyway.
        ask = form.cleaned_data["canonical"] if getattr(error, "code", None) == "other_actor" else None
        form.add_error("canonical", getattr(error, "message", "No such statement."))
        return _invalid(request, statement, merge_form=form, merge_confirm=ask)
    _remember(request, statement, f"merged #{pk}")
    canonical = statement.duplicate_of_id
    return _after_action(request, statement, f"Statement #{pk} is a duplicate of #{canonical}.")


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
            user=request.user,
        )
    except StatementConflict as conflict:
        return _conflict(request, conflict.current)
    except ValidationError as error:
        form.add_error(None, error)
        return _invalid(request, statement, split_form=form)
    page, page_label = undo.page_of(statement)
    ids = ", ".join(f"#{new.pk}" for new in parts)
    undo.remember(request.session, page=page, page_label=page_label, label=f"split #{pk}",
                  items=[(statement.pk, statement.version), *((new.pk, 1) for new in parts)])
    messages.success(request, f"Split #{pk}: the moved evidence is now {ids}.")
    if request.htmx:
        return HttpResponseClientRefresh()
    return HttpResponseRedirect(_back_to(statement))


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
        return _conflict(request, conflict.current)
    if statement.version != data["version"]:
        _remember(request, statement, f"speaker of #{pk}")
    note = f"{data['name']} is saved; the next extraction will recognise them."
    return _after_action(request, statement, note)


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
        return _conflict(request, conflict.current)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("articles:statement", pk=pk)
    _remember(request, statement, f"restored #{pk}")
    messages.success(request, f"Restored version {to_version} of statement #{pk}.")
    return redirect("articles:statement", pk=pk)


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
            return HttpResponseRedirect(_back_to(statement))
    context = {
        "form": form, "article": article, "negotiation": negotiation,
        "negotiations": Negotiation.objects.all() if article is None else [],
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
        return HttpResponseRedirect(_back_to(statement))
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
        return render(request, "articles/statement_new.html", {**context, "card": True})
    return stop_polling(render(request, NEW_CARD, context))  # htmx swaps it in, polls no more


def _created(request: AuthenticatedHttpRequest, form: NewStatementForm, negotiation: Negotiation,
             article: Article | None) -> Statement | None:
    """The statement the valid form describes, or None with the evidence error on the form."""
    try:
        return statement_create(
            negotiation=negotiation, article=article, changes=form.changes(),
            user=request.user, evidence=form.cleaned_data["evidence"],
            evidence_near=form.cleaned_data["evidence_start"],
            approve=form.cleaned_data["approve"],
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


# --- Undo and bulk ------------------------------------------------------------------------


@require_POST
@editor_required
def review_undo(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Undo the last action on the page named by ``page`` (else the latest on any page)."""
    page = request.POST.get("page", "")
    entry = undo.pop(request.session, page if undo.PAGE_KEY.match(page) else None)
    if entry is None:
        messages.info(request, "Nothing to undo.")
        return HttpResponseClientRefresh() if request.htmx else redirect("articles:queue")
    result = statements_undo(items=entry.items, user=request.user, label=entry.label)
    undo.renumber(request.session, entry, {s.pk: s.version for s in result.restored})
    note = f"Undid {entry.label} ({len(result.restored)} statement(s))."
    if result.conflicts:
        ids = ", ".join(f"#{s.pk}" for s in result.conflicts)
        note += f" Not undone, changed since by someone else: {ids}."
    if request.htmx and not result.removed:
        return _undone_cards(request, result, note, page=entry.page)
    messages.success(request, note)
    if request.htmx:
        return HttpResponseClientRefresh()  # statements went away: the page is redrawn
    first = result.restored[0] if result.restored else None
    return HttpResponseRedirect(_back_to(first) if first else reverse("articles:queue"))


def _undone_cards(
    request: AuthenticatedHttpRequest, result: UndoResult, note: str, *, page: str
) -> HttpResponse:
    """The restored statements' cards and the page's undo bar, in place."""
    restored = [statement_or_404(s.pk) for s in result.restored[:50]]
    context = {"restored": restored, "note": note, "review_actions": True,
               "undo": undo.offer(request.session, page)}
    response = render(request, "articles/review.html#undo-response", context)
    return trigger_client_event(response, "statement-reviewed", {"undone": len(restored)})


def _bulk_panel(
    request: AuthenticatedHttpRequest, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    template = "articles/queue.html#bulk-panel" if request.htmx else "articles/bulk.html"
    return render(request, template, context, status=status)


@require_POST
@editor_required
def review_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        return _bulk_panel(request, {"bulk_form": form, "bulk_count": None}, status=422)
    filters = form.filters()
    ids = draft_ids(filters)
    expected = form.cleaned_data["expected"]
    if expected is None or expected != len(ids):
        # Ask first, naming the count; a changed count (someone reviewed meanwhile) asks again.
        confirm = BulkForm(initial={**request.POST.dict(), "expected": len(ids)})
        return _bulk_panel(request, {"bulk_form": confirm, "bulk_count": len(ids),
                                     "action": filters["action"], "changed": expected is not None})
    approve = filters["action"] == "approve"
    changed = statements_bulk_review(
        statement_ids=ids, approve=approve, user=request.user, reason=filters.get("reason", "")
    )
    verb, article = "approved" if approve else "rejected", filters.get("article")
    undo.remember(request.session, **_bulk_undo_page(article),
                  label=f"{verb} {len(changed)} drafts", items=changed)
    unconditioned = count_unconditioned([pk for pk, _ in changed]) if approve else 0
    flagged = (f" {unconditioned} of them conditional without their condition text: see the "
               "flag on their cards." if unconditioned else "")
    messages.success(request, f"{verb.capitalize()} {len(changed)} drafts.{flagged} Undo is available.")
    if request.htmx:
        return HttpResponseClientRefresh()
    return redirect("articles:review", pk=article.pk) if article else redirect("articles:queue")


def _bulk_undo_page(article: Article | None) -> dict[str, str]:
    """Where a bulk action can be undone: the article's review page, else the queue."""
    if article is None:
        return {"page": "queue", "page_label": "the review queue"}
    return {"page": f"article-{article.pk}",
            "page_label": f"the review of “{article.title or 'untitled article'}”"}
