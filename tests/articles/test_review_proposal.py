"""The proposal a statement responds to, on its review card: shown as extraction proposed
it, changed, confirmed or removed, its clauses picked; saved through the edit service."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from positions.models import Statement
from positions.services import ProposalLink, statement_approve, statement_update, statements_undo
from tests.articles.conftest import htmx
from tests.factories import ClauseFactory, NegotiationFactory, ProposalFactory


@pytest.fixture
def plans(negotiation):
    """Two proposals of the negotiation, the newer with two clauses, and one of another track."""
    older = ProposalFactory.create(negotiation=negotiation, key="harbour-framework",
                                   name="Harbour framework", proposed_on=date(2024, 1, 2))
    newer = ProposalFactory.create(negotiation=negotiation, key="three-steps", name="Three-step plan",
                                   aliases=["the ferry plan"], proposed_on=date(2024, 2, 1))
    truce = ClauseFactory.create(proposal=newer, key="truce", text="Six weeks without fighting.")
    release = ClauseFactory.create(proposal=newer, key="release", text="Captives freed in stages.")
    ClauseFactory.create(proposal=older, key="talks", text="Talks resume in the capital.")
    elsewhere = ProposalFactory.create(negotiation=NegotiationFactory.create(), name="Valley accord")
    return {"older": older, "newer": newer, "truce": truce, "release": release, "elsewhere": elsewhere}


@pytest.fixture
def linked(article, make_drafts, plans):
    """A draft extraction linked to the older proposal with some confidence."""
    return make_drafts(article, 1, proposal=plans["older"], proposal_confidence=0.6)[0]


def _post(client, statement, headers=None, **data):
    url = reverse("articles:statement_proposal", args=[statement.pk])
    return client.post(url, {"version": statement.version, **data}, headers=headers or {})


# --- The service -----------------------------------------------------------------------


def test_a_link_is_saved_with_its_clauses_and_history(linked, plans, editor):
    saved = statement_update(statement_id=linked.pk, version=1, user=editor, link=ProposalLink(
        proposal=plans["newer"], clauses=[plans["truce"]]))
    assert (saved.version, saved.proposal, saved.proposal_confidence) == (2, plans["newer"], 1.0)
    assert list(saved.clauses.all()) == [plans["truce"]]
    latest = saved.history.latest()
    assert latest.history_change_reason == "linked to proposal “Three-step plan”"
    assert [row.clause_id for row in latest.clauses.all()] == [plans["truce"].pk]
    assert latest.history_user == editor


def test_confirming_settles_extractions_confidence(linked, plans, editor):
    saved = statement_update(statement_id=linked.pk, version=1, user=editor,
                             link=ProposalLink(proposal=plans["older"], confirm=True))
    assert (saved.version, saved.proposal_confidence) == (2, 1.0)
    assert saved.history.latest().history_change_reason == "proposal link to “Harbour framework” confirmed"
    assert saved.history.earliest().proposal_confidence == 0.6


def test_removing_the_link_clears_its_confidence(linked, editor):
    saved = statement_update(statement_id=linked.pk, version=1, user=editor, link=ProposalLink(proposal=None))
    assert (saved.proposal, saved.proposal_confidence) == (None, None)
    assert saved.history.latest().history_change_reason == "proposal link removed"


def test_the_link_saved_unchanged_writes_nothing(linked, plans, editor):
    saved = statement_update(statement_id=linked.pk, version=1, user=editor,
                             link=ProposalLink(proposal=plans["older"]))
    assert (saved.version, saved.proposal_confidence) == (1, 0.6)
    assert linked.history.filter(version=2).count() == 0


def test_changing_the_clauses_alone_says_so(linked, plans, editor):
    moved = statement_update(statement_id=linked.pk, version=1, user=editor,
                             link=ProposalLink(proposal=plans["newer"]))
    saved = statement_update(statement_id=linked.pk, version=moved.version, user=editor,
                             link=ProposalLink(proposal=plans["newer"], clauses=[plans["release"]]))
    assert saved.history.latest().history_change_reason == "clauses of proposal “Three-step plan” changed"


@pytest.mark.parametrize(("link", "edited"), [
    ({"proposal": "newer"}, True),  # another proposal
    ({"proposal": None}, True),  # extraction's link removed
    ({"proposal": "older", "clauses": ["talks"]}, True),  # its clauses picked
    ({"proposal": "older", "confirm": True}, False),  # extraction's link vouched for
])
def test_a_corrected_link_counts_the_draft_as_edited(article, linked, plans, editor, link, edited):
    from articles.selectors import draft_outcomes_by_version

    linked.extractor_version = "0.4.1+m7"
    linked.save()
    proposal = plans[link["proposal"]] if link["proposal"] else None
    clauses = list(proposal.clauses.filter(key__in=link.get("clauses", []))) if proposal else []
    saved = statement_update(statement_id=linked.pk, version=1, user=editor, link=ProposalLink(
        proposal=proposal, clauses=clauses, confirm=link.get("confirm", False)))
    statement_approve(statement_id=linked.pk, version=saved.version, user=editor)
    [row] = draft_outcomes_by_version(model_version="m7")
    assert (row.edited, row.approved_unchanged) == ((1, 0) if edited else (0, 1))


@pytest.mark.parametrize(("which", "message"), [
    ("foreign proposal", "“Valley accord” is a proposal of another negotiation."),
    ("foreign clause", "Clauses of another proposal, not of “Harbour framework”: truce."),
    ("clause alone", "Clauses belong to a proposal: choose the proposal first."),
])
def test_a_wrong_link_is_refused_and_nothing_changes(linked, plans, editor, which, message):
    link = {
        "foreign proposal": ProposalLink(proposal=plans["elsewhere"]),
        "foreign clause": ProposalLink(proposal=plans["older"], clauses=[plans["truce"]]),
        "clause alone": ProposalLink(proposal=None, clauses=[plans["truce"]]),
    }[which]
    with pytest.raises(ValidationError) as refused:
        statement_update(statement_id=linked.pk, version=1, user=editor, link=link)
    assert refused.value.messages == [message]
    linked.refresh_from_db()
    assert (linked.version, linked.proposal, linked.clauses.count()) == (1, plans["older"], 0)


def test_approving_keeps_the_link(linked, plans, editor):
    statement_update(statement_id=linked.pk, version=1, user=editor,
                     link=ProposalLink(proposal=plans["newer"], clauses=[plans["release"]]))
    approved = statement_approve(statement_id=linked.pk, version=2, user=editor)
    assert (approved.status, approved.proposal) == ("approved", plans["newer"])
    assert list(approved.clauses.all()) == [plans["release"]]


def test_an_edit_of_other_fields_keeps_the_link(editor_client, editor, linked, plans):
    statement_update(statement_id=linked.pk, version=1, user=editor,
                     link=ProposalLink(proposal=plans["newer"], clauses=[plans["truce"]]))
    url = reverse("articles:statement_edit", args=[linked.pk])
    data = {"actor": linked.actor_id, "speaker": "A spokesman", "issues": [], "stance": "accept",
            "summary": "", "conditions": "", "via": "", "stated_on": "2024-01-15", "version": 2}
    assert editor_client.post(url, data).status_code == 302
    linked.refresh_from_db()
    assert (linked.version, linked.speaker, linked.proposal) == (3, "A spokesman", plans["newer"])
    assert list(linked.clauses.all()) == [plans["truce"]]


def test_undo_brings_the_link_back(linked, plans, editor):
    saved = statement_update(statement_id=linked.pk, version=1, user=editor,
                             link=ProposalLink(proposal=plans["newer"], clauses=[plans["truce"]]))
    statements_undo(items=[(saved.pk, saved.version)], user=editor, label="proposal")
    linked.refresh_from_db()
    assert (linked.proposal, linked.proposal_confidence, linked.clauses.count()) == (plans["older"], 0.6, 0)


# --- The card and its view ---------------------------------------------------------------


def test_the_card_shows_the_link_extraction_proposed(editor_client, linked, plans, article):
    Statement.objects.filter(pk=linked.pk).update(proposal=plans["newer"])
    linked.clauses.set([plans["release"]])
    html = editor_client.get(reverse("articles:review", args=[article.pk])).content.decode()
    assert "Three-step plan</a>" in html and "(proposed by extraction, 0.60)" in html
    assert f'href="/proposals/{plans["newer"].pk}/"' in html
    assert f'name="clauses" value="{plans["release"].pk}" checked' in html
    assert f'name="clauses" value="{plans["truce"].pk}">' in html
    assert 'data-action="confirm-proposal"' in html
    # The names offered: this negotiation's proposals, the newest first, with their other names.
    names = html[html.index('<datalist id="proposal-names">'):]
    assert names.index("Three-step plan") < names.index("Harbour framework")
    assert "the ferry plan" in names and "Valley accord" not in html


def test_typing_a_proposal_shows_its_clauses(editor_client, linked, plans):
    url = reverse("articles:statement_proposal", args=[linked.pk])
    response = editor_client.get(url, {"proposal": "The Ferry Plan"}, headers=htmx(f"proposal-{linked.pk}"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert html.lstrip().startswith(f'<div id="proposal-{linked.pk}"')
    assert "Clauses of Three-step plan" in html and "Six weeks without fighting." in html
    assert 'value="Three-step plan"' in html  # the field now shows the name the words found
    assert f'id="statement-{linked.pk}"' not in html


@pytest.mark.parametrize(("words", "found"), [
    ("three-step plan", ["Three-step plan"]),  # the name, any case
    ("three-steps", ["Three-step plan"]),  # the key
    ("  the   FERRY plan ", ["Three-step plan"]),  # an alias, any spacing
    ("ferry", ["Three-step plan"]),  # part of an alias
    ("harbour", ["Harbour framework"]),  # part of a name
    ("plan", ["Three-step plan"]),  # in the name of one, an alias of the same
    ("a", ["Three-step plan", "Harbour framework"]),  # several, the newest first
    ("valley", []),  # another negotiation's
])
def test_words_find_proposals_by_name_key_or_alias(plans, negotiation, words, found):
    from articles.selectors import proposals_named

    assert [p.name for p in proposals_named(negotiation.pk, words)] == found


def test_a_name_shared_as_an_alias_goes_to_the_proposal_it_names(plans, negotiation):
    from articles.selectors import proposals_named

    ProposalFactory.create(negotiation=negotiation, name="Ferry", aliases=[], proposed_on=date(2024, 3, 1))
    assert [p.name for p in proposals_named(negotiation.pk, "ferry")] == ["Ferry"]


def test_several_matches_ask_for_the_full_name(editor_client, linked):
    url = reverse("articles:statement_proposal", args=[linked.pk])
    response = editor_client.get(url, {"proposal": "a"}, headers=htmx(f"proposal-{linked.pk}"))
    assert "names several proposals (Three-step plan; Harbour framework): give its full name" in (
        response.content.decode())


def test_typing_an_unknown_name_says_so(editor_client, linked):
    url = reverse("articles:statement_proposal", args=[linked.pk])
    response = editor_client.get(url, {"proposal": "Moon treaty"}, headers=htmx(f"proposal-{linked.pk}"))
    assert "No proposal of Harbour talks is called “Moon treaty”" in response.content.decode()


def test_saving_from_the_card_by_alias_with_a_clause(editor_client, editor, linked, plans):
    response = _post(editor_client, linked, htmx(f"statement-{linked.pk}"),
                     proposal="the ferry plan", clauses=[plans["truce"].pk])
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert "is about “Three-step plan”" in html and "(confirmed by an editor)" in html
    linked.refresh_from_db()
    assert (linked.version, linked.proposal, linked.reviewed_by) == (2, plans["newer"], editor)
    assert list(linked.clauses.all()) == [plans["truce"]]
    assert linked.status == "draft"


def test_a_plain_post_saves_and_redirects(editor_client, linked, plans):
    response = _post(editor_client, linked, proposal="Three-step plan")
    assert response.status_code == 302
    linked.refresh_from_db()
    assert linked.proposal == plans["newer"]


def test_the_card_saved_unchanged_changes_nothing(editor_client, linked):
    response = _post(editor_client, linked, htmx(f"statement-{linked.pk}"), proposal="Harbour framework")
    assert response.status_code == 200
    assert "No changes to the proposal" in response.content.decode()
    linked.refresh_from_db()
    assert (linked.version, linked.proposal_confidence) == (1, 0.6)
    assert linked.history.filter(version=2).count() == 0


def test_an_empty_field_removes_the_link(editor_client, linked):
    _post(editor_client, linked, proposal="")
    linked.refresh_from_db()
    assert (linked.proposal, linked.version) == (None, 2)


@pytest.mark.parametrize(("data", "message"), [
    ({"proposal": "Valley accord"}, "No proposal of Harbour talks is called “Valley accord”"),
    ({"proposal": "Harbour framework", "clauses": "truce"}, "Clauses of another proposal, not of “Harbour framework”: truce."),
    ({"proposal": "Moon treaty"}, "check the name, or create it"),
    ({"proposal": "Harbour framework", "clauses": "999999"}, "No such clause"),
])
def test_bad_input_gets_a_clear_message_and_changes_nothing(editor_client, linked, plans, data, message):
    if data.get("clauses") == "truce":
        data = {**data, "clauses": plans["truce"].pk}
    response = _post(editor_client, linked, htmx(f"statement-{linked.pk}"), **data)
    html = response.content.decode()
    assert response.status_code == 422 and message in html
    assert f'value="{data["proposal"]}"' in html  # what was typed stays in the field
    linked.refresh_from_db()
    assert (linked.version, linked.proposal, linked.clauses.count()) == (1, plans["older"], 0)


def test_a_stale_version_is_a_conflict(editor_client, linked, plans, editor):
    statement_approve(statement_id=linked.pk, version=1, user=editor)
    response = _post(editor_client, linked, htmx(f"statement-{linked.pk}"), proposal="Three-step plan")
    assert response.status_code == 409
    linked.refresh_from_db()
    assert linked.proposal == plans["older"]


def test_the_shortcut_is_listed_in_the_keys_help(editor_client, article, draft):
    html = editor_client.get(reverse("articles:review", args=[article.pk])).content.decode()
    assert "<dt><kbd>p</kbd></dt><dd>the proposal it is about" in html
    assert 'data-field="proposal"' in html


# --- Who may use it ------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "researcher", "outsider"])
def test_only_editors_may_link(client, researcher_client, outsider_client, linked, who):
    user_client = {"anonymous": client, "researcher": researcher_client, "outsider": outsider_client}[who]
    url = reverse("articles:statement_proposal", args=[linked.pk])
    posted = user_client.post(url, {"version": 1, "proposal": ""})
    shown = user_client.get(url, {"proposal": "Harbour framework"})
    if who == "anonymous":
        assert posted.status_code == shown.status_code == 302
        assert "/login" in posted["Location"] or "login" in posted["Location"]
    else:
        assert posted.status_code == shown.status_code == 403
    linked.refresh_from_db()
    assert (linked.version, linked.proposal_id is not None) == (1, True)


# --- A proposal not known yet, created from the card ---------------------------------------


def _create(client, statement, headers=None, **data):
    url = reverse("articles:statement_proposal_new", args=[statement.pk])
    return client.post(url, {"version": statement.version, **data}, headers=headers or {})


def test_the_new_proposal_form_has_the_typed_name_and_the_articles_date(editor_client, linked, article):
    url = reverse("articles:statement_proposal_new", args=[linked.pk])
    response = editor_client.get(url, {"name": "Lighthouse paper"}, headers=htmx(f"proposal-{linked.pk}"))
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'value="Lighthouse paper"' in html
    assert f'value="{article.published_on.isoformat()}"' in html
    assert "Northland" in html and "Mediatia" in html  # proposers to pick from


def test_creating_a_proposal_from_the_card_links_it(editor_client, editor, linked, negotiation, article):
    northland = negotiation.actors.get(name="Northland")
    response = _create(editor_client, linked, htmx(f"statement-{linked.pk}"), name="  Lighthouse paper ",
                       aliases="the lighthouse text; the coastal offer", proposed_by=[northland.pk],
                       proposed_on="2024-01-14")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Created “Lighthouse paper”" in html and 'hx-swap-oob="true"' in html
    linked.refresh_from_db()
    proposal = linked.proposal
    assert (proposal.name, proposal.aliases, proposal.proposed_on) == (
        "Lighthouse paper", ["the lighthouse text", "the coastal offer"], date(2024, 1, 14))
    assert list(proposal.proposed_by.all()) == [northland] and list(proposal.articles.all()) == [article]
    assert (linked.version, linked.proposal_confidence) == (2, 1.0)
    assert proposal.history.latest().history_user == editor
    assert linked.history.latest().history_change_reason == "linked to proposal “Lighthouse paper”"


@pytest.mark.parametrize(("data", "message"), [
    ({"name": "   "}, "Give the proposal a name."),
    ({"name": "Harbour framework"}, "already names the proposal"),
    ({"name": "New one", "aliases": "the ferry plan"}, "already names the proposal"),
    ({"name": "New one", "proposed_on": "2999-01-01"}, "is in the future"),
])
def test_a_bad_new_proposal_is_refused_with_nothing_created(editor_client, linked, plans, data, message):
    before = plans["older"].negotiation.proposals.count()
    response = _create(editor_client, linked, htmx(f"statement-{linked.pk}"), **data)
    html = response.content.decode()
    assert response.status_code == 422 and message in html
    assert plans["older"].negotiation.proposals.count() == before
    linked.refresh_from_db()
    assert (linked.version, linked.proposal) == (1, plans["older"])


def test_a_stale_card_creates_no_proposal(editor_client, editor, linked, negotiation):
    statement_approve(statement_id=linked.pk, version=1, user=editor)
    response = _create(editor_client, linked, htmx(f"statement-{linked.pk}"), name="Lighthouse paper")
    assert response.status_code == 409
    assert not negotiation.proposals.filter(name="Lighthouse paper").exists()


@pytest.mark.parametrize("who", ["anonymous", "researcher"])
def test_only_editors_may_create_from_the_card(client, researcher_client, linked, negotiation, who):
    user_client = client if who == "anonymous" else researcher_client
    response = _create(user_client, linked, name="Lighthouse paper")
    assert response.status_code == (302 if who == "anonymous" else 403)
    assert not negotiation.proposals.filter(name="Lighthouse paper").exists()


def test_a_bulk_approval_keeps_the_link_and_its_history_the_clauses(linked, plans, editor):
    from positions.services import statement_restore, statements_bulk_review

    saved = statement_update(statement_id=linked.pk, version=1, user=editor,
                             link=ProposalLink(proposal=plans["newer"], clauses=[plans["truce"]]))
    [(_, version)] = statements_bulk_review(statement_ids=[saved.pk], approve=True, user=editor)
    latest = linked.history.latest()
    assert (latest.version, latest.proposal_id) == (3, plans["newer"].pk)
    assert [row.clause_id for row in latest.clauses.all()] == [plans["truce"].pk]
    # Back to the extraction's link, then forward again to the approved version: clauses return.
    statement_restore(statement_id=linked.pk, version=version, to_version=1, user=editor)
    restored = statement_restore(statement_id=linked.pk, version=version + 1, to_version=version, user=editor)
    assert (restored.proposal, list(restored.clauses.all())) == (plans["newer"], [plans["truce"]])


def test_the_statement_page_names_the_link_change_in_its_history(editor_client, editor, linked, plans):
    statement_update(statement_id=linked.pk, version=1, user=editor,
                     link=ProposalLink(proposal=plans["newer"], clauses=[plans["truce"]]))
    html = editor_client.get(reverse("articles:statement", args=[linked.pk])).content.decode()
    assert "linked to proposal “Three-step plan”" in html
    assert "changed: clauses, proposal, proposal confidence" in html
    assert '<datalist id="proposal-names">' in html
