"""Proposal and clause services: what they validate, what they record in the history, and
that a call changing nothing writes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from positions.models import Clause, Proposal
from positions.proposal_services import (
    ClauseEdit,
    ClauseRowError,
    ProposalConflict,
    clause_delete,
    clause_save,
    proposal_create,
    proposal_read_token,
    proposal_save,
    proposal_update,
)
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    ClauseFactory,
    IssueFactory,
    NegotiationFactory,
    ProposalFactory,
    StatementFactory,
)


def _actor(negotiation, name):
    return negotiation.actors.get(name=name)


def test_creates_a_proposal_with_a_key_from_its_name_and_one_history_row(negotiation, editor):
    article = ArticleFactory.create(negotiation=negotiation)
    proposal = proposal_create(
        negotiation=negotiation, name="  The Harbour   Framework ", user=editor,
        aliases=["the framework", "", "The Harbour Framework", "the framework"],
        proposed_by=[_actor(negotiation, "Mediatia")], proposed_on=date(2024, 2, 1),
        summary=" A truce for an exchange. ", articles=[article],
    )
    proposal.refresh_from_db()
    assert (proposal.key, proposal.name, proposal.aliases, proposal.summary) == (
        "the-harbour-framework", "The Harbour Framework", ["the framework"], "A truce for an exchange."
    )
    [record] = proposal.history.all()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("+", editor, "created")
    assert [row.actor.name for row in record.proposed_by.all()] == ["Mediatia"]
    assert [row.article_id for row in record.articles.all()] == [article.pk]


def test_a_second_proposal_named_alike_gets_a_free_key(negotiation, editor):
    ProposalFactory.create(negotiation=negotiation, key="bridging-paper", name="Old paper")
    proposal = proposal_create(negotiation=negotiation, name="Bridging paper", user=editor)
    assert proposal.key == "bridging-paper-2"


@pytest.mark.parametrize("name, aliases, field", [
    ("the old plan", [], "name"),        # another proposal's name, in other case
    ("Fresh plan", ["Paper one"], "aliases"),  # another proposal's alias
    ("paper one", [], "name"),           # a name that is another's alias
])
def test_refuses_a_name_or_alias_another_proposal_has(negotiation, editor, name, aliases, field):
    ProposalFactory.create(negotiation=negotiation, name="The old plan", aliases=["paper one"])
    with pytest.raises(ValidationError) as refused:
        proposal_create(negotiation=negotiation, name=name, aliases=aliases, user=editor)
    assert field in refused.value.message_dict
    assert "already names" in refused.value.message_dict[field][0]
    assert Proposal.objects.count() == 1


def test_the_same_name_in_another_negotiation_is_fine(negotiation, editor):
    ProposalFactory.create(negotiation=NegotiationFactory.create(), name="Plan A")
    assert proposal_create(negotiation=negotiation, name="Plan A", user=editor).pk


def test_refuses_an_empty_name_and_a_bad_or_taken_key(negotiation, editor):
    ProposalFactory.create(negotiation=negotiation, key="taken")
    for kwargs, field in (({"name": "  "}, "name"), ({"name": "X", "key": "Not a slug"}, "key"),
                          ({"name": "Y", "key": "taken"}, "key")):
        with pytest.raises(ValidationError) as refused:
            proposal_create(negotiation=negotiation, user=editor, **kwargs)
        assert field in refused.value.message_dict
    assert Proposal.objects.count() == 1


def test_refuses_a_parent_proposers_or_articles_of_another_negotiation(negotiation, editor):
    elsewhere = NegotiationFactory.create()
    cases = (
        ({"parent": ProposalFactory.create(negotiation=elsewhere)}, "parent"),
        ({"proposed_by": [ActorFactory.create(name="Faraway")]}, "proposed_by"),
        ({"articles": [ArticleFactory.create(negotiation=elsewhere)]}, "articles"),
    )
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as refused:
            proposal_create(negotiation=negotiation, name="Plan", user=editor, **kwargs)
        assert field in refused.value.message_dict
    assert not Proposal.objects.filter(negotiation=negotiation).exists()


def test_refuses_a_parent_that_would_make_a_cycle(negotiation, editor):
    first = ProposalFactory.create(negotiation=negotiation)
    second = ProposalFactory.create(negotiation=negotiation, parent=first)
    third = ProposalFactory.create(negotiation=negotiation, parent=second)
    for parent in (first, third):  # itself, and a later version of itself
        with pytest.raises(ValidationError) as refused:
            proposal_update(proposal=first, user=editor, parent=parent)
        assert "parent" in refused.value.message_dict
    first.refresh_from_db()
    assert first.parent is None


def test_an_update_records_who_changed_what(negotiation, editor):
    proposal = proposal_create(negotiation=negotiation, name="Plan", user=editor)
    proposal_update(
        proposal=proposal, user=editor, summary="Phases of six weeks.",
        proposed_by=[_actor(negotiation, "Northland")],
    )
    latest = proposal.history.latest()
    assert (latest.history_type, latest.history_user, latest.history_change_reason) == (
        "~", editor, "edited: proposed by, summary"
    )
    assert latest.summary == "Phases of six weeks."
    assert proposal.history.count() == 2


def test_an_update_that_changes_nothing_writes_nothing(negotiation, editor):
    proposal = proposal_create(
        negotiation=negotiation, name="Plan", user=editor, aliases=["the plan"],
        proposed_by=[_actor(negotiation, "Mediatia")], proposed_on=date(2024, 3, 1),
    )
    same = proposal_update(
        proposal=proposal, user=editor, name="Plan", key="", aliases=["the plan"],
        proposed_by=[_actor(negotiation, "Mediatia")], proposed_on=date(2024, 3, 1),
        parent=None, summary="", articles=[],
    )
    assert same.key == "plan"
    assert proposal.history.count() == 1


def test_an_update_refuses_unknown_fields(negotiation, editor):
    proposal = ProposalFactory.create(negotiation=negotiation)
    with pytest.raises(TypeError):
        proposal_update(proposal=proposal, user=editor, negotiation=negotiation)


def test_clauses_are_added_in_order_with_keys_from_their_issues(negotiation, editor):
    proposal = ProposalFactory.create(negotiation=negotiation)
    hostages = negotiation.issues.get(key="hostages")
    permanent = negotiation.issues.get(key="ceasefire/permanent")
    first = clause_save(proposal=proposal, user=editor, key=None, issue=hostages, text=" Captives home. ")
    second = clause_save(proposal=proposal, user=editor, key="", issue=hostages, text="The rest later.")
    third = clause_save(proposal=proposal, user=editor, key=None, issue=permanent, text="An end to war.")
    assert [(c.key, c.position, c.text) for c in (first, second, third)] == [
        ("hostages", 0, "Captives home."), ("hostages-2", 1, "The rest later."),
        ("ceasefire-permanent", 2, "An end to war."),
    ]
    record = first.history.get()
    assert (record.history_user, record.history_change_reason) == (editor, "added")


def test_a_clause_saved_by_key_is_changed_and_unchanged_writes_nothing(negotiation, editor):
    proposal = ProposalFactory.create(negotiation=negotiation)
    clause = clause_save(proposal=proposal, user=editor, key="phase-one", issue=None, text="Six weeks.")
    clause_save(proposal=proposal, user=editor, key="phase-one", issue=None, text="Six weeks.")
    assert clause.history.count() == 1
    changed = clause_save(proposal=proposal, user=editor, key="phase-one", issue=None, text="Eight weeks.")
    assert (changed.pk, changed.text, Clause.objects.count()) == (clause.pk, "Eight weeks.", 1)
    assert changed.history.latest().history_change_reason == "edited"


def test_a_clause_may_be_renamed_when_given(negotiation, editor):
    clause = ClauseFactory.create(proposal=ProposalFactory.create(negotiation=negotiation), key="old")
    ClauseFactory.create(proposal=clause.proposal, key="other")
    renamed = clause_save(proposal=clause.proposal, user=editor, clause=clause, key="new", issue=None, text="T.")
    assert (renamed.pk, renamed.key) == (clause.pk, "new")
    with pytest.raises(ValidationError) as refused:
        clause_save(proposal=clause.proposal, user=editor, clause=clause, key="other", issue=None, text="T.")
    assert "key" in refused.value.message_dict


def test_a_clause_needs_text_and_an_issue_of_its_negotiation(negotiation, editor):
    proposal = ProposalFactory.create(negotiation=negotiation)
    foreign = IssueFactory.create(negotiation=NegotiationFactory.create(), key="water")
    for kwargs, field in (({"text": "  ", "issue": None}, "text"), ({"text": "T.", "issue": foreign}, "issue")):
        with pytest.raises(ValidationError) as refused:
            clause_save(proposal=proposal, user=editor, key=None, **kwargs)
        assert field in refused.value.message_dict
    assert not Clause.objects.exists()


def test_deleting_a_clause_keeps_its_history_with_the_editor(negotiation, editor):
    clause = ClauseFactory.create(proposal=ProposalFactory.create(negotiation=negotiation))
    clause_id = clause.pk
    clause_delete(clause=clause, user=editor)
    assert not Clause.objects.exists()
    record = Clause.history.filter(id=clause_id).latest()
    assert (record.history_type, record.history_user, record.history_change_reason) == ("-", editor, "removed")


def test_refuses_to_delete_a_clause_statements_respond_to(negotiation, editor):
    clause = ClauseFactory.create(proposal=ProposalFactory.create(negotiation=negotiation), key="swap")
    StatementFactory.create(
        article=ArticleFactory.create(negotiation=negotiation), actor=_actor(negotiation, "Northland"),
        clauses=[clause],
    )
    with pytest.raises(ValidationError) as refused:
        clause_delete(clause=clause, user=editor)
    assert refused.value.messages == ['1 statement responds to the clause "swap": change them before removing it.']
    assert Clause.objects.filter(pk=clause.pk).exists()


def test_line_breaks_a_browser_sends_are_stored_once_so_a_resave_changes_nothing(negotiation, editor):
    proposal = proposal_create(negotiation=negotiation, name="Plan", user=editor, summary="One.\r\nTwo.")
    clause = clause_save(proposal=proposal, user=editor, key="a", issue=None, text="First.\r\nSecond.")
    assert (proposal.summary, clause.text) == ("One.\nTwo.", "First.\nSecond.")
    proposal_update(proposal=proposal, user=editor, summary="One.\r\nTwo.")
    clause_save(proposal=proposal, user=editor, key="a", issue=None, text="First.\r\nSecond.")
    assert (proposal.history.count(), clause.history.count()) == (1, 1)


def test_proposal_save_with_its_clauses_is_all_or_nothing(negotiation, editor):
    rows = [ClauseEdit(clause=None, key="a", issue=None, text="Fine."),
            ClauseEdit(clause=None, key="b", issue=None, text="  ")]
    with pytest.raises(ClauseRowError) as refused:
        proposal_save(negotiation=negotiation, proposal=None, user=editor, fields={"name": "Plan"}, clauses=rows)
    assert refused.value.index == 1 and "text" in refused.value.error.message_dict
    assert not Proposal.objects.exists() and not Clause.objects.exists()


def test_proposal_save_refuses_a_form_read_before_someone_elses_change(negotiation, editor):
    proposal = proposal_create(negotiation=negotiation, name="Plan", user=editor)
    read_at = proposal_read_token(proposal)
    clause_save(proposal=proposal, user=editor, key="late", issue=None, text="Added meanwhile.")
    with pytest.raises(ProposalConflict):
        proposal_save(
            negotiation=negotiation, proposal=proposal, user=editor, fields={"summary": "Mine."},
            clauses=[], read_at=read_at,
        )
    proposal.refresh_from_db()
    assert proposal.summary == ""
    assert proposal_save(
        negotiation=negotiation, proposal=proposal, user=editor, fields={"summary": "Mine."},
        clauses=[], read_at=proposal_read_token(proposal),
    ).summary == "Mine."
