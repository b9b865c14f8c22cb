"""positions:proposals_matrix — proposals as rows, actors as columns, each actor's latest
approved stance toward each proposal as of a date."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from positions.selectors.proposals import proposals_matrix
from tests.factories import ProposalFactory
from tests.positions.conftest import htmx_headers, read_csv

pytestmark = pytest.mark.django_db


def url(negotiation, query: str = "") -> str:
    return reverse("positions:proposals_matrix", args=[negotiation.slug]) + (f"?{query}" if query else "")


@pytest.fixture
def plans(negotiation, actors):
    """An envoy's first plan (1 March), its revision (1 April) and a rival offer (15 March)."""
    first = ProposalFactory.create(negotiation=negotiation, key="first-plan", name="Envoy's first plan",
                                   proposed_on=date(2024, 3, 1), proposed_by=[actors["Mediatia"]])
    revised = ProposalFactory.create(negotiation=negotiation, key="revised-plan", name="Envoy's revised plan",
                                     proposed_on=date(2024, 4, 1), parent=first)
    rival = ProposalFactory.create(negotiation=negotiation, key="rival-offer", name="Northland's own offer",
                                   proposed_on=date(2024, 3, 15), proposed_by=[actors["Northland"]])
    return {"first": first, "revised": revised, "rival": rival}


def cell(matrix, proposal, actor):
    row = next(r for r in matrix.rows if r.proposal.pk == proposal.pk)
    return row.cells[[p.actor_id for p in matrix.actors].index(actor.pk)]


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, negotiation, who: str, status: int):
    assert clients[who].get(url(negotiation)).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client, negotiation):
    response = anonymous_client.get(url(negotiation))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_negotiation_is_404(researcher_client):
    assert researcher_client.get(reverse("positions:proposals_matrix", args=["no-such-talks"])).status_code == 404


def test_rows_come_by_date_with_each_version_under_the_plan_it_amends(negotiation, plans):
    matrix = proposals_matrix(negotiation=negotiation, as_of=date(2024, 6, 1))
    assert [(r.proposal.key, r.depth) for r in matrix.rows] == [
        ("first-plan", 0), ("revised-plan", 1), ("rival-offer", 0)
    ]
    assert [p.role for p in matrix.actors] == ["party", "party", "mediator"]


def test_a_plan_put_forward_after_the_date_is_not_a_row_yet(negotiation, plans):
    matrix = proposals_matrix(negotiation=negotiation, as_of=date(2024, 3, 20))
    assert [r.proposal.key for r in matrix.rows] == ["first-plan", "rival-offer"]
    assert matrix.later == 1


def test_each_cell_is_the_actors_latest_approved_stance_as_of_the_date(
    negotiation, actors, issues, make_statement, plans
):
    south, first = actors["Southport"], plans["first"]
    refused = make_statement(actor=south, issues=[issues["hostages"]], proposal=first, stance="reject",
                             stated_on=date(2024, 3, 3))
    accepted = make_statement(actor=south, issues=[issues["hostages"]], proposal=first, stance="accept",
                              stated_on=date(2024, 5, 6))
    make_statement(actor=south, issues=[issues["hostages"]], proposal=first, stance="condition",
                   stated_on=date(2024, 5, 20), status="draft")
    make_statement(actor=south, issues=[issues["hostages"]], stance="demand", stated_on=date(2024, 5, 21))
    assert cell(proposals_matrix(negotiation=negotiation, as_of=date(2024, 4, 1)), first, south).statement.pk == refused.pk
    assert cell(proposals_matrix(negotiation=negotiation, as_of=date(2024, 6, 1)), first, south).statement.pk == accepted.pk
    assert cell(proposals_matrix(negotiation=negotiation, as_of=date(2024, 3, 2)), first, south).statement is None


def test_a_statement_about_a_version_counts_for_that_version_only(
    negotiation, actors, issues, make_statement, plans
):
    north = actors["Northland"]
    on_revision = make_statement(actor=north, issues=[issues["ceasefire"]], proposal=plans["revised"],
                                 stance="accept", stated_on=date(2024, 4, 3))
    matrix = proposals_matrix(negotiation=negotiation, as_of=date(2024, 6, 1))
    assert cell(matrix, plans["revised"], north).statement.pk == on_revision.pk
    assert cell(matrix, plans["first"], north).statement is None


