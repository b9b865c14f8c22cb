"""An article's metadata as an editor corrects it (title, outlet, URL, publication date)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from articles.views import HtmxHttpRequest
from positions.access import editor_required
from positions.forms import ArticleMetadataForm
from positions.models import Article
from positions.services import ArticleConflict, MetadataUpdate, article_seen, article_update_metadata

PAGE = "articles/detail.html"


def _note(result: MetadataUpdate) -> str:
    if not result.changed:
        return "Nothing changed."
    note = f"Saved: {', '.join(result.changed)}."
    if "published_on" in result.changed:
        note += (f" {result.redated} statement{'s' if result.redated != 1 else ''} dated by"
                 f" publication re-dated; {result.undated} undated now count from the new date.")
    return note


@require_http_methods(["GET", "POST"])
@editor_required
def article_metadata(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article.objects.select_related("outlet"), pk=pk)
    initial = ArticleMetadataForm.initial_for(article, article_seen(article))
    form = ArticleMetadataForm(request.POST or None, initial=initial)
    status, conflict = 200, False
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                result = article_update_metadata(
                    article_id=pk, seen=form.cleaned_data["seen"], user=request.user,
                    metadata=form.metadata(),
                )
            except ArticleConflict:
                # Show what is saved now; the editor's typed values stay in the form.
                article.refresh_from_db()
                form = ArticleMetadataForm(request.POST.dict() | {"seen": article_seen(article)})
                status, conflict = 409, True
            else:
                if request.htmx:
                    context = {"article": result.article, "note": _note(result)}
                    return render(request, f"{PAGE}#article-meta", context)
                messages.success(request, _note(result))
                return redirect("articles:detail", pk=pk)
    context = {"article": article, "meta_form": form, "conflict": conflict}
    template = f"{PAGE}#article-meta-form" if request.htmx else "articles/article_metadata.html"
    return render(request, template, context, status=status)
