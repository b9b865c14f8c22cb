"""Splitting per clause: a statement that accepts one clause of a proposal and rejects
another becomes two statements, each with its own stance and clauses, both still about
the proposal."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from positions.models import Statement
from positions.services import SplitPart, statement_split_parts, statements_undo
from tests.factories import ClauseFactory, ProposalFactory


@pytest.fixture
def plan(negotiation):
    proposal = ProposalFactory.create(negotiation=negotiation, name="Three-step plan",
                                      proposed_on=date(2024, 2, 1))
    truce = ClauseFactory.create(proposal=proposal, key="truce", text="Six weeks without fighting.")
    release = ClauseFactory.create(proposal=proposal, key="release", text="Captives freed in stages.")
    return proposal, truce, release


@pytest.fixture
def mixed(article, make_drafts, plan):
    """One sentence, one draft: accepts the plan, about both of its clauses."""
    proposal, truce, release = plan
    return make_drafts(article, 1, stance="accept", proposal=proposal, proposal_confidence=0.7,
                       clauses=[truce, release])[0]


def test_one_clause_goes_to_a_new_statement_with_its_own_stance(mixed, plan, editor):
    proposal, truce, release = plan
    kept, [new] = statement_split_parts(
        statement_id=mixed.pk, version=1, user=editor,
        parts=[SplitPart(clauses=[release.pk], stance="reject")],
    )
    assert (kept.stance, list(kept.clauses.all()), kept.version) == ("accept", [truce], 2)
    assert (new.stance, list(new.clauses.all()), new.status) == ("reject", [release], "draft")
    assert (new.proposal, new.proposal_confidence) == (proposal, 0.7)
    # The one sentence is the evidence of both.
    assert [(e.start, e.end) for e in new.evidence.all()] == [(e.start, e.end) for e in kept.evidence.all()]
    assert list(new.issues.all()) == list(kept.issues.all())


def test_the_statement_that_stays_may_change_its_stance(mixed, plan, editor):
    _, truce, release = plan
    kept, [new] = statement_split_parts(
        statement_id=mixed.pk, version=1, user=editor, stance="condition",
        parts=[SplitPart(clauses=[truce.pk])],
    )
    assert (kept.stance, list(kept.clauses.all())) == ("condition", [release])
    assert (new.stance, list(new.clauses.all())) == ("accept", [truce])


def test_undo_puts_the_statement_back_whole(mixed, plan, editor):
    release = plan[2]
    kept, [new] = statement_split_parts(
        statement_id=mixed.pk, version=1, user=editor, stance="condition",
        parts=[SplitPart(clauses=[release.pk], stance="reject")],
    )
    statements_undo(items=[(kept.pk, kept.version), (new.pk, 1)], user=editor, label="split")
    mixed.refresh_from_db()
    assert Statement.objects.count() == 1
    assert (mixed.stance, {c.key for c in mixed.clauses.all()}, mixed.evidence.count()) == (
        "accept", {"truce", "release"}, 1)


def test_an_evidence_split_keeps_the_link_and_clauses(mixed, plan, editor):
    body = mixed.article.body
    start = body.index("Southport")
    second = mixed.evidence.create(start=start, end=body.index(".", start) + 1,
                                   text=body[start:body.index(".", start) + 1])
    _, [new] = statement_split_parts(statement_id=mixed.pk, version=1, user=editor, parts=[[second.pk]])
    assert new.proposal == plan[0] and {c.key for c in new.clauses.all()} == {"truce", "release"}


@pytest.mark.parametrize(("parts", "stance", "message"), [
    ([((), "reject")], "", "needs evidence or clauses"),
    ([(("foreign",), "")], "", "each clause once"),
    ([(("truce",), ""), (("truce",), "")], "", "each clause once"),
    ([(("truce", "release"), "")], "", "Leave at least one of its clauses"),
    ([(("truce",), "threaten")], "", "Choose each stance"),
    ([(("truce",), "")], "threaten", "Choose each stance"),
])
def test_a_bad_split_is_refused_and_changes_nothing(mixed, plan, editor, parts, stance, message):
    """Each part is given as (clause names, stance)."""
    other = ClauseFactory.create(proposal=ProposalFactory.create(negotiation=mixed.negotiation), key="other")
    ids = {"truce": plan[1].pk, "release": plan[2].pk, "foreign": other.pk}
    split = [SplitPart(stance=part_stance, clauses=[ids[c] for c in names]) for names, part_stance in parts]
    with pytest.raises(ValidationError) as refused:
        statement_split_parts(statement_id=mixed.pk, version=1, user=editor, parts=split, stance=stance)
    assert message in refused.value.messages[0]
    mixed.refresh_from_db()
    assert (Statement.objects.count(), mixed.version, mixed.clauses.count()) == (1, 1, 2)


def test_clauses_of_a_statement_without_a_proposal_are_refused(draft, plan, editor):
    with pytest.raises(ValidationError, match="about no proposal"):
        statement_split_parts(statement_id=draft.pk, version=1, user=editor,
                              parts=[SplitPart(clauses=[plan[1].pk])])


# --- The statement page's split form -------------------------------------------------------


def test_the_split_form_offers_the_clauses_and_stances(editor_client, mixed, plan):
    html = editor_client.get(reverse("articles:statement", args=[mixed.pk])).content.decode()
    assert 'id="split-form"' in html and "Clauses of Three-step plan" in html
    assert f'name="clause-{plan[2].pk}"' in html and 'name="stance-1"' in html
    assert f"stays in #{mixed.pk}" in html and "new statement 2" in html


def test_splitting_per_clause_from_the_page(editor_client, mixed, plan):
    _, truce, release = plan
    response = editor_client.post(reverse("articles:statement_split", args=[mixed.pk]), {
        "version": 1, f"clause-{release.pk}": "1", "stance-1": "reject", "stance-0": "",
    })
    assert response.status_code == 302
    new = Statement.objects.exclude(pk=mixed.pk).get()
    assert (new.stance, list(new.clauses.all())) == ("reject", [release])
    mixed.refresh_from_db()
    assert (mixed.stance, list(mixed.clauses.all())) == ("accept", [truce])


def test_a_stance_for_an_empty_part_is_a_clear_error(editor_client, mixed):
    response = editor_client.post(reverse("articles:statement_split", args=[mixed.pk]),
                                  {"version": 1, "stance-2": "reject"})
    assert response.status_code == 422
    assert "needs evidence or clauses" in response.content.decode()
    assert Statement.objects.count() == 1
