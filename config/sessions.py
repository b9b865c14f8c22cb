"""Django's database sessions, the one read every signed-in request makes in plain SQL."""

from __future__ import annotations

from typing import Any

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    """Django's database sessions: the same table, rows, cookie and writes. Only ``load``,
    which every signed-in request runs, reads its row in plain SQL: building that one query
    through the ORM cost several times running it."""

    def load(self) -> dict[str, Any]:
        """The session's data if its row exists and has not expired; else none, and the key
        forgotten, as Django's ``load`` does."""
        connection = connections[router.db_for_read(self.model)]
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT session_data FROM {self.model._meta.db_table}"
                " WHERE session_key = %s AND expire_date > %s",
                [self.session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
            )
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        data: dict[str, Any] = self.decode(row[0])
        return data
