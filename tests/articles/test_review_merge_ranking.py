"""Merge suggestions come from the same article and outlet first, ranked by how alike the
evidence is; merging statements of different actors asks first; the card never offers
Approve as an approved statement's main action, nor shows its version."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from articles.selectors import duplicate_suggestions
from positions.models import Evidence, Statement
from tests.factories import ArticleFactory, StatementFactory


def _with_evidence(statement: Statement, text: str) -> Statement:
    statement.evidence.all().delete()
    assert statement.article is not None
    body = statement.article.body
    start = body.index(text)
    Evidence.objects.create(statement=statement, start=start, end=start + len(text), text=text)
    return statement


def test_same_article_first_then_by_evidence_similarity(draft, negotiation, article):
    sentence = "Southport rejected the offer and demanded that the war end."
    _with_evidence(draft, sentence)
    sibling = _with_evidence(
        StatementFactory.create(article=article, actor=draft.actor, issues=list(draft.issues.all())),
        sentence,
    )
    unrelated = _with_evidence(
        StatementFactory.create(article=article, actor=draft.actor, issues=list(draft.issues.all())),
        "Mediatia called the talks very serious.",
    )
    elsewhere = StatementFactory.create(
        article=ArticleFactory.create(negotiation=negotiation, body="Southport rejected the offer and "
                               "demanded that the war end, officials said.", title="Wire"),
        actor=draft.actor, issues=list(draft.issues.all()), status="approved",
        stated_on=date(2024, 1, 16),
    )
    found = duplicate_suggestions(draft)
    assert found[0] == sibling
    assert found.index(sibling) < found.index(elsewhere)
    assert unrelated not in found[:1]


def test_another_actors_statement_is_suggested_only_when_its_evidence_is_alike(draft, negotiation, article):
    sentence = "Southport rejected the offer and demanded that the war end."
    _with_evidence(draft, sentence)
    other = negotiation.actors.exclude(pk=draft.actor_id).first()
    relayed = _with_evidence(StatementFactory.create(article=article, actor=other), sentence)
    different = _with_evidence(StatementFactory.create(article=article, actor=other),
                               "Mediatia called the talks very serious.")
    found = duplicate_suggestions(draft)
    assert relayed in found and different not in found


def test_merging_different_actors_asks_first_and_then_merges(editor_client, draft, negotiation, article):
    other = StatementFactory.create(article=article, actor=negotiation.actors.exclude(pk=draft.actor_id).first())
    url = reverse("articles:statement_merge", args=[draft.pk])
    response = editor_client.post(url, {"version": 1, "canonical": other.pk})
    html = response.content.decode()
    assert response.status_code == 422
    assert "Merge anyway" in html and "merge anyway?" in html
    draft.refresh_from_db()
    assert draft.status == "draft"
    response = editor_client.post(url, {"version": 1, "canonical": other.pk, "other_actor": "on"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.status, draft.duplicate_of_id) == ("duplicate", other.pk)


def test_a_duplicate_from_the_same_article_is_not_also_reported(editor_client, editor, draft, article):
    twin = StatementFactory.create(article=article, actor=draft.actor)
    editor_client.post(reverse("articles:statement_merge", args=[twin.pk]),
                       {"version": 1, "canonical": draft.pk})
    html = editor_client.get(reverse("articles:statement", args=[draft.pk])).content.decode()
    assert "Also reported as" not in html
    assert "Merged into this one (same article)" in html and f"#{twin.pk}" in html


def test_an_approved_card_offers_edit_not_approve_and_no_version(editor_client, draft):
    draft.status = "approved"
    draft.version = 3
    draft.save()
    html = editor_client.get(reverse("articles:review", args=[draft.article_id])).content.decode()
    card = html[html.index(f'id="statement-{draft.pk}"'):]
    card = card[:card.index("</article>")]
    assert 'data-action="approve"' not in card
    assert 'class="button primary" data-action="edit"' in card
    assert "v3" not in card and 'name="version" value="3"' in card


def test_a_draft_card_offers_approve_first(editor_client, draft):
    html = editor_client.get(reverse("articles:review", args=[draft.article_id])).content.decode()
    assert 'class="primary" data-action="approve"' in html
