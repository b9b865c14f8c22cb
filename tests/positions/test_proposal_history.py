"""A proposal's history as editors read it: one entry per recorded change of the proposal or
of one of its clauses (removed ones too), newest first, naming who, what and the values."""

from __future__ import annotations

from datetime import date

from positions.proposal_services import clause_delete, clause_save, proposal_create, proposal_update
from positions.selectors.proposal_history import proposal_history
from tests.factories import ArticleFactory, ProposalFactory


def test_changes_name_people_parents_issues_and_articles_in_words(negotiation, editor, researcher):
    northland, mediatia = (negotiation.actors.get(name=name) for name in ("Northland", "Mediatia"))
    older = proposal_create(negotiation=negotiation, name="First paper", user=editor)
    proposal = proposal_create(
        negotiation=negotiation, name="Second paper", user=editor, proposed_by=[northland],
        proposed_on=date(2024, 4, 2),
    )
    article = ArticleFactory.create(negotiation=negotiation)
    proposal_update(
        proposal=proposal, user=researcher, proposed_by=[northland, mediatia], parent=older,
        articles=[article],
    )
    clause = clause_save(
        proposal=proposal, user=editor, key=None, issue=negotiation.issues.get(key="hostages"),
        text="All captives at once.",
    )
    clause_save(proposal=proposal, user=editor, clause=clause, key="", issue=None, text="In two groups.")
    clause_delete(clause=clause, user=researcher)

    history = proposal_history(proposal)

    assert [(e.who, e.subject, e.what) for e in history] == [
        ("bob", "clause hostages", "removed"),
        ("alice", "clause hostages", "edited"),
        ("alice", "clause hostages", "added"),
        ("bob", "proposal", "edited: articles, parent, proposed by"),
        ("alice", "proposal", "created"),
    ]
    assert [(c.label, c.before, c.after) for c in history[1].changes] == [
        ("issue", "hostages", ""), ("text", "All captives at once.", "In two groups."),
    ]
    assert [(c.label, c.before, c.after) for c in history[3].changes] == [
        ("proposed by", "Northland", "Mediatia, Northland"),
        ("amends", "", "First paper"), ("source articles", "", f"#{article.pk}"),
    ]
    created = {c.label: c.after for c in history[4].changes}
    assert created == {"name": "Second paper", "key": "second-paper", "proposed by": "Northland",
                       "proposed on": "2024-04-02"}


def test_a_proposal_nobody_changed_since_loading_names_no_one(negotiation):
    [entry] = proposal_history(ProposalFactory.create(negotiation=negotiation, name="Loaded"))
    assert (entry.who, entry.what) == ("system", "Created")
