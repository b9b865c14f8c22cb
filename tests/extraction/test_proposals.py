"""Which proposal a statement is about: one test per resolution rule, in our own sentences,
with proposals made up here (not the demo catalogue's)."""

from __future__ import annotations

from datetime import date

from articles.extraction.proposals import article_proposals, link_drafts, link_statement
from articles.extraction.reference import reference_from_mapping
from articles.extraction.types import ArticleMeta, Draft

REFERENCE = reference_from_mapping({
    "actors": [
        {"name": "Northland", "adjectives": ["Northern"], "aliases": ["the North"]},
        {"name": "Southport", "adjectives": ["Southern"]},
        {"name": "Mediatia", "role": "mediator", "short_name": "MD", "adjectives": ["Mediatian"]},
        {"name": "Riverland", "role": "mediator", "adjectives": ["Riverine"]},
    ],
    "people": [{"name": "Tomas Brandt", "actor": "Mediatia", "title": "President"}],
    "issues": [{"key": "captives"}, {"key": "truce"}, {"key": "truce/lasting", "name": "Lasting truce"},
               {"key": "aid"}],
    "proposals": [
        {"key": "lakeside", "name": "Lakeside framework", "aliases": ["the lakeside paper"],
         "proposed_by": ["Mediatia", "Riverland"], "proposed_on": "2024-02-01",
         "clauses": [{"key": "swap", "issue": "captives", "text": "Captives freed in stages."},
                     {"key": "pause", "issue": "truce", "text": "A six-week pause."}]},
        {"key": "brandt-plan", "name": "Three-stage plan", "aliases": ["the Brandt plan"],
         "proposed_by": ["Mediatia"], "proposed_on": "2024-05-31", "parent": "lakeside",
         "clauses": [{"key": "swap", "issue": "captives", "text": "All captives freed by stage two."},
                     {"key": "pause", "issue": "truce/lasting", "text": "The pause becomes lasting."},
                     {"key": "convoys", "issue": "aid", "text": "Six hundred trucks a day."}]},
        {"key": "riverine-offer", "name": "Riverine offer of June", "proposed_by": ["Riverland"],
         "proposed_on": "2024-06-20"},
        {"key": "northern-reply", "name": "Northern reply", "proposed_by": ["Northland"],
         "proposed_on": "2024-03-10"},
        {"key": "september-paper", "name": "September paper", "proposed_by": ["Mediatia"],
         "proposed_on": "2024-09-05"},
    ],
})


def link(text: str, *, published: date = date(2024, 7, 1), issues: tuple[str, ...] = (),
         title: str = "", evidence: str | None = None):
    """The link of a statement whose evidence is ``evidence`` (default: the whole text)."""
    article = article_proposals(text, ArticleMeta(title=title, published=published), REFERENCE)
    start = text.index(evidence) if evidence else 0
    end = start + len(evidence) if evidence else len(text)
    return link_statement(article, [(start, end)], issues)


def test_links_a_proposal_named_as_the_catalogue_writes_it():
    found = link("Southport said it would accept the Lakeside framework without changes.")
    assert found is not None and found.proposal == "lakeside"
    assert found.confidence >= 0.9


def test_links_an_alias_whatever_its_case():
    found = link("Northland's envoy dismissed The Lakeside Paper as a trap.")
    assert found is not None and found.proposal == "lakeside"


def test_links_the_press_variants_of_an_alias():
    for text in ("Southport welcomed Brandt's plan on Sunday.",
                 "Southport said it could live with the plan Brandt outlined last week.",
                 "Southport said the Brandt ceasefire plan was a basis for talks.",
                 "Southport said it studied the Brant plan closely."):  # a misspelt name
        found = link(text)
        assert found is not None and found.proposal == "brandt-plan", text
        assert 0.5 < found.confidence < 0.95


def test_the_latest_proposal_is_the_newest_on_or_before_the_article_day():
    text = "Northland said it was studying the latest proposal."
    assert link(text, published=date(2024, 7, 1)).proposal == "riverine-offer"
    assert link(text, published=date(2024, 6, 1)).proposal == "brandt-plan"
    # The September paper does not exist yet on 1 July, however new it is later.
    assert link(text, published=date(2024, 9, 10)).proposal == "september-paper"


