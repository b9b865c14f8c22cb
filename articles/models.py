"""Articles editors bring in, and the state of their ingestion."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class ArticleQuerySet(models.QuerySet["Article"]):
    def with_drafts(self) -> ArticleQuerySet:
        return self.filter(statements__status="draft").distinct()


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
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="articles",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    objects = ArticleQuerySet.as_manager()

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
