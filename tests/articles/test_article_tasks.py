"""The ingestion task is a thin interface: it calls the service and turns errors into failures."""

from __future__ import annotations

import contextlib
from unittest import mock

from celery.exceptions import SoftTimeLimitExceeded

from articles.tasks import article_ingest_task, articles_sweep_task
from positions.models import Article
from tests.factories import ArticleFactory


def test_calls_the_ingest_service_with_the_id(db):  # type: ignore[no-untyped-def]
    with mock.patch("articles.tasks.article_ingest", return_value=None) as ingest:
        article_ingest_task(article_id=7)
    ingest.assert_called_once_with(article_id=7)


def test_fails_the_article_with_a_readable_message_on_an_exception(db):  # type: ignore[no-untyped-def]
    article = ArticleFactory(status=Article.Status.PROCESSING)
    with mock.patch("articles.tasks.article_ingest", side_effect=ValueError("no sentences")):
        article_ingest_task(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error == "Extraction failed: no sentences"


def test_fails_the_article_at_the_soft_time_limit(db):  # type: ignore[no-untyped-def]
    article = ArticleFactory(status=Article.Status.PROCESSING)
    with mock.patch("articles.tasks.article_ingest", side_effect=SoftTimeLimitExceeded()):
        article_ingest_task(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "too long" in article.error


def test_sweep_task_calls_the_sweep_service(db):  # type: ignore[no-untyped-def]
    with mock.patch("articles.tasks.articles_sweep", return_value=3) as sweep:
        assert articles_sweep_task() == 3
    sweep.assert_called_once_with()


def test_is_acknowledged_late_and_requeued_when_its_worker_dies():  # type: ignore[no-untyped-def]
    assert article_ingest_task.acks_late
    assert article_ingest_task.reject_on_worker_lost


def test_looks_again_when_another_claim_holds_the_article(db):  # type: ignore[no-untyped-def]
    with (
        mock.patch("articles.tasks.article_ingest", return_value=12.5),
        mock.patch.object(article_ingest_task, "retry", side_effect=RuntimeError("retry")) as retry,
        contextlib.suppress(RuntimeError),
    ):
        article_ingest_task(article_id=3)
    retry.assert_called_once_with(countdown=12.5)


def test_an_error_after_the_soft_limit_counts_as_too_long(db):  # type: ignore[no-untyped-def]
    # A library that wraps exceptions can turn the soft limit into another error.
    article = ArticleFactory(status=Article.Status.PROCESSING)
    with (
        mock.patch("articles.tasks.article_ingest", side_effect=TypeError("unsupported callable")),
        mock.patch.object(article_ingest_task, "soft_time_limit", 0.000001),
    ):
        article_ingest_task(article_id=article.pk)
    article.refresh_from_db()
    assert article.error == "Extraction took too long and was stopped."
