"""Database constraints hold even when the services are bypassed."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from positions.models import Evidence, Statement
from tests.factories import ActorFactory, ArticleFactory, StatementFactory


@pytest.fixture
def statement(db):
    return StatementFactory.create()


@pytest.mark.parametrize(
    ("field", "value"),
    [("stance", "threaten"), ("status", "maybe"), ("quote_type", "rumour"), ("confidence", 1.5)],
)
def test_rejects_values_outside_the_fixed_keys(statement, field, value):
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(**{field: value})


def test_rejects_an_evidence_span_that_ends_before_it_starts(statement):
    with pytest.raises(IntegrityError), transaction.atomic():
        Evidence.objects.create(statement=statement, start=10, end=10, text="")


def test_rejects_a_duplicate_without_its_canonical_statement(statement):
    with pytest.raises(IntegrityError), transaction.atomic():
        Statement.objects.filter(pk=statement.pk).update(status="duplicate")


def test_accepts_a_duplicate_pointing_at_its_canonical_statement(statement):
    other = StatementFactory.create(actor=statement.actor)
    Statement.objects.filter(pk=other.pk).update(status="duplicate", duplicate_of=statement)
    assert statement.duplicates.get() == other


def test_allows_one_article_per_content_hash(db):
    article = ArticleFactory.create()
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory.create(negotiation=article.negotiation, content_hash=article.content_hash)


def test_rejects_an_actor_colour_that_is_not_hex(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        ActorFactory.create(name="Odd", colour="red;}")


def test_undated_statement_counts_from_its_article(statement):
    statement.stated_on = None
    assert statement.effective_date == statement.article.published_on
