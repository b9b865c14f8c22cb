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

from articles.extraction import detect_language, extract
from articles.extraction.types import ArticleMeta
from articles.extraction_models import active_weights, draft_version
from articles.models import Article, Batch, Feed, Fetch
from articles.sources import (
    Document,
    SourceError,
    SourceUnavailable,
    content_hash,
    fetch_feed_bytes,
    fetch_url,
    read_feed,
    read_upload,
    read_zip,
)
from articles.sources.archive import nothing_readable
from articles.sources.dispatch import extension
from articles.sources.sanitize import (
    MAX_OUTLET,
    safe_document,
    safe_line,
    safe_text,
    url_problem,
    with_typed,
)
from positions.models import Evidence, Negotiation, Outlet, Statement
from positions.reference import ingest_reference
from positions.services import article_seen, statements_create_drafts

logger = logging.getLogger(__name__)

QUEUE_DOWN_NOTE = "The task queue is unreachable; the article will be processed when it is back."


def outlet_for(name: str, url: str = "") -> Outlet | None:
    """The outlet known by this name, an alias or the URL's domain, created on first sight."""
    try:
        domain = (urlsplit(url).hostname or "").removeprefix("www.")[:MAX_OUTLET] if url else ""
    except ValueError:  # a malformed link (a bad port, brackets) names no domain
        domain = ""
    name = safe_line(name)[:MAX_OUTLET]
    if not name and not domain:
        return None
    if name and (outlet := Outlet.objects.filter(name__iexact=name).first()):
        return outlet
    # Aliases and domains are short JSON lists on a small table: match them in Python,
    # which works the same on SQLite and PostgreSQL.
    wanted = name.casefold()
    for outlet in Outlet.objects.only("name", "aliases", "domains"):
        if (wanted and wanted in (alias.casefold() for alias in outlet.aliases)) or (
            domain and domain in outlet.domains
        ):
            return outlet
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
    *, document: Document, negotiation: Negotiation, uploaded_by: AbstractBaseUser | None,
    batch: Batch | None = None,
) -> tuple[Article, bool]:
    """Save a new article as queued and enqueue its ingestion after commit.

    Returns the article and whether it is new: the same content again gives the existing one.
    The document is made safe to store first (``safe_document``); what that changed is
    kept in the article's notes.

    Raises:
        SourceError: what ``safe_document`` refuses (no words, an implausible date).
    """
    document, notes = safe_document(document)
    digest = content_hash(document.body)
    existing = Article.objects.filter(content_hash=digest).first()
    if existing:
        return existing, False
    meta = document.meta
    try:
        with transaction.atomic():
            article = Article.objects.create(
                negotiation=negotiation,
                title=meta.title,
                outlet=outlet_for(meta.outlet, meta.url),
                url=meta.url,
                published_on=meta.published,
                body=document.body,
                content_hash=digest,
                source_format=document.source_format,
                uploaded_by=uploaded_by,
                batch=batch,
                notes="\n".join(notes),
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
        status=Article.Status.FAILED, error=safe_text(message)[:2000], processed_at=timezone.now()
    )


def _decided_spans(article: Article) -> list[tuple[int, int]]:
    """Spans of statements an editor has touched: new drafts there are dropped."""
    return list(
        Evidence.objects.filter(statement__article=article)
        .exclude(statement__status=Statement.Status.DRAFT, statement__version=1)
        .values_list("start", "end")
    )


