"""Bringing articles in: the list, upload (file, pasted text, .zip), URLs, feeds, and status pages."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.forms import FeedActiveForm, FeedForm, FetchForm, UploadForm
from articles.models import Batch
from articles.selectors import (
    batch_articles,
    default_negotiation,
    draft_counts,
    feeds_with_counts,
    recent_articles,
    recent_batches,
    recent_fetches,
)
from articles.services import (
    article_create,
    article_retry,
    batch_retry,
    feed_create,
    feed_poll_now,
    feed_set_active,
    fetch_create,
    fetch_offer_dismiss,
    paste_offer_create,
    pending_offer,
    upload_create,
)
from articles.views.lookups import article_or_404, batch_or_404, feed_or_404, fetch_or_404
from positions.access import editor_required
from positions.forms import ArticleMetadataForm
from positions.models import Article
from positions.web import AuthenticatedHttpRequest, render_polled, render_region


def _initial() -> dict[str, Any]:
    """What the intake forms preselect: the first negotiation."""
    return {"negotiation": default_negotiation()}


# --- Articles: list, upload, status, retry ----------------------------------------------


@require_GET
@editor_required
def article_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    articles, fetches = recent_articles(), recent_fetches()
    settled = all(a.is_final for a in articles) and all(f.is_final for f in fetches)
    context = {"articles": articles, "batches": recent_batches(), "fetches": fetches, "settled": settled}
    return render_polled(request, "articles/list.html", context, region="article-lists", done=settled)


def _upload_page(
    request: AuthenticatedHttpRequest, form: UploadForm, fetch_form: FetchForm, status: int = 200
) -> HttpResponse:
    return render(request, "articles/upload.html", {"form": form, "fetch_form": fetch_form}, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def article_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = _initial()
    form = UploadForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        status = 422 if request.method == "POST" else 200
        return _upload_page(request, form, FetchForm(initial=initial), status)
    data = form.cleaned_data
    if "upload" in data:
        fetch = upload_create(**data["upload"], negotiation=data["negotiation"], requested_by=request.user)
        return redirect("articles:fetch", pk=fetch.pk)
    article, created = article_create(
        document=data["document"], negotiation=data["negotiation"], uploaded_by=request.user
    )
    if created:
        messages.success(request, "Article saved; extraction is queued.")
    else:
        messages.info(request, "This article is already in Parley (the same text): here it is.")
        paste_offer_create(article=article, typed=UploadForm.typed_fields(data), requested_by=request.user)
    return redirect("articles:detail", pk=article.pk)


OFFER_LABELS = {"title": "Title", "outlet": "Outlet", "url": "URL", "published": "Published on"}


def _offer(article: Article) -> dict[str, object] | None:
    """The pending offer as the page shows it: what would change, and the metadata form's
    fields (the offered values over the current ones) to post to ``articles:metadata``."""
    fetch = pending_offer(article=article)
    if fetch is None:
        return None
    current = ArticleMetadataForm.initial_for(article, int(fetch.offer["seen"]))
    current["published_on"] = article.published_on.isoformat() if article.published_on else ""
    changes, fields = [], dict(current)
    for field, label in OFFER_LABELS.items():
        if field in fetch.offer:
            name = "published_on" if field == "published" else field
            changes.append((label, current[name], fetch.offer[field]))
            fields[name] = fetch.offer[field]
    return {"fetch": fetch, "changes": changes, "fields": list(fields.items())}


@require_POST
@editor_required
def fetch_offer_dismiss_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    fetch = fetch_or_404(pk)
    fetch_offer_dismiss(fetch=fetch)
    messages.info(request, "The article keeps its details.")
    return redirect("articles:detail", pk=fetch.article_id) if fetch.article_id else redirect("articles:list")


@require_GET
@editor_required
def article_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = article_or_404(pk, "outlet", "uploaded_by", "batch_link__batch")
    context = {"article": article, "counts": draft_counts(article), "offer": _offer(article)}
    return render_polled(
        request, "articles/detail.html", context, region="article-status", done=article.is_final
    )


@require_POST
@editor_required
def article_retry_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Retry a failed article, or re-extract a done one (drafts no editor touched are replaced)."""
    article = article_or_404(pk)
    if not article.is_final:
        messages.info(request, "The article is still being processed.")
    else:
        article_retry(article=article)
        done = article.status == Article.Status.DONE
        messages.success(
            request, "Re-extraction is queued; drafts no editor has touched will be replaced."
            if done else "The article is queued again.",
        )
    if request.htmx:
        article.refresh_from_db()  # the embedded setup may have processed it already
        context = {"article": article, "counts": draft_counts(article)}
        return render(request, "articles/detail.html#article-status", context)
    return redirect("articles:detail", pk=pk)


