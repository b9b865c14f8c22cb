"""Celery tasks: thin interfaces over the services; what happens when one fails is ``on_failure``'s.

Every task is acknowledged late and re-queued when its worker process dies (settings:
``CELERY_TASK_ACKS_LATE``, ``CELERY_TASK_REJECT_ON_WORKER_LOST``); the claim on each row
makes the redelivery do the work once.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from billiard.einfo import ExceptionInfo
from celery import Task, shared_task
from celery.exceptions import MaxRetriesExceededError, SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, OperationalError, connections

from articles.prefill import selection_read, selection_read_fail
from articles.services import article_ingest, feed_poll, feeds_poll, fetch_run
from articles.sources import SourceError, SourceUnavailable
from articles.work import ARTICLES, FETCHES, KINDS, Work

logger = logging.getLogger(__name__)
TOO_LONG = "Extraction took too long and was stopped."
FETCH_TOO_LONG = (
    "Fetching or reading took too long and was stopped; a smaller file, or the text pasted, may work."
)


def _fresh_connections() -> None:
    """The error may have struck in the middle of a query (the soft limit does), leaving the
    connection unusable: close it, so the next query opens a new one. Inside a transaction
    (a task run eagerly) the connection is not the task's to close."""
    for connection in connections.all(initialized_only=True):
        if not connection.in_atomic_block:
            connection.close()


class WorkTask(Task[Any, Any]):
    """A task that works on one claimed row of ``work``; when it fails, ``on_failure`` fails
    the row with a message the editor reads (``failed_as``, or ``too_long`` at the time limit).

    Not failed: a database that stayed unreachable through the retries, or a claim another
    worker kept; the row is left as it is, and the sweep sends it again.
    """

    work: Work
    failed_as = "Failed"
    too_long = "It took too long and was stopped."

    def before_start(self, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> None:
        self.request.started = time.monotonic()  # type: ignore[attr-defined]  # the context takes any attribute

    def on_failure(
        self, exc: Exception, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        if isinstance(exc, OperationalError | MaxRetriesExceededError):
            return
        _fresh_connections()
        try:
            self.work.fail(kwargs[self.work.id_arg], self.failure_message(exc))
        except DatabaseError:  # the sweep takes it over once the claim expires
            logger.exception("Could not fail %s %s", self.work.id_arg, kwargs[self.work.id_arg])

    def failure_message(self, exc: Exception) -> str:
        if isinstance(exc, SoftTimeLimitExceeded) or self._past_soft_limit():
            return self.too_long
        if isinstance(exc, SourceError):  # written for the editor already
            return str(exc)
        return f"{self.failed_as}: {exc}"

    def _past_soft_limit(self) -> bool:
        """The soft limit is raised wherever the code happens to be, and a library that
        wraps exceptions can turn it into another one: judge by the clock as well."""
        soft_limit = (
            (self.request.timelimit or (None, None))[1] or self.soft_time_limit
            or self.app.conf.task_soft_time_limit
        )
        started = getattr(self.request, "started", None)
        return bool(soft_limit and started is not None and time.monotonic() - started >= soft_limit)


@shared_task(
    base=WorkTask, bind=True, max_retries=5,
    work=ARTICLES, failed_as="Extraction failed", too_long=TOO_LONG,
)
def article_ingest_task(self: WorkTask, *, article_id: int) -> None:
    """Extract draft statements from one article."""
    try:
        held_for = article_ingest(article_id=article_id)
    except OperationalError as error:  # the database blinked: try again shortly
        raise self.retry(exc=error, countdown=5 * (self.request.retries + 1)) from error
    if held_for is not None:  # another claim holds it: look again when that claim expires
        raise self.retry(countdown=held_for)


@shared_task(
    base=WorkTask, bind=True, max_retries=None,
    work=FETCHES, failed_as="Fetching failed", too_long=FETCH_TOO_LONG,
)
def article_fetch_task(self: WorkTask, *, fetch_id: int) -> None:
    """Fetch one URL, or read one stored upload, in the worker and save what it holds."""
    try:
        fetch_run(fetch_id=fetch_id)
    except SourceUnavailable as error:  # a timeout, a 5xx: the site may answer later
        tries = self.request.retries + 1
        if tries <= settings.PARLEY_FETCH_RETRIES:
            raise self.retry(countdown=30 * 2**self.request.retries) from error
        raise SourceUnavailable(f"{error} (gave up after {tries} tries)") from error


@shared_task
def articles_sweep_task() -> int:
    """Beat: send again the articles and fetches the broker or a dead worker left behind."""
    return sum(work.sweep() for work in KINDS)


@shared_task
def feed_poll_task(*, feed_id: int) -> int:
    """Read one feed and enqueue a fetch for each new link."""
    return feed_poll(feed_id=feed_id)


@shared_task
def feeds_poll_task() -> int:
    """Beat: poll every active feed."""
    return feeds_poll()


# --- The extractor's reading of a selection (the review page's new-statement card) ---------


class ReadingTask(Task[Any, Any]):
    """When the reading fails, the card stops waiting and keeps the quick prefill."""

    def on_failure(
        self, exc: Exception, task_id: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        einfo: ExceptionInfo,
    ) -> None:
        selection_read_fail(
            reading_id=kwargs["reading_id"], message=f"The extractor could not read it: {exc}"
        )


@shared_task(base=ReadingTask, soft_time_limit=30, time_limit=40)
def selection_read_task(*, reading_id: int) -> None:
    """A short task the new-statement card waits for: the extractor reads the selection."""
    selection_read(reading_id=reading_id)
