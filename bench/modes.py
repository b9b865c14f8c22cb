"""Time of the side-by-side matrix in each time mode (as of, published by, Parley's record
on), read in-process (no HTTP). Prints figures; not a test. PostgreSQL only.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench \\
        .venv/bin/python bench/modes.py --statements 100000 --reads 100

Uses the bench negotiation of bench/data.py (generated once, fixed seed). Its statements
are bulk-created without history, so a history is written for them here once, as review
leaves it: a draft row the day after the article, a row with today's status the day after
that, and for a fifth of them an edit a month later (another stance); each row with the
statement's issues. Then each mode's matrix is read for random days, with and without a
compared date, and the median, 95th percentile and maximum are printed per mode.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import DAYS, START, ensure_statements, setup_django

HISTORY_ONLY = {"history_id", "history_date", "history_change_reason", "history_type",
                "history_user_id"}


def ensure_history(negotiation_id: int) -> int:
    """Write the review history of the bench statements if they have none; the rows written."""
    from django.db import connection, transaction

    from positions.models import Article, Statement
    from positions.selectors.common import StatementIssue
    from positions.selectors.modes import HistoricalStatement, IssuesHistory

    if HistoricalStatement.objects.filter(negotiation_id=negotiation_id).exists():
        return 0
    table, statements = HistoricalStatement._meta.db_table, Statement._meta.db_table
    columns = [f.column for f in HistoricalStatement._meta.concrete_fields if f.column not in HISTORY_ONLY]
    listed = ", ".join(columns)

    def copied(**replaced: str) -> str:
        return ", ".join(replaced.get(column, f"s.{column}") for column in columns)

    steps = [
        (copied(status="'draft'"), "1 day", "'+'", "TRUE"),
        (copied(), "2 days", "'~'", "TRUE"),
        (copied(stance="CASE WHEN s.stance = 'reject' THEN 'accept' ELSE 'reject' END"),
         "32 days", "'~'", "s.id %% 5 = 0"),
    ]
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for values, after, kind, which in steps:
            cursor.execute(f"""
                INSERT INTO {table} ({listed}, history_date, history_type, history_change_reason)
                SELECT {values}, (a.published_on + interval '{after}')::timestamptz, {kind}, 'bench'
                FROM {statements} s JOIN {Article._meta.db_table} a ON a.id = s.article_id
                WHERE s.negotiation_id = %s AND {which}
            """, [negotiation_id])
            written += cursor.rowcount
        cursor.execute(f"""
            INSERT INTO {IssuesHistory._meta.db_table} (id, history_id, issue_id, statement_id)
            SELECT t.id, h.history_id, t.issue_id, t.statement_id
            FROM {StatementIssue._meta.db_table} t JOIN {table} h ON h.id = t.statement_id
            WHERE h.negotiation_id = %s
        """, [negotiation_id])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--reads", type=int, default=100)
    args = parser.parse_args()
    setup_django()
    from django.db import connection

    from positions.models import Negotiation
    from positions.selectors import Mode, positions_side_by_side

    assert connection.vendor == "postgresql", "bench/modes.py runs on PostgreSQL"
    negotiation = Negotiation.objects.get(pk=ensure_statements(args.statements))
    if written := ensure_history(negotiation.pk):
        print(f"  wrote {written:,} history rows")
    rng = random.Random(11)
    print(f"{'mode':<22} {'compare':<8} {'median':>8} {'p95':>8} {'max':>8}  (ms, {args.reads} reads)")
    for mode in Mode:
        for compare in (False, True):
            took = []
            for _ in range(args.reads):
                day = START + timedelta(days=rng.randrange(DAYS))
                before = day - timedelta(days=rng.randrange(1, 90)) if compare else None
                started = time.perf_counter()
                positions_side_by_side(negotiation=negotiation, as_of=day, compare=before, mode=mode)
                took.append((time.perf_counter() - started) * 1000)
            took.sort()
            print(f"{mode.value:<22} {'yes' if compare else 'no':<8} {statistics.median(took):8.1f} "
                  f"{took[int(len(took) * .95) - 1]:8.1f} {took[-1]:8.1f}")


if __name__ == "__main__":
    main()
