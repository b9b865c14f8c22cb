"""Every write to articles: creating them from uploads, ingesting them, fetching and feeds.

Queued work (an article to ingest, a fetch to run) is sent, claimed, failed and swept
through ``articles.work``, one mechanism for every kind.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.drafts import statements_create_drafts
from articles.extraction import detect_language, extract
from articles.extraction.types import ArticleMeta
from articles.extraction_models import active_weights, draft_version
from articles.models import Batch, BatchArticle, Feed, Fetch
from articles.reference import ingest_reference
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
    safe_document,
    safe_text,
    url_problem,
    with_typed,
)
from articles.work import ARTICLES, FETCHES, send_on_commit
from positions.history import as_change
from positions.models import Article, Evidence, Negotiation, Statement
from positions.services import article_seen, outlet_for
from positions.text import safe_line


def article_create(
    *, document: Document, negotiation: Negotiation, uploaded_by: User | None,
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
            article = Article(
                negotiation=negotiation,
                title=meta.title,
                outlet=outlet_for(meta.outlet, meta.url),
                url=meta.url,
                published_on=meta.published,
                body=document.body,
                content_hash=digest,
                source_format=document.source_format,
                uploaded_by=uploaded_by,
                notes="\n".join(notes),
            )
            as_change(article, user=uploaded_by)
            article.save(force_insert=True)
            if batch is not None:
                BatchArticle.objects.create(batch=batch, article=article)
            ARTICLES.send_on_commit(article.pk)
    except IntegrityError:  # the same content saved concurrently
        return Article.objects.get(content_hash=digest), False
    return article, True


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


def article_ingest(*, article_id: int) -> float | None:
    """Claim the article, extract drafts and replace its untouched drafts in one transaction.

    Returns None when the article is done or failed, or the seconds after which to try
    again when another claim holds it: a worker killed mid-task leaves a claim that its
    redelivered task may take over only once it is older than the hard time limit.
    """
    if not ARTICLES.claim(article_id):
        return ARTICLES.lease_left(article_id)
    article = Article.objects.select_related("negotiation", "outlet").get(pk=article_id)
    if article.attempts > settings.PARLEY_MAX_ATTEMPTS:
        ARTICLES.fail(article_id, f"Gave up after {article.attempts - 1} attempts: processing kept failing.")
        return None
    if len(article.body) > settings.PARLEY_MAX_EXTRACT_CHARS:
        # Refused before parsing: past this the parse would outlast the task's time limit.
        ARTICLES.fail(article_id, (
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
            proposals=reference.proposals,
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
    ARTICLES.requeue([article.pk], settled=Article.FINAL)


# --- Batches: a .zip of many articles ------------------------------------------------------


def batch_create(
    *, source_name: str, members: list[tuple[str, Document | SourceError]],
    negotiation: Negotiation, uploaded_by: User | None,
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
    failed = batch.articles.filter(status=Article.Status.FAILED).values_list("pk", flat=True)
    return ARTICLES.requeue(failed, settled=[Article.Status.FAILED])


# --- URLs fetched by the worker -------------------------------------------------------------


def fetch_create(
    *, url: str, negotiation: Negotiation, requested_by: User | None,
    feed: Feed | None = None,
) -> Fetch:
    """Save a URL to fetch and enqueue the fetch after commit."""
    fetch = Fetch.objects.create(url=url, negotiation=negotiation, requested_by=requested_by, feed=feed)
    FETCHES.send_on_commit(fetch.pk)
    return fetch


def upload_create(
    *, filename: str, data: bytes, typed: dict[str, str], negotiation: Negotiation,
    requested_by: User | None,
) -> Fetch:
    """Keep an uploaded file's bytes for a worker to read, and enqueue the reading after commit.

    The web request stores and returns: a large page, PDF or archive is parsed by the
    worker, under its time and memory limits, and its fetch page shows the outcome.
    """
    fetch = Fetch.objects.create(
        filename=safe_line(filename)[:255], data=data, typed=typed, negotiation=negotiation,
        requested_by=requested_by,
    )
    FETCHES.send_on_commit(fetch.pk)
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
    *, article: Article, typed: dict[str, str], requested_by: User | None
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


def fetch_run(*, fetch_id: int) -> None:
    """Fetch the URL, or read the uploaded file, and save its text as an article (or find
    the article with the same text; an uploaded .zip becomes a batch).

    Raises ``SourceUnavailable`` after putting the fetch back in the queue, so the task can
    retry later; any other ``SourceError`` fails the fetch with the reader's message.
    """
    if not FETCHES.claim(fetch_id):
        return
    fetch = Fetch.objects.select_related("negotiation", "requested_by").get(pk=fetch_id)
    if fetch.attempts > settings.PARLEY_MAX_ATTEMPTS + settings.PARLEY_FETCH_RETRIES:
        FETCHES.fail(fetch_id, "Gave up: fetching kept failing.")
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
            FETCHES.fail(fetch_id, str(error))
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
        FETCHES.fail(fetch_id, str(error))
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
        FETCHES.fail(fetch_id, str(error))


# --- Feeds ----------------------------------------------------------------------------------

FEED_POLL_TASK = "articles.tasks.feed_poll_task"


def feed_create(*, url: str, negotiation: Negotiation, created_by: User | None) -> Feed:
    """Subscribe to a feed; it is polled by beat from now on, and once right away."""
    feed = Feed.objects.create(url=url, negotiation=negotiation, created_by=created_by)
    send_on_commit(FEED_POLL_TASK, feed_id=feed.pk)
    return feed


def feed_set_active(*, feed: Feed, active: bool) -> None:
    """Pause or resume polling a feed."""
    Feed.objects.filter(pk=feed.pk).update(active=active)


def feed_poll_now(*, feed: Feed) -> None:
    """Read a feed now rather than at the next beat tick."""
    send_on_commit(FEED_POLL_TASK, feed_id=feed.pk)


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
        # Sent unless the broker is down; then the next beat tick polls it.
        send_on_commit(FEED_POLL_TASK, feed_id=feed_id)
    return len(ids)
