"""An article's review page: highlighted evidence, cards, sorting, fragments, query count."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from articles.selectors import highlight
from positions.models import Evidence
from tests.articles.conftest import htmx
from tests.factories import ArticleFactory, StatementFactory


def test_marks_each_evidence_span_in_the_text(editor_client, draft):
    response = editor_client.get(reverse("articles:review", args=[draft.article_id]))
    html = response.content.decode()
    assert response.status_code == 200
    span = draft.evidence.get()
    assert re.search(
        rf'<mark class="ev" data-start="0" data-statements="{draft.pk}"><svg class="ev-dot"[^>]*>'
        rf'<circle [^>]*fill="{draft.actor.colour}"></circle></svg>{re.escape(span.text)}</mark>',
        html,
    )
    assert f'id="statement-{draft.pk}"' in html


def test_article_text_is_escaped_never_trusted(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, body="<script>alert(1)</script> said Northland.")
    statement = StatementFactory.create(article=article, actor=negotiation.actors.first())
    response = editor_client.get(reverse("articles:review", args=[article.pk]))
    html = response.content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert statement.pk


def test_overlapping_spans_split_into_segments_naming_every_statement(negotiation, article, make_drafts):
    first, second = make_drafts(article, 2)
    Evidence.objects.filter(statement=second).update(start=10, end=120)
    from articles.selectors import review_statements

    segments = highlight(article.body, review_statements(article))
    assert "".join(segment.text for segment in segments) == article.body
    covered = {segment.statement_ids for segment in segments if segment.statements}
    assert f"{first.pk} {second.pk}" in covered or f"{second.pk} {first.pk}" in covered


def test_htmx_sort_returns_only_the_workspace_in_confidence_order(editor_client, article, make_drafts):
    low, high = make_drafts(article, 2)
    low.confidence, high.confidence = 0.2, 0.9
    low.save()
    high.save()
    url = reverse("articles:review", args=[article.pk]) + "?sort=confidence"
    html = editor_client.get(url, headers=htmx("review-workspace")).content.decode()
    assert html.lstrip().startswith('<div id="review-workspace"')
    assert "<html" not in html
    assert html.index(f'id="statement-{high.pk}"') < html.index(f'id="statement-{low.pk}"')


def test_the_progress_region_alone_for_htmx(editor_client, draft):
    url = reverse("articles:review", args=[draft.article_id])
    html = editor_client.get(url, headers=htmx("review-progress")).content.decode()
    assert html.lstrip().startswith('<div id="review-progress"')
    assert "1</strong> draft to review" in html


def test_an_unknown_sort_falls_back_to_position(editor_client, draft):
    url = reverse("articles:review", args=[draft.article_id]) + "?sort=drop+table"
    assert editor_client.get(url).status_code == 200


def test_an_unknown_htmx_target_gets_the_whole_page(editor_client, draft):
    url = reverse("articles:review", args=[draft.article_id])
    assert "<html" in editor_client.get(url, headers=htmx("main")).content.decode()


def test_htmx_history_restore_gets_the_whole_page_and_responses_vary(editor_client, draft):
    url = reverse("articles:review", args=[draft.article_id])
    headers = {**htmx("review-workspace"), "HX-History-Restore-Request": "true"}
    response = editor_client.get(url, headers=headers)
    assert "<html" in response.content.decode()
    assert "HX-Request" in response["Vary"] and "HX-Target" in response["Vary"]


@pytest.mark.parametrize("drafts", [1, 10])
def test_query_count_does_not_grow_with_the_drafts(
    drafts, editor_client, article, make_drafts, django_assert_num_queries
):
    make_drafts(article, drafts)
    url = reverse("articles:review", args=[article.pk])
    # 1 session, 2 user, 3 the user's groups (access check),
    # 4 the article with its negotiation and outlet, 5 the actor palette (participations),
    # 6 the statements with actor, person, reviewer and duplicate_of,
    # 7 their issues (prefetch), 8 their evidence (prefetch), 9 their proposals' clauses
    # linked (prefetch; the proposals' own clauses only when a statement has a proposal),
    # 10 the negotiation's proposals (the names the proposal field offers).
    # (The next article is looked up only when no draft is left.)
    with django_assert_num_queries(10):
        response = editor_client.get(url)
    assert response.status_code == 200
