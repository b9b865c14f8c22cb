from django.contrib import admin

from articles.models import Article, Batch, Feed, Fetch
from positions.services import statements_redate


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "outlet", "published_on", "status", "language", "created_at"]
    list_filter = ["status", "source_format", "language", "negotiation", "outlet"]
    search_fields = ["title", "url", "content_hash"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "attempts", "claimed_at", "processed_at", "created_at"]
    raw_id_fields = ["uploaded_by"]

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        super().save_model(request, obj, form, change)
        if change and "published_on" in form.changed_data:
            statements_redate(article_id=obj.pk)


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["id", "source_name", "negotiation", "member_count", "created_by", "created_at"]
    list_filter = ["negotiation"]
    readonly_fields = ["member_count", "failures", "duplicates", "created_at"]
    raw_id_fields = ["created_by"]


@admin.register(Feed)
class FeedAdmin(admin.ModelAdmin):
    list_display = ["id", "url", "negotiation", "active", "last_polled_at", "last_error"]
    list_filter = ["active", "negotiation"]
    search_fields = ["url"]
    readonly_fields = ["last_polled_at", "last_error", "created_at"]
    raw_id_fields = ["created_by"]


@admin.register(Fetch)
class FetchAdmin(admin.ModelAdmin):
    list_display = ["id", "url", "status", "feed", "article", "duplicate", "created_at"]
    list_filter = ["status", "duplicate"]
    search_fields = ["url"]
    readonly_fields = ["attempts", "claimed_at", "fetched_at", "created_at"]
    raw_id_fields = ["article", "feed", "requested_by"]
