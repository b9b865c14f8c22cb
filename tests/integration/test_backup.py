"""Backup and restore as docs/operations.md describes them: `pg_dump -Fc` of a database holding
the demo data (loaded by `manage.py load_demo`, ingested on the embedded eager path), then
`pg_restore` into a fresh database, and every table has the same rows."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from psycopg import sql

from positions.models import Statement

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
TABLES = [
    "positions_negotiation", "positions_actor", "positions_participation", "positions_person",
    "positions_issue", "positions_outlet", "positions_statement", "positions_statement_issues",
    "positions_evidence", "positions_historicalstatement", "articles_article", "auth_user",
]


def counts(dsn: str) -> dict[str, int]:
    found = {}
    with psycopg.connect(dsn) as conn:
        for table in TABLES:
            row = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()
            assert row is not None
            found[table] = row[0]
    return found


def test_dump_and_restore_round_trip(transactional_db, tmp_path: Path):
    assert connection.vendor == "postgresql", "the backup test runs on PostgreSQL"
    db = connection.settings_dict
    host, port, user = db["HOST"] or "127.0.0.1", str(db["PORT"] or 5432), db["USER"] or "postgres"
    source = f"postgres://{user}@{host}:{port}/{db['NAME']}"
    env = {k: v for k, v in os.environ.items() if k not in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER")}
    env.update(DATABASE_URL=source, PGPASSWORD=db.get("PASSWORD") or "")

    # The demo data, as `make run` loads it (no broker: the article is ingested eagerly).
    loaded = subprocess.run(
        [sys.executable, "manage.py", "load_demo"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )
    assert loaded.returncode == 0, loaded.stderr
    drafts = Statement.objects.filter(status=Statement.Status.DRAFT)
    assert drafts.exists(), "the demo article gave no statements"
    first = drafts.first()
    assert first is not None
    first.status = Statement.Status.APPROVED
    first.save()  # through the model, so the history table has a row to carry over too
    before = counts(source)
    # The demo: its first article and the demo articles (positions/demo/articles/).
    assert before["positions_statement"] > 0 and before["articles_article"] > 1

    dump = tmp_path / "parley.dump"
    subprocess.run(
        ["pg_dump", "-Fc", "--no-owner", "-h", host, "-p", port, "-U", user, "-f", str(dump), db["NAME"]],
        env=env, check=True, capture_output=True, timeout=120,
    )
    fresh = f"parley_restore_{uuid.uuid4().hex[:8]}"
    admin = f"postgres://{user}@{host}:{port}/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(fresh)))
    try:
        restored = subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-h", host, "-p", port, "-U", user,
             "-d", fresh, str(dump)],
            env=env, capture_output=True, text=True, timeout=120,
        )
        assert restored.returncode == 0, restored.stderr
        after = counts(f"postgres://{user}@{host}:{port}/{fresh}")
        assert after == before
        # The restored copy is a working Parley database: Django sees no unapplied migration.
        check = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--check"], cwd=ROOT,
            env={**env, "DATABASE_URL": f"postgres://{user}@{host}:{port}/{fresh}"},
            capture_output=True, text=True, timeout=120,
        )
        assert check.returncode == 0, check.stdout + check.stderr
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(fresh)))
