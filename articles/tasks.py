"""Celery tasks: thin interfaces over articles.services."""

from __future__ import annotations

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError

from articles.services import article_fail, article_ingest, articles_sweep

logger = logging.getLogger(__name__)


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=5)
def article_ingest_task(self, *, article_id: int) -> None:  # type: ignore[no-untyped-def]
    """Extract draft statements from one article."""
    try:
        held_for = article_ingest(article_id=article_id)
    except OperationalError as error:  # the database blinked: try again shortly
        raise self.retry(exc=error, countdown=5 * (self.request.retries + 1)) from error
    except SoftTimeLimitExceeded:
        article_fail(article_id=article_id, message="Extraction took too long and was stopped.")
    except Exception as error:
        logger.exception("Ingestion of article %s failed", article_id)
        article_fail(article_id=article_id, message=f"Extraction failed: {error}")
    else:
        if held_for is not None:  # another claim holds it: look again when that claim expires
            raise self.retry(countdown=held_for)


@shared_task
def articles_sweep_task() -> int:
    """Re-enqueue articles the broker or a dead worker left behind."""
    return articles_sweep()
