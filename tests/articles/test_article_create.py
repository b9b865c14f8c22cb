"""article_create: one article per content, enqueued after commit, queued when Redis is down."""

from __future__ import annotations

from unittest import mock

from kombu.exceptions import OperationalError

from articles.services import QUEUE_DOWN_NOTE, article_create
from articles.sources import read_text
from positions.models import Article

TEXT = "---\ntitle: Envoys meet\noutlet: Harbour Post\npublished: 2024-03-04\n---\nThe envoys met on Monday.\n"


def test_saves_a_queued_article_and_enqueues_it_after_commit(
    negotiation, editor, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    with (
        mock.patch("articles.tasks.article_ingest_task.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        article, created = article_create(
            document=read_text(TEXT), negotiation=negotiation, uploaded_by=editor
        )
    assert created
    assert article.status == Article.Status.QUEUED
    assert (article.title, article.outlet.name, str(article.published_on)) == (
        "Envoys meet", "Harbour Post", "2024-03-04",
    )
    delay.assert_called_once_with(article_id=article.pk)


def test_gives_the_existing_article_for_the_same_content(negotiation, editor):  # type: ignore[no-untyped-def]
    first, _ = article_create(document=read_text(TEXT), negotiation=negotiation, uploaded_by=editor)
    reformatted = TEXT.replace("The envoys met", "The  envoys\nmet")
    again, created = article_create(
        document=read_text(reformatted), negotiation=negotiation, uploaded_by=editor
    )
    assert not created
    assert again == first
    assert Article.objects.count() == 1


def test_keeps_the_article_queued_when_the_broker_is_down(
    negotiation, editor, django_capture_on_commit_callbacks
):  # type: ignore[no-untyped-def]
    failing = mock.patch(
        "articles.tasks.article_ingest_task.delay", side_effect=OperationalError("refused")
    )
    with failing, django_capture_on_commit_callbacks(execute=True):
        article, _ = article_create(document=read_text(TEXT), negotiation=negotiation, uploaded_by=editor)
    article.refresh_from_db()
    assert article.status == Article.Status.QUEUED
    assert article.error == QUEUE_DOWN_NOTE
