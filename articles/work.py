"""Queued work: one way to send, claim, fail, re-queue and sweep every kind a worker does.

An article to ingest and a fetch to run are rows with a status, a claim time and an attempt
count; a task takes one by its id. The task is sent by name through the Celery app, so
services never import the tasks module (which imports them): ``ArticlesConfig.ready``
imports it in every process, so the names resolve, and run eagerly in the embedded setup.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from celery import current_app
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from articles.models import Fetch
from articles.sources.sanitize import safe_text
from positions.models import Article

logger = logging.getLogger(__name__)

QUEUE_DOWN_NOTE = "The task queue is unreachable; the article will be processed when it is back."
QUEUED, DONE, FAILED = "queued", "done", "failed"
# A queued row younger than this may still be on its way to a worker: the sweep leaves it.
SWEEP_GRACE = timedelta(seconds=30)
SWEEP_BATCH = 500


def send(task: str, **ids: int) -> bool:
    """Send the task named ``task`` with these keyword ids; False when the broker is down."""
    try:
        current_app.tasks[task].apply_async(kwargs=ids)
    except BrokerError:
        logger.warning("Broker unreachable; %s %s not sent", task, ids)
        return False
    return True


def send_on_commit(task: str, **ids: int) -> None:
    """Send the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task, **ids))


@dataclass(frozen=True)
class Work:
    """One kind of queued work: rows of ``model`` that the task named ``task`` processes,
    each claimed (status ``working``) before it is worked on, so that a redelivered or
    duplicated message does the work once."""

    model: type[models.Model]
    task: str
    id_arg: str
    working: str
    settled_at: str
    # Queued rows the sweep sends again, beyond those held past the hard limit.
    stranded: Q = field(default_factory=Q)
    # Fields a failure clears (an upload's bytes are not kept once it is settled).
    cleared_on_failure: Mapping[str, Any] = field(default_factory=dict)

    def _rows(self) -> models.QuerySet[Any]:
        return self.model._default_manager.all()

    def send(self, pk: int) -> None:
        """Send the task for one row; while the broker is down the row says so and waits
        for the sweep."""
        if not send(self.task, **{self.id_arg: pk}):
            self._rows().filter(pk=pk, status=QUEUED).update(error=QUEUE_DOWN_NOTE)

    def send_on_commit(self, pk: int) -> None:
        """Send the task for a row once the transaction that saved it commits."""
        transaction.on_commit(lambda: self.send(pk))

    def claim(self, pk: int) -> bool:
        """Take the row: from queued, or from a claim older than the hard time limit (a
        worker died holding it, and this is the redelivery). False when another holds it."""
        now = timezone.now()
        claimable = Q(status=QUEUED) | Q(status=self.working, claimed_at__lt=_expired(now))
        claimed = self._rows().filter(claimable, pk=pk).update(
            status=self.working, claimed_at=now, attempts=F("attempts") + 1, error=""
        )
        return claimed == 1

    def lease_left(self, pk: int) -> float | None:
        """Seconds until another worker's claim on the row expires; None when none holds it."""
        claimed_at: datetime | None = (
            self._rows().filter(pk=pk, status=self.working)
            .values_list("claimed_at", flat=True).first()
        )
        if claimed_at is None:
            return None
        expires = claimed_at + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
        return max((expires - timezone.now()).total_seconds(), 0.0) + 1.0

    def fail(self, pk: int, message: str) -> None:
        """Settle the row as failed with a message the editor can read (a done one stays done)."""
        self._rows().filter(pk=pk).exclude(status=DONE).update(
            status=FAILED, error=safe_text(message)[:2000],
            **{self.settled_at: timezone.now()}, **self.cleared_on_failure,
        )

    def requeue(self, pks: Iterable[int], *, settled: Iterable[str] = (DONE, FAILED)) -> int:
        """Queue settled rows again (attempts counted afresh) and send them after commit;
        how many. Rows not in one of the ``settled`` statuses are left alone."""
        settled = list(settled)
        ids = list(self._rows().filter(pk__in=list(pks), status__in=settled).values_list("pk", flat=True))
        self._rows().filter(pk__in=ids, status__in=settled).update(status=QUEUED, attempts=0, error="")
        for pk in ids:
            self.send_on_commit(pk)
        return len(ids)

    def sweep(self) -> int:
        """Send again what the broker or a dead worker left behind: queued rows past the
        grace period (``stranded`` of them) and rows held past the hard limit; how many."""
        now = timezone.now()
        left = self._rows().filter(
            (Q(status=QUEUED, created_at__lt=now - SWEEP_GRACE) & self.stranded)
            | Q(status=self.working, claimed_at__lt=_expired(now))
        )
        ids = list(left.values_list("pk", flat=True)[:SWEEP_BATCH])
        for pk in ids:
            self.send(pk)
        return len(ids)


def _expired(now: Any) -> Any:
    """Claims made before this are past the hard time limit: their worker is gone."""
    return now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)


ARTICLES = Work(
    model=Article, task="articles.tasks.article_ingest_task", id_arg="article_id",
    working=Article.Status.PROCESSING, settled_at="processed_at",
)
FETCHES = Work(
    model=Fetch, task="articles.tasks.article_fetch_task", id_arg="fetch_id",
    working=Fetch.Status.FETCHING, settled_at="fetched_at",
    # A queued fetch may be waiting out a retry's countdown (the site was down): only one
    # the broker refused is sent again.
    stranded=Q(error=QUEUE_DOWN_NOTE), cleared_on_failure={"data": None},
)
KINDS = (ARTICLES, FETCHES)