# --- Batches ----------------------------------------------------------------------------


def _batch_context(batch: Batch) -> dict[str, object]:
    articles = batch_articles(batch)
    done = sum(1 for article in articles if article.is_final)
    failed = [article for article in articles if article.status == Article.Status.FAILED]
    percent = round(100 * done / len(articles)) if articles else 100
    return {
        "batch": batch, "articles": articles, "done": done, "failed": failed,
        "percent": percent, "settled": done == len(articles),
    }


@require_GET
@editor_required
def batch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    context = _batch_context(batch_or_404(pk))
    return render_polled(
        request, "articles/batch.html", context, region="batch-progress", done=bool(context["settled"])
    )


@require_POST
@editor_required
def batch_retry_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    batch = batch_or_404(pk)
    count = batch_retry(batch=batch)
    messages.success(request, f"{count} failed article{'s' if count != 1 else ''} queued again.")
    if request.htmx:
        return render(request, "articles/batch.html#batch-progress", _batch_context(batch))
    return redirect("articles:batch", pk=pk)


# --- URLs -------------------------------------------------------------------------------


@require_POST
@editor_required
def fetch_create_view(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FetchForm(request.POST)
    if not form.is_valid():
        return _upload_page(request, UploadForm(initial=_initial()), form, 422)
    fetch = fetch_create(
        url=form.cleaned_data["url"], negotiation=form.cleaned_data["negotiation"],
        requested_by=request.user,
    )
    messages.success(request, "The address is queued; a worker fetches it shortly.")
    return redirect("articles:fetch", pk=fetch.pk)


def _batch_summary(batch: Batch) -> str:
    unread, already = len(batch.failures), len(batch.duplicates)
    new = batch.member_count - unread - already
    return (
        f"Archive read: {new} new article{'s' if new != 1 else ''} queued for extraction, "
        f"{already} already in Parley, {unread} could not be read."
    )


@require_GET
@editor_required
def fetch_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    fetch = fetch_or_404(pk, "article", "feed", "batch")
    context = {"fetch": fetch, "batch_summary": _batch_summary(fetch.batch) if fetch.batch else ""}
    return render_polled(
        request, "articles/fetch.html", context, region="fetch-status", done=fetch.is_final
    )


# --- Feeds ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@editor_required
def feed_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = FeedForm(request.POST or None, initial=_initial())
    if request.method == "POST" and form.is_valid():
        feed_create(
            url=form.cleaned_data["url"], negotiation=form.cleaned_data["negotiation"],
            created_by=request.user,
        )
        messages.success(request, "Feed added; it is read now and then every poll.")
        return redirect("articles:feeds")
    status = 422 if request.method == "POST" else 200
    context = {"feeds": list(feeds_with_counts()), "form": form}
    return render_region(request, "articles/feeds.html", context, regions={"feed-table"}, status=status)


@require_POST
@editor_required
def feed_active_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feed = feed_or_404(pk)
    form = FeedActiveForm(request.POST)
    form.is_valid()  # an unticked box is simply "not active"
    feed_set_active(feed=feed, active=form.cleaned_data["active"])
    if request.htmx:
        context = {"feed": feeds_with_counts().get(pk=feed.pk)}
        return render(request, "articles/feeds.html#feed-row", context)
    messages.success(request, "Feed resumed." if form.cleaned_data["active"] else "Feed paused.")
    return redirect("articles:feeds")


@require_POST
@editor_required
def feed_poll_view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feed = feed_or_404(pk)
    feed_poll_now(feed=feed)
    messages.success(request, "The feed will be read in a moment.")
    return redirect("articles:feeds")
