"""Celery tasks: thin interfaces over articles.services."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import OperationalError, connections

from articles.services import (
    article_fail,
    article_ingest,
    articles_sweep,
    feed_poll,
    feeds_poll,
    fetch_fail,
    fetch_run,
    fetches_sweep,
)
from articles.sources import SourceUnavailable

logger = logging.getLogger(__name__)
TOO_LONG = "Extraction took too long and was stopped."
FETCH_TOO_LONG = (
    "Fetching or reading took too long and was stopped; a smaller file, or the text pasted, may work."
)


def _fail(article_id: int, message: str) -> None:
    """Fail the article on a new connection: the error may have struck in the middle of a
    query (the soft limit does), leaving the old one unusable. Inside a transaction (a task
    run eagerly) the connection is not this task's to close."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()
    article_fail(article_id=article_id, message=message)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def article_ingest_task(self, *, article_id: int) -> None:  # type: ignore[no-untyped-def]
    """Extract draft statements from one article."""
    started = time.monotonic()
    try:
        held_for = article_ingest(article_id=article_id)
    except OperationalError as error:  # the database blinked: try again shortly
        raise self.retry(exc=error, countdown=5 * (self.request.retries + 1)) from error
    except SoftTimeLimitExceeded:
        _fail(article_id, TOO_LONG)
    except Exception as error:
        # The soft limit is raised wherever the code happens to be, and a library that
        # wraps exceptions can turn it into another one: judge by the clock as well.
        soft_limit = (self.request.timelimit or (None, None))[1] or self.soft_time_limit
        if soft_limit and time.monotonic() - started >= soft_limit:
            _fail(article_id, TOO_LONG)
            return
        logger.exception("Ingestion of article %s failed", article_id)
        _fail(article_id, f"Extraction failed: {error}")
    else:
        if held_for is not None:  # another claim holds it: look again when that claim expires
            raise self.retry(countdown=held_for)


@shared_task
def articles_sweep_task() -> int:
    """Re-enqueue articles and fetches the broker or a dead worker left behind."""
    return articles_sweep() + fetches_sweep()


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def article_fetch_task(self, *, fetch_id: int) -> None:  # type: ignore[no-untyped-def]
    """Fetch one URL, or read one stored upload, in the worker and save what it holds."""
    try:
        fetch_run(fetch_id=fetch_id)
    except SourceUnavailable as error:  # a timeout, a 5xx: the site may answer later
        if self.request.retries >= settings.PARLEY_FETCH_RETRIES:
            fetch_fail(fetch_id=fetch_id, message=f"{error} (gave up after {self.request.retries + 1} tries)")
            return
        raise self.retry(countdown=30 * 2**self.request.retries) from error
    except SoftTimeLimitExceeded:
        fetch_fail(fetch_id=fetch_id, message=FETCH_TOO_LONG)
    except Exception as error:
        logger.exception("Fetch %s failed", fetch_id)
        fetch_fail(fetch_id=fetch_id, message=f"Fetching failed: {error}")


@shared_task
def feed_poll_task(*, feed_id: int) -> int:
    """Read one feed and enqueue a fetch for each new link."""
    return feed_poll(feed_id=feed_id)


@shared_task
def feeds_poll_task() -> int:
    """Beat: poll every active feed."""
    return feeds_poll()


# --- The extractor's reading of a selection (the review page's new-statement card) ---------


@shared_task(soft_time_limit=30, time_limit=40)
def selection_read_task(*, reading_id: int) -> None:
    """A short task the new-statement card waits for: the extractor reads the selection."""
    from articles.prefill import selection_read, selection_read_fail

    try:
        selection_read(reading_id=reading_id)
    except Exception as error:  # the card stops waiting and keeps the quick prefill
        logger.exception("Reading selection %s failed", reading_id)
        selection_read_fail(reading_id=reading_id, message=f"The extractor could not read it: {error}")
