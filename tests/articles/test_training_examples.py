"""Editors' decisions as training examples: approved = positives with corrected fields,
rejected drafts = negatives, merges = grouping; only fully reviewed articles count."""

from __future__ import annotations

from articles.training import examples_from_database
from positions.models import Evidence, Statement
from positions.services import (
    StatementChanges,
    statement_approve,
    statement_merge,
    statement_reject,
    statement_update,
)
from tests.factories import ArticleFactory

BODY = (
    "Envoys met again on Monday. The northern delegation said it would never sign a deal "
    "without the harbour. It added that the harbour was not negotiable. A spokesman said the "
    "talks were useful."
)


def _span(statement: Statement, text: str) -> None:
    start = BODY.index(text)
    Evidence.objects.filter(statement=statement).delete()
    Evidence.objects.create(statement=statement, start=start, end=start + len(text), text=text)


def test_builds_one_example_per_fully_reviewed_article(editor, negotiation, make_drafts):
    article = ArticleFactory.create(negotiation=negotiation, body=BODY)
    lead, follow, noise = make_drafts(article, 3)
    _span(lead, "The northern delegation said it would never sign a deal without the harbour.")
    _span(follow, "It added that the harbour was not negotiable.")
    _span(noise, "A spokesman said the talks were useful.")
    other_actor = negotiation.actors.exclude(pk=lead.actor_id).first()
    edited = statement_update(
        statement_id=lead.pk, version=1, user=editor,
        changes=StatementChanges(actor=other_actor, speaker="The northern delegation",
                                 issues=list(lead.issues.all()), stance="reject", summary="",
                                 conditions="", via="", stated_on=None),
    )
    statement_approve(statement_id=lead.pk, version=edited.version, user=editor)
    statement_merge(statement_id=follow.pk, version=1, canonical_id=lead.pk, user=editor)
    pending = ArticleFactory.create(negotiation=negotiation)
    make_drafts(pending, 1)  # not reviewed yet: says nothing about its sentences
    assert examples_from_database() == []  # the first article still has a draft
    statement_reject(statement_id=noise.pk, version=1, user=editor)

    [example] = examples_from_database()
    assert example.key == f"db/{article.pk}" and example.body == BODY
    [record] = example.records
    assert (record.actor, record.stance, record.issues) == (other_actor.name, "reject", ("ceasefire",))
    assert [BODY[start:end] for start, end in record.spans] == [
        "The northern delegation said it would never sign a deal without the harbour.",
        "It added that the harbour was not negotiable.",
    ]
    assert [[BODY[s:e] for s, e in spans] for spans in example.rejected] == [
        ["A spokesman said the talks were useful."]
    ]
    assert {actor.name for actor in example.reference.actors} == set(
        negotiation.actors.values_list("name", flat=True)
    )
