"""Who made a change, and why: what django-simple-history records with the next save or delete.

Every write names its user the same way, from the code that makes it: services from the
``user`` they are given, the admin from its request. Nothing depends on a request being
under way, so a service called from a worker, a command or a test records its user too.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest


def as_change(instance: Model, *, user: AbstractBaseUser | None, reason: str = "") -> None:
    """Name the user (None: no one, as for the extractor's drafts) and the reason that the
    history row of the instance's next save or delete records."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history


def _acting(request: HttpRequest) -> AbstractBaseUser | None:
    user = request.user
    return None if isinstance(user, AnonymousUser) else user


class RecordsAdminUser(admin.ModelAdmin):  # type: ignore[type-arg]
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
