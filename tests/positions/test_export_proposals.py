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


def test_the_record_s_export_carries_the_link_as_it_stood_that_day(
    researcher_client, negotiation, actors, issues, make_statement, editor, monkeypatch
):
    from datetime import UTC, datetime, time

    from django.utils import timezone

    from positions.services import ProposalLink, statement_update

    def on(day: date) -> None:
        moment = datetime.combine(day, time(12), tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    quay = ProposalFactory.create(negotiation=negotiation, name="Quay plan")
    swap = ClauseFactory.create(proposal=quay, key="swap", position=1)
    pier = ProposalFactory.create(negotiation=negotiation, name="Pier plan")
    on(date(2024, 1, 10))
    statement = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], stance="accept",
                               stated_on=date(2024, 1, 5))
    on(date(2024, 1, 20))
    linked = statement_update(statement_id=statement.pk, version=statement.version, user=editor,
                              link=ProposalLink(proposal=quay, clauses=[swap]))
    on(date(2024, 3, 1))
    statement_update(statement_id=statement.pk, version=linked.version, user=editor,
                     link=ProposalLink(proposal=pier))
    monkeypatch.undo()
    url = reverse("positions:side_by_side", args=[negotiation.slug])

    def north(query: str) -> tuple[str, str]:
        rows = read_csv(researcher_client.get(f"{url}?{query}&format=csv"))
        cell = next(r for r in rows if (r["actor"], r["issue_key"]) == ("Northland", "hostages"))
        return cell["proposal"], cell["clauses"]

    assert north("as_of=2024-02-01&mode=record") == ("Quay plan", "swap")
    assert north("as_of=2024-01-15&mode=record") == ("", "")
    assert north("as_of=2024-02-01") == ("Pier plan", "")
