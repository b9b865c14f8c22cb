"""Stored search documents and the newest-approved index, for the search page.

PostgreSQL only for the documents: each of positions_statement and positions_evidence gets
``search_document``, a tsvector generated from the same text the expression indexes of
0003 covered, and the GIN indexes (same names) now cover the column. Reading a stored
document costs a fraction of a microsecond, computing ``to_tsvector`` about ten, and the
search page checks documents row by row while it walks the newest statements (see
positions.selectors.search). The columns are not model fields: the database fills them
in on every write, and only the search selector reads them (``SearchDocument``).

Adding a stored generated column rewrites the table: about 30 s for a million statements,
under an exclusive lock.
"""

from django.db import migrations, models
from django.db.models import Q

DOCUMENTS = {
    # table: (expression, GIN index)
    "positions_statement": (
        "to_tsvector('english'::regconfig, summary || ' ' || speaker || ' ' || conditions)",
        "statement_search_gin",
    ),
    "positions_evidence": ("to_tsvector('english'::regconfig, text)", "evidence_search_gin"),
}


def add_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (expression, index) in DOCUMENTS.items():
        schema_editor.execute(
            f"ALTER TABLE {table} ADD COLUMN search_document tsvector "
            f"GENERATED ALWAYS AS ({expression}) STORED"
        )
        schema_editor.execute(f"DROP INDEX IF EXISTS {index}")
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (search_document)")
        schema_editor.execute(f"ANALYZE {table}")


def drop_documents(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (expression, index) in DOCUMENTS.items():
        schema_editor.execute(f"ALTER TABLE {table} DROP COLUMN search_document")  # and its index
        schema_editor.execute(f"CREATE INDEX {index} ON {table} USING gin (({expression}))")


class Migration(migrations.Migration):
    dependencies = [("positions", "0005_statement_effective_on")]
    operations = [
        migrations.AddIndex(
            model_name="statement",
            index=models.Index(
                condition=Q(status="approved"), fields=["effective_on", "id"],
                name="statement_approved_newest",
            ),
        ),
        migrations.RunPython(add_documents, drop_documents),
    ]
