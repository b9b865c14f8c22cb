"""Re-extract: a done article runs the current extractor again; only untouched drafts are replaced."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.extraction.types import Draft
from articles.reference import ingest_reference
from articles.services import article_ingest
from positions.models import Article, Statement
from tests.articles.conftest import htmx, ingested


def test_a_done_article_offers_re_extract(editor_client, article):
    html = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert "Re-extract" in html and reverse("articles:retry", args=[article.pk]) in html


@pytest.mark.parametrize("status", ["queued", "processing", "failed"])
def test_other_statuses_do_not_offer_it(editor_client, article, status):
    Article.objects.filter(pk=article.pk).update(status=status)
    assert "Re-extract" not in editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()


def test_re_extract_queues_the_article_and_says_what_it_replaces(
    editor_client, article, django_capture_on_commit_callbacks, sent_tasks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(reverse("articles:retry", args=[article.pk]), follow=True)
    article.refresh_from_db()
    assert article.status == "queued"
    assert ingested(sent_tasks) == [article.pk]
    assert "drafts no editor has touched will be replaced" in response.content.decode()


def test_re_extract_with_htmx_returns_the_polling_status(editor_client, article):
    response = editor_client.post(reverse("articles:retry", args=[article.pk]), headers=htmx("article-status"))
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="article-status"') and "every 2s" in html


def _draft(body: str, sentence: str) -> Draft:
    start = body.index(sentence)
    return Draft(
        speaker="Northland", actor="Northland", issues=("ceasefire",), stance="accept",
        summary=sentence, spans=((start, start + len(sentence)),), confidence=0.6,
    )


def test_re_extraction_replaces_only_untouched_drafts(editor_client, article, make_drafts):
    untouched, edited = make_drafts(article, 2)
    Statement.objects.filter(pk=edited.pk).update(version=2)  # an editor changed it
    approved = make_drafts(article, 1, status=Statement.Status.APPROVED, version=2)[0]
    first = article.body.split(". ")[0] + "."
    later = "Mediatia called the talks very serious."
    drafts = [_draft(article.body, first), _draft(article.body, later)]
    editor_client.post(reverse("articles:retry", args=[article.pk]))
    with mock.patch("articles.services.extract", return_value=drafts):
        article_ingest(article_id=article.pk)
    remaining = set(Statement.objects.filter(article=article).values_list("pk", flat=True))
    assert untouched.pk not in remaining
    assert {edited.pk, approved.pk} <= remaining
    # The draft over the span editors decided is dropped; the other one is a new draft.
    new = Statement.objects.filter(article=article).exclude(pk__in=[edited.pk, approved.pk])
    assert [s.summary for s in new] == [later]


def test_re_extract_is_refused_to_non_editors(researcher_client, outsider_client, article):
    for client in (researcher_client, outsider_client):
        assert client.post(reverse("articles:retry", args=[article.pk])).status_code == 403
    response = Client().post(reverse("articles:retry", args=[article.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    article.refresh_from_db()
    assert article.status == "done"


def test_drafts_are_saved_in_the_same_number_of_queries_for_1_and_10(article):
    later = "Mediatia called the talks very serious."
    ingest_reference(article.negotiation)  # kept by the process after its first article
    counts = []
    for count in (1, 10):
        Statement.objects.filter(article=article).delete()
        Article.objects.filter(pk=article.pk).update(status="queued")
        with (
            mock.patch("articles.services.extract", return_value=[_draft(article.body, later)] * count),
            CaptureQueriesContext(connection) as queries,
        ):
            article_ingest(article_id=article.pk)
        assert Statement.objects.filter(article=article).count() == count
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_each_draft_has_one_history_row_with_its_issues(article):
    Article.objects.filter(pk=article.pk).update(status="queued")
    later = "Mediatia called the talks very serious."
    with mock.patch("articles.services.extract", return_value=[_draft(article.body, later)]):
        article_ingest(article_id=article.pk)
    draft = Statement.objects.get(article=article)
    [record] = draft.history.all()
    assert (record.history_type, record.version, record.history_change_reason) == (
        "+", 1, f"drafted by extractor {draft.extractor_version}",
    )
    assert [row.issue.key for row in record.issues.all()] == ["ceasefire"]
    assert [(e.start, e.end, e.text) for e in draft.evidence.all()] == [
        (article.body.index(later), article.body.index(later) + len(later), later)
    ]
