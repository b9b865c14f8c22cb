"""The editor's proposal pages: who may use them, saving a proposal with its clauses through
the form, bad input shown again with nothing saved, an unchanged save writing nothing, the
htmx clause row and the history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from positions.models import Clause, Proposal
from positions.proposal_services import proposal_create
from tests.factories import (
    ArticleFactory,
    ClauseFactory,
    IssueFactory,
    NegotiationFactory,
    ProposalFactory,
    StatementFactory,
)


def _new_url(negotiation) -> str:
    return f"{reverse('positions:proposal_new')}?negotiation={negotiation.slug}"


def _edit_url(proposal) -> str:
    return reverse("positions:proposal_edit", args=[proposal.pk])


def _data(negotiation, *, clauses: Sequence[dict[str, Any]] = (), initial: int = 0, **fields: Any) -> dict[str, Any]:
    """What the form posts: the proposal's fields and its clause rows."""
    data: dict[str, Any] = {
        "name": "Harbour framework", "key": "", "aliases": "", "proposed_on": "", "parent": "",
        "summary": "", "articles": "", "read_at": "",
        "clauses-TOTAL_FORMS": str(len(clauses)), "clauses-INITIAL_FORMS": str(initial),
        "clauses-MIN_NUM_FORMS": "0", "clauses-MAX_NUM_FORMS": "100",
    }
    for index, row in enumerate(clauses):
        for name, value in row.items():
            data[f"clauses-{index}-{name}"] = value
    data.update(fields)
    return data


def _page_data(client, url: str) -> dict[str, Any]:
    """What the form would post back untouched, read from the page's bound initial values."""
    response = client.get(url)
    form, clauses = response.context["form"], response.context["clauses"]
    data: dict[str, Any] = {}
    for bound in form:
        value = bound.value()
        data[bound.html_name] = [str(v) for v in value] if isinstance(value, list) else ("" if value is None else value)
    data.update({f"clauses-{k}": v for k, v in clauses.management_form.initial.items()})
    for row in clauses:
        for bound in row:
            if bound.name != "DELETE":
                value = bound.value()
                data[bound.html_name] = "" if value is None else value
    return data


# --- Who may use the pages ------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["list", "new", "edit", "row"])
def test_researchers_and_outsiders_are_refused_and_editors_served(
    url_name, negotiation, editor_client, researcher_client, outsider_client, client
):
    proposal = ProposalFactory.create(negotiation=negotiation)
    url = {
        "list": reverse("positions:proposal_list"), "new": _new_url(negotiation),
        "edit": _edit_url(proposal),
        "row": f"{reverse('positions:proposal_clause_row')}?negotiation={negotiation.slug}&clauses-TOTAL_FORMS=1",
    }[url_name]
    htmx = {"HX-Request": "true"} if url_name == "row" else {}
    assert editor_client.get(url, headers=htmx).status_code == 200
    assert researcher_client.get(url).status_code == 403
    assert outsider_client.get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_a_researcher_cannot_post_a_proposal(negotiation, researcher_client):
    response = researcher_client.post(_new_url(negotiation), _data(negotiation))
    assert response.status_code == 403
    assert not Proposal.objects.exists()


# --- The list --------------------------------------------------------------------------------


def test_the_list_shows_the_negotiations_proposals_only(negotiation, editor_client):
    mine = ProposalFactory.create(negotiation=negotiation, name="Harbour paper", aliases=["the paper"])
    ClauseFactory.create(proposal=mine)
    ProposalFactory.create(negotiation=NegotiationFactory.create(), name="Distant plan")
    response = editor_client.get(f"{reverse('positions:proposal_list')}?negotiation={negotiation.slug}")
    html = response.content.decode()
    assert "Harbour paper" in html and "the paper" in html and "Distant plan" not in html
    assert f'href="{_edit_url(mine)}"' in html
    assert next(iter(response.context["proposals"])).clause_count == 1


def test_the_list_of_an_unknown_negotiation_is_not_found(negotiation, editor_client):
    assert editor_client.get(f"{reverse('positions:proposal_list')}?negotiation=nowhere").status_code == 404


# --- Creating and editing -------------------------------------------------------------------


def test_an_editor_creates_a_proposal_with_two_clauses(negotiation, editor, editor_client):
    hostages = negotiation.issues.get(key="hostages")
    ceasefire = negotiation.issues.get(key="ceasefire")
    mediator = negotiation.actors.get(name="Mediatia")
    article = ArticleFactory.create(negotiation=negotiation)
    data = _data(
        negotiation, aliases="the harbour plan\nthe framework", proposed_on="2024-02-01",
        proposed_by=[str(mediator.pk)], summary="Truce for an exchange.", articles=f"{article.pk}",
        clauses=[{"key": "", "issue": str(hostages.pk), "text": "Captives freed in stages."},
                 {"key": "truce", "issue": str(ceasefire.pk), "text": "Six weeks without fighting."}],
    )
    response = editor_client.post(_new_url(negotiation), data)
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == _edit_url(proposal)
    assert (proposal.key, proposal.aliases, proposal.proposed_on) == (
        "harbour-framework", ["the harbour plan", "the framework"], date(2024, 2, 1)
    )
    assert list(proposal.proposed_by.all()) == [mediator] and list(proposal.articles.all()) == [article]
    assert [(c.key, c.issue, c.text, c.position) for c in proposal.clauses.all()] == [
        ("hostages", hostages, "Captives freed in stages.", 0),
        ("truce", ceasefire, "Six weeks without fighting.", 1),
    ]
    assert proposal.history.get().history_user == editor


