"""Retrying a failed article: queued again and enqueued after commit."""

from __future__ import annotations

from django.urls import reverse

from tests.articles.conftest import htmx
from tests.factories import ArticleFactory


def test_a_plain_post_queues_a_failed_article_again(editor_client, negotiation, django_capture_on_commit_callbacks, sent_tasks):
    article = ArticleFactory.create(negotiation=negotiation, status="failed", error="boom", attempts=3)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("articles:retry", args=[article.pk]))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.status, article.error, article.attempts) == ("queued", "", 0)
    assert sent_tasks == [("articles.tasks.article_ingest_task", {"article_id": article.pk})]


def test_htmx_gets_the_polling_status_fragment(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, status="failed", error="boom")
    response = editor_client.post(reverse("articles:retry", args=[article.pk]), headers=htmx("article-status"))
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="article-status"') and "every 2s" in html


def test_an_article_still_processing_is_left_alone(editor_client, negotiation, django_capture_on_commit_callbacks, sent_tasks):
    article = ArticleFactory.create(negotiation=negotiation, status="processing", attempts=1)
    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(reverse("articles:retry", args=[article.pk]))
    article.refresh_from_db()
    assert (article.status, article.attempts) == ("processing", 1)
    assert sent_tasks == []
