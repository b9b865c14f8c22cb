"""Who made a change, and why: what django-simple-history records with the next save or delete.

Every write names its user the same way, from the code that makes it: services from the
``user`` they are given, the admin from its request (``positions.admin.RecordsAdminUser``).
Nothing depends on a request being under way, so a service called from a worker, a command
or a test records its user too.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import Model


def as_change(instance: Model, *, user: User | None, reason: str = "") -> None:
    """Name the user (None: no one, as for the extractor's drafts) and the reason that the
    history row of the instance's next save or delete records."""
    instance._history_user = user  # type: ignore[attr-defined]  # read by simple-history
    if reason:
        instance._change_reason = reason  # type: ignore[attr-defined]  # read by simple-history