def test_a_form_saved_unchanged_changes_nothing(negotiation, editor, editor_client):
    proposal = proposal_create(
        negotiation=negotiation, name="Plan", user=editor, aliases=["the plan"],
        proposed_by=[negotiation.actors.get(name="Northland")], proposed_on=date(2024, 3, 1),
        articles=[ArticleFactory.create(negotiation=negotiation)],
    )
    ClauseFactory.create(proposal=proposal, key="one", issue=negotiation.issues.get(key="hostages"))
    ClauseFactory.create(proposal=proposal, key="two", position=1)
    before = (Proposal.history.count(), Clause.history.count())
    response = editor_client.post(
        _edit_url(proposal), _page_data(editor_client, _edit_url(proposal)), follow=True
    )
    assert response.redirect_chain == [(_edit_url(proposal), 302)]
    assert "No changes to save." in response.content.decode()
    assert (Proposal.history.count(), Clause.history.count()) == before


def test_an_edit_changes_a_clause_adds_one_and_removes_one(negotiation, editor, editor_client):
    proposal = ProposalFactory.create(negotiation=negotiation)
    kept = ClauseFactory.create(proposal=proposal, key="kept", text="Old words.")
    gone = ClauseFactory.create(proposal=proposal, key="gone", position=1)
    data = _page_data(editor_client, _edit_url(proposal))
    data.update({"clauses-0-text": "New words.", "clauses-1-DELETE": "on",
                 "clauses-2-text": "An added clause.", "clauses-TOTAL_FORMS": "3"})
    assert editor_client.post(_edit_url(proposal), data).status_code == 302
    assert [(c.key, c.text) for c in proposal.clauses.all()] == [
        ("kept", "New words."), ("clause", "An added clause."),
    ]
    assert proposal.clauses.get(key="kept").pk == kept.pk
    assert not Clause.objects.filter(pk=gone.pk).exists()
    page = editor_client.get(_edit_url(proposal)).content.decode()
    assert "clause gone: removed" in page and "clause kept: edited" in page and "New words." in page


