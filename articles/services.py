"""Every write to articles: creating them from uploads, ingesting them, failing them."""

from __future__ import annotations

import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from articles.extraction import EXTRACTOR_VERSION, detect_language, extract
from articles.extraction.types import ArticleMeta
from articles.models import Article
from articles.sources import Document, content_hash
from positions.models import Evidence, Negotiation, Outlet, Person, Statement
from positions.reference import reference_for
from positions.services import statement_create_draft

logger = logging.getLogger(__name__)

QUEUE_DOWN_NOTE = "The task queue is unreachable; the article will be processed when it is back."


def outlet_for(name: str, url: str = "") -> Outlet | None:
    """The outlet known by this name or the URL's domain, created on first sight."""
    domain = urlsplit(url).hostname or "" if url else ""
    domain = domain.removeprefix("www.")
    name = name.strip()
    for outlet in Outlet.objects.all():
        names = {outlet.name.casefold(), *(alias.casefold() for alias in outlet.aliases)}
        if (name and name.casefold() in names) or (domain and domain in outlet.domains):
            return outlet
    if not name and not domain:
        return None
    outlet, _ = Outlet.objects.get_or_create(
        name=name or domain, defaults={"domains": [domain] if domain else []}
    )
    return outlet


def _enqueue(article_id: int) -> None:
    from articles.tasks import article_ingest_task

    try:
        article_ingest_task.delay(article_id=article_id)
    except BrokerError:
        # The article stays queued; articles_sweep enqueues it once the broker is back.
        logger.warning("Broker unreachable; article %s stays queued", article_id)
        Article.objects.filter(pk=article_id, status=Article.Status.QUEUED).update(
            error=QUEUE_DOWN_NOTE
        )


def article_create(
    *, document: Document, negotiation: Negotiation, uploaded_by: AbstractBaseUser | None
) -> tuple[Article, bool]:
    """Save a new article as queued and enqueue its ingestion after commit.

    Returns the article and whether it is new: the same content again gives the existing one.
    """
    digest = content_hash(document.body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return existing, False
    meta = document.meta
    try:
        with transaction.atomic():
            article = Article.objects.create(
                negotiation=negotiation,
                title=meta.title[:300],
                outlet=outlet_for(meta.outlet, meta.url),
                url=meta.url,
                published_on=meta.published,
                body=document.body,
                content_hash=digest,
                source_format=document.source_format,
                uploaded_by=uploaded_by,
            )
            transaction.on_commit(lambda: _enqueue(article.pk))
    except IntegrityError:  # the same content saved concurrently
        return Article.objects.get(content_hash=digest), False
    return article, True


def article_claim(*, article_id: int) -> bool:
    """Take the article for processing: from queued, or from a claim older than the hard limit."""
    now = timezone.now()
    expired = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=Article.Status.QUEUED) | Q(
        status=Article.Status.PROCESSING, claimed_at__lt=expired
    )
    claimed = Article.objects.filter(claimable, pk=article_id).update(
        status=Article.Status.PROCESSING, claimed_at=now, attempts=F("attempts") + 1, error=""
    )
    return claimed == 1


def article_fail(*, article_id: int, message: str) -> None:
    """Mark the article failed with a message the editor can read."""
    Article.objects.filter(pk=article_id).exclude(status=Article.Status.DONE).update(
        status=Article.Status.FAILED, error=message[:2000], processed_at=timezone.now()
    )


def _decided_spans(article: Article) -> list[tuple[int, int]]:
    """Spans of statements an editor has touched: new candidates there are dropped."""
    return list(
        Evidence.objects.filter(statement__article=article)
        .exclude(statement__status=Statement.Status.DRAFT, statement__version=1)
        .values_list("start", "end")
    )


def _overlaps(span: tuple[int, int], others: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def article_lease_left(*, article_id: int) -> float | None:
    """Seconds until another worker's claim on the article expires; None when it is not held."""
    claimed_at = (
        Article.objects.filter(pk=article_id, status=Article.Status.PROCESSING)
        .values_list("claimed_at", flat=True)
        .first()
    )
    if claimed_at is None:
        return None
    expires = claimed_at + timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    return max((expires - timezone.now()).total_seconds(), 0.0) + 1.0


def article_ingest(*, article_id: int) -> float | None:
    """Claim the article, extract drafts and replace its untouched drafts in one transaction.

    Returns None when the article is done or failed, or the seconds after which to try
    again when another claim holds it: a worker killed mid-task leaves a claim that its
    redelivered task may take over only once it is older than the hard time limit.
    """
    if not article_claim(article_id=article_id):
        return article_lease_left(article_id=article_id)
    article = Article.objects.select_related("negotiation", "outlet").get(pk=article_id)
    if article.attempts > settings.PARLEY_MAX_ATTEMPTS:
        article_fail(
            article_id=article_id,
            message=f"Gave up after {article.attempts - 1} attempts: processing kept failing.",
        )
        return None
    language = detect_language(article.body)
    candidates = []
    if language == "en":
        meta = ArticleMeta(
            title=article.title, outlet=article.outlet.name if article.outlet else "",
            url=article.url, published=article.published_on,
        )
        candidates = extract(
            article.body, meta, reference_for(article.negotiation),
            model=settings.PARLEY_SPACY_MODEL,
        )
    negotiation = article.negotiation
    actors = {actor.name: actor for actor in negotiation.actors.all()}
    issues = {issue.key: issue for issue in negotiation.issues.all()}
    people = {person.name: person for person in Person.objects.filter(actor__in=actors.values())}
    with transaction.atomic():
        # Untouched drafts are the extractor's to replace; anything an editor decided stays.
        Statement.objects.filter(
            article=article, status=Statement.Status.DRAFT, version=1
        ).delete()
        decided = _decided_spans(article)
        for candidate in candidates:
            if any(_overlaps(span, decided) for span in candidate.spans):
                continue
            statement_create_draft(
                article=article, candidate=candidate, extractor_version=EXTRACTOR_VERSION,
                actors=actors, issues=issues, people=people,
            )
        Article.objects.filter(pk=article_id).update(
            status=Article.Status.DONE, language=language, processed_at=timezone.now(), error=""
        )
    return None


def article_retry(*, article: Article) -> None:
    """Queue a failed article again, or re-run extraction on a done one."""
    Article.objects.filter(pk=article.pk, status__in=Article.FINAL).update(
        status=Article.Status.QUEUED, attempts=0, error=""
    )
    transaction.on_commit(lambda: _enqueue(article.pk))


def articles_sweep() -> int:
    """Enqueue articles left queued (broker was down) or held past the hard limit; count them."""
    now = timezone.now()
    expired = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    waiting = now - timedelta(seconds=30)
    stale = Article.objects.filter(
        Q(status=Article.Status.QUEUED, created_at__lt=waiting)
        | Q(status=Article.Status.PROCESSING, claimed_at__lt=expired)
    ).values_list("pk", flat=True)
    ids = list(stale[:500])
    for article_id in ids:
        _enqueue(article_id)
    return len(ids)
