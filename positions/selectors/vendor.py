"""The one place that decides which path a read takes on the current database.

Most reads are plain ORM queries that run anywhere. A few have a second, PostgreSQL-only
path because PostgreSQL answers them much faster its own way (a LATERAL index walk, COPY).
Such a read is declared once with ``two_paths``: both paths take the same arguments and
must return the same result, the portable one runs everywhere (PostgreSQL included), and
``tests/positions/test_two_paths.py`` runs both on the same PostgreSQL data and compares
them, for every read registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import connection


def on_postgresql() -> bool:
    """Whether the default database is PostgreSQL (full-text search, LATERAL, COPY)."""
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class TwoPaths[**P, R]:
    """A read with a PostgreSQL path and a portable path that give the same result."""

    name: str
    postgresql: Callable[P, R]
    portable: Callable[P, R]

    def __call__(self, *args: P.args, **kwargs: P.kwargs) -> R:
        path = self.postgresql if on_postgresql() else self.portable
        return path(*args, **kwargs)


READS: dict[str, TwoPaths[..., object]] = {}


def two_paths[**P, R](
    name: str, *, postgresql: Callable[P, R], portable: Callable[P, R]
) -> TwoPaths[P, R]:
    """Declare a read with two paths under ``name``; calling it takes the database's path."""
    if name in READS:
        raise ValueError(f"a read named {name!r} has two paths already")
    read = TwoPaths(name=name, postgresql=postgresql, portable=portable)
    READS[name] = read
    return read
