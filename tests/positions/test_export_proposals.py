"""Every export of statements carries each statement's proposal (its name) and clauses
(their keys): the side-by-side matrix and the "what changed" list as well as /export/."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests.factories import ClauseFactory, ProposalFactory
from tests.positions.conftest import read_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def stated(negotiation, actors, issues, make_statement) -> dict[str, Any]:
    plan = ProposalFactory.create(negotiation=negotiation, name="Quay plan")
    swap = ClauseFactory.create(proposal=plan, key="swap", position=1)
    north, hostages = actors["Northland"], issues["hostages"]
    before = make_statement(actor=north, issues=[hostages], stance="accept", stated_on=date(2024, 1, 1))
    after = make_statement(actor=north, issues=[hostages], stance="reject", stated_on=date(2024, 2, 1),
                           proposal=plan, clauses=[swap])
    return {"plan": plan, "before": before, "after": after}


def test_the_matrix_export_carries_the_cells_proposal_and_clauses(researcher_client, negotiation, stated):
    url = reverse("positions:side_by_side", args=[negotiation.slug])
    rows = read_csv(researcher_client.get(f"{url}?as_of=2024-06-01&format=csv"))
    cells = {(r["actor"], r["issue_key"]): r for r in rows}
    assert (cells["Northland", "hostages"]["proposal"], cells["Northland", "hostages"]["clauses"]) == ("Quay plan", "swap")
    assert (cells["Southport", "hostages"]["proposal"], cells["Southport", "hostages"]["clauses"]) == ("", "")
    earlier = json.loads(b"".join(researcher_client.get(f"{url}?as_of=2024-01-15&format=json").streaming_content))
    cell = next(r for r in earlier[f"side-by-side-{negotiation.slug}"]
                if (r["actor"], r["issue_key"]) == ("Northland", "hostages"))
    assert cell["statement_id"] == stated["before"].pk and (cell["proposal"], cell["clauses"]) == ("", [])


def test_the_changes_export_carries_the_shifting_statements_proposal(researcher_client, negotiation, stated):
    url = reverse("positions:changes", args=[negotiation.slug])
    rows = read_csv(researcher_client.get(f"{url}?date_from=2024-01-15&date_to=2024-02-15&format=csv"))
    assert [(r["statement_id"], r["proposal"], r["clauses"]) for r in rows] == [
        (str(stated["after"].pk), "Quay plan", "swap")
    ]


def test_the_statement_export_narrows_to_one_proposal_and_cites_it_by_name(researcher_client, stated):
    response = researcher_client.get(reverse("positions:export") + f"?proposal={stated['plan'].pk}")
    assert "proposal: Quay plan" in response["X-Parley-Citation"]
    assert [int(r["id"]) for r in read_csv(response)] == [stated["after"].pk]
    json_response = researcher_client.get(reverse("positions:export") + f"?proposal={stated['plan'].pk}&format=json")
    data = json.loads(b"".join(json_response.streaming_content))
    assert [r["id"] for r in data["statements"]] == [stated["after"].pk]
    assert data["citation"]["filters"] == {"proposal": "Quay plan"}


@pytest.mark.parametrize("value", ["999999", "quay"])
def test_an_unknown_proposal_in_an_export_is_a_400_that_says_which_filter(researcher_client, stated, value: str):
    response = researcher_client.get(reverse("positions:export") + f"?proposal={value}")
    assert response.status_code == 400 and response.content.decode().startswith("Invalid export filters: proposal:")
