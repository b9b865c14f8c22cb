"""A batch's page: progress polled until every article is final, failures with reasons, retry."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Batch
from positions.models import Article
from tests.articles.conftest import htmx, ingested
from tests.factories import ArticleFactory


@pytest.fixture
def batch(negotiation, editor) -> Batch:
    batch = Batch.objects.create(
        negotiation=negotiation, source_name="week.zip", member_count=5, created_by=editor,
        failures=[{"name": "scan.pdf", "reason": "This PDF has no text layer (a scan?)."}],
        duplicates=[],
    )
    ArticleFactory.create(negotiation=negotiation, batch=batch, status="done", title="First")
    ArticleFactory.create(negotiation=negotiation, batch=batch, status="failed", title="Second", error="Extraction failed: boom")
    ArticleFactory.create(negotiation=negotiation, batch=batch, status="queued", title="Third")
    duplicate = ArticleFactory.create(negotiation=negotiation, title="Old one")
    batch.duplicates = [{"name": "old.txt", "article_id": duplicate.pk}]
    batch.save()
    return batch


def _url(batch: Batch) -> str:
    return reverse("articles:batch", args=[batch.pk])


def test_the_full_page_shows_progress_failures_and_duplicates(editor_client, batch):
    response = editor_client.get(_url(batch))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" in html
    assert "2 of 3 done" in html and '<progress id="batch-bar" max="3" value="2">' in html
    assert 'hx-trigger="every 2s"' in html
    assert "scan.pdf" in html and "no text layer" in html
    assert "Extraction failed: boom" in html and reverse("articles:batch_retry", args=[batch.pk]) in html
    assert "old.txt" in html and "already there" in html
    assert "Refresh" in html  # without JavaScript the page still says how to see progress


def test_htmx_polling_gets_only_the_progress_fragment(editor_client, batch):
    response = editor_client.get(_url(batch), headers=htmx("batch-progress"))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="batch-progress"')
    assert "<html" not in html and "every 2s" in html
    assert "HX-Target" in response["Vary"]


def test_polling_stops_with_286_once_every_article_is_final(editor_client, batch):
    batch.articles.filter(status="queued").update(status="done")
    response = editor_client.get(_url(batch), headers=htmx("batch-progress"))
    html = response.content.decode()
    assert response.status_code == 286
    assert "3 of 3 done" in html and "every 2s" not in html


def test_a_settled_batch_as_a_full_page_is_a_plain_200(editor_client, batch):
    batch.articles.update(status="done")
    assert editor_client.get(_url(batch)).status_code == 200


def test_an_unknown_batch_is_404(editor_client, db):
    assert editor_client.get(reverse("articles:batch", args=[9999])).status_code == 404
    assert editor_client.post(reverse("articles:batch_retry", args=[9999])).status_code == 404


@pytest.mark.parametrize("size", [1, 10])
def test_the_page_runs_a_fixed_number_of_queries(editor_client, negotiation, django_assert_num_queries, size):
    batch = Batch.objects.create(negotiation=negotiation, source_name="x.zip", member_count=size)
    for _ in range(size):
        ArticleFactory.create(negotiation=negotiation, batch=batch, status="queued")
    editor_client.get(_url(batch))  # warm the session
    # 1 session, 2 user, 3 the user's groups (access check), 4 batch with uploader and
    # negotiation, 5 its articles with their outlets.
    with django_assert_num_queries(5):
        response = editor_client.get(_url(batch))
    assert response.status_code == 200


def test_retry_queues_the_failed_articles_again(editor_client, batch, django_capture_on_commit_callbacks, sent_tasks):
    failed = batch.articles.get(status="failed")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("articles:batch_retry", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == _url(batch)
    failed.refresh_from_db()
    assert (failed.status, failed.error, failed.attempts) == ("queued", "", 0)
    assert ingested(sent_tasks) == [failed.pk]
    assert Article.objects.filter(batch=batch, status="done").count() == 1  # done ones are left alone


def test_retry_with_htmx_returns_the_progress_fragment(editor_client, batch):
    response = editor_client.post(
        reverse("articles:batch_retry", args=[batch.pk]), headers=htmx("batch-progress")
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="batch-progress"') and "<html" not in html
    assert "1 of 3 done" in html


def test_retry_answers_get_with_405(editor_client, batch):
    assert editor_client.get(reverse("articles:batch_retry", args=[batch.pk])).status_code == 405


def test_anonymous_visitors_are_sent_to_login(batch):
    for response in (Client().get(_url(batch)), Client().post(reverse("articles:batch_retry", args=[batch.pk]))):
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("who", ["outsider_client", "researcher_client"])
def test_users_who_are_not_editors_are_refused(request, batch, who):
    client = request.getfixturevalue(who)
    assert client.get(_url(batch)).status_code == 403
    assert client.post(reverse("articles:batch_retry", args=[batch.pk])).status_code == 403
    assert batch.articles.get(title="Second").status == "failed"
