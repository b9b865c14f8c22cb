from django.contrib import admin

from articles.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["id", "title", "outlet", "published_on", "status", "language", "created_at"]
    list_filter = ["status", "source_format", "language", "negotiation", "outlet"]
    search_fields = ["title", "url", "content_hash"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "attempts", "claimed_at", "processed_at", "created_at"]
    raw_id_fields = ["uploaded_by"]
