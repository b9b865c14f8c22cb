"""Moving Article from articles to positions (articles 0010-0011, positions 0010) keeps every
row of a database migrated from before it: the articles, their history, the statements and
fetches pointing at them, and the batch each came from."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from articles.models import Batch, Fetch, SelectionReading
from positions.models import Article, Statement

BEFORE = [("articles", "0009_merge_0008_selection_reading_0008_upload_in_worker"),
          ("positions", "0009_issue_description")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]]) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


def _latest() -> list[tuple[str, str]]:
    return list(MigrationExecutor(connection).loader.graph.leaf_nodes())


def _rows_before_the_move() -> dict[str, int]:
    """Rows written with the models as they were before the move (Article in articles)."""
    apps = _migrate(BEFORE).loader.project_state(BEFORE).apps
    Negotiation = apps.get_model("positions", "Negotiation")
    Actor = apps.get_model("positions", "Actor")
    Outlet = apps.get_model("positions", "Outlet")
    OldArticle = apps.get_model("articles", "Article")
    OldBatch = apps.get_model("articles", "Batch")
    OldFetch = apps.get_model("articles", "Fetch")
    OldReading = apps.get_model("articles", "SelectionReading")
    OldStatement = apps.get_model("positions", "Statement")
    History = apps.get_model("articles", "HistoricalArticle")

    negotiation = Negotiation.objects.create(slug="moved", name="Moved talks")
    actor = Actor.objects.create(name="Northland")
    outlet = Outlet.objects.create(name="Harbour Wire")
    batch = OldBatch.objects.create(negotiation=negotiation, source_name="week.zip", member_count=2)
    in_batch = OldArticle.objects.create(
        negotiation=negotiation, title="From the zip", outlet=outlet, body="Northland agreed.",
        content_hash="a" * 64, published_on=date(2024, 1, 17), status="done", batch=batch,
    )
    alone = OldArticle.objects.create(
        negotiation=negotiation, title="Typed in", body="Northland refused.", content_hash="b" * 64,
    )
    History.objects.create(
        id=in_batch.pk, title="Old title", outlet=outlet, history_date="2024-01-18T10:00:00Z",
        history_type="~",
    )
    statement = OldStatement.objects.create(
        negotiation=negotiation, actor=actor, article=in_batch, speaker="Northland", stance="accept",
        stated_on=date(2024, 1, 16), effective_on=date(2024, 1, 16),
    )
    fetch = OldFetch.objects.create(url="https://harbour.example/a", negotiation=negotiation, article=alone)
    reading = OldReading.objects.create(token="0b4f3c1e-3f55-4c1b-9a59-55d2a8f2a0a1", article=in_batch, text="x")
    return {"in_batch": in_batch.pk, "alone": alone.pk, "batch": batch.pk, "statement": statement.pk,
            "fetch": fetch.pk, "reading": reading.pk}


def test_migrating_a_database_with_articles_keeps_them_and_their_links() -> None:
    content_type = ContentType.objects.get_for_model(Article)
    try:
        ids = _rows_before_the_move()
        # Before the move the content type is the articles app's (the same row).
        assert ContentType.objects.get(pk=content_type.pk).app_label == "articles"
    finally:
        _migrate(_latest())

    in_batch = Article.objects.get(pk=ids["in_batch"])
    assert in_batch.outlet is not None and in_batch.outlet.name == "Harbour Wire"
    assert (in_batch.title, in_batch.body) == ("From the zip", "Northland agreed.")
    assert in_batch.published_on == date(2024, 1, 17) and in_batch.status == "done"
    assert Article.objects.get(pk=ids["alone"]).title == "Typed in"
    assert [h.title for h in in_batch.history.all()] == ["Old title"]

    batch = Batch.objects.get(pk=ids["batch"])
    assert list(batch.articles.all()) == [in_batch]
    assert list(Article.objects.filter(batch=batch)) == [in_batch]
    assert not Batch.objects.filter(articles=ids["alone"]).exists()

    assert Statement.objects.get(pk=ids["statement"]).article == in_batch
    assert Fetch.objects.get(pk=ids["fetch"]).article_id == ids["alone"]
    assert SelectionReading.objects.get(pk=ids["reading"]).article_id == ids["in_batch"]
    assert ContentType.objects.get(pk=content_type.pk).app_label == "positions"

    # New articles keep numbering after the old ones (the table, and its sequence, are kept).
    later = Article.objects.create(negotiation=in_batch.negotiation, body="Later.", content_hash="c" * 64)
    assert later.pk > max(ids["in_batch"], ids["alone"])
