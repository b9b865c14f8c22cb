"""Who may use a view. Every view is wrapped in exactly one of these decorators.

Anonymous visitors are sent to the login page; a signed-in user without the role gets 403.
Admins (staff) may do everything; editors may also do what researchers do.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponseBase

EDITOR = "editor"
RESEARCHER = "researcher"

View = Callable[..., HttpResponseBase]


def _group_names(user_id: int) -> set[str]:
    """The names of the user's groups, in plain SQL: every page asks (through its decorator
    and the navigation), and building the query through the ORM cost several times
    running it."""
    group, membership = Group._meta.db_table, User.groups.through._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT g.name FROM {group} g JOIN {membership} m ON m.group_id = g.id"
            " WHERE m.user_id = %s", [user_id],
        )
        return {name for (name,) in cursor.fetchall()}


def _in_groups(user: Any, names: set[str]) -> bool:
    if not user.is_active:
        return False
    if user.is_staff:
        return True
    cached = getattr(user, "_parley_groups", None)
    if cached is None:
        cached = _group_names(user.pk)
        user._parley_groups = cached
    return bool(cached & names)


def is_editor(user: Any) -> bool:
    return user.is_authenticated and _in_groups(user, {EDITOR})


def is_reader(user: Any) -> bool:
    return user.is_authenticated and _in_groups(user, {EDITOR, RESEARCHER})


def _requires(test: Callable[[Any], bool]) -> Callable[[View], View]:
    def decorator(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not test(request.user):
                raise PermissionDenied("Your account does not have the role for this page.")
            return view(request, *args, **kwargs)

        wrapped.parley_access = test.__name__  # type: ignore[attr-defined]  # a mark the permission test reads
        return wrapped

    return decorator


reader_required = _requires(is_reader)
editor_required = _requires(is_editor)


def public(view: View) -> View:
    """Open to anyone (login page, health check)."""
    view.parley_access = "public"  # type: ignore[attr-defined]  # a mark the permission test reads
    return view