def test_compare_marks_the_cells_that_changed_between_the_dates(
    negotiation, actors, issues, make_statement, plans
):
    south, north, first = actors["Southport"], actors["Northland"], plans["first"]
    before = make_statement(actor=south, issues=[issues["hostages"]], proposal=first, stance="reject",
                            stated_on=date(2024, 3, 3))
    make_statement(actor=south, issues=[issues["hostages"]], proposal=first, stance="accept",
                   stated_on=date(2024, 5, 6))
    steady = make_statement(actor=north, issues=[issues["hostages"]], proposal=first, stance="accept",
                            stated_on=date(2024, 3, 2))
    matrix = proposals_matrix(negotiation=negotiation, as_of=date(2024, 6, 1), compare=date(2024, 4, 1))
    moved = cell(matrix, first, south)
    assert moved.changed and moved.previous.pk == before.pk and moved.shift == "reversed"
    kept = cell(matrix, first, north)
    assert not kept.changed and kept.statement.pk == steady.pk


def test_page_shows_badges_names_and_links(researcher_client, negotiation, actors, issues, make_statement, plans):
    statement = make_statement(actor=actors["Southport"], issues=[issues["hostages"]], proposal=plans["first"],
                               stance="condition", summary="Yes to the plan if the crossings open",
                               conditions="crossings open first", stated_on=date(2024, 3, 5))
    body = researcher_client.get(url(negotiation, "as_of=2024-06-01")).content.decode()
    assert "Envoy&#x27;s first plan" in body and "Northland&#x27;s own offer" in body
    assert reverse("positions:proposal", args=[plans["first"].pk]) in body
    assert reverse("positions:statement", args=[statement.pk]) in body
    assert 'class="stance stance-condition">Condition</span>' in body
    assert "If: crossings open first" in body  # the rest of the statement is in the cell's title
    assert 'class="depth-1"' in body  # the revision is indented
    legend = body.split('class="matrix-legend"')[1]
    for label in ("Accept", "Reject", "Condition", "reversed", "Highlighted"):
        assert label in legend


def test_page_with_a_comparison_names_what_a_changed_cell_was(
    researcher_client, negotiation, actors, issues, make_statement, plans
):
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], proposal=plans["first"],
                   stance="reject", stated_on=date(2024, 3, 3))
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], proposal=plans["first"],
                   stance="accept", stated_on=date(2024, 5, 3))
    body = researcher_client.get(url(negotiation, "as_of=2024-06-01&compare=2024-04-01")).content.decode()
    assert body.count('<td class="cell changed">') == 1
    assert "Was: <a" in body and "Reject, 3 Mar 2024</a>" in body
    assert "compared with 1 April 2024" in body


def test_htmx_date_change_returns_only_the_matrix(researcher_client, negotiation, plans):
    response = researcher_client.get(url(negotiation, "as_of=2024-06-01"), **htmx_headers("proposals-matrix"))
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="proposals-matrix"')
    assert "Envoy&#x27;s first plan" in body and "<html" not in body and "<form" not in body


@pytest.mark.parametrize("query", ["as_of=someday", "as_of=2024-02-30", "compare=9999-99-99", "as_of=20240101"])
def test_a_date_that_is_not_one_gives_a_message_and_today(researcher_client, negotiation, plans, query):
    response = researcher_client.get(url(negotiation, query))
    body = response.content.decode()
    assert response.status_code == 200 and "errorlist" in body and "Enter a valid date." in body


def test_an_export_with_a_bad_date_is_refused_with_the_message(researcher_client, negotiation):
    """As the side by side's: a file was asked for, so not an HTML page with status 200."""
    response = researcher_client.get(url(negotiation, "as_of=nonsense&format=csv"))
    assert response.status_code == 400 and "Enter a valid date." in response.content.decode()


