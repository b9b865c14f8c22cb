"""The ingestion task is a thin interface: it calls the service, and its failure hook turns
errors into failed articles. Tasks run here through Celery's ``apply`` (eagerly, in this
process), which runs the hooks a worker would."""

from __future__ import annotations

import contextlib
from inspect import Parameter, signature
from unittest import mock

from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from articles.tasks import article_ingest_task, articles_sweep_task
from articles.work import KINDS
from positions.models import Article
from tests.factories import ArticleFactory


def _run(article_id: int) -> None:
    article_ingest_task.apply(kwargs={"article_id": article_id})


def test_calls_the_ingest_service_with_the_id(db):
    with mock.patch("articles.tasks.article_ingest", return_value=None) as ingest:
        article_ingest_task(article_id=7)
    ingest.assert_called_once_with(article_id=7)


def test_fails_the_article_with_a_readable_message_on_an_exception(db):
    article = ArticleFactory.create(status=Article.Status.PROCESSING)
    with mock.patch("articles.tasks.article_ingest", side_effect=ValueError("no sentences")):
        _run(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error == "Extraction failed: no sentences"


def test_fails_the_article_at_the_soft_time_limit(db):
    article = ArticleFactory.create(status=Article.Status.PROCESSING)
    with mock.patch("articles.tasks.article_ingest", side_effect=SoftTimeLimitExceeded()):
        _run(article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "too long" in article.error


def test_a_database_that_stays_down_leaves_the_article_to_the_sweep(db):
    article = ArticleFactory.create(status=Article.Status.PROCESSING)
    with (
        mock.patch("articles.tasks.article_ingest", side_effect=OperationalError("gone")) as ingest,
        mock.patch.object(article_ingest_task, "max_retries", 0),
    ):
        _run(article.pk)
    ingest.assert_called_once_with(article_id=article.pk)
    article.refresh_from_db()
    assert (article.status, article.error) == (Article.Status.PROCESSING, "")


def test_sweep_task_sweeps_every_kind_of_work(db):
    assert len(KINDS) == 2
    with mock.patch("articles.work.Work.sweep", autospec=True, side_effect=[3, 2]) as sweep:
        assert articles_sweep_task() == 5
    assert [call.args[0] for call in sweep.call_args_list] == list(KINDS)


def test_is_acknowledged_late_and_requeued_when_its_worker_dies():
    assert article_ingest_task.acks_late
    assert article_ingest_task.reject_on_worker_lost


def test_looks_again_when_another_claim_holds_the_article(db):
    with (
        mock.patch("articles.tasks.article_ingest", return_value=12.5),
        mock.patch.object(article_ingest_task, "retry", side_effect=RuntimeError("retry")) as retry,
        contextlib.suppress(RuntimeError),
    ):
        article_ingest_task(article_id=3)
    retry.assert_called_once_with(countdown=12.5)


def test_a_claim_held_through_every_retry_is_left_to_its_holder(db):
    article = ArticleFactory.create(status=Article.Status.PROCESSING)
    with (
        mock.patch("articles.tasks.article_ingest", return_value=12.5),
        mock.patch.object(article_ingest_task, "max_retries", 0),
    ):
        _run(article.pk)
    article.refresh_from_db()
    assert (article.status, article.error) == (Article.Status.PROCESSING, "")


def test_an_error_after_the_soft_limit_counts_as_too_long(db):
    # A library that wraps exceptions can turn the soft limit into another error.
    article = ArticleFactory.create(status=Article.Status.PROCESSING)
    with (
        mock.patch("articles.tasks.article_ingest", side_effect=TypeError("unsupported callable")),
        mock.patch.object(article_ingest_task, "soft_time_limit", 0.000001),
    ):
        _run(article.pk)
    article.refresh_from_db()
    assert article.error == "Extraction took too long and was stopped."


def test_every_kind_of_work_names_a_task_that_takes_its_id():
    assert KINDS
    for work in KINDS:
        task = current_app.tasks[work.task]
        assert task.work is work
        assert signature(task.run).parameters[work.id_arg].kind is Parameter.KEYWORD_ONLY


def test_beat_sends_only_tasks_that_exist(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert set(schedule) == {"sweep-stale-articles", "poll-feeds"}
    for entry in schedule.values():
        assert entry["task"] in current_app.tasks, entry
