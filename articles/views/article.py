"""An article's metadata as an editor corrects it (title, outlet, URL, publication date)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from articles.views.lookups import article_or_404
from positions.access import editor_required
from positions.forms import ArticleMetadataForm
from positions.models import Article
from positions.services import ArticleConflict, MetadataUpdate, article_seen, article_update_metadata
from positions.web import AuthenticatedHttpRequest

PAGE = "articles/detail.html"


def _note(result: MetadataUpdate) -> str:
    if not result.changed:
        return "Nothing changed."
    note = f"Saved: {', '.join(result.changed)}."
    if "published_on" in result.changed:
        note += (f" {result.redated} statement{'s' if result.redated != 1 else ''} dated by"
                 f" publication re-dated; {result.undated} undated now count from the new date.")
    return note


def _form_page(
    request: AuthenticatedHttpRequest, article: Article, form: ArticleMetadataForm, *, status: int,
    conflict: bool = False,
) -> HttpResponse:
    """The form: in place on the article's page for htmx, else on a page of its own."""
    context = {"article": article, "meta_form": form, "conflict": conflict}
    template = f"{PAGE}#article-meta-form" if request.htmx else "articles/article_metadata.html"
    return render(request, template, context, status=status)


@require_http_methods(["GET", "POST"])
@editor_required
def article_metadata(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    article = article_or_404(pk, "outlet")
    initial = ArticleMetadataForm.initial_for(article, article_seen(article))
    form = ArticleMetadataForm(request.POST or None, initial=initial)
    if request.method != "POST" or not form.is_valid():
        return _form_page(request, article, form, status=422 if request.method == "POST" else 200)
    try:
        result = article_update_metadata(
            article_id=pk, seen=form.cleaned_data["seen"], user=request.user,
            metadata=form.metadata(),
        )
    except ArticleConflict:
        # Show what is saved now; the editor's typed values stay in the form.
        article.refresh_from_db()
        form = ArticleMetadataForm(request.POST.dict() | {"seen": article_seen(article)})
        return _form_page(request, article, form, status=409, conflict=True)
    if request.htmx:
        context = {"article": result.article, "note": _note(result)}
        return render(request, f"{PAGE}#article-meta", context)
    messages.success(request, _note(result))
    return redirect("articles:detail", pk=pk)
