"""An article's page: its status, polled by htmx until final, and the non-English case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from positions.models import Article
from tests.articles.conftest import htmx
from tests.factories import ArticleFactory


@pytest.mark.parametrize("status", ["queued", "processing"])
def test_a_pending_article_polls_every_two_seconds(editor_client, negotiation, status):
    article = ArticleFactory.create(negotiation=negotiation, status=status)
    response = editor_client.get(reverse("articles:detail", args=[article.pk]), headers=htmx("article-status"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="article-status"')
    assert 'hx-trigger="every 2s"' in html and "<html" not in html


def test_a_final_article_stops_the_polling_with_286(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, status=Article.Status.DONE, language="en")
    response = editor_client.get(reverse("articles:detail", args=[article.pk]), headers=htmx("article-status"))
    html = response.content.decode()
    assert response.status_code == 286
    assert "every 2s" not in html and "Review" in html


def test_a_failed_article_shows_its_message_and_a_retry_button(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, status="failed", error="Extraction took too long.")
    html = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "Extraction took too long." in html
    assert reverse("articles:retry", args=[article.pk]) in html


def test_a_non_english_article_says_why_there_are_no_drafts(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, status="done", language="fr")
    html = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "No drafts were made" in html and "“fr”" in html and "English only" in html


def test_the_full_page_shows_the_metadata_and_text(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, status="queued", title="Envoys <b>meet</b>")
    html = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "<html" in html and "Envoys &lt;b&gt;meet&lt;/b&gt;" in html
    assert 'hx-trigger="every 2s"' in html


def test_an_unknown_article_is_404(editor_client, db):
    assert editor_client.get(reverse("articles:detail", args=[424242])).status_code == 404


def test_a_queued_article_says_when_the_task_queue_is_down(editor_client, negotiation):
    from articles.work import QUEUE_DOWN_NOTE

    article = ArticleFactory.create(negotiation=negotiation, status="queued", error=QUEUE_DOWN_NOTE)
    html = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "The task queue is unreachable" in html
