"""The list of articles, with their status (live while any is pending) and drafts to review."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Batch, Fetch
from tests.articles.conftest import htmx
from tests.factories import ArticleFactory


def test_lists_articles_with_links_and_draft_counts(editor_client, draft):
    html = editor_client.get(reverse("articles:list")).content.decode()
    assert "Truce talks" in html and "1 to review" in html
    assert reverse("articles:upload") in html


def test_polls_its_rows_while_an_article_is_pending(editor_client, negotiation):
    ArticleFactory.create(negotiation=negotiation, status="queued", title="Pending one")
    page = editor_client.get(reverse("articles:list")).content.decode()
    fragment = editor_client.get(reverse("articles:list"), headers=htmx("article-lists"))
    html = fragment.content.decode()
    assert '<div id="article-lists"' in page and 'hx-trigger="every 2s"' in page and "Refresh" in page
    assert fragment.status_code == 200 and html.lstrip().startswith('<div id="article-lists"')
    assert "Pending one" in html and "<html" not in html and "every 2s" in html


def test_stops_polling_with_286_when_every_article_is_final(editor_client, negotiation):
    ArticleFactory.create(negotiation=negotiation, status="done")
    ArticleFactory.create(negotiation=negotiation, status="failed")
    response = editor_client.get(reverse("articles:list"), headers=htmx("article-lists"))
    assert response.status_code == 286 and "every 2s" not in response.content.decode()
    assert "every 2s" not in editor_client.get(reverse("articles:list")).content.decode()


@pytest.mark.parametrize("size", [1, 10])
def test_runs_a_fixed_number_of_queries(editor_client, negotiation, django_assert_num_queries, size):
    for n in range(size):
        batch = Batch.objects.create(negotiation=negotiation, source_name=f"{n}.zip")
        article = ArticleFactory.create(negotiation=negotiation, status="queued", batch=batch)
        Fetch.objects.create(url=f"https://example.org/{n}", negotiation=negotiation, article=article, status="done")
    editor_client.get(reverse("articles:list"))
    # 1 session, 2 user, 3 groups, 4 articles with outlets and draft counts, 5 batches with
    # their counts, 6 fetches with their articles.
    with django_assert_num_queries(6):
        editor_client.get(reverse("articles:list"))


@pytest.mark.parametrize(("who", "status"), [("outsider_client", 403), ("researcher_client", 403), ("editor_client", 200)])
def test_only_editors_see_it(request, db, who, status):
    assert request.getfixturevalue(who).get(reverse("articles:list")).status_code == status


def test_anonymous_visitors_are_sent_to_login(db):
    response = Client().get(reverse("articles:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_lists_recent_batches_and_web_pages_and_polls_while_a_fetch_is_pending(editor_client, negotiation):
    batch = Batch.objects.create(negotiation=negotiation, source_name="week.zip", failures=[{"name": "x", "reason": "y"}])
    ArticleFactory.create(negotiation=negotiation, batch=batch, status="done")
    ArticleFactory.create(negotiation=negotiation, batch=batch, status="failed")
    Fetch.objects.create(url="https://example.org/<story>", negotiation=negotiation, status="failed", error="HTTP 404")
    Fetch.objects.create(url="https://example.org/next", negotiation=negotiation)
    response = editor_client.get(reverse("articles:list"), headers=htmx("article-lists"))
    html = response.content.decode()
    assert response.status_code == 200 and "every 2s" in html
    assert "week.zip" in html and "2 of 2 done" in html and "1 failed" in html
    assert "https://example.org/&lt;story&gt;" in html and "HTTP 404" in html