def _drafts_replace(article: Article) -> list[tuple[int, int]]:
    """Delete the article's untouched drafts (the extractor's to replace); return the spans
    of the statements an editor has touched (``_decided_spans``).

    One read of the article's statements and their spans; a new article has none, so
    nothing to delete. The delete repeats the filter, so a draft an editor touched since
    that read stays, and then the spans are read again to include it.
    """
    untouched: set[int] = set()
    decided: list[tuple[int, int]] = []
    rows = Statement.objects.filter(article=article).values_list(
        "pk", "status", "version", "evidence__start", "evidence__end"
    )
    for pk, status, version, start, end in rows:
        if status == Statement.Status.DRAFT and version == 1:
            untouched.add(pk)
        elif start is not None:
            decided.append((start, end))
    if untouched:
        _, deleted = Statement.objects.filter(
            pk__in=untouched, status=Statement.Status.DRAFT, version=1
        ).delete()
        if deleted.get(Statement._meta.label, 0) < len(untouched):
            return _decided_spans(article)
    return decided


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
    if len(article.body) > settings.PARLEY_MAX_EXTRACT_CHARS:
        # Refused before parsing: past this the parse would outlast the task's time limit.
        article_fail(article_id=article_id, message=(
            f"The text is {len(article.body):,} characters long; extraction reads at most "
            f"{settings.PARLEY_MAX_EXTRACT_CHARS:,} in one article. Split it into several "
            f"articles and upload those."
        ))
        return None
    language = detect_language(article.body)
    reference = ingest_reference(article.negotiation)
    weights = active_weights()
    drafts = []
    if language == "en":
        meta = ArticleMeta(
            title=article.title, outlet=article.outlet.name if article.outlet else "",
            url=article.url, published=article.published_on,
        )
        drafts = extract(
            article.body, meta, reference.reference, weights=weights,
            pipeline=settings.PARLEY_SPACY_MODEL, language=language,
        )
    with transaction.atomic():
        # Untouched drafts are the extractor's to replace; anything an editor decided stays.
        decided = _drafts_replace(article)
        statements_create_drafts(
            article=article, extractor_version=draft_version(weights),
            actors=reference.actors, issues=reference.issues, people=reference.people,
            drafts=[
                draft for draft in drafts
                if not any(_overlaps(span, decided) for span in draft.spans)
            ],
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


# --- Batches: a .zip of many articles ------------------------------------------------------


def batch_create(
    *, source_name: str, members: list[tuple[str, Document | SourceError]],
    negotiation: Negotiation, uploaded_by: AbstractBaseUser | None,
) -> Batch:
    """Save a batch and one article per readable member; record duplicates and unreadable ones.

    One transaction: the batch and its articles are saved together or not at all, and
    ingestion is enqueued once they are committed.

    Raises:
        SourceError: no member could be read; the message lists each one's reason.
    """
    failures, duplicates = [], []
    readable = 0
    with transaction.atomic():
        batch = Batch.objects.create(
            negotiation=negotiation, source_name=safe_line(source_name)[:255],
            member_count=len(members), created_by=uploaded_by,
        )
        for name, result in members:
            name = safe_line(name)
            if not isinstance(result, SourceError):
                try:
                    article, created = article_create(
                        document=result, negotiation=negotiation, uploaded_by=uploaded_by,
                        batch=batch,
                    )
                except SourceError as error:
                    result = error
                else:
                    readable += 1
                    if not created:
                        duplicates.append({"name": name, "article_id": article.pk})
                    continue
            failures.append({"name": name, "reason": safe_text(str(result))})
        if not readable:
            # Nothing to show on a batch page: refuse the archive whole, saving nothing.
            transaction.set_rollback(True)
            raise SourceError(nothing_readable(failures))
        batch.failures, batch.duplicates = failures, duplicates
        batch.save(update_fields=["failures", "duplicates"])
    return batch


def batch_retry(*, batch: Batch) -> int:
    """Queue the batch's failed articles again; how many."""
    ids = list(batch.articles.filter(status=Article.Status.FAILED).values_list("pk", flat=True))
    Article.objects.filter(pk__in=ids, status=Article.Status.FAILED).update(
        status=Article.Status.QUEUED, attempts=0, error=""
    )
    for article_id in ids:
        transaction.on_commit(lambda article_id=article_id: _enqueue(article_id))
    return len(ids)


# --- URLs fetched by the worker -------------------------------------------------------------


def _enqueue_fetch(fetch_id: int) -> None:
    from articles.tasks import article_fetch_task

    try:
        article_fetch_task.delay(fetch_id=fetch_id)
    except BrokerError:
        # The fetch stays queued; fetches_sweep enqueues it once the broker is back.
        logger.warning("Broker unreachable; fetch %s stays queued", fetch_id)
        Fetch.objects.filter(pk=fetch_id, status=Fetch.Status.QUEUED).update(error=QUEUE_DOWN_NOTE)


def fetch_create(
    *, url: str, negotiation: Negotiation, requested_by: AbstractBaseUser | None,
    feed: Feed | None = None,
) -> Fetch:
    """Save a URL to fetch and enqueue the fetch after commit."""
    fetch = Fetch.objects.create(url=url, negotiation=negotiation, requested_by=requested_by, feed=feed)
    transaction.on_commit(lambda: _enqueue_fetch(fetch.pk))
    return fetch


def upload_create(
    *, filename: str, data: bytes, typed: dict[str, str], negotiation: Negotiation,
    requested_by: AbstractBaseUser | None,
) -> Fetch:
    """Keep an uploaded file's bytes for a worker to read, and enqueue the reading after commit.

    The web request stores and returns: a large page, PDF or archive is parsed by the
    worker, under its time and memory limits, and its fetch page shows the outcome.
    """
    fetch = Fetch.objects.create(
        filename=safe_line(filename)[:255], data=data, typed=typed, negotiation=negotiation,
        requested_by=requested_by,
    )
    transaction.on_commit(lambda: _enqueue_fetch(fetch.pk))
    return fetch


def _upload_read(fetch: Fetch) -> tuple[Article | None, Batch | None, bool]:
    """Read an upload's bytes as the form reads small files: one article, or a .zip's batch.

    Returns the article (or None), the batch (or None) and whether the article was new.

    Raises:
        SourceError: what the readers, ``safe_document`` or ``batch_create`` refuse.
    """
    data = bytes(fetch.data or b"")
    if extension(fetch.filename) == ".zip":
        members = read_zip(
            data, max_files=settings.PARLEY_MAX_ZIP_FILES,
            max_total_bytes=settings.PARLEY_MAX_ZIP_BYTES,
            max_member_bytes=settings.PARLEY_MAX_UPLOAD_BYTES,
        )
        typed = {name: fetch.typed.get(name) for name in ("outlet", "published")}
        batch = batch_create(
            source_name=fetch.filename, negotiation=fetch.negotiation,
            uploaded_by=fetch.requested_by,
            members=[
                (name, result if isinstance(result, SourceError) else with_typed(result, typed))
                for name, result in members
            ],
        )
        return None, batch, True
    document = with_typed(read_upload(fetch.filename, data), fetch.typed)
    article, created = article_create(
        document=document, negotiation=fetch.negotiation, uploaded_by=fetch.requested_by
    )
    return article, None, created


# --- Offers: the same text again, with other typed details ------------------------------------

OFFERED_FIELDS = ("title", "outlet", "url", "published")


def metadata_offer(*, article: Article, typed: dict[str, str]) -> dict[str, str]:
    """The typed fields whose values differ from the article's own, with ``seen``: the
    article's state they differ from (``article_seen``); empty when none differ."""
    current = {
        "title": article.title, "outlet": article.outlet.name if article.outlet else "",
        "url": article.url, "published": article.published_on.isoformat() if article.published_on else "",
    }
    offer = {
        field: str(typed[field]) for field in OFFERED_FIELDS
        if typed.get(field) and str(typed[field]).casefold() != current[field].casefold()
    }
    return offer | {"seen": str(article_seen(article))} if offer else {}


def paste_offer_create(
    *, article: Article, typed: dict[str, str], requested_by: AbstractBaseUser | None
) -> Fetch | None:
    """Pasted text that already is this article, with typed details that differ from its
    own: kept as a settled upload whose offer the article's page shows. None when nothing differs."""
    offer = metadata_offer(article=article, typed=typed)
    if not offer:
        return None
    return Fetch.objects.create(
        filename="pasted text", typed=typed, negotiation=article.negotiation, requested_by=requested_by,
        status=Fetch.Status.DONE, article=article, duplicate=True, offer=offer, fetched_at=timezone.now(),
    )


def pending_offer(*, article: Article) -> Fetch | None:
    """The latest offer for the article, while the article is as it was when it was made."""
    fetch = Fetch.objects.filter(article=article).exclude(offer={}).defer("data").order_by("-pk").first()
    if fetch is None or fetch.offer.get("seen") != str(article_seen(article)):
        return None
    return fetch


def fetch_offer_dismiss(*, fetch: Fetch) -> None:
    """The editor keeps the article's details: the offer is withdrawn."""
    Fetch.objects.filter(pk=fetch.pk).update(offer={})


def fetch_claim(*, fetch_id: int) -> bool:
    """Take the fetch: from queued, or from a claim older than the hard time limit."""
    now = timezone.now()
    expired = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    claimable = Q(status=Fetch.Status.QUEUED) | Q(status=Fetch.Status.FETCHING, claimed_at__lt=expired)
    claimed = Fetch.objects.filter(claimable, pk=fetch_id).update(
        status=Fetch.Status.FETCHING, claimed_at=now, attempts=F("attempts") + 1, error=""
    )
    return claimed == 1


def fetch_fail(*, fetch_id: int, message: str) -> None:
    """Mark the fetch failed with a message the editor can read."""
    # An upload's bytes are not kept once it is settled: the editor uploads again to retry.
    Fetch.objects.filter(pk=fetch_id).exclude(status=Fetch.Status.DONE).update(
        status=Fetch.Status.FAILED, error=safe_text(message)[:2000], fetched_at=timezone.now(),
        data=None,
    )


def fetch_run(*, fetch_id: int) -> None:
    """Fetch the URL, or read the uploaded file, and save its text as an article (or find
    the article with the same text; an uploaded .zip becomes a batch).

    Raises ``SourceUnavailable`` after putting the fetch back in the queue, so the task can
    retry later; any other ``SourceError`` fails the fetch with the reader's message.
    """
    if not fetch_claim(fetch_id=fetch_id):
        return
    fetch = Fetch.objects.select_related("negotiation", "requested_by").get(pk=fetch_id)
    if fetch.attempts > settings.PARLEY_MAX_ATTEMPTS + settings.PARLEY_FETCH_RETRIES:
        fetch_fail(fetch_id=fetch_id, message="Gave up: fetching kept failing.")
        return
    if fetch.is_upload:
        try:
            with transaction.atomic():
                article, batch, created = _upload_read(fetch)
                offer = metadata_offer(article=article, typed=fetch.typed) if article and not created else {}
                Fetch.objects.filter(pk=fetch_id).update(
                    status=Fetch.Status.DONE, article=article, batch=batch, duplicate=not created,
                    error="", fetched_at=timezone.now(), data=None, offer=offer,
                )
        except SourceError as error:
            fetch_fail(fetch_id=fetch_id, message=str(error))
        return
    try:
        document = fetch_url(
            fetch.url, allow_private=settings.PARLEY_FETCH_ALLOW_PRIVATE,
            timeout=settings.PARLEY_FETCH_TIMEOUT, max_bytes=settings.PARLEY_FETCH_MAX_BYTES,
        )
    except SourceUnavailable as error:
        Fetch.objects.filter(pk=fetch_id).update(status=Fetch.Status.QUEUED, error=safe_text(str(error)))
        raise
    except SourceError as error:
        fetch_fail(fetch_id=fetch_id, message=str(error))
        return
    try:
        with transaction.atomic():
            article, created = article_create(
                document=document, negotiation=fetch.negotiation, uploaded_by=fetch.requested_by
            )
            Fetch.objects.filter(pk=fetch_id).update(
                status=Fetch.Status.DONE, article=article, duplicate=not created, error="",
                fetched_at=timezone.now(),
            )
    except SourceError as error:
        fetch_fail(fetch_id=fetch_id, message=str(error))


def fetches_sweep() -> int:
    """Enqueue fetches left queued (broker was down) or held past the hard limit; count them."""
    now = timezone.now()
    expired = now - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT)
    waiting = now - timedelta(seconds=30)
    ids = list(
        Fetch.objects.filter(
            Q(status=Fetch.Status.QUEUED, created_at__lt=waiting, error=QUEUE_DOWN_NOTE)
            | Q(status=Fetch.Status.FETCHING, claimed_at__lt=expired)
        ).values_list("pk", flat=True)[:500]
    )
    for fetch_id in ids:
        _enqueue_fetch(fetch_id)
    return len(ids)


