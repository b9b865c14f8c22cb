"""Merging a statement as a duplicate of another, with likely duplicates suggested."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from articles.selectors import duplicate_suggestions
from positions.models import Statement
from tests.articles.conftest import htmx
from tests.factories import ArticleFactory, StatementFactory


def _canonical(draft, negotiation, **fields):
    other = ArticleFactory.create(negotiation=negotiation, title="Same news elsewhere")
    defaults = {"status": "approved", "stated_on": date(2024, 1, 16)}
    defaults.update(fields)
    return StatementFactory.create(
        article=other, actor=draft.actor, issues=list(draft.issues.all()), **defaults
    )


def test_suggests_the_same_position_reported_by_another_outlet(draft, negotiation):
    same = _canonical(draft, negotiation)
    _canonical(draft, negotiation, stated_on=date(2024, 3, 1))  # too far apart
    StatementFactory.create(article=same.article, actor=negotiation.actors.exclude(pk=draft.actor_id).first())
    assert duplicate_suggestions(draft) == [same]


def test_statement_page_lists_suggestions_with_a_merge_button(editor_client, draft, negotiation):
    same = _canonical(draft, negotiation)
    html = editor_client.get(reverse("articles:statement", args=[draft.pk])).content.decode()
    assert f"Duplicate of #{same.pk}" in html


def test_merging_marks_the_duplicate_and_keeps_its_source(editor_client, editor, draft, negotiation):
    same = _canonical(draft, negotiation)
    url = reverse("articles:statement_merge", args=[draft.pk])
    response = editor_client.post(url, {"version": 1, "canonical": same.pk}, headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 200
    assert "status-duplicate" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.duplicate_of, draft.article_id is not None) == ("duplicate", same, True)
    assert same.duplicates.get() == draft
    assert draft.history.latest().history_change_reason == f"duplicate of #{same.pk}"


def test_merging_into_a_duplicate_points_at_its_canonical(editor_client, draft, negotiation):
    canonical = _canonical(draft, negotiation)
    middle = _canonical(draft, negotiation, status="duplicate", duplicate_of=canonical)
    editor_client.post(reverse("articles:statement_merge", args=[draft.pk]), {"version": 1, "canonical": middle.pk})
    draft.refresh_from_db()
    assert draft.duplicate_of == canonical


def test_merging_into_itself_or_nothing_is_refused(editor_client, draft):
    url = reverse("articles:statement_merge", args=[draft.pk])
    assert editor_client.post(url, {"version": 1, "canonical": draft.pk}).status_code == 422
    assert editor_client.post(url, {"version": 1, "canonical": 987654}).status_code == 422
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 1)
    assert Statement.objects.filter(status="duplicate").count() == 0


def test_a_stale_merge_is_a_conflict(editor_client, draft, negotiation):
    same = _canonical(draft, negotiation)
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    response = editor_client.post(reverse("articles:statement_merge", args=[draft.pk]), {"version": 1, "canonical": same.pk})
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.status == "approved"


def test_the_canonical_statement_page_lists_every_source_merged_into_it(editor_client, draft, negotiation):
    same = _canonical(draft, negotiation)
    editor_client.post(reverse("articles:statement_merge", args=[draft.pk]), {"version": 1, "canonical": same.pk})
    html = editor_client.get(reverse("articles:statement", args=[same.pk])).content.decode()
    assert "Also reported as" in html and f"#{draft.pk}</a>" in html and "Truce talks" in html