def test_csv_has_a_row_per_cell_and_the_citation(researcher_client, negotiation, actors, issues, make_statement, plans):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], proposal=plans["revised"],
                   summary="=1+1 looks fine", stance="accept", stated_on=date(2024, 4, 2), outlet="Harbour Post")
    response = researcher_client.get(url(negotiation, "as_of=2024-06-01&format=csv"))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Disposition"].startswith('attachment; filename="parley-proposals-harbour-talks-')
    citation = response["X-Parley-Citation"]
    rows = read_csv(response)
    assert len(rows) == 3 * 3  # three proposals × three actors
    row = next(r for r in rows if r["proposal_key"] == "revised-plan" and r["actor"] == "Northland")
    assert row["stance"] == "accept" and row["summary"] == "'=1+1 looks fine" and row["date"] == "2024-04-02"
    assert row["parent_key"] == "first-plan" and row["outlets"] == "Harbour Post" and row["role"] == "party"
    assert citation.startswith("Parley: proposals, Harbour talks. Filters: mode: As of; date: 2024-06-01.")
    assert "as_of=2024-06-01" in citation and "format=csv" not in citation


def test_json_with_a_comparison_carries_the_citation(researcher_client, negotiation, actors, issues, make_statement, plans):
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], proposal=plans["rival"],
                   stance="reject", stated_on=date(2024, 3, 20))
    response = researcher_client.get(url(negotiation, "as_of=2024-06-01&compare=2024-03-16&format=json"))
    data = json.loads(b"".join(response.streaming_content))
    assert data["citation"]["rows"] == 9 and data["citation"]["title"] == "Parley: proposals, Harbour talks"
    row = next(r for r in data["proposals-harbour-talks"] if r["proposal_key"] == "rival-offer" and r["actor"] == "Southport")
    assert row["changed"] == "yes" and row["compared_stance"] == "" and row["stance"] == "reject"
    unchanged = next(r for r in data["proposals-harbour-talks"] if r["proposal_key"] == "first-plan")
    assert unchanged["changed"] == "no"


def test_the_side_by_side_page_and_the_overview_link_here(researcher_client, negotiation):
    target = url(negotiation)
    assert target in researcher_client.get(reverse("positions:side_by_side", args=[negotiation.slug])).content.decode()
    assert target in researcher_client.get(reverse("home")).content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_statements_or_proposals(
    researcher_client, negotiation, actors, issues, make_statement, django_assert_num_queries, count: int
):
    for i in range(count):
        proposal = ProposalFactory.create(negotiation=negotiation, proposed_on=date(2024, 1, 1) + timedelta(days=i))
        make_statement(actor=list(actors.values())[i % 3], issues=[issues["hostages"]], proposal=proposal,
                       stated_on=date(2024, 2, 1) + timedelta(days=i))
    # 1 session, 2 user, 3 user's groups (access check), 4 negotiation, 5 participations
    # with actors, 6 the negotiation's proposals, 7 the latest statement per proposal × actor
    # (one LATERAL query on PostgreSQL, correlated subqueries elsewhere), 8 those statements
    # with outlet and person, 9 their duplicates' outlets.
    with django_assert_num_queries(9):
        assert researcher_client.get(url(negotiation, "as_of=2024-06-01")).status_code == 200
    # Comparing adds one query (7) for the earlier date.
    with django_assert_num_queries(10):
        assert researcher_client.get(url(negotiation, "as_of=2024-06-01&compare=2024-02-05")).status_code == 200


def test_the_time_modes_apply_to_proposals_too(negotiation, actors, issues, make_statement, plans):
    """A stance dated 2 March but printed on 20 March is in the matrix as of 10 March, not
    in what was published by then; the export names the mode."""
    from positions.selectors.modes import Mode

    statement = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], proposal=plans["first"],
                               stated_on=date(2024, 3, 2), published_on=date(2024, 3, 20))
    as_of = proposals_matrix(negotiation=negotiation, as_of=date(2024, 3, 10))
    published = proposals_matrix(negotiation=negotiation, as_of=date(2024, 3, 10), mode=Mode.PUBLISHED)
    assert cell(as_of, plans["first"], actors["Northland"]).statement.pk == statement.pk
    assert cell(published, plans["first"], actors["Northland"]).statement is None
    assert published.shows == "published by 10 March 2024"


def test_proposals_that_amend_each_other_in_a_loop_are_each_a_row_once(negotiation, plans):
    from positions.models import Proposal

    Proposal.objects.filter(pk=plans["first"].pk).update(parent=plans["revised"])  # bad data
    matrix = proposals_matrix(negotiation=negotiation, as_of=date(2024, 6, 1))
    assert sorted(r.proposal.key for r in matrix.rows) == ["first-plan", "revised-plan", "rival-offer"]
