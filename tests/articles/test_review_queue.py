"""The review queue: articles with drafts, filters, counts, fragment, query count."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.articles.conftest import htmx
from tests.factories import ArticleFactory


def test_lists_articles_with_drafts_and_their_counts(editor_client, article, make_drafts, negotiation):
    make_drafts(article, 3)
    reviewed = ArticleFactory.create(negotiation=negotiation, title="All done here")
    make_drafts(reviewed, 1, status="approved")
    html = editor_client.get(reverse("articles:queue")).content.decode()
    assert "Truce talks" in html and "All done here" not in html
    assert "<strong>3</strong> drafts in 1 article" in html


def test_filters_by_actor_and_confidence(editor_client, article, make_drafts, negotiation):
    drafts = make_drafts(article, 3)
    drafts[0].confidence = 0.95
    drafts[0].save()
    params = {"actor": drafts[0].actor_id, "min_confidence": "0.9"}
    html = editor_client.get(reverse("articles:queue"), params).content.decode()
    assert "<strong>1</strong> draft in 1 article" in html


def test_htmx_gets_only_the_table(editor_client, draft):
    html = editor_client.get(reverse("articles:queue"), headers=htmx("queue-table")).content.decode()
    assert html.lstrip().startswith('<section id="queue-table">')
    assert "<html" not in html


def test_bad_filters_are_form_errors_not_500(editor_client, draft):
    response = editor_client.get(reverse("articles:queue"), {"actor": "x", "min_confidence": "7"})
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


@pytest.mark.parametrize("drafts", [1, 10])
def test_query_count_does_not_grow_with_the_drafts(
    drafts, editor_client, negotiation, make_drafts, django_assert_num_queries
):
    for _ in range(drafts):
        make_drafts(ArticleFactory.create(negotiation=negotiation), 2)
    # 1 session, 2 user, 3 user's groups, 4 articles with outlet, negotiation and draft counts,
    # 5-7 the filter choices: negotiations, actors, outlets, 8 drafts per extractor version.
    with django_assert_num_queries(8):
        response = editor_client.get(reverse("articles:queue"))
    assert response.status_code == 200
