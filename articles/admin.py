from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from articles.extraction_models import (
    articles_awaiting_reextract,
    articles_reextract_unreviewed,
    extraction_model_activate,
    extraction_model_deactivate,
)
from articles.models import Batch, ExtractionModel, Feed, Fetch
from articles.selectors import extraction_models_with_outcomes


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin[Batch]):
    list_display = ["id", "source_name", "negotiation", "member_count", "created_by", "created_at"]
    list_filter = ["negotiation"]
    readonly_fields = ["member_count", "failures", "duplicates", "created_at"]
    raw_id_fields = ["created_by"]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin[Feed]):
    list_display = ["id", "url", "negotiation", "active", "last_polled_at", "last_error"]
    list_filter = ["active", "negotiation"]
    search_fields = ["url"]
    readonly_fields = ["last_polled_at", "last_error", "created_at"]
    raw_id_fields = ["created_by"]


@admin.register(Fetch)
class FetchAdmin(admin.ModelAdmin[Fetch]):
    list_display = ["id", "url", "status", "feed", "article", "duplicate", "created_at"]
    list_filter = ["status", "duplicate"]
    search_fields = ["url"]
    readonly_fields = ["attempts", "claimed_at", "fetched_at", "created_at"]
    raw_id_fields = ["article", "feed", "requested_by"]


FIGURE_KEYS = ("figures", "cross_validated", "cross_validation", "cv", "scores")


def model_figures(metadata: dict[str, Any]) -> str:
    """The cross-validated figures a model's metadata records, as one short line."""
    found = next((metadata[key] for key in FIGURE_KEYS if isinstance(metadata.get(key), dict)), metadata)
    numbers = [(key, value) for key, value in found.items()
               if isinstance(value, int | float) and not isinstance(value, bool)]
    return " · ".join(f"{key} {value:.2f}" if isinstance(value, float) else f"{key} {value}"
                      for key, value in numbers[:8]) or "—"


@admin.register(ExtractionModel)
class ExtractionModelAdmin(admin.ModelAdmin[ExtractionModel]):
    list_display = ["version", "is_active", "created_at", "created_by", "figures", "drafts_fared"]
    list_select_related = ["created_by"]
    list_filter = ["is_active"]
    search_fields = ["version"]
    fields = readonly_fields = ("version", "is_active", "created_at", "created_by", "metadata")
    actions = ["make_active", "use_shipped_default", "reextract_unreviewed"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # models come from `manage.py train_extractor`

    @admin.display(description="Cross-validated figures")
    def figures(self, obj: ExtractionModel) -> str:
        return model_figures(obj.metadata or {})

    def get_queryset(self, request: HttpRequest) -> QuerySet[ExtractionModel]:
        return extraction_models_with_outcomes(super().get_queryset(request))

    @admin.display(description="Its drafts: approved unchanged / edited / rejected / pending")
    def drafts_fared(self, obj: ExtractionModel) -> str:
        counts = [getattr(obj, name, 0) for name in ("approved_unchanged", "edited", "rejected", "pending")]
        return " / ".join(map(str, counts)) if any(counts) else "no drafts yet"

    def _offer_reextract(self, request: HttpRequest) -> None:
        waiting = len(articles_awaiting_reextract())
        if waiting:
            self.message_user(
                request,
                f"{waiting} article(s) hold drafts nobody has reviewed, made by another model: "
                "select any model and run “Re-extract unreviewed drafts with the active model”.",
                messages.WARNING,
            )

    @admin.action(description="Make active (ingestion uses it from the next article)")
    def make_active(self, request: HttpRequest, queryset: QuerySet[ExtractionModel]) -> None:
        if queryset.count() != 1:
            self.message_user(request, "Choose exactly one model to make active.", messages.ERROR)
            return
        model = extraction_model_activate(model_id=queryset.get().pk)
        self.message_user(request, f"Model {model.version} is now active.", messages.SUCCESS)
        self._offer_reextract(request)

    @admin.action(description="Use the shipped default model instead")
    def use_shipped_default(self, request: HttpRequest, queryset: QuerySet[ExtractionModel]) -> None:
        extraction_model_deactivate()
        self.message_user(request, "No model is active: ingestion uses the shipped default.")
        self._offer_reextract(request)

    @admin.action(description="Re-extract unreviewed drafts with the active model")
    def reextract_unreviewed(self, request: HttpRequest, queryset: QuerySet[ExtractionModel]) -> None:
        count = articles_reextract_unreviewed()
        self.message_user(request, f"{count} article(s) queued for re-extraction.", messages.SUCCESS)
