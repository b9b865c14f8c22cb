"""article_create: one article per content, enqueued after commit, queued when Redis is down."""

from __future__ import annotations

from articles.services import article_create
from articles.sources import read_text
from articles.work import QUEUE_DOWN_NOTE
from positions.models import Article

TEXT = "---\ntitle: Envoys meet\noutlet: Harbour Post\npublished: 2024-03-04\n---\nThe envoys met on Monday.\n"


def test_saves_a_queued_article_and_enqueues_it_after_commit(
    negotiation, editor, django_capture_on_commit_callbacks, sent_tasks
):
    with django_capture_on_commit_callbacks() as callbacks:
        article, created = article_create(
            document=read_text(TEXT), negotiation=negotiation, uploaded_by=editor
        )
    assert sent_tasks == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert sent_tasks == [("articles.tasks.article_ingest_task", {"article_id": article.pk})]
    assert created
    assert article.status == Article.Status.QUEUED
    assert (article.title, article.outlet.name, str(article.published_on)) == (
        "Envoys meet", "Harbour Post", "2024-03-04",
    )


def test_gives_the_existing_article_for_the_same_content(negotiation, editor):
    first, _ = article_create(document=read_text(TEXT), negotiation=negotiation, uploaded_by=editor)
    reformatted = TEXT.replace("The envoys met", "The  envoys\nmet")
    again, created = article_create(
        document=read_text(reformatted), negotiation=negotiation, uploaded_by=editor
    )
    assert not created
    assert again == first
    assert Article.objects.count() == 1


def test_keeps_the_article_queued_when_the_broker_is_down(
    negotiation, editor, django_capture_on_commit_callbacks, broker_down
):
    with django_capture_on_commit_callbacks(execute=True):
        article, _ = article_create(document=read_text(TEXT), negotiation=negotiation, uploaded_by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED
    assert article.error == QUEUE_DOWN_NOTE
