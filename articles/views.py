from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from articles.models import Article
from positions.access import editor_required


@require_GET
@editor_required
def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.select_related("outlet")[:100]
    return render(request, "articles/list.html", {"articles": articles})