def test_the_new_proposal_takes_the_newest_but_a_new_proposal_may_be_one_not_yet_known():
    assert link("Southport said the new offer fell short.").proposal == "riverine-offer"
    assert link("The North said it would answer a new proposal within days.") is None


def test_of_several_candidates_the_newest_with_a_clause_on_the_statements_issues_wins():
    # The Riverine offer is newer but has no clause on captives; the Brandt plan has one.
    assert link("Southport said the proposal ignored the captives.",
                issues=("captives",)).proposal == "brandt-plan"
    # Only recent candidates count: months later the Brandt plan's clauses do not outweigh
    # the September paper.
    assert link("Southport rejected the Mediatian proposal.", issues=("captives",),
                published=date(2024, 9, 10)).proposal == "september-paper"
    # Named proposals are taken as named, whatever their clauses.
    assert link("Southport weighed the Riverine offer of June.",
                issues=("captives",)).proposal == "riverine-offer"


def test_a_proposer_by_adjective_picks_their_newest_proposal_before_the_article():
    assert link("Southport rejected the Mediatian proposal.",
                published=date(2024, 6, 10)).proposal == "brandt-plan"
    assert link("Southport rejected the Mediatian proposal.",
                published=date(2024, 2, 20)).proposal == "lakeside"
    assert link("Southport accepted the Riverine offer.").proposal == "riverine-offer"


def test_a_proposers_proposal_from_more_than_a_month_ago_is_not_assumed():
    # Mediatia's newest is the Brandt plan of 31 May: by August it is no longer "the
    # Mediatian proposal" (a newer one the catalogue lacks is likelier).
    assert link("Southport rejected the Mediatian proposal.", published=date(2024, 8, 15)) is None


def test_a_proposer_by_name_possessive_or_by_phrase():
    march = date(2024, 3, 20)
    assert link("Southport said Northland's offer was a stalling tactic.",
                published=march).proposal == "northern-reply"
    assert link("Southport weighed the proposal put forward by Riverland.").proposal == "riverine-offer"
    assert link("Southport weighed the plan from the North.", published=march).proposal == "northern-reply"
    assert link("Northland said the mediators' plan ignored its demands.").proposal == "riverine-offer"
    assert link("Northland said the President's plan ignored its demands.") is None


def test_a_pair_of_sides_is_not_a_proposer():
    assert link("Northland said the Northland-Southport deal was dead.", published=date(2024, 3, 20)) is None


def test_a_link_long_after_the_proposal_is_less_sure():
    fresh = link("Southport said on Tuesday it had reservations about the proposal.",
                 published=date(2024, 6, 25))
    older = link("Southport said on Tuesday it had reservations about the proposal.",
                 published=date(2024, 7, 30))
    assert fresh is not None and older is not None
    assert fresh.proposal == older.proposal == "riverine-offer"
    assert older.confidence < fresh.confidence


def test_a_joint_proposer_prefers_the_proposal_of_them_all():
    found = link("Northland accepted the Mediatian-Riverine plan.", published=date(2024, 3, 1))
    assert found is not None and found.proposal == "lakeside"


def test_the_proposal_refers_back_to_the_one_the_article_named():
    text = ("The mediators presented the Lakeside framework on Monday. "
            "Southport said on Tuesday it had reservations about the proposal.")
    found = link(text, evidence="Southport said on Tuesday it had reservations about the proposal.",
                 published=date(2024, 2, 10))
    assert found is not None and found.proposal == "lakeside"


def test_a_proposal_named_long_ago_is_not_the_one_meant_now():
    # Months after the Lakeside framework, "the proposal" is likelier one the catalogue lacks.
    text = ("The mediators presented the Lakeside framework in February. "
            "Southport said on Tuesday it had reservations about the proposal.")
    assert link(text, evidence="Southport said on Tuesday it had reservations about the proposal.",
                published=date(2024, 5, 20)) is None


def test_the_proposal_refers_back_to_the_title():
    found = link("Southport said on Tuesday it had reservations about the proposal.",
                 title="Southport wary of Northern reply", published=date(2024, 3, 15))
    assert found is not None and found.proposal == "northern-reply"


