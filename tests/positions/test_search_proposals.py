"""Search finds proposals by name and alias (above the statements, name marked, link to
the proposal's page), and the statements about a matching proposal are matches too: on
PostgreSQL's full-text path and on the portable substring path SQLite takes."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from positions.selectors import StatementFilters, count_search_matches
from positions.selectors import search as search_module
from tests.factories import NegotiationFactory, ProposalFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["postgresql", "portable"])
def path(request, monkeypatch) -> str:
    """Each test runs on both paths: the portable one (SQLite's) also runs on PostgreSQL."""
    if request.param == "portable":
        monkeypatch.setattr(search_module, "on_postgresql", lambda: False)
    else:
        from django.db import connection

        assert connection.vendor == "postgresql", "the full-text path needs PostgreSQL"
    return str(request.param)


@pytest.fixture
def plans(negotiation, actors, issues, make_statement) -> dict[str, Any]:
    quay = ProposalFactory.create(negotiation=negotiation, key="quay", name="Lighthouse framework",
                                  aliases=["the quay deal", "harbour paper"], proposed_on=date(2024, 1, 5))
    other = ProposalFactory.create(negotiation=negotiation, key="other", name="Ferry timetable",
                                   proposed_on=date(2024, 2, 5))
    about = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], proposal=quay,
                           summary="Northland says yes, with conditions", stated_on=date(2024, 1, 12))
    plain = make_statement(actor=actors["Southport"], issues=[issues["hostages"]],
                           summary="Southport asks for the lighthouse lists", stated_on=date(2024, 1, 14))
    elsewhere = make_statement(actor=actors["Southport"], issues=[issues["hostages"]], proposal=other,
                               summary="Southport wants more ferries", stated_on=date(2024, 1, 16))
    return {"quay": quay, "other": other, "about": about, "plain": plain, "elsewhere": elsewhere}


def page(client, query: str) -> str:
    response = client.get(reverse("positions:search") + f"?{query}")
    assert response.status_code == 200
    return str(response.content.decode())


def test_a_proposal_is_found_by_its_name_and_shown_above_the_statements(researcher_client, plans, path):
    html = page(researcher_client, "q=lighthouse")
    link = f'<a href="/proposals/{plans["quay"].pk}/"><mark>Lighthouse</mark> framework</a>'
    assert link in html
    assert "Also called: the quay deal, harbour paper" in html
    assert html.index(link) < html.index("Southport asks for the")
    assert "Ferry timetable" not in html


def test_a_proposal_is_found_by_an_alias(researcher_client, plans, path):
    html = page(researcher_client, "q=quay+deal")
    assert f'href="/proposals/{plans["quay"].pk}/"' in html and "Lighthouse framework" in html


def test_statements_about_a_matching_proposal_are_hits(researcher_client, plans, path):
    html = page(researcher_client, "q=quay+deal")
    assert "Northland says yes, with conditions" in html  # its summary has neither word
    assert "Southport asks for the" not in html and "Southport wants more ferries" not in html
    found = search_module.search_statements(text="lighthouse", filters=StatementFilters())
    assert [hit.pk for hit in found.statements] == [plans["plain"].pk, plans["about"].pk]
    assert [p.pk for p in found.proposals] == [plans["quay"].pk]


def test_the_counts_include_the_statements_about_a_matching_proposal(plans, path):
    counts = count_search_matches(text="lighthouse", filters=StatementFilters())
    assert counts.total == 2


def test_the_search_export_holds_them_with_their_proposal(researcher_client, plans, path):
    response = researcher_client.get(reverse("positions:export") + "?q=lighthouse&format=json")
    records = json.loads(b"".join(response.streaming_content))["statements"]
    assert [(r["id"], r["proposal"]) for r in records] == [
        (plans["about"].pk, "Lighthouse framework"), (plans["plain"].pk, ""),
    ]


def test_no_text_shows_no_proposals(researcher_client, plans, path):
    assert 'class="proposal-hits"' not in page(researcher_client, "")
    assert search_module.search_proposals(text="") == []


def test_a_negotiation_filter_keeps_its_own_proposals(researcher_client, negotiation, plans, path):
    elsewhere = ProposalFactory.create(negotiation=NegotiationFactory.create(slug="river-talks"),
                                       name="Lighthouse accord")
    both = {p.pk for p in search_module.search_proposals(text="lighthouse")}
    assert both == {plans["quay"].pk, elsewhere.pk}
    html = page(researcher_client, f"q=lighthouse&negotiation={negotiation.slug}")
    assert f"/proposals/{plans['quay'].pk}/" in html and "accord" not in html


def test_a_proposal_name_is_escaped_before_its_marks(researcher_client, negotiation, path):
    ProposalFactory.create(negotiation=negotiation, name="<b>Beacon</b> & plan")
    html = page(researcher_client, "q=beacon")
    assert "&lt;b&gt;<mark>Beacon</mark>&lt;/b&gt; &amp; plan" in html


def test_an_htmx_search_carries_the_proposals_in_its_fragment(researcher_client, plans, path):
    from tests.positions.conftest import htmx_headers

    fragment = researcher_client.get(reverse("positions:search") + "?q=lighthouse",
                                     **htmx_headers("search-results")).content.decode()
    assert fragment.lstrip().startswith('<div id="search-results"')
    assert f'href="/proposals/{plans["quay"].pk}/"' in fragment


def test_an_alias_with_accents_is_found_whatever_its_case(researcher_client, negotiation, path):
    ProposalFactory.create(negotiation=negotiation, name="Coastal outline", aliases=["le plan de la Côte"])
    assert [p.name for p in search_module.search_proposals(text="côte")] == ["Coastal outline"]
    assert search_module.search_proposals(text='", "') == []  # the aliases' JSON is not searched