@pytest.mark.parametrize("change, field, message", [
    ({"name": "Older plan"}, "name", "already names the proposal"),
    ({"aliases": "the old one"}, "aliases", "already names the proposal"),
    ({"clauses-0-text": "   ", "clauses-0-key": "first"}, None, "Give the clause&#x27;s text."),
    ({"clauses-0-issue": "999999"}, None, "Choose an issue of this negotiation."),
    ({"proposed_on": "2999-01-01"}, "proposed_on", "in the future"),
    ({"articles": "12x"}, "articles", "Not article numbers"),
])
def test_bad_input_shows_the_form_again_and_saves_nothing(
    change, field, message, negotiation, editor_client
):
    ProposalFactory.create(negotiation=negotiation, name="Older plan", aliases=["the old one"])
    data = _data(negotiation, clauses=[{"key": "", "issue": "", "text": "Some text."}], **change)
    response = editor_client.post(_new_url(negotiation), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    if field:
        assert field in response.context["form"].errors
    assert Proposal.objects.count() == 1 and not Clause.objects.exists()


def test_a_parent_from_another_negotiation_or_a_cycle_is_refused(negotiation, editor_client):
    first = ProposalFactory.create(negotiation=negotiation, name="First")
    second = ProposalFactory.create(negotiation=negotiation, name="Second", parent=first)
    foreign = ProposalFactory.create(negotiation=NegotiationFactory.create())
    data = _page_data(editor_client, _edit_url(first))
    recorded = first.history.count()
    for parent, message in ((foreign, "Choose a proposal of this negotiation."),
                            (second, "is this proposal or one of its own later versions")):
        response = editor_client.post(_edit_url(first), {**data, "parent": str(parent.pk)})
        assert response.status_code == 422
        assert message in response.content.decode()
    first.refresh_from_db()
    assert first.parent is None and first.history.count() == recorded


def test_a_clause_error_from_the_service_marks_its_row_and_rolls_back(negotiation, editor_client):
    proposal = ProposalFactory.create(negotiation=negotiation, name="Plan")
    clause = ClauseFactory.create(proposal=proposal, key="swap")
    StatementFactory.create(
        article=ArticleFactory.create(negotiation=negotiation),
        actor=negotiation.actors.get(name="Northland"), clauses=[clause],
    )
    data = _page_data(editor_client, _edit_url(proposal))
    data.update({"summary": "Changed too.", "clauses-0-DELETE": "on"})
    response = editor_client.post(_edit_url(proposal), data)
    assert response.status_code == 422
    assert "1 statement responds to the clause" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.summary == "" and Clause.objects.filter(pk=clause.pk).exists()


def test_two_rows_with_one_key_are_refused(negotiation, editor_client):
    rows = [{"key": "same", "issue": "", "text": "A."}, {"key": "same", "issue": "", "text": "B."}]
    response = editor_client.post(_new_url(negotiation), _data(negotiation, clauses=rows))
    assert response.status_code == 422
    assert "Another row has the key" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_save_over_someone_elses_change_is_a_conflict(negotiation, editor, editor_client):
    proposal = proposal_create(negotiation=negotiation, name="Plan", user=editor)
    data = _page_data(editor_client, _edit_url(proposal))
    ClauseFactory.create(proposal=proposal)  # someone else's change meanwhile
    response = editor_client.post(_edit_url(proposal), {**data, "summary": "Mine."})
    assert response.status_code == 409
    assert "Someone saved this proposal since you opened it" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.summary == ""


def test_the_history_shows_who_changed_what(negotiation, editor, editor_client):
    proposal = proposal_create(negotiation=negotiation, name="Plan", user=editor)
    data = _page_data(editor_client, _edit_url(proposal))
    editor_client.post(_edit_url(proposal), {**data, "name": "Plan B"})
    history = editor_client.get(_edit_url(proposal)).context["history"]
    assert [(e.who, e.subject, e.what) for e in history] == [
        ("alice", "proposal", "edited: name"), ("alice", "proposal", "created"),
    ]
    assert [(c.label, c.before, c.after) for c in history[0].changes] == [("name", "Plan", "Plan B")]


# --- The htmx clause row ----------------------------------------------------------------------


def test_the_clause_row_comes_numbered_with_the_row_count_out_of_band(negotiation, editor_client):
    IssueFactory.create(negotiation=negotiation, key="water")
    url = reverse("positions:proposal_clause_row")
    response = editor_client.get(
        f"{url}?negotiation={negotiation.slug}&clauses-TOTAL_FORMS=2", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'name="clauses-2-text"' in html and "Clause 3" in html
    assert 'id="id_clauses-TOTAL_FORMS"' in html and 'value="3"' in html and 'hx-swap-oob="true"' in html


@pytest.mark.parametrize("count", ["", "-1", "100", "many"])
def test_the_clause_row_refuses_a_bad_count(count, negotiation, editor_client):
    url = reverse("positions:proposal_clause_row")
    response = editor_client.get(
        f"{url}?negotiation={negotiation.slug}&clauses-TOTAL_FORMS={count}", headers={"HX-Request": "true"}
    )
    assert response.status_code == 422


def test_the_clause_row_visited_as_a_page_leads_to_a_new_proposal(negotiation, editor_client):
    response = editor_client.get(f"{reverse('positions:proposal_clause_row')}?negotiation={negotiation.slug}")
    assert response.status_code == 302 and response["Location"] == _new_url(negotiation)


# --- Query counts ------------------------------------------------------------------------------


def _proposals(negotiation, count: int) -> Proposal:
    """``count`` proposals, each with a proposer and ``count`` clauses; returns the last."""
    for _ in range(count):
        proposal = ProposalFactory.create(negotiation=negotiation, proposed_by=[negotiation.actors.first()])
        for _ in range(count):
            ClauseFactory.create(proposal=proposal, issue=negotiation.issues.get(key="hostages"))
    return proposal


@pytest.mark.parametrize("count", [1, 10])
def test_the_list_reads_the_same_queries_for_one_proposal_or_ten(
    count, negotiation, editor_client, django_assert_num_queries
):
    _proposals(negotiation, count)
    url = f"{reverse('positions:proposal_list')}?negotiation={negotiation.slug}"
    editor_client.get(url)  # the session's first use
    # session, user, the user's groups; the negotiation, the negotiations to switch to;
    # the proposals (parent joined, clauses counted), their proposers.
    with django_assert_num_queries(7):
        assert editor_client.get(url).status_code == 200


@pytest.mark.parametrize("count", [1, 10])
def test_the_editor_page_reads_the_same_queries_for_one_clause_or_ten(
    count, negotiation, editor_client, django_assert_num_queries
):
    proposal = _proposals(negotiation, count)
    editor_client.get(_edit_url(proposal))
    # session, user, groups; the proposal; where its history stands (2); its proposers and
    # articles (initial); its clauses; the issues (once for every row); the history: actors,
    # proposal names, issue keys, the proposal's rows, their proposers and articles, the
    # clauses' rows; the choices of proposers and of the parent.
    with django_assert_num_queries(19):
        assert editor_client.get(_edit_url(proposal)).status_code == 200
