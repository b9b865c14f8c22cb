"""Articles editors bring in, and the state of their ingestion."""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class Batch(models.Model):
    """Many articles brought in at once (a .zip): who, when, from what, and what could not be read.

    ``failures`` lists the members that never became articles, as ``{"name", "reason"}``;
    ``duplicates`` the members whose text was already in Parley, as ``{"name", "article_id"}``.
    The articles it created point to it through ``Article.batch``.
    """

    negotiation = models.ForeignKey(
        "positions.Negotiation", on_delete=models.PROTECT, related_name="batches"
    )
    source_name = models.CharField(max_length=255)
    member_count = models.PositiveIntegerField(default=0)
    failures = models.JSONField(default=list, blank=True)
    duplicates = models.JSONField(default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="batches",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"

    def __str__(self) -> str:
        return self.source_name


ARTICLE_UNTRACKED = [
    "negotiation", "language", "body", "content_hash", "source_format", "status", "error",
    "attempts", "claimed_at", "uploaded_by", "created_at", "processed_at", "batch", "notes",
]


class Article(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    FINAL = (Status.DONE, Status.FAILED)

    negotiation = models.ForeignKey(
        "positions.Negotiation", on_delete=models.PROTECT, related_name="articles"
    )
    title = models.CharField(max_length=300, blank=True)
    outlet = models.ForeignKey(
        "positions.Outlet", null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )
    url = models.URLField(max_length=1000, blank=True)
    published_on = models.DateField(null=True, blank=True)
    language = models.CharField(max_length=8, blank=True)
    body = models.TextField(help_text="The extracted text that evidence offsets point into.")
    content_hash = models.CharField(max_length=64, unique=True)
    source_format = models.CharField(max_length=10, default="text")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    notes = models.TextField(
        blank=True, help_text="What was changed to store the article (a title shortened, a link left out)."
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.SET_NULL, related_name="articles"
    )

    # Editors correct the metadata (positions.services.article_update_metadata): history
    # keeps those fields only, not the body or the ingestion state.
    history = HistoricalRecords(excluded_fields=ARTICLE_UNTRACKED)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "claimed_at"], name="article_claims")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "processing", "done", "failed"]),
                name="article_status_valid",
            ),
            models.CheckConstraint(condition=~Q(body=""), name="article_body_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title or f"Article {self.pk}"

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def unread_language(self) -> str:
        """The name of the language the text was found to be in, when extraction cannot read
        it (English only); "" for English or before detection."""
        if not self.language or self.language == "en":
            return ""
        name = LANG_INFO.get(self.language, {}).get("name")
        return f"{name} (“{self.language}”)" if name else f"language code “{self.language}”"


class Feed(models.Model):
    """An RSS or Atom feed an editor subscribed to; beat polls the active ones."""

    url = models.URLField(max_length=1000, unique=True)
    negotiation = models.ForeignKey(
        "positions.Negotiation", on_delete=models.PROTECT, related_name="feeds"
    )
    active = models.BooleanField(default=True)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="feeds",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["url"]

    def __str__(self) -> str:
        return self.url


class Fetch(models.Model):
    """A URL waiting to be fetched by a worker, or an uploaded file waiting to be read by one
    (no file is parsed in the web request); once read, it becomes (or finds) an article, or
    (a .zip) a batch. Pasted text that already is an article, with other typed details, is
    kept as a settled one ("pasted text") to carry its ``offer``.

    An upload keeps its bytes in ``data`` (in PostgreSQL, so every worker machine reads
    them) until it is read, and its ``filename``; ``typed`` holds the fields the editor typed
    with it (title, outlet, url, published as YYYY-MM-DD), which win over the file's own.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        FETCHING = "fetching", "Fetching"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    FINAL = (Status.DONE, Status.FAILED)

    url = models.URLField(max_length=1000, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    data = models.BinaryField(null=True, blank=True, editable=False)
    typed = models.JSONField(default=dict, blank=True)
    negotiation = models.ForeignKey(
        "positions.Negotiation", on_delete=models.PROTECT, related_name="fetches"
    )
    feed = models.ForeignKey(
        Feed, null=True, blank=True, on_delete=models.CASCADE, related_name="fetches"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    article = models.ForeignKey(
        Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="fetches"
    )
    duplicate = models.BooleanField(
        default=False, help_text="The fetched text was already in Parley as this article."
    )
    batch = models.ForeignKey(
        Batch, null=True, blank=True, on_delete=models.SET_NULL, related_name="uploads"
    )
    offer = models.JSONField(
        default=dict, blank=True,
        help_text="Typed fields (title, outlet, url, published) that differ from those of the "
        "article the same text already was: offered on its page until taken or dismissed.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="fetches",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    fetched_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "fetches"
        indexes = [models.Index(fields=["status", "claimed_at"], name="fetch_claims")]
        constraints = [
            # A feed offers the same link on every poll: it is fetched once.
            models.UniqueConstraint(
                fields=["feed", "url"], condition=Q(feed__isnull=False), name="fetch_once_per_feed"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "fetching", "done", "failed"]),
                name="fetch_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.url or self.filename

    @property
    def is_final(self) -> bool:
        return self.status in self.FINAL

    @property
    def is_upload(self) -> bool:
        return not self.url


class ExtractionModel(models.Model):
    """A trained extraction model every worker reads: its weights as JSON text, never pickle.

    At most one is active; without an active one ingestion uses the model shipped with the
    code (``articles/extraction/data/model.json``). ``metadata`` is the model's own record of
    how it was made (training-data digest, date, library versions, cross-validated figures).
    """

    version = models.CharField(max_length=32, unique=True)
    weights = models.TextField(help_text="The model as written by Weights.to_json().")
    metadata = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"], condition=Q(is_active=True), name="extraction_model_one_active"
            ),
        ]

    def __str__(self) -> str:
        return self.version


class SelectionReading(models.Model):
    """The extractor's reading of text an editor selected in an article: asked for by the
    review page, written by a worker (web processes do not load the NLP pipeline), read by
    the new-statement card that polls for it. ``reading`` is None until the worker is done;
    then the form's initial values (actor, speaker, stance, issues, stated_on), or ``{}``
    with an ``error`` when the extractor found nothing or failed."""

    token = models.UUIDField(unique=True, editable=False)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    reading = models.JSONField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"reading {self.token} of article {self.article_id}"
