"""Extraction's proposal link reaches the draft statement, and the proposals reach extraction:
the reference carries them from the database, and ingestion saves the link it finds."""

from __future__ import annotations

from datetime import date

import pytest

from articles import reference as reference_module
from articles.drafts import statements_create_drafts
from articles.extraction.proposal_linker import shipped_linker
from articles.extraction.types import Draft
from articles.reference import ingest_reference, reference_fingerprint, reference_for
from articles.services import article_ingest
from positions.models import Actor, Article, Clause, Issue, Proposal, Statement
from tests.factories import ArticleFactory, ClauseFactory, ProposalFactory


@pytest.fixture
def plan(negotiation):
    mediatia = Actor.objects.get(name="Mediatia")
    first = ProposalFactory.create(negotiation=negotiation, key="quay-paper", name="Quay paper",
                                   proposed_on=date(2024, 2, 1), proposed_by=[mediatia])
    second = ProposalFactory.create(
        negotiation=negotiation, key="harbour-plan", name="Harbour plan", aliases=["the Mediatia plan"],
        proposed_on=date(2024, 5, 2), parent=first, proposed_by=[mediatia])
    ClauseFactory.create(proposal=second, key="swap", issue=Issue.objects.get(key="hostages"),
                         text="Captives go home in two stages.", position=0)
    ClauseFactory.create(proposal=second, key="pause", issue=Issue.objects.get(key="ceasefire"),
                         text="Six weeks without fighting.", position=1)
    return second


def _draft(**fields) -> Draft:
    values = {"speaker": "Northland", "actor": "Northland", "issues": ("hostages",),
              "stance": "accept", "summary": "s", "spans": ((0, 5),), **fields}
    return Draft(**values)


def _save(negotiation, article, drafts):
    reference = ingest_reference(negotiation)
    return statements_create_drafts(
        article=article, drafts=drafts, extractor_version="t", actors=reference.actors,
        issues=reference.issues, people=reference.people, proposals=reference.proposals,
    )


def test_the_reference_carries_the_negotiations_proposals(negotiation, plan):
    proposals = {p.key: p for p in reference_for(negotiation).proposals}
    assert set(proposals) == {"quay-paper", "harbour-plan"}
    harbour = proposals["harbour-plan"]
    assert (harbour.name, harbour.aliases, harbour.proposed_by) == (
        "Harbour plan", ("the Mediatia plan",), ("Mediatia",))
    assert (harbour.proposed_on, harbour.parent) == (date(2024, 5, 2), "quay-paper")
    assert [(c.key, c.issue, c.text) for c in harbour.clauses] == [
        ("swap", "hostages", "Captives go home in two stages."),
        ("pause", "ceasefire", "Six weeks without fighting.")]


EDITS = {
    "a new proposal": lambda n: ProposalFactory.create(negotiation=n, key="new-one"),
    "an alias": lambda n: Proposal.objects.filter(key="harbour-plan").update(aliases=["the big plan"]),
    "a date": lambda n: Proposal.objects.filter(key="harbour-plan").update(proposed_on=date(2024, 5, 3)),
    "a proposer": lambda n: Proposal.objects.get(key="harbour-plan").proposed_by.add(
        Actor.objects.get(name="Southport")),
    "a clause's issue": lambda n: Clause.objects.filter(key="pause").update(
        issue=Issue.objects.get(key="ceasefire/permanent")),
    "a new clause": lambda n: ClauseFactory.create(proposal=Proposal.objects.get(key="quay-paper")),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_every_edit_of_a_proposal_changes_the_fingerprint(negotiation, plan, edit):
    before = reference_fingerprint(negotiation)
    EDITS[edit](negotiation)
    assert reference_fingerprint(negotiation) != before


def test_a_draft_keeps_its_proposal_clauses_and_confidence_with_history(negotiation, plan):
    article = ArticleFactory.create(negotiation=negotiation)
    made = _save(negotiation, article, [
        _draft(proposal="harbour-plan", clauses=("swap",), proposal_confidence=0.85),
        _draft(stance="demand"),
    ])
    linked, plain = (Statement.objects.get(pk=s.pk) for s in made)
    assert (linked.proposal, linked.proposal_confidence) == (plan, 0.85)
    assert [c.key for c in linked.clauses.all()] == ["swap"]
    assert [c.clause.key for c in linked.history.latest().clauses.all()] == ["swap"]
    assert (plain.proposal, plain.proposal_confidence, list(plain.clauses.all())) == (None, None, [])


def test_a_proposal_or_clause_the_negotiation_lacks_is_left_out(negotiation, plan):
    article = ArticleFactory.create(negotiation=negotiation)
    [unknown, odd_clause] = _save(negotiation, article, [
        _draft(proposal="elsewhere-plan", clauses=("swap",), proposal_confidence=0.9),
        _draft(proposal="harbour-plan", clauses=("nothing",), proposal_confidence=0.7),
    ])
    unknown.refresh_from_db()
    assert (unknown.proposal, unknown.proposal_confidence, unknown.clauses.count()) == (None, None, 0)
    odd_clause.refresh_from_db()
    assert (odd_clause.proposal, odd_clause.clauses.count()) == (plan, 0)


def test_ingestion_links_a_draft_to_the_proposal_its_evidence_names(negotiation, plan):
    reference_module._ingest_references.clear()
    article = ArticleFactory.create(
        negotiation=negotiation, status=Article.Status.QUEUED, published_on=date(2024, 6, 1),
        body="Northland said on Monday that it would accept the Harbour plan if the captives were freed.",
    )
    article_ingest(article_id=article.pk)
    [draft] = Statement.objects.filter(article=article)
    assert draft.proposal == plan
    # The confidence is the learned linker's probability: at least its threshold.
    linker = shipped_linker()
    assert draft.proposal_confidence is not None and draft.proposal_confidence >= (linker.threshold if linker else 0.9)
