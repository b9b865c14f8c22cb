"""Statement.effective_on, the stored "as of" date, stays right on every write path."""

from __future__ import annotations

import importlib
from datetime import date

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.test import Client

from articles.drafts import statements_create_drafts
from articles.extraction.types import Draft
from positions.models import Evidence, Statement
from positions.services import (
    StatementChanges,
    statement_create,
    statement_restore,
    statement_split_parts,
    statement_update,
    statements_redate,
)
from tests.factories import ArticleFactory, StatementFactory

PUBLISHED = date(2024, 1, 17)


@pytest.fixture
def article(negotiation):
    return ArticleFactory.create(negotiation=negotiation, published_on=PUBLISHED)


def _changes(statement: Statement, **fields) -> StatementChanges:
    values = {
        "actor": statement.actor, "speaker": statement.speaker, "issues": list(statement.issues.all()),
        "stance": statement.stance, "summary": statement.summary, "conditions": statement.conditions,
        "via": statement.via, "stated_on": statement.stated_on, **fields,
    }
    return StatementChanges(**values)


def test_drafts_from_extraction_count_from_their_own_date_else_the_article(negotiation, article):
    actor = negotiation.actors.first()
    drafts = [
        Draft(speaker="x", actor=actor.name, issues=("hostages",), stance="demand", summary="a",
                  spans=((0, 5),), stated_on=date(2024, 1, 15), date_basis="relative"),
        Draft(speaker="x", actor=actor.name, issues=("hostages",), stance="reject", summary="b",
                  spans=((0, 5),)),
    ]
    made = statements_create_drafts(
        article=article, drafts=drafts, extractor_version="t", actors={actor.name: actor},
        issues={i.key: i for i in negotiation.issues.all()}, people={},
    )
    stored = Statement.objects.in_bulk([s.pk for s in made])
    assert [stored[s.pk].effective_on for s in made] == [date(2024, 1, 15), PUBLISHED]


def test_an_edit_of_the_date_moves_it(negotiation, article, editor):
    statement = StatementFactory.create(article=article, actor=negotiation.actors.first())
    assert statement.effective_on == date(2024, 1, 15)
    statement_update(statement_id=statement.pk, version=1, user=editor,
                     changes=_changes(statement, stated_on=None))
    statement.refresh_from_db()
    assert statement.effective_on == PUBLISHED
    statement_update(statement_id=statement.pk, version=2, user=editor,
                     changes=_changes(statement, stated_on=date(2024, 2, 2)))
    statement.refresh_from_db()
    assert statement.effective_on == date(2024, 2, 2)
    # The history records it too (django-simple-history copies every field).
    assert statement.history.latest("history_date").effective_on == date(2024, 2, 2)


def test_a_restore_follows_the_restored_date(negotiation, article, editor):
    statement = StatementFactory.create(article=article, actor=negotiation.actors.first(), stated_on=None)
    statement_update(statement_id=statement.pk, version=1, user=editor,
                     changes=_changes(statement, stated_on=date(2024, 3, 3)))
    statement_restore(statement_id=statement.pk, version=2, to_version=1, user=editor)
    statement.refresh_from_db()
    assert (statement.stated_on, statement.effective_on) == (None, PUBLISHED)


def test_hand_entries_with_and_without_an_article(negotiation, article, editor):
    template = StatementFactory.create(article=article, actor=negotiation.actors.first())
    undated = statement_create(negotiation=negotiation, article=article, user=editor,
                               changes=_changes(template, stated_on=None),
                               evidence=article.body[:10])
    dateless = statement_create(negotiation=negotiation, article=None, user=editor,
                                changes=_changes(template, stated_on=None))
    dated = statement_create(negotiation=negotiation, article=None, user=editor,
                             changes=_changes(template, stated_on=date(2024, 4, 4)))
    assert [s.effective_on for s in (undated, dateless, dated)] == [PUBLISHED, None, date(2024, 4, 4)]


def test_a_split_keeps_the_date(negotiation, article, editor):
    draft = StatementFactory.create(article=article, actor=negotiation.actors.first(), stated_on=None)
    second = Evidence.objects.create(statement=draft, start=10, end=20, text=article.body[10:20])
    _, [new] = statement_split_parts(statement_id=draft.pk, version=1, parts=[[second.pk]], user=editor)
    new.refresh_from_db()
    assert new.effective_on == PUBLISHED


def test_a_new_publication_date_moves_the_undated_statements_only(negotiation, article):
    actor = negotiation.actors.first()
    undated = StatementFactory.create(article=article, actor=actor, stated_on=None)
    dated = StatementFactory.create(article=article, actor=actor)
    article.published_on = date(2024, 5, 5)
    article.save()
    assert statements_redate(article_id=article.pk) == 1
    undated.refresh_from_db()
    dated.refresh_from_db()
    assert (undated.effective_on, dated.effective_on) == (date(2024, 5, 5), date(2024, 1, 15))


def test_moving_the_undated_statements_is_recorded_in_their_history(negotiation, article, editor):
    undated = StatementFactory.create(article=article, actor=negotiation.actors.first(), stated_on=None)
    undated.issues.add(negotiation.issues.first())
    before = undated.history.count()
    article.published_on = date(2024, 5, 5)
    article.save()
    assert statements_redate(article_id=article.pk, user=editor) == 1
    undated.refresh_from_db()
    assert undated.version == 2
    record = undated.history.order_by("-history_id").first()
    assert (record.effective_on, record.version, record.history_user) == (date(2024, 5, 5), 2, editor)
    assert record.history_change_reason == "as of the article's publication date, now 2024-05-05"
    assert [i.issue_id for i in record.issues.all()] == [negotiation.issues.first().pk]
    # Nothing left to move: no new version, no history row.
    assert statements_redate(article_id=article.pk, user=editor) == 0
    assert undated.history.count() == before + 1


def test_the_admin_redates_when_it_changes_the_publication_date(negotiation, article, admin_user):
    undated = StatementFactory.create(article=article, actor=negotiation.actors.first(), stated_on=None)
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/positions/article/{article.pk}/change/"
    form = client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"published_on": "2024-06-06", "negotiation": negotiation.pk, "status": article.status})
    if article.outlet_id:
        data["outlet"] = article.outlet_id
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    undated.refresh_from_db()
    assert undated.effective_on == date(2024, 6, 6)


def test_the_database_refuses_a_stored_date_other_than_the_statement_s_own(negotiation, article):
    statement = StatementFactory.create(article=article, actor=negotiation.actors.first())
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(effective_on=date(2020, 1, 1))


def test_the_migration_backfills_every_statement(negotiation, article):
    actor = negotiation.actors.first()
    undated = [StatementFactory.create(article=article, actor=actor, stated_on=None) for _ in range(3)]
    dateless = StatementFactory.create(article=None, negotiation=negotiation, actor=actor, stated_on=None)
    Statement.objects.filter(stated_on__isnull=True).update(effective_on=None)
    migration = importlib.import_module("positions.migrations.0005_statement_effective_on")
    migration.BATCH = 2  # several batches
    try:
        # The models as they were when the migration ran (Article was still in articles then).
        state = MigrationLoader(connection).project_state(("positions", "0005_statement_effective_on"))
        migration.backfill(state.apps, connection.schema_editor())
    finally:
        migration.BATCH = 5000
    assert {s.effective_on for s in Statement.objects.filter(pk__in=[s.pk for s in undated])} == {PUBLISHED}
    dateless.refresh_from_db()
    assert dateless.effective_on is None
