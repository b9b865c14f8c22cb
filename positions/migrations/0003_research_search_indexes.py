"""Full-text search indexes for the research search page (PostgreSQL only).

The expressions must match positions.selectors.StatementDocument / EvidenceDocument exactly,
or the planner will not use them. SQLite searches with icontains and needs nothing here.
"""

from django.db import migrations

INDEXES = {
    "statement_search_gin": (
        "positions_statement",
        "to_tsvector('english'::regconfig, summary || ' ' || speaker || ' ' || conditions)",
    ),
    "evidence_search_gin": ("positions_evidence", "to_tsvector('english'::regconfig, text)"),
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, (table, expression) in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expression}))")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("positions", "0002_roles")]
    operations = [migrations.RunPython(create, drop)]
