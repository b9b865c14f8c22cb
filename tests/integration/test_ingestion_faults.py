"""Ingestion under faults, with real worker processes, PostgreSQL and Redis.

Each article is processed exactly once however its worker dies, a broken article fails
alone with a readable message, and an upload while Redis is down waits, then goes through.
"""

from __future__ import annotations

import subprocess
import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.services import article_create
from articles.sources import read_text
from articles.work import QUEUE_DOWN_NOTE
from positions.demo import demo_data, negotiation_load
from positions.models import Article, Statement
from tests.integration.conftest import free_port, run_app, upload_as, wait_for

pytestmark = pytest.mark.integration

# Fast leases so a dead worker's claim expires within the test; the visibility timeout
# stays above the hard limit, as the README asks of production.
SHORT_LIMITS = {
    "CELERY_TASK_SOFT_TIME_LIMIT": "45",
    "CELERY_TASK_TIME_LIMIT": "50",
    "CELERY_VISIBILITY_TIMEOUT": "60",
    "CELERY_UNACKED_RESTORE_INTERVAL": "1",
    "CELERY_UNACKED_RESTORE_THROTTLE": "1",
}

PARAGRAPHS = (
    "The movement will not hand over more captives until the army pulls back, its "
    "spokesman Osama Hamdan told reporters on Monday.",
    "Benjamin Netanyahu rejected that demand on Tuesday and said the campaign would go on.",
    "Qatar's foreign ministry said the mediators had proposed a six-week pause.",
)


def long_story(paragraphs: int) -> str:
    """A body long enough to keep a worker busy for a few seconds, unique per call."""
    marker = uuid.uuid4().hex
    lines = [PARAGRAPHS[i % len(PARAGRAPHS)] for i in range(paragraphs)]
    return f"Report {marker}.\n\n" + "\n\n".join(lines)


@pytest.fixture
def negotiation(transactional_db):
    return negotiation_load(data=demo_data())


def upload(negotiation, body: str) -> Article:
    article, created = article_create(
        document=read_text(body), negotiation=negotiation, uploaded_by=None
    )
    assert created
    return article


def upload_to(worker, body: str) -> Article:
    """Upload from a process sharing the worker's settings, time limits included."""
    return Article.objects.get(pk=upload_as(worker.env, body))


def status_of(article: Article) -> str:
    article.refresh_from_db()
    return article.status


def final(article: Article) -> bool:
    return status_of(article) in Article.FINAL


def assert_processed_once(article: Article) -> None:
    article.refresh_from_db()
    assert article.status == Article.Status.DONE, article.error
    drafts = Statement.objects.filter(article=article)
    starts = list(drafts.values_list("evidence__start", flat=True))
    assert starts, "expected drafts"
    assert len(starts) == len(set(starts)), "a span was drafted twice"


def test_a_killed_pool_process_is_redelivered_and_processed_once(start_worker, negotiation):
    worker = start_worker(**SHORT_LIMITS)
    article = upload_to(worker, long_story(300))
    wait_for(lambda: status_of(article) == Article.Status.PROCESSING, timeout=30, interval=0.05)
    time.sleep(0.5)
    worker.kill_pool_child()
    wait_for(lambda: final(article), timeout=180)
    assert_processed_once(article)
    assert article.attempts == 2


def test_a_killed_worker_is_redelivered_to_another_and_processed_once(start_worker, negotiation):
    first = start_worker(**SHORT_LIMITS)
    article = upload_to(first, long_story(300))
    wait_for(lambda: status_of(article) == Article.Status.PROCESSING, timeout=30, interval=0.05)
    time.sleep(0.5)
    first.kill_all()
    assert status_of(article) == Article.Status.PROCESSING
    start_worker(**SHORT_LIMITS)
    wait_for(lambda: final(article), timeout=240)
    assert_processed_once(article)
    assert article.attempts == 2


def test_an_error_inside_extraction_fails_that_article_and_the_worker_goes_on(start_worker, negotiation):
    # A pipeline that cannot be loaded makes every English extraction raise.
    start_worker(PARLEY_SPACY_MODEL="parley_no_such_pipeline")
    english = upload(negotiation, "Hamas said on Monday it had accepted the proposal for a truce.")
    french = upload(negotiation, "Le Hamas a déclaré lundi qu'il acceptait la proposition de trêve.")
    wait_for(lambda: final(english) and final(french))
    assert english.status == Article.Status.FAILED
    assert english.error.startswith("Extraction failed:")
    assert "parley_no_such_pipeline" in english.error
    assert french.status == Article.Status.DONE


def test_an_article_past_the_soft_limit_fails_with_a_message(start_worker, negotiation):
    worker = start_worker(CELERY_TASK_SOFT_TIME_LIMIT="1", CELERY_TASK_TIME_LIMIT="30")
    article = upload_to(worker, long_story(3000))
    wait_for(lambda: final(article), timeout=60)
    assert article.status == Article.Status.FAILED, worker.output()[-3000:]
    assert article.error == "Extraction took too long and was stopped."
    assert not article.statements.exists()


def test_an_article_that_keeps_killing_its_worker_is_failed_after_a_few_attempts(start_worker, negotiation):
    worker = start_worker(
        **{**SHORT_LIMITS, "CELERY_TASK_SOFT_TIME_LIMIT": "8", "CELERY_TASK_TIME_LIMIT": "10"},
        PARLEY_MAX_ATTEMPTS="2",
    )
    article = upload_to(worker, long_story(600))
    for attempt in (1, 2):
        def claimed(attempt: int = attempt) -> bool:
            return status_of(article) == Article.Status.PROCESSING and article.attempts == attempt

        wait_for(claimed, timeout=60, interval=0.05)
        time.sleep(0.3)
        worker.kill_pool_child()
    wait_for(lambda: final(article), timeout=90)
    assert article.status == Article.Status.FAILED
    assert article.error == "Gave up after 2 attempts: processing kept failing."
    assert not article.statements.exists()


SWEEP_SCRIPT = """
import django
django.setup()
from articles.work import ARTICLES
print(ARTICLES.sweep())
"""


def test_an_upload_while_redis_is_down_waits_and_is_swept_in_when_it_is_back(
    app_env, start_worker, negotiation, tmp_path
):
    port = free_port()
    private = f"redis://127.0.0.1:{port}/0"
    env = {**app_env, "CELERY_BROKER_URL": private}
    article_id = upload_as(env, long_story(3))
    article = Article.objects.get(pk=article_id)
    assert (article.status, article.error) == (Article.Status.QUEUED, QUEUE_DOWN_NOTE)

    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
    )
    try:
        wait_for(lambda: subprocess.run(["redis-cli", "-p", str(port), "ping"], capture_output=True,
                                        text=True).stdout.strip() == "PONG", timeout=20)
        Article.objects.filter(pk=article_id).update(created_at=timezone.now() - timedelta(minutes=2))
        worker = start_worker(CELERY_BROKER_URL=private)
        assert run_app(SWEEP_SCRIPT, worker.env) == "1"
        wait_for(lambda: final(article), timeout=60)
        assert article.status == Article.Status.DONE, article.error
    finally:
        server.terminate()
        server.wait(timeout=10)
