"""The review workspace: the queue of articles with drafts, an article's review page, and
undo and bulk actions across them (one statement's page and actions: ``statement``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRefresh, trigger_client_event

from articles import undo
from articles.forms import BulkForm, QueueFilterForm
from articles.selectors import (
    SORTS,
    count_unconditioned,
    draft_ids,
    draft_outcomes_by_version,
    highlight,
    next_article,
    proposals_newest_first,
    queue_articles,
    review_statements,
)
from articles.views.lookups import article_or_404, statement_or_404
from articles.views.statement import after_review_url
from positions.access import editor_required
from positions.models import Article, Statement
from positions.services import UndoResult, statements_bulk_review, statements_undo
from positions.web import AuthenticatedHttpRequest, render_region

# --- The queue and an article's review page ---------------------------------------------


@require_GET
@editor_required
def review_queue(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = QueueFilterForm(request.GET or None)
    filters = form.filters()
    # Each with its annotated ``pending`` count, which the stubs cannot see on an Article.
    articles: list[Any] = list(queue_articles(filters)[:200])
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
        "proposals": proposals_newest_first(article.negotiation_id),
    }
    regions = {"review-workspace", "review-progress"}
    return render_region(request, "articles/review.html", context, regions=regions)


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
    return HttpResponseRedirect(after_review_url(first) if first else reverse("articles:queue"))


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
