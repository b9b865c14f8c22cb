"""A worker keeps its database connection between tasks, and drops it when it may be broken.

Opening a PostgreSQL connection per task cost more CPU than the article's queries, so the
worker keeps it (config/celery.py); these tests hold it to the conditions that make that safe.
"""

from __future__ import annotations

from unittest import mock

import psycopg
import pytest
from celery import states
from celery.exceptions import SoftTimeLimitExceeded
from celery.signals import task_postrun, task_prerun
from django.db import ProgrammingError, connection

from articles.tasks import TOO_LONG, article_ingest_task
from positions.demo import demo_data, negotiation_load
from positions.models import Article
from tests.factories import ArticleFactory
from tests.integration.conftest import wait_for
from tests.integration.test_ingestion_faults import upload

pytestmark = pytest.mark.integration


def backend() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid: int = cursor.fetchone()[0]
        return pid


def finish_task(state: str) -> None:
    task_postrun.send(sender=article_ingest_task, task_id="t", task=article_ingest_task,
                      args=(), kwargs={}, retval=None, state=state)


def other_backends() -> set[tuple[int, object]]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, backend_start FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return set(cursor.fetchall())


def test_a_task_that_succeeded_leaves_its_connection_for_the_next(transactional_db):
    before = backend()
    finish_task(states.SUCCESS)
    assert backend() == before


@pytest.mark.parametrize("state", [states.FAILURE, states.RETRY])
def test_a_task_that_did_not_succeed_leaves_no_connection(transactional_db, state):
    before = backend()
    finish_task(state)
    assert connection.connection is None
    assert backend() != before


def test_a_database_error_drops_the_connection_even_when_the_task_went_on(transactional_db):
    before = backend()
    with pytest.raises(ProgrammingError), connection.cursor() as cursor:
        cursor.execute("SELECT no_such_column FROM articles_article")
    finish_task(states.SUCCESS)
    assert backend() != before


def test_a_connection_that_died_between_tasks_is_replaced_before_the_next(transactional_db):
    dead = backend()
    settings = connection.settings_dict
    with psycopg.connect(host=settings["HOST"] or "127.0.0.1", port=settings["PORT"] or 5432,
                         user=settings["USER"], dbname=settings["NAME"], autocommit=True) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [dead])
        alive = "SELECT count(*) FROM pg_stat_activity WHERE pid = %s"
        wait_for(lambda: other.execute(alive, [dead]).fetchone()[0] == 0, timeout=10, interval=0.05)
    task_prerun.send(sender=article_ingest_task, task_id="t", task=article_ingest_task, args=(), kwargs={})
    assert backend() != dead  # a new connection, not an error


def test_the_soft_limit_in_the_middle_of_a_query_still_fails_the_article(transactional_db):
    article = ArticleFactory.create(status=Article.Status.PROCESSING)

    def interrupted_mid_query(**_: object) -> None:
        connection.ensure_connection()
        connection.connection.pgconn.send_query(b"SELECT pg_sleep(0.5)")  # result never read
        raise SoftTimeLimitExceeded()

    with mock.patch("articles.tasks.article_ingest", side_effect=interrupted_mid_query):
        article_ingest_task.apply(kwargs={"article_id": article.pk})  # its failure hook runs too
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert article.error == TOO_LONG


def test_a_worker_reuses_one_connection_for_article_after_article(start_worker, transactional_db):
    # Connections other tests left open (a live server's thread, say) are not the worker's.
    earlier = other_backends()
    start_worker()
    negotiation = negotiation_load(data=demo_data())
    first = upload(negotiation, "Hamas said on Monday it had accepted the proposal for a truce.")
    wait_for(lambda: Article.objects.get(pk=first.pk).is_final)
    kept = other_backends() - earlier
    assert len(kept) == 1  # the worker's pool process, connected
    second = upload(negotiation, "Israel said on Tuesday it had rejected the proposal for a truce.")
    wait_for(lambda: Article.objects.get(pk=second.pk).is_final)
    assert other_backends() - earlier == kept
    assert Article.objects.filter(status=Article.Status.DONE).count() == 2


def test_a_task_run_eagerly_leaves_the_callers_connection_alone(db):
    # The embedded setup runs tasks in the web process, inside its request or transaction.
    article = ArticleFactory.create(status=Article.Status.PROCESSING)
    before = backend()
    with mock.patch("articles.tasks.article_ingest", side_effect=ValueError("no sentences")):
        article_ingest_task.apply(kwargs={"article_id": article.pk})  # fails the article
    assert connection.in_atomic_block and backend() == before
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
