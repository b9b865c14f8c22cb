from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser, User
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from positions.history import as_change
from positions.models import (
    Actor,
    ApiToken,
    Article,
    Clause,
    Evidence,
    Issue,
    Negotiation,
    Outlet,
    Participation,
    Person,
    Proposal,
    Statement,
)
from positions.services import statements_redate


def _acting(request: HttpRequest) -> User | None:
    user = request.user
    return None if isinstance(user, AnonymousUser) else user


class RecordsAdminUser(admin.ModelAdmin[Any]):
    """Admin saves and deletes of a model with history name the signed-in admin."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        as_change(obj, user=_acting(request))
        super().save_model(request, obj, form, change)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        as_change(obj, user=_acting(request))
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        # One by one, so each deleted row's history names the admin; all or none.
        with transaction.atomic():
            for obj in queryset:
                self.delete_model(request, obj)


class ParticipationInline(admin.TabularInline[Participation, Negotiation]):
    model = Participation
    extra = 0


@admin.register(Negotiation)
class NegotiationAdmin(admin.ModelAdmin[Negotiation]):
    list_display = ["name", "slug", "started_on"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ParticipationInline]


@admin.register(Actor)
class ActorAdmin(admin.ModelAdmin[Actor]):
    list_display = ["name", "short_name", "kind", "colour"]
    list_filter = ["kind", "negotiations"]
    search_fields = ["name", "short_name"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["name", "actor", "title"]
    list_filter = ["actor"]
    search_fields = ["name", "title"]
    autocomplete_fields = ["actor"]


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin[Issue]):
    list_display = ["key", "name", "negotiation", "parent", "position"]
    list_filter = ["negotiation"]
    search_fields = ["key", "name"]


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin[Outlet]):
    list_display = ["name"]
    search_fields = ["name"]


class EvidenceInline(admin.TabularInline[Evidence, Statement]):
    model = Evidence
    extra = 0
    readonly_fields = ["start", "end", "text"]


@admin.register(Statement)
class StatementAdmin(RecordsAdminUser, SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    list_display = ["id", "actor", "stance", "stated_on", "status", "confidence", "article"]
    list_filter = ["status", "stance", "quote_type", "actor", "negotiation"]
    search_fields = ["speaker", "summary", "via", "conditions"]
    date_hierarchy = "stated_on"
    raw_id_fields = ["article", "duplicate_of", "person", "proposal"]
    filter_horizontal = ["clauses"]
    readonly_fields = ["version", "extractor_version", "reviewed_by", "reviewed_at", "created_at"]
    inlines = [EvidenceInline]

    def save_model(
        self, request: HttpRequest, obj: Statement, form: forms.ModelForm[Statement], change: bool,
    ) -> None:
        obj.set_effective_on()
        super().save_model(request, obj, form, change)


class ClauseInline(admin.TabularInline[Clause, Proposal]):
    model = Clause
    extra = 0


@admin.register(Proposal)
class ProposalAdmin(RecordsAdminUser, SimpleHistoryAdmin):  # type: ignore[misc]  # simple_history ships no types
    list_display = ["name", "negotiation", "proposed_on", "parent"]
    list_filter = ["negotiation"]
    search_fields = ["name", "key", "aliases", "summary"]
    prepopulated_fields = {"key": ["name"]}
    raw_id_fields = ["parent"]
    filter_horizontal = ["proposed_by"]
    autocomplete_fields = ["articles"]
    inlines = [ClauseInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """Revoke a token by deleting it; new ones come from ``manage.py create_api_token``."""

    list_display = ["name", "user", "created_at", "last_used_at"]
    readonly_fields = ["user", "name", "created_at", "last_used_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Article)
class ArticleAdmin(RecordsAdminUser):
    list_display = ["id", "title", "outlet", "published_on", "status", "language", "created_at"]
    list_filter = ["status", "source_format", "language", "negotiation", "outlet"]
    search_fields = ["title", "url", "content_hash"]
    date_hierarchy = "published_on"
    readonly_fields = ["content_hash", "attempts", "claimed_at", "processed_at", "created_at"]
    raw_id_fields = ["uploaded_by"]

    def save_model(
        self, request: HttpRequest, obj: Article, form: forms.ModelForm[Article], change: bool,
    ) -> None:
        super().save_model(request, obj, form, change)
        if change and "published_on" in form.changed_data:
            statements_redate(article_id=obj.pk, user=_acting(request))
