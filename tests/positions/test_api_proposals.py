"""The API's proposals: a negotiation's list, one proposal, the stances toward it, and the
proposal and clauses every statement of the API now carries."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import Client

from positions.tokens import api_token_create
from tests.factories import ClauseFactory, NegotiationFactory, ProposalFactory


@pytest.fixture
def token(researcher) -> str:
    return api_token_create(username=researcher.username, name="script")[1]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def get(client: Client, token: str, url: str) -> Any:
    response = client.get(url, headers=bearer(token))
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def world(negotiation, actors, issues, make_statement) -> dict[str, Any]:
    north, south, mediator = actors["Northland"], actors["Southport"], actors["Mediatia"]
    plan = ProposalFactory.create(
        negotiation=negotiation, key="quay-plan", name="Quay plan", aliases=["the harbour deal"],
        proposed_by=[mediator], proposed_on=date(2024, 1, 5), summary="A pause, then a swap.",
    )
    truce = ClauseFactory.create(proposal=plan, key="truce", issue=issues["ceasefire"],
                                 text="Six quiet weeks.", position=1)
    swap = ClauseFactory.create(proposal=plan, key="swap", issue=issues["hostages"],
                                text="Captives for detainees, in rounds.", position=2)
    revised = ProposalFactory.create(
        negotiation=negotiation, key="quay-plan-2", name="Quay plan, second draft", parent=plan,
        proposed_by=[mediator, south], proposed_on=date(2024, 3, 1),
    )
    ClauseFactory.create(proposal=revised, key="truce", issue=issues["ceasefire"], text="Eight quiet weeks.")
    accepts = make_statement(actor=north, issues=[issues["hostages"]], stance="accept",
                             stated_on=date(2024, 1, 10), proposal=plan, clauses=[swap],
                             conditions="if the lists are shared first", outlet="Harbour Post")
    rejects = make_statement(actor=south, issues=[issues["ceasefire"]], stance="reject",
                             stated_on=date(2024, 1, 20), proposal=plan)
    later = make_statement(actor=north, issues=[issues["ceasefire"]], stance="condition",
                           stated_on=date(2024, 2, 10), proposal=plan, clauses=[truce, swap])
    make_statement(actor=north, issues=[issues["ceasefire"]], stance="reject", proposal=plan,
                   status="draft")
    unrelated = make_statement(actor=south, issues=[issues["hostages"]], stance="demand",
                               stated_on=date(2024, 1, 12))
    return {"plan": plan, "revised": revised, "north": north, "south": south,
            "accepts": accepts, "rejects": rejects, "later": later, "unrelated": unrelated}


# --- the list and the detail -----------------------------------------------------------------

def test_a_negotiations_proposals_are_listed_oldest_first(client: Client, token: str, world) -> None:
    listed = get(client, token, "/api/negotiations/harbour-talks/proposals")
    assert [p["key"] for p in listed] == ["quay-plan", "quay-plan-2"]
    first, second = listed
    assert first == {
        "id": world["plan"].pk, "negotiation": "harbour-talks", "key": "quay-plan",
        "name": "Quay plan", "aliases": ["the harbour deal"],
        "proposers": [{"id": world["plan"].proposed_by.get().pk, "name": "Mediatia"}],
        "proposed_on": "2024-01-05", "parent": None, "clause_count": 2,
        "url": f"/proposals/{world['plan'].pk}/",
    }
    assert second["parent"] == "quay-plan" and second["clause_count"] == 1
    assert {a["name"] for a in second["proposers"]} == {"Mediatia", "Southport"}


def test_the_proposal_list_of_an_unknown_negotiation_is_404(client: Client, token: str, db) -> None:
    response = client.get("/api/negotiations/nowhere/proposals", headers=bearer(token))
    assert response.status_code == 404 and "detail" in response.json()


def test_a_proposal_has_its_clauses_versions_and_sources(client: Client, token: str, world) -> None:
    from tests.factories import ArticleFactory

    world["plan"].articles.add(ArticleFactory.create(title="Mediators table a quay plan"))
    detail = get(client, token, f"/api/proposals/{world['plan'].pk}")
    assert detail["summary"] == "A pause, then a swap."
    assert detail["clauses"] == [
        {"key": "truce", "issue": "ceasefire", "text": "Six quiet weeks.", "position": 1},
        {"key": "swap", "issue": "hostages", "text": "Captives for detainees, in rounds.", "position": 2},
    ]
    assert detail["versions"] == [{
        "id": world["revised"].pk, "key": "quay-plan-2", "name": "Quay plan, second draft",
        "proposed_on": "2024-03-01", "url": f"/proposals/{world['revised'].pk}/",
    }]
    assert [a["title"] for a in detail["articles"]] == ["Mediators table a quay plan"]
    revised = get(client, token, f"/api/proposals/{world['revised'].pk}")
    assert revised["parent"] == "quay-plan" and revised["versions"] == []


@pytest.mark.parametrize("url", ["/api/proposals/999999", "/api/proposals/999999/stances"])
def test_an_unknown_proposal_is_a_404_in_json(client: Client, token: str, db, url: str) -> None:
    response = client.get(url, headers=bearer(token))
    assert response.status_code == 404
    assert response.json() == {"detail": "No proposal 999999."}


@pytest.mark.parametrize("url", ["/api/proposals/0", "/api/proposals/x/stances", "/api/proposals/1/stances?as_of=soon"])
def test_a_malformed_proposal_request_is_422(client: Client, token: str, db, url: str) -> None:
    assert client.get(url, headers=bearer(token)).status_code == 422


# --- stances ---------------------------------------------------------------------------------------

def test_stances_are_every_approved_one_oldest_first(client: Client, token: str, world) -> None:
    page = get(client, token, f"/api/proposals/{world['plan'].pk}/stances")
    assert page["proposal"] == {"key": "quay-plan", "name": "Quay plan"} and page["as_of"] is None
    assert page["count"] == 3
    assert [s["statement_id"] for s in page["items"]] == [
        world["accepts"].pk, world["rejects"].pk, world["later"].pk
    ]
    accepts = page["items"][0]
    assert accepts["actor"] == "Northland" and accepts["stance"] == "accept"
    assert accepts["clauses"] == ["swap"] and accepts["conditions"] == "if the lists are shared first"
    assert accepts["outlets"] == ["Harbour Post"] and accepts["date"] == "2024-01-10"
    assert accepts["statement_url"] == f"/statements/{world['accepts'].pk}/"
    assert accepts["evidence"][0]["text"].startswith("Report")
    assert page["items"][1]["clauses"] == []  # the whole proposal
    assert page["items"][2]["clauses"] == ["truce", "swap"]  # in the proposal's order


@pytest.mark.parametrize(("query", "expected"), [
    ("as_of=2024-01-31", ["accepts", "rejects"]),
    ("as_of=2024-01-09", []),
    ("actor=Northland", ["accepts", "later"]),
    ("actor={south}", ["rejects"]),
    ("actor=northland&as_of=2024-01-31", ["accepts"]),
])
def test_stances_narrow_by_date_and_actor(client: Client, token: str, world, query: str, expected: list[str]) -> None:
    query = query.format(south=world["south"].pk)
    page = get(client, token, f"/api/proposals/{world['plan'].pk}/stances?{query}")
    assert [s["statement_id"] for s in page["items"]] == [world[name].pk for name in expected]


def test_stances_by_an_unknown_actor_is_a_404_that_says_which(client: Client, token: str, world) -> None:
    response = client.get(f"/api/proposals/{world['plan'].pk}/stances?actor=Atlantis", headers=bearer(token))
    assert response.status_code == 404 and "Atlantis" in response.json()["detail"]


def test_stances_page_by_limit_and_offset(client: Client, token: str, world) -> None:
    url = f"/api/proposals/{world['plan'].pk}/stances"
    pages = [get(client, token, f"{url}?limit=2&offset={o}") for o in (0, 2)]
    assert [len(p["items"]) for p in pages] == [2, 1] and pages[1]["count"] == 3


def test_the_stances_take_the_same_queries_for_1_or_10(
    client: Client, token: str, world, make_statement, issues, django_assert_num_queries,
) -> None:
    url = f"/api/proposals/{world['plan'].pk}/stances"
    client.get(url, headers=bearer(token))  # the token's first use is recorded
    # the token with its user; the user's groups (role); the proposal; count; page (with
    # actor, article, outlet); issues; duplicates' outlets; evidence; clauses
    with django_assert_num_queries(9):
        assert len(client.get(url, headers=bearer(token)).json()["items"]) == 3
    for _ in range(7):
        make_statement(actor=world["south"], issues=[issues["hostages"]], stance="reject",
                       proposal=world["plan"], outlet="AP")
    with django_assert_num_queries(9):
        assert len(client.get(url, headers=bearer(token)).json()["items"]) == 10


def test_the_list_and_the_detail_take_the_same_queries_for_1_or_10(
    client: Client, token: str, world, negotiation, django_assert_num_queries,
) -> None:
    client.get("/api/negotiations", headers=bearer(token))  # the token's first use is recorded
    # token; groups; negotiation; proposals (with parent, clause count); their proposers
    with django_assert_num_queries(5):
        client.get("/api/negotiations/harbour-talks/proposals", headers=bearer(token))
    # token; groups; proposal (with negotiation, parent, clause count); proposers; clauses
    # (with issues); versions; articles
    with django_assert_num_queries(7):
        client.get(f"/api/proposals/{world['plan'].pk}", headers=bearer(token))
    for n in range(8):
        ProposalFactory.create(negotiation=negotiation, parent=world["plan"], proposed_by=[world["north"]],
                               key=f"variant-{n}", name=f"Variant {n}")
        ClauseFactory.create(proposal=world["plan"], key=f"extra-{n}", text="One more term.")
    with django_assert_num_queries(5):
        assert len(client.get("/api/negotiations/harbour-talks/proposals", headers=bearer(token)).json()) == 10
    with django_assert_num_queries(7):
        body = client.get(f"/api/proposals/{world['plan'].pk}", headers=bearer(token)).json()
    assert len(body["versions"]) == 9 and len(body["clauses"]) == 10


# --- statements carry their proposal; the statement list filters by it -------------------------

def test_statements_carry_their_proposal_and_clauses(client: Client, token: str, world) -> None:
    items = {s["id"]: s for s in get(client, token, "/api/statements")["items"]}
    assert items[world["accepts"].pk]["proposal"] == {"key": "quay-plan", "name": "Quay plan"}
    assert items[world["accepts"].pk]["clauses"] == ["swap"]
    assert items[world["unrelated"].pk]["proposal"] is None
    assert items[world["unrelated"].pk]["clauses"] == []


def test_the_timeline_carries_proposal_and_clauses_too(client: Client, token: str, world) -> None:
    items = get(client, token, f"/api/actors/{world['north'].pk}/timeline")["items"]
    assert [(s["id"], s["proposal"] and s["proposal"]["key"], s["clauses"]) for s in items] == [
        (world["later"].pk, "quay-plan", ["truce", "swap"]),
        (world["accepts"].pk, "quay-plan", ["swap"]),
    ]


@pytest.mark.parametrize("value", ["quay-plan", "{id}", "Quay Plan"])
def test_the_statement_list_filters_by_proposal_key_id_or_name(client: Client, token: str, world, value: str) -> None:
    value = value.format(id=world["plan"].pk)
    ids = [s["id"] for s in get(client, token, f"/api/statements?proposal={value}")["items"]]
    assert ids == [world["accepts"].pk, world["rejects"].pk, world["later"].pk]


def test_an_unknown_proposal_filter_is_a_404_that_says_which(client: Client, token: str, world) -> None:
    response = client.get("/api/statements?proposal=the-moon-plan", headers=bearer(token))
    assert response.status_code == 404 and "the-moon-plan" in response.json()["detail"]


def test_a_proposal_key_two_negotiations_share_is_a_422_that_says_how_to_choose(
    client: Client, token: str, world
) -> None:
    ProposalFactory.create(negotiation=NegotiationFactory.create(slug="other-talks"), key="quay-plan")
    response = client.get("/api/statements?proposal=quay-plan", headers=bearer(token))
    assert response.status_code == 422 and "add negotiation=" in response.json()["detail"][0]["msg"]
    ids = [s["id"] for s in get(client, token, "/api/statements?proposal=quay-plan&negotiation=harbour-talks")["items"]]
    assert len(ids) == 3


# --- access ------------------------------------------------------------------------------------------

def urls(world: dict[str, Any]) -> list[str]:
    pk = world["plan"].pk
    return ["/api/negotiations/harbour-talks/proposals", f"/api/proposals/{pk}", f"/api/proposals/{pk}/stances"]


def test_anonymous_gets_401_and_an_outsider_403(client: Client, outsider_client: Client, world) -> None:
    for url in urls(world):
        assert client.get(url).status_code == 401, url
        assert outsider_client.get(url).status_code == 403, url


def test_a_researchers_or_editors_session_may_read(researcher_client: Client, editor_client: Client, world) -> None:
    for url in urls(world):
        assert researcher_client.get(url).status_code == 200, url
        assert editor_client.get(url).status_code == 200, url


def test_the_schema_documents_the_proposal_endpoints(client: Client, db) -> None:
    schema = client.get("/api/openapi.json").json()
    for path in ("/api/negotiations/{slug}/proposals", "/api/proposals/{proposal_id}",
                 "/api/proposals/{proposal_id}/stances"):
        assert path in schema["paths"] and schema["paths"][path]["get"]["description"]
    proposal = schema["components"]["schemas"]["StatementOut"]["properties"]["proposal"]
    assert proposal["description"] and proposal["examples"]
    parameters = {p["name"]: p for p in schema["paths"]["/api/statements"]["get"]["parameters"]}
    assert "key" in parameters["proposal"]["description"]


# --- the matrix ------------------------------------------------------------------------------

def test_the_proposals_matrix_gives_each_actors_latest_stance_and_what_changed(
    client: Client, token: str, world
) -> None:
    url = "/api/negotiations/harbour-talks/proposals/matrix?as_of=2024-02-15&compare=2024-01-15"
    matrix = get(client, token, url)
    assert (matrix["mode"], matrix["as_of"], matrix["compare"], matrix["later"]) == (
        "as_of", "2024-02-15", "2024-01-15", 1)  # the second draft comes on 1 March
    [row] = matrix["rows"]
    assert (row["proposal"], row["parent"], row["depth"]) == ("quay-plan", None, 0)
    cells = {cell["actor_id"]: cell for cell in row["cells"]}
    north, south = cells[world["north"].pk], cells[world["south"].pk]
    assert north["position"]["id"] == world["later"].pk and north["compared"]["id"] == world["accepts"].pk
    assert north["changed"] and north["shift"]
    assert south["position"]["stance"] == "reject" and south["compared"] is None and south["changed"]
    later = get(client, token, "/api/negotiations/harbour-talks/proposals/matrix?as_of=2024-03-05")
    assert [(r["proposal"], r["parent"], r["depth"]) for r in later["rows"]] == [
        ("quay-plan", None, 0), ("quay-plan-2", "quay-plan", 1)]


def test_the_proposals_matrix_takes_the_time_modes(client: Client, token: str, world) -> None:
    """Published by 11 January: the acceptance of the 10th was printed on the 17th."""
    url = "/api/negotiations/harbour-talks/proposals/matrix?as_of=2024-01-11"
    as_of = get(client, token, url)["rows"][0]["cells"]
    published = get(client, token, url + "&mode=published")["rows"][0]["cells"]
    north = world["north"].pk
    assert next(c for c in as_of if c["actor_id"] == north)["position"]["id"] == world["accepts"].pk
    assert next(c for c in published if c["actor_id"] == north)["position"] is None
    refused = client.get(url + "&mode=yesterday", headers=bearer(token))
    assert refused.status_code == 422
    assert client.get("/api/negotiations/nowhere/proposals/matrix", headers=bearer(token)).status_code == 404
