"""The review workspace: the queue, an article's drafts, and the actions on one statement."""

from __future__ import annotations

import itertools
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import (
    HttpResponseClientRefresh,
    HttpResponseStopPolling,
    trigger_client_event,
)

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
from articles.models import SelectionReading
from articles.prefill import (
    reading_initial,
    reading_waited_out,
    selection_prefill,
    selection_reading_request,
)
from articles.selectors import (
    SORTS,
    draft_filter,
    draft_outcomes_by_version,
    duplicate_suggestions,
    highlight,
    next_article,
    palette_for,
    queue_articles,
    review_statements,
)
from articles.views import HtmxHttpRequest, render_region
from positions.access import editor_required
from positions.models import Article, Negotiation, Statement
from positions.services import (
    StatementConflict,
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

CARD = "positions/statement.html#card"
# Bookkeeping fields every review changes: the history table shows the others.
HISTORY_HIDDEN = ["version", "reviewed_by", "reviewed_at"]


# --- The queue and an article's review page ---------------------------------------------


@require_GET
@editor_required
def review_queue(request: HtmxHttpRequest) -> HttpResponse:
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
    return render_region(request, "articles/queue.html", context, {"queue-table": "queue-table"})


@require_GET
@editor_required
def article_review(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("negotiation", "outlet"), pk=pk)
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
    regions = {"review-workspace": "review-workspace", "review-progress": "review-progress"}
    return render_region(request, "articles/review.html", context, regions)


# --- One statement: its page and the review actions ---------------------------------------


def _statement(pk: int) -> Statement:
    """A statement with everything its card shows; 404 when there is none."""
    queryset = Statement.objects.select_related(
        "actor", "person", "reviewed_by", "article__outlet", "article__negotiation",
        "duplicate_of", "negotiation",
    ).prefetch_related("issues", "evidence")
    statement = get_object_or_404(queryset, pk=pk)
    if statement.article_id:
        palette = palette_for(statement.article)
        statement.palette = palette.get(statement.actor_id, 7)  # type: ignore[attr-defined]
    return statement


def _remember(request: HtmxHttpRequest, statement: Statement, label: str) -> None:
    page, page_label = undo.page_of(statement)
    undo.remember(request.session, page=page, page_label=page_label, label=label,
                  items=[(statement.pk, statement.version)])


def _undo_offer(request: HtmxHttpRequest, statement: Statement) -> undo.UndoOffer | None:
    return undo.offer(request.session, undo.page_of(statement)[0])


def _after_action(request: HtmxHttpRequest, statement: Statement, note: str) -> HttpResponse:
    """htmx: the changed card plus the undo bar; a plain POST: back to where the editor works."""
    if request.htmx:
        statement = _statement(statement.pk)
        context = {"statement": statement, "review_actions": True,
                   "undo": _undo_offer(request, statement), "note": note}
        response = render(request, "articles/review.html#card-and-undo", context)
        return trigger_client_event(response, "statement-reviewed", {"id": statement.pk})
    messages.success(request, note)
    return HttpResponseRedirect(_back_to(statement))


def _back_to(statement: Statement) -> str:
    if not statement.article_id:
        return reverse("articles:statement", args=[statement.pk])
    article = statement.article
    if not article.statements.filter(status=Statement.Status.DRAFT).exists():
        following = next_article(article)
        if following:
            return reverse("articles:review", args=[following.pk])
    return reverse("articles:review", args=[article.pk]) + f"#statement-{statement.pk}"


def _conflict(
    request: HtmxHttpRequest, current: Statement, attempted: StatementForm | None = None
) -> HttpResponse:
    """409 with the current version: the editor sees what was saved, nothing is overwritten.

    After an edit, the editor's own values are shown beside it, so nothing typed is lost.
    """
    context: dict[str, Any] = {
        "statement": _statement(current.pk), "review_actions": True, "conflict": True,
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
    request: HtmxHttpRequest, statement: Statement, **forms: Any
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


def _statement_page_context(request: HtmxHttpRequest, statement: Statement) -> dict[str, Any]:
    history = list(
        statement.history.select_related("history_user").order_by("-history_date", "-history_id")
    )
    # A change of issues adds a row at the same version: show one row per version.
    seen: set[int] = set()
    versions = [row for row in history if not (row.version in seen or seen.add(row.version))]
    for row, earlier in itertools.pairwise(versions):
        delta = row.diff_against(earlier, excluded_fields=HISTORY_HIDDEN)
        row.changed = [Statement._meta.get_field(name).verbose_name for name in delta.changed_fields]
    return {
        "history": versions, "undo": _undo_offer(request, statement),
        # Merged from this very article: not "also reported" (the same report, twice drafted).
        "duplicates": statement.duplicates.select_related("article__outlet")
        .exclude(article=statement.article_id).order_by("pk"),
        "merged_here": statement.duplicates.filter(article=statement.article_id)
        .exclude(article=None).order_by("pk") if statement.article_id else [],
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
def statement_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    context = {"statement": statement, "review_actions": True}
    if request.htmx and request.htmx.target == f"statement-{pk}":
        return render(request, CARD, context)
    context.update(_statement_page_context(request, statement))
    return render(request, "articles/statement.html", context)


@require_POST
@editor_required
def statement_approve_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, version_form=form)
    try:
        statement = statement_approve(
            statement_id=pk, version=form.cleaned_data["version"], user=request.user
        )
    except StatementConflict as conflict:
        return _conflict(request, conflict.current)
    _remember(request, statement, f"approved #{pk}")
    return _after_action(request, statement, f"Approved statement #{pk}.")


@require_POST
@editor_required
def statement_reject_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _invalid(request, statement, reject_form=form)
    try:
        statement = statement_reject(
            statement_id=pk, version=form.cleaned_data["version"], user=request.user,
            reason=form.cleaned_data["reason"],
        )
    except StatementConflict as conflict:
        return _conflict(request, conflict.current)
    _remember(request, statement, f"rejected #{pk}")
    return _after_action(request, statement, f"Rejected statement #{pk}.")


@require_http_methods(["GET", "POST"])
@editor_required
def statement_edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
    initial = StatementForm.initial_for(statement)
    form = StatementForm(request.POST or None, negotiation=statement.negotiation, initial=initial)
    if request.method == "POST":
        if not form.is_valid():
            return _invalid(request, statement, form=form)
        try:
            statement = statement_update(
                statement_id=pk, version=form.cleaned_data["version"], user=request.user,
                changes=form.changes(), approve="and_approve" in request.POST,
            )
        except StatementConflict as conflict:
            return _conflict(request, conflict.current, attempted=form)
        except ValidationError as error:
            form.add_error(None, error)
            return _invalid(request, statement, form=form)
        if statement.version == form.cleaned_data["version"]:
            return _after_action(request, statement, f"No changes to statement #{pk}.")
        approved = statement.status == Statement.Status.APPROVED and "and_approve" in request.POST
        _remember(request, statement, f"{'edited and approved' if approved else 'edited'} #{pk}")
        return _after_action(request, statement, f"Saved statement #{pk}.")
    context = {"statement": statement, "form": form, "review_actions": True}
    if request.htmx:
        return render(request, "positions/statement.html#edit-form", context)
    context.update(_statement_page_context(request, statement))
    return render(request, "articles/statement.html", context)


@require_POST
@editor_required
def statement_merge_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
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
def statement_evidence_add(request: HtmxHttpRequest) -> HttpResponse:
    """Selected article text becomes more evidence of a statement (the current card's)."""
    form = AddEvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Select text in the article and choose a statement first.")
        back = request.headers.get("Referer", "")
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return HttpResponseRedirect(back if safe else reverse("articles:queue"))
    data = form.cleaned_data
    statement = get_object_or_404(Statement.objects.select_related("article"), pk=data["statement"])
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
def statement_split_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
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
def statement_speaker(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    statement = _statement(pk)
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
def statement_restore_view(request: HtmxHttpRequest, pk: int, to_version: int) -> HttpResponse:
    statement = _statement(pk)
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
def statement_new(request: HtmxHttpRequest, pk: int | None = None) -> HttpResponse:
    """A statement from text selected in article ``pk``, or a hand entry without an article."""
    article = get_object_or_404(Article.objects.select_related("negotiation"), pk=pk) if pk else None
    negotiation = article.negotiation if article else _hand_negotiation(request)
    evidence = request.GET.get("evidence", "")[:5000]
    initial = {
        "evidence": evidence, "stance": "demand",
        "evidence_start": request.GET.get("evidence_start", ""),
    }
    if article is not None and evidence.strip():
        initial.update(selection_prefill(article=article, text=evidence))
    form = NewStatementForm(
        request.POST or None, negotiation=negotiation, article=article, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        statement = _created(request, form, negotiation, article)
        if statement is not None:
            messages.success(request, f"Statement #{statement.pk} saved.")
            return HttpResponseRedirect(_back_to(statement))
    status = 422 if request.method == "POST" else 200
    context = {
        "form": form, "article": article, "negotiation": negotiation,
        "negotiations": Negotiation.objects.all() if article is None else [],
    }
    return render_region(
        request, "articles/statement_new.html", context, {"new-statement": "new-statement"},
        status=status,
    )


# --- A new statement inline, from a selection on the review page --------------------------

NEW_CARD = "articles/statement_new.html#new-card"


def _new_card_initial(article: Article, evidence: str, evidence_start: str) -> dict[str, Any]:
    """The quick prefill (plain text matching): shown at once, kept if no reading comes."""
    initial: dict[str, Any] = {"evidence": evidence, "stance": "demand", "evidence_start": evidence_start}
    if evidence.strip():
        initial.update(selection_prefill(article=article, text=evidence))
    return initial


@require_POST
@editor_required
def statement_new_card(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The review page's new-statement card: opened from a selection (the quick prefill at
    once; the extractor's reading asked of a worker, which the card polls for), or saved."""
    article = get_object_or_404(Article.objects.select_related("negotiation"), pk=pk)
    negotiation = article.negotiation
    if "save" not in request.POST:
        evidence = request.POST.get("evidence", "")[:5000]
        start = request.POST.get("evidence_start", "")
        form = NewStatementForm(
            negotiation=negotiation, article=article,
            initial=_new_card_initial(article, evidence, start),
        )
        if not evidence.strip():
            context = {"form": form, "article": article, "note": "Select text in the article first."}
            return render(request, NEW_CARD, context, status=422)
        reading = selection_reading_request(article=article, text=evidence)
        context = {"form": form, "article": article, "reading": reading, "waiting": True,
                   "evidence_start": start}
        return render(request, NEW_CARD, context)
    form = NewStatementForm(request.POST, negotiation=negotiation, article=article)
    if form.is_valid():
        statement = _created(request, form, negotiation, article)
        if statement is not None:
            if not request.htmx:
                messages.success(request, f"Statement #{statement.pk} saved.")
                return HttpResponseRedirect(_back_to(statement))
            context = {"statement": _statement(statement.pk), "review_actions": True,
                       "note": f"Statement #{statement.pk} saved."}
            response = render(request, "articles/statement_new.html#new-card-saved", context)
            return trigger_client_event(response, "statement-reviewed", {"id": statement.pk})
    return render(request, NEW_CARD, {"form": form, "article": article}, status=422)


@require_GET
@editor_required
def statement_new_reading(request: HtmxHttpRequest, token: UUID) -> HttpResponse:
    """What the card polls: 204 while the worker reads, then the card filled in (286 stops
    the polling). A reading that never came leaves the quick prefill, saying so."""
    reading = get_object_or_404(
        SelectionReading.objects.select_related("article__negotiation"), token=token
    )
    waiting = reading.reading is None and not reading_waited_out(reading)
    if waiting and request.htmx:
        return HttpResponse(status=204)  # nothing to swap: the card polls again
    article = reading.article
    start = request.GET.get("evidence_start", "")
    initial = _new_card_initial(article, reading.text, start)
    initial.update(reading_initial(reading))
    note = reading.error or (
        "" if reading.reading is not None or waiting
        else "The extractor did not answer in time: the fields show the quick guess."
    )
    form = NewStatementForm(negotiation=article.negotiation, article=article, initial=initial)
    context = {"form": form, "article": article, "note": note, "read": not (note or waiting),
               "waiting": waiting, "reading": reading, "evidence_start": start}
    if not request.htmx:  # a plain visit: the card on a page of its own
        return render(request, "articles/statement_new.html", {**context, "card": True})
    response = render(request, NEW_CARD, context)
    stop = HttpResponseStopPolling(response.content)  # htmx swaps it in and stops polling
    stop["Vary"] = response.get("Vary", "")
    return stop


def _created(request: HtmxHttpRequest, form: NewStatementForm, negotiation: Negotiation,
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


def _hand_negotiation(request: HtmxHttpRequest) -> Negotiation:
    """The negotiation named by ``?negotiation=slug``, else the first one; 404 when none."""
    negotiations = Negotiation.objects.order_by("pk")
    slug = request.GET.get("negotiation")
    negotiation = negotiations.filter(slug=slug).first() if slug else negotiations.first()
    if negotiation is None:
        raise Http404("No such negotiation.")
    return negotiation


# --- Undo and bulk ------------------------------------------------------------------------


@require_POST
@editor_required
def review_undo(request: HtmxHttpRequest) -> HttpResponse:
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
    if request.htmx and result.removed:
        messages.success(request, note)  # statements went away: the page is redrawn
        return HttpResponseClientRefresh()
    if request.htmx:
        restored = [_statement(s.pk) for s in result.restored[:50]]
        context = {"restored": restored, "note": note, "review_actions": True,
                   "undo": undo.offer(request.session, entry.page)}
        response = render(request, "articles/review.html#undo-response", context)
        return trigger_client_event(response, "statement-reviewed", {"undone": len(restored)})
    messages.success(request, note)
    first = result.restored[0] if result.restored else None
    return HttpResponseRedirect(_back_to(first) if first else reverse("articles:queue"))


@require_POST
@editor_required
def review_bulk(request: HtmxHttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    if not form.is_valid():
        context = {"bulk_form": form, "bulk_count": None}
        template = "articles/queue.html#bulk-panel" if request.htmx else "articles/bulk.html"
        return render(request, template, context, status=422)
    filters = form.filters()
    ids = list(Statement.objects.filter(draft_filter(filters)).values_list("pk", flat=True))
    expected = form.cleaned_data["expected"]
    if expected is None or expected != len(ids):
        # Ask first, naming the count; a changed count (someone reviewed meanwhile) asks again.
        confirm = BulkForm(initial={**request.POST.dict(), "expected": len(ids)})
        context = {"bulk_form": confirm, "bulk_count": len(ids), "action": filters["action"],
                   "changed": expected is not None}
        template = "articles/queue.html#bulk-panel" if request.htmx else "articles/bulk.html"
        return render(request, template, context)
    approve = filters["action"] == "approve"
    changed = statements_bulk_review(
        statement_ids=ids, approve=approve, user=request.user, reason=filters.get("reason", "")
    )
    verb = "approved" if approve else "rejected"
    article = filters.get("article")
    page, page_label = (
        (f"article-{article.pk}", f"the review of “{article.title or 'untitled article'}”")
        if article else ("queue", "the review queue")
    )
    undo.remember(request.session, page=page, page_label=page_label,
                  label=f"{verb} {len(changed)} drafts", items=changed)
    # As the card's flag: a condition stance with no condition text (see positions/statement.html).
    unconditioned = Statement.objects.filter(
        pk__in=[pk for pk, _ in changed], stance=Statement.Stance.CONDITION, conditions="",
    ).count() if approve else 0
    flagged = (f" {unconditioned} of them conditional without their condition text: see the "
               "flag on their cards." if unconditioned else "")
    messages.success(request, f"{verb.capitalize()} {len(changed)} drafts.{flagged} Undo is available.")
    if request.htmx:
        return HttpResponseClientRefresh()
    if filters.get("article"):
        return redirect("articles:review", pk=filters["article"].pk)
    return redirect("articles:queue")