def test_a_bare_proposal_with_nothing_named_takes_the_newest_recent_one_less_surely_than_a_name():
    found = link("Southport said on Tuesday it had reservations about the proposal.")
    assert found is not None and found.proposal == "riverine-offer"
    assert found.confidence < link("Southport had reservations about the Riverine offer of June.").confidence
    # Nothing recent: months after the last proposal, "the proposal" is not known.
    assert link("Southport said it had reservations about the proposal.",
                published=date(2025, 6, 1)) is None


def test_no_link_for_a_generic_proposal_to_do_something():
    assert link("Northland made a proposal to reopen the crossings.") is None
    assert link("Southport plans to expand its operation.") is None
    assert link("Northland said it would offer safe passage.") is None


def test_no_link_for_the_framework_of_the_talks_themselves():
    assert link("Mediatia said the talks framework would be agreed this week.") is None
    assert link("Mediatia said the negotiating framework would be agreed this week.") is None


def test_no_link_for_an_indefinite_deal_or_no_plan_at_all():
    assert link("Southport said a deal was still possible.") is None
    assert link("Northland demanded the release of all captives.") is None


def test_no_link_to_a_proposal_put_forward_after_the_article():
    assert link("Southport welcomed the September paper.", published=date(2024, 7, 1)) is None
    assert link("Southport welcomed the Lakeside framework.", published=date(2024, 1, 15)) is None


def test_no_link_for_an_earlier_proposal_the_rules_cannot_tell():
    assert link("Southport said the previous proposal had been better.") is None


def test_no_link_when_the_plan_is_named_outside_the_evidence_only_later():
    text = ("Southport said it wanted the fighting to stop. "
            "Later the mediators presented the Lakeside framework.")
    assert link(text, evidence="Southport said it wanted the fighting to stop.") is None


def test_clauses_are_those_on_the_statement_issues():
    text = "Southport accepted the Brandt plan's terms on captives."
    assert link(text, issues=("captives",)).clauses == ("swap",)
    # A sub-issue matches its parent's clause and the other way round.
    assert link(text, issues=("truce",)).clauses == ("pause",)
    assert link(text, issues=("aid", "truce/lasting")).clauses == ("pause", "convoys")
    assert link(text, issues=()).clauses == ()


def test_a_statement_on_every_clause_is_about_the_whole_proposal():
    found = link("Southport accepted the Lakeside framework.", issues=("captives", "truce"),
                 published=date(2024, 3, 1))
    assert found is not None and found.clauses == ()


def test_link_drafts_fills_the_draft_fields_and_leaves_others_alone():
    body = "Southport accepted the Lakeside framework. Northland demanded more aid."
    drafts = [
        Draft(speaker="Southport", actor="Southport", issues=("captives",), stance="accept",
              summary="", spans=((0, 42),)),
        Draft(speaker="Northland", actor="Northland", issues=("aid",), stance="demand",
              summary="", spans=((43, len(body)),)),
    ]
    linked = link_drafts(body, ArticleMeta(published=date(2024, 3, 1)), REFERENCE, drafts)
    assert (linked[0].proposal, linked[0].clauses) == ("lakeside", ("swap",))
    assert linked[0].proposal_confidence is not None and linked[0].proposal_confidence > 0.9
    assert linked[1] == drafts[1]
    assert linked[1].proposal_confidence is None


def test_a_reference_without_proposals_links_nothing():
    body = "Southport accepted the latest proposal."
    draft = Draft(speaker="Southport", actor="Southport", issues=(), stance="accept", summary="",
                  spans=((0, len(body)),))
    reference = reference_from_mapping({"actors": [{"name": "Southport"}]})
    assert link_drafts(body, ArticleMeta(published=date(2024, 3, 1)), reference, [draft]) == [draft]


def test_the_reference_reads_proposals_from_a_mapping():
    proposal = next(p for p in REFERENCE.proposals if p.key == "brandt-plan")
    assert proposal.proposed_on == date(2024, 5, 31)
    assert proposal.parent == "lakeside"
    assert proposal.proposed_by == ("Mediatia",)
    assert [(c.key, c.issue) for c in proposal.clauses] == [
        ("swap", "captives"), ("pause", "truce/lasting"), ("convoys", "aid")]
