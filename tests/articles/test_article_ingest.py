"""article_ingest: claims once, replaces only untouched drafts, fails poison articles."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db.models import QuerySet
from django.utils import timezone

from articles.services import article_ingest
from articles.sources import read_text
from articles.work import ARTICLES
from positions.demo import demo_data, negotiation_load
from positions.models import Article, Evidence, Statement
from tests.factories import ArticleFactory

STORY = (
    "Hamas will not release more hostages until Israel ends its offensive, a senior Hamas "
    "official told reporters on Monday.\n\n"
    '"We will not accept a temporary truce," Osama Hamdan said.\n\n'
    "Benjamin Netanyahu rejected the demand on Tuesday, saying Israel would fight on."
)


@pytest.fixture
def article(db):
    negotiation = negotiation_load(data=demo_data())
    return ArticleFactory.create(
        negotiation=negotiation, body=read_text(STORY).body, status=Article.Status.QUEUED
    )


def test_turns_a_queued_article_into_drafts_with_exact_evidence(article):
    article_ingest(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.DONE
    assert article.language == "en"
    drafts = list(Statement.objects.filter(article=article))
    assert drafts, "expected drafts from a story with three positions"
    for draft in drafts:
        assert draft.status == Statement.Status.DRAFT
        assert draft.history.earliest().history_type == "+"
        evidence = list(draft.evidence.all())
        assert evidence, f"draft {draft.pk} has no evidence"
        assert all(article.body[span.start:span.end] == span.text for span in evidence)


def test_each_draft_history_row_records_its_issues_and_reason(article):
    article_ingest(article_id=article.pk)
    drafts = list(Statement.objects.filter(article=article).prefetch_related("issues"))
    assert drafts
    for draft in drafts:
        [record] = draft.history.all()
        assert record.history_change_reason.startswith("drafted by extractor ")
        assert {row.issue_id for row in record.issues.all()} == {i.pk for i in draft.issues.all()}
        assert draft.issues.exists()


def test_a_second_delivery_does_nothing(article):
    article_ingest(article_id=article.pk)
    count = Statement.objects.filter(article=article).count()
    article_ingest(article_id=article.pk)
    assert Statement.objects.filter(article=article).count() == count
    article.refresh_from_db()
    assert article.attempts == 1


def test_a_live_claim_cannot_be_taken_twice(article):
    assert ARTICLES.claim(article.pk)
    assert not ARTICLES.claim(article.pk)


def test_a_claim_older_than_the_hard_limit_can_be_taken_over(article, settings):
    assert ARTICLES.claim(article.pk)
    old = timezone.now() - timedelta(seconds=settings.CELERY_TASK_TIME_LIMIT + 1)
    Article.objects.filter(pk=article.pk).update(claimed_at=old)
    assert ARTICLES.claim(article.pk)


def test_fails_an_article_claimed_too_often(article, settings):
    Article.objects.filter(pk=article.pk).update(attempts=settings.PARLEY_MAX_ATTEMPTS)
    article_ingest(article_id=article.pk)
    article.refresh_from_db()
    assert article.status == Article.Status.FAILED
    assert "attempts" in article.error


def test_reextraction_keeps_what_an_editor_decided(article, editor):
    article_ingest(article_id=article.pk)
    decided = Statement.objects.filter(article=article).first()
    decided.status = Statement.Status.APPROVED
    decided.version += 1
    decided.save()
    untouched = set(
        Statement.objects.filter(article=article, status="draft").values_list("pk", flat=True)
    )
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    article_ingest(article_id=article.pk)
    remaining = Statement.objects.filter(article=article)
    assert decided in remaining
    assert not untouched & set(remaining.values_list("pk", flat=True))
    spans = {(e.start, e.end) for e in decided.evidence.all()}
    redrafted = list(Evidence.objects.filter(statement__in=remaining.filter(status="draft")))
    assert spans and redrafted, "expected the decided statement's spans and new drafts beside them"
    for evidence in redrafted:
        assert all(evidence.end <= s or e <= evidence.start for s, e in spans)


def test_a_draft_an_editor_touches_while_it_is_reextracted_stays_with_its_span(article):
    article_ingest(article_id=article.pk)
    touched = Statement.objects.filter(article=article).first()
    Article.objects.filter(pk=article.pk).update(status=Article.Status.QUEUED)
    delete = QuerySet.delete

    def edited_first(queryset):
        # The editor's edit commits after ingestion read the drafts, before it deletes them.
        Statement.objects.filter(pk=touched.pk).update(version=2)
        return delete(queryset)

    with mock.patch.object(QuerySet, "delete", edited_first):
        article_ingest(article_id=article.pk)
    assert Statement.objects.filter(pk=touched.pk, version=2).exists()
    spans = {(e.start, e.end) for e in touched.evidence.all()}
    others = list(Evidence.objects.filter(statement__article=article).exclude(statement=touched))
    assert spans and others, "expected the touched draft's spans and new drafts beside them"
    for evidence in others:
        assert all(evidence.end <= s or e <= evidence.start for s, e in spans)


def test_non_english_article_gets_no_drafts(db):
    negotiation = negotiation_load(data=demo_data())
    article = ArticleFactory.create(
        negotiation=negotiation, status=Article.Status.QUEUED,
        body="Les médiateurs ont proposé mercredi une nouvelle trêve de six semaines. "
        "Le Hamas a déclaré qu'il étudiait la proposition avec attention.",
    )
    article_ingest(article_id=article.pk)
    article.refresh_from_db()
    assert (article.status, article.language) == (Article.Status.DONE, "fr")
    assert not article.statements.exists()


def test_sweep_counts_articles_left_behind(article, sent_tasks):
    Article.objects.filter(pk=article.pk).update(created_at=timezone.now() - timedelta(minutes=5))
    assert ARTICLES.sweep() == 1
    assert sent_tasks == [("articles.tasks.article_ingest_task", {"article_id": article.pk})]


def test_sweep_leaves_a_just_queued_article_and_a_live_claim(article, sent_tasks):
    held = ArticleFactory.create(negotiation=article.negotiation, status=Article.Status.QUEUED)
    assert ARTICLES.claim(held.pk)
    assert ARTICLES.sweep() == 0
    assert sent_tasks == []


def test_a_held_claim_says_when_to_look_again(article, settings):
    assert ARTICLES.claim(article.pk)
    wait = article_ingest(article_id=article.pk)
    assert wait is not None
    assert settings.CELERY_TASK_TIME_LIMIT - 5 < wait <= settings.CELERY_TASK_TIME_LIMIT + 1


def test_a_final_article_needs_no_second_look(article):
    assert article_ingest(article_id=article.pk) is None
    assert article_ingest(article_id=article.pk) is None
