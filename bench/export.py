"""CSV export throughput against plain COPY, in one run. Prints figures; not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench \\
        .venv/bin/python bench/export.py --statements 100000

Measures, for the same rows and columns (every approved statement of the bench track):
1. plain ``COPY (SELECT …) TO STDOUT WITH (FORMAT csv)`` of the export's query without
   the formula-injection escaping, read through psycopg into nothing (the baseline);
2. the export view as a researcher requests it (Django test client, StreamingHttpResponse
   consumed piece by piece): on PostgreSQL COPY with escaping in SQL;
3. the portable writer (csv module, used on SQLite) for comparison.
Peak memory growth is the largest resident-set increase seen while consuming the stream.
Each figure is the best of three runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import ensure_statements, setup_django


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * 4096 / 2**20


def consume(pieces: Iterable[bytes]) -> tuple[int, float]:
    """Bytes read and the peak RSS growth in MB while reading them."""
    base, peak, size = rss_mb(), 0.0, 0
    for n, piece in enumerate(pieces):
        size += len(piece)
        if n % 64 == 0:
            peak = max(peak, rss_mb() - base)
    return size, max(peak, rss_mb() - base)


ROUNDS = 3


def timed(name: str, rows: int, run: Callable[[], tuple[int, float]]) -> float:
    """Best of ROUNDS runs (the machine is shared: the best run is the least disturbed)."""
    best, size, memory = float("inf"), 0, 0.0
    for _ in range(ROUNDS):
        started = time.perf_counter()
        size, used = run()
        best = min(best, time.perf_counter() - started)
        memory = max(memory, used)
    seconds = best
    rate = rows / seconds
    print(f"{name:<44}{rate:>12,.0f}{seconds:>9.2f}{size / 2**20:>9.1f}{memory:>10.1f}")
    return rate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth.models import Group, User
    from django.db import connection
    from django.test import Client

    from positions import export
    from positions.models import Negotiation
    from positions.selectors import StatementFilters, approved_statements

    negotiation = Negotiation.objects.get(pk=ensure_statements(args.statements))
    filters = StatementFilters(negotiation_id=negotiation.pk)
    rows = approved_statements(filters).count()
    user, _ = User.objects.get_or_create(username="bench-researcher")
    user.groups.add(Group.objects.get(name="researcher"))
    client = Client()
    client.force_login(user)
    print(f"database: {connection.vendor}; approved statements exported: {rows:,}")
    print(f"{'':<44}{'rows/s':>12}{'s':>9}{'MB out':>9}{'peak +MB':>10}")

    baseline = None
    if connection.vendor == "postgresql":
        escaped = export._escaped
        export._escaped = lambda column: column  # the same query, no escaping
        sql, params = export._copy_sql(filters)
        export._escaped = escaped

        def plain_copy() -> tuple[int, float]:
            def pieces() -> Iterable[bytes]:
                with connection.cursor() as cursor, cursor.cursor.copy(sql, params) as copy:
                    yield from copy
            return consume(pieces())

        baseline = timed("plain COPY … TO STDOUT (baseline)", rows, plain_copy)

    url = f"/export/?negotiation={negotiation.slug}"
    view = timed("export view, CSV (what researchers get)", rows,
                 lambda: consume(client.get(url).streaming_content))
    timed("portable csv writer (the SQLite path)", rows, lambda: consume(
        export.stream_csv(export.export_rows(filters), bom=False)))
    timed("export view, JSON", rows,
          lambda: consume(client.get(url + "&format=json").streaming_content))
    if baseline:
        print(f"export view / plain COPY: {view / baseline:.2f} (target ≥ 0.70)")


if __name__ == "__main__":
    main()