# --- Feeds ----------------------------------------------------------------------------------


def feed_create(*, url: str, negotiation: Negotiation, created_by: AbstractBaseUser | None) -> Feed:
    """Subscribe to a feed; it is polled by beat from now on, and once right away."""
    feed = Feed.objects.create(url=url, negotiation=negotiation, created_by=created_by)
    transaction.on_commit(lambda: _enqueue_feed(feed.pk))
    return feed


def feed_set_active(*, feed: Feed, active: bool) -> None:
    """Pause or resume polling a feed."""
    Feed.objects.filter(pk=feed.pk).update(active=active)


def feed_poll_now(*, feed: Feed) -> None:
    """Read a feed now rather than at the next beat tick."""
    transaction.on_commit(lambda: _enqueue_feed(feed.pk))


def _enqueue_feed(feed_id: int) -> None:
    from articles.tasks import feed_poll_task

    try:
        feed_poll_task.delay(feed_id=feed_id)
    except BrokerError:  # the next beat tick polls it
        logger.warning("Broker unreachable; feed %s waits for the next poll", feed_id)


def feed_poll(*, feed_id: int) -> int:
    """Read the feed and enqueue a fetch for each link not seen before (at most
    ``PARLEY_FEED_MAX_ITEMS`` a poll; the rest the next time); how many.

    A link is fetched once per feed (a unique constraint); the same story under another
    link is caught by the content hash when its article is created.
    """
    feed = Feed.objects.select_related("negotiation", "created_by").filter(pk=feed_id).first()
    if feed is None:  # deleted since the poll was enqueued
        return 0
    try:
        data, final_url = fetch_feed_bytes(
            feed.url, allow_private=settings.PARLEY_FETCH_ALLOW_PRIVATE,
            timeout=settings.PARLEY_FETCH_TIMEOUT, max_bytes=settings.PARLEY_FETCH_MAX_BYTES,
        )
        items = read_feed(data, url=final_url)
    except SourceError as error:
        Feed.objects.filter(pk=feed_id).update(
            last_polled_at=timezone.now(), last_error=safe_text(str(error))
        )
        return 0
    urls = list(dict.fromkeys(item.url for item in items if not url_problem(item.url)))
    seen = set(Fetch.objects.filter(feed=feed, url__in=urls).values_list("url", flat=True))
    seen.update(Article.objects.filter(url__in=urls).values_list("url", flat=True))
    added = 0
    for url in urls:
        if url in seen:
            continue
        if added >= settings.PARLEY_FEED_MAX_ITEMS:
            # The rest wait for the next poll: a feed of a thousand new links must not
            # become a thousand fetches at once.
            break
        try:
            with transaction.atomic():
                fetch_create(url=url, negotiation=feed.negotiation, requested_by=feed.created_by, feed=feed)
        except IntegrityError:  # the same feed polled concurrently took it
            continue
        added += 1
    Feed.objects.filter(pk=feed_id).update(last_polled_at=timezone.now(), last_error="")
    return added


def feeds_poll() -> int:
    """Enqueue a poll of every active feed; how many."""
    ids = list(Feed.objects.filter(active=True).values_list("pk", flat=True))
    for feed_id in ids:
        transaction.on_commit(lambda feed_id=feed_id: _enqueue_feed(feed_id))
    return len(ids)
