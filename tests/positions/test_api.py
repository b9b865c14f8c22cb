"""The read-only JSON API: each endpoint by token and by session, refusals, pages, filters."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from positions.models import ApiToken, Statement
from positions.tokens import api_token_create, token_digest
from tests.factories import UserFactory


@pytest.fixture
def token(researcher) -> str:
    return api_token_create(username=researcher.username, name="script")[1]


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def world(negotiation, actors, issues, make_statement) -> dict[str, Any]:
    north, south = actors["Northland"], actors["Southport"]
    first = make_statement(actor=north, issues=[issues["hostages"]], stance="demand",
                           stated_on=date(2024, 1, 10), outlet="Reuters", via="Reuters",
                           conditions="after a truce")
    second = make_statement(actor=north, issues=[issues["ceasefire/permanent"]], stance="reject",
                            stated_on=date(2024, 2, 1), speaker="Envoy Lee")
    background = make_statement(actor=north, issues=[issues["hostages"]], stance="reject",
                                 stated_on=None, published_on=date(2024, 3, 1))
    southern = make_statement(actor=south, issues=[issues["hostages"]], stance="accept",
                              stated_on=date(2024, 1, 20))
    make_statement(actor=north, issues=[issues["hostages"]], status="draft")
    return {"north": north, "south": south, "first": first, "second": second,
            "background": background, "southern": southern}


# --- every endpoint, by token and by session -------------------------------------------

def endpoints(world: dict[str, Any]) -> list[str]:
    return [
        "/api/negotiations",
        "/api/negotiations/harbour-talks/actors",
        "/api/negotiations/harbour-talks/issues",
        "/api/negotiations/harbour-talks/side-by-side?as_of=2024-02-15",
        "/api/statements",
        f"/api/actors/{world['north'].pk}/timeline",
    ]


def test_every_endpoint_answers_a_token(client: Client, token: str, world):
    for url in endpoints(world):
        response = client.get(url, headers=bearer(token))
        assert response.status_code == 200, (url, response.content)
        assert response["Content-Type"].startswith("application/json")


def test_every_endpoint_answers_a_signed_in_researcher_or_editor(
    researcher_client: Client, editor_client: Client, world
) -> None:
    for url in endpoints(world):
        assert researcher_client.get(url).status_code == 200, url
        assert editor_client.get(url).status_code == 200, url


def test_negotiations_actors_and_issues(client: Client, token: str, world):
    assert [n["slug"] for n in client.get("/api/negotiations", headers=bearer(token)).json()] == [
        "harbour-talks"
    ]
    actors = client.get("/api/negotiations/harbour-talks/actors", headers=bearer(token)).json()
    assert {(a["name"], a["role"]) for a in actors} == {
        ("Northland", "party"), ("Southport", "party"), ("Mediatia", "mediator")
    }
    issues = client.get("/api/negotiations/harbour-talks/issues", headers=bearer(token)).json()
    by_key = {i["key"]: i for i in issues}
    assert by_key["ceasefire/permanent"]["parent_id"] == by_key["ceasefire"]["id"]
    assert client.get("/api/negotiations/nowhere/issues", headers=bearer(token)).status_code == 404


# --- refusals ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/api/negotiations", "/api/statements"])
def test_anonymous_gets_401(client: Client, url: str, db):
    response = client.get(url)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.parametrize("header", [
    "Bearer parley_not-a-real-token", "Bearer ", "Bearer", "Basic dXNlcjpwYXNz", "parley_x",
])
def test_a_bad_token_gets_401(client: Client, token: str, header: str) -> None:
    assert client.get("/api/statements", headers={"Authorization": header}).status_code == 401


def test_the_stored_digest_is_not_a_token(client: Client, token: str) -> None:
    digest = ApiToken.objects.get().digest
    assert digest == token_digest(token) and token not in digest
    assert client.get("/api/statements", headers=bearer(digest)).status_code == 401


def test_a_token_of_a_user_who_lost_the_role_gets_403(client: Client, researcher, token: str):
    researcher.groups.clear()
    response = client.get("/api/statements", headers=bearer(token))
    assert response.status_code == 403


def test_a_token_of_an_inactive_user_gets_401(client: Client, researcher, token: str):
    researcher.is_active = False
    researcher.save()
    assert client.get("/api/statements", headers=bearer(token)).status_code == 401


def test_a_signed_in_outsider_gets_403(outsider_client: Client, db):
    assert outsider_client.get("/api/statements").status_code == 403


def test_a_signed_in_inactive_user_gets_401(db):
    user = UserFactory.create(username="gone", role="researcher", is_active=False)
    client = Client()
    client.force_login(user)
    assert client.get("/api/statements").status_code == 401


def test_only_get(client: Client, token: str) -> None:
    assert client.post("/api/statements", headers=bearer(token)).status_code == 405


def test_the_schema_is_public_and_lists_both_schemes(client: Client, db):
    schema = client.get("/api/openapi.json").json()
    assert set(schema["components"]["securitySchemes"]) == {"ReaderToken", "ReaderSession"}
    assert "/api/statements" in schema["paths"]
    assert client.get("/api/").json() == {"openapi": "/api/openapi.json"}


def test_a_used_token_records_when(client: Client, token: str) -> None:
    assert ApiToken.objects.get().last_used_at is None
    client.get("/api/negotiations", headers=bearer(token))
    assert ApiToken.objects.get().last_used_at is not None


# --- the command -----------------------------------------------------------------------------

def test_the_command_prints_a_token_once_and_stores_its_hash(researcher, capsys):
    call_command("create_api_token", researcher.username, "weekly report")
    secret = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(name="weekly report")
    assert token.user == researcher and token.digest == token_digest(secret)
    assert secret not in str(ApiToken.objects.values_list())


@pytest.mark.parametrize("username", ["charlie", "nobody"])
def test_the_command_refuses_users_without_the_role(outsider, username: str):
    with pytest.raises(CommandError):
        call_command("create_api_token", username, "x")
    assert not ApiToken.objects.exists()


def test_the_command_refuses_a_second_token_of_the_same_name(researcher, token: str):
    with pytest.raises(CommandError, match="already"):
        call_command("create_api_token", researcher.username, "script")


# --- statements: content, filters, pages ----------------------------------------------------

def statements(client: Client, token: str, query: str = "") -> dict[str, Any]:
    response = client.get(f"/api/statements?{query}", headers=bearer(token))
    assert response.status_code == 200, response.content
    body: dict[str, Any] = response.json()
    return body


def test_statements_are_approved_only_oldest_first_with_provenance(client: Client, token: str, world):
    page = statements(client, token)
    assert page["count"] == 4
    dates = [s["date"] for s in page["items"]]
    assert dates == ["2024-01-10", "2024-01-20", "2024-02-01", "2024-03-01"]
    first = page["items"][0]
    assert first["id"] == world["first"].pk
    assert first["issues"] == ["hostages"] and first["stance"] == "demand"
    assert first["via"] == "Reuters" and first["conditions"] == "after a truce"
    assert first["outlets"] == ["Reuters"]
    assert first["evidence"][0]["text"].startswith("Report") and first["evidence"][0]["start"] == 0
    assert first["published_on"] == "2024-01-17"
    background = page["items"][-1]
    assert background["stated_on"] is None and background["date"] == "2024-03-01"


@pytest.mark.parametrize(("query", "expected"), [
    ("stance=reject", {"second", "background"}),
    ("issue={ceasefire}", {"second"}),  # the parent issue includes its sub-issues
    ("speaker=envoy", {"second"}),
    ("date_from=2024-01-15&date_to=2024-02-15", {"second", "southern"}),
    ("actor={north}&date_from=2024-02-15", {"background"}),
    ("negotiation=harbour-talks&stance=demand", {"first"}),
])
def test_statement_filters(client: Client, token: str, world, issues, query: str, expected: set[str]):
    query = query.format(ceasefire=issues["ceasefire"].pk, north=world["north"].pk)
    ids = {s["id"] for s in statements(client, token, query)["items"]}
    assert {name for name, s in world.items() if isinstance(s, Statement) and s.pk in ids} == expected


def test_an_unknown_negotiation_filter_is_404(client: Client, token: str, world):
    assert client.get("/api/statements?negotiation=nope", headers=bearer(token)).status_code == 404


@pytest.mark.parametrize("query", ["actor=0", "actor=Atlantis", "issue=nowhere", "negotiation=Nowhere talks"])
def test_an_unknown_name_is_a_404_that_says_which(client: Client, token: str, world, query: str):
    response = client.get(f"/api/statements?{query}", headers=bearer(token))
    assert response.status_code == 404 and query.split("=")[1] in response.json()["detail"]


@pytest.mark.parametrize(("query", "expected"), [
    ("actor=Northland&date_from=2024-02-15", {"background"}),
    ("actor=northland&date_from=2024-02-15", {"background"}),
    ("issue=ceasefire", {"second"}),
    ("issue=Ceasefire&negotiation=Harbour talks", {"second"}),
    ("negotiation={negotiation_id}&stance=demand", {"first"}),
])
def test_filters_take_names_slugs_and_keys_as_well_as_ids(client: Client, token: str, world, query: str, expected: set[str]):
    query = query.format(negotiation_id=world["north"].negotiations.get().pk)
    ids = {s["id"] for s in statements(client, token, query)["items"]}
    assert {name for name, s in world.items() if isinstance(s, Statement) and s.pk in ids} == expected


def test_an_issue_key_two_negotiations_share_is_a_422_that_says_how_to_choose(client: Client, token: str, world):
    from tests.factories import IssueFactory, NegotiationFactory

    IssueFactory.create(negotiation=NegotiationFactory.create(slug="other-talks"), key="ceasefire")
    response = client.get("/api/statements?issue=ceasefire", headers=bearer(token))
    assert response.status_code == 422 and "add negotiation=" in response.json()["detail"][0]["msg"]
    assert client.get("/api/statements?issue=ceasefire&negotiation=harbour-talks",
                      headers=bearer(token)).status_code == 200


def test_the_interactive_docs_load_swagger_from_our_own_static_files(client: Client) -> None:
    page = client.get("/api/docs").content.decode()
    assert '<script src="/static/ninja/swagger-ui-bundle.js"></script>' in page
    assert "cdn" not in page.lower() and "//" not in page.split("<body")[1].replace("http://testserver", "")


@pytest.mark.parametrize("query", [
    "limit=0", "limit=101", "offset=-1", "offset=1000001", "stance=maybe", "date_from=2024-13-01",
    "speaker=a%00b", "actor=a%00b",
])
def test_invalid_parameters_are_422(client: Client, token: str, query: str) -> None:
    assert client.get(f"/api/statements?{query}", headers=bearer(token)).status_code == 422


def test_pages_by_limit_and_offset(client: Client, token: str, world):
    whole = [s["id"] for s in statements(client, token)["items"]]
    pages = [statements(client, token, f"limit=3&offset={o}") for o in (0, 3)]
    assert [p["count"] for p in pages] == [4, 4]
    assert [s["id"] for p in pages for s in p["items"]] == whole
    assert len(statements(client, token, "limit=100")["items"]) == 4


def test_the_statement_list_takes_the_same_queries_for_1_or_10(
    client: Client, token: str, negotiation, actors, issues, make_statement,
    django_assert_num_queries,
) -> None:
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]])
    # the token with its user; its last use; the user's groups (role); count; page (with
    # its proposal); its issues; its duplicates' outlets; its evidence; its clauses
    with django_assert_num_queries(9):
        client.get("/api/statements", headers=bearer(token))
    for _ in range(9):
        make_statement(actor=actors["Northland"], issues=[issues["hostages"]], outlet="AP")
    with django_assert_num_queries(8):  # the token's use was recorded a moment ago
        assert len(client.get("/api/statements", headers=bearer(token)).json()["items"]) == 10


# --- timeline and side by side ----------------------------------------------------------------

def test_timeline_is_newest_first_with_shifts_and_a_cursor(client: Client, token: str, world):
    url = f"/api/actors/{world['north'].pk}/timeline"
    first = client.get(f"{url}?limit=2", headers=bearer(token)).json()
    assert [s["id"] for s in first["items"]] == [world["background"].pk, world["second"].pk]
    assert first["items"][0]["shifts"] == [{"issue": "hostages", "label": "reversed"}]
    rest = client.get(f"{url}?limit=2&cursor={first['next_cursor']}", headers=bearer(token)).json()
    assert [s["id"] for s in rest["items"]] == [world["first"].pk]
    assert rest["next_cursor"] is None
    filtered = client.get(f"{url}?stance=demand", headers=bearer(token)).json()
    assert [s["id"] for s in filtered["items"]] == [world["first"].pk]


def test_timeline_of_an_unknown_actor_is_404(client: Client, token: str) -> None:
    assert client.get("/api/actors/999999/timeline", headers=bearer(token)).status_code == 404


def test_side_by_side_as_of_a_date_and_compared(client: Client, token: str, world):
    url = "/api/negotiations/harbour-talks/side-by-side?as_of=2024-02-15&compare=2024-01-12"
    matrix = client.get(url, headers=bearer(token)).json()
    assert matrix["as_of"] == "2024-02-15" and matrix["compare"] == "2024-01-12"
    rows = {row["issue"]: row for row in matrix["rows"]}
    cells = {c["actor_id"]: c for c in rows["hostages"]["cells"]}
    north, south = cells[world["north"].pk], cells[world["south"].pk]
    assert north["position"]["id"] == world["first"].pk and not north["changed"]
    assert south["position"]["stance"] == "accept" and south["compared"] is None and south["changed"]
    ceasefire = {c["actor_id"]: c for c in rows["ceasefire"]["cells"]}[world["north"].pk]
    assert ceasefire["sub_issues"][0]["issue"] == "ceasefire/permanent"
    later = client.get("/api/negotiations/harbour-talks/side-by-side?as_of=2024-03-05",
                       headers=bearer(token)).json()
    hostages = {c["actor_id"]: c for c in {r["issue"]: r for r in later["rows"]}["hostages"]["cells"]}
    assert hostages[world["north"].pk]["position"]["id"] == world["background"].pk


def test_a_statement_with_no_date_at_all_comes_last(client: Client, token: str, world, make_statement, issues):
    dateless = make_statement(actor=world["north"], issues=[issues["hostages"]], stated_on=None)
    Statement.objects.filter(pk=dateless.pk).update(article=None, effective_on=None)
    items = statements(client, token)["items"]
    assert items[-1]["id"] == dateless.pk and items[-1]["date"] is None
    assert items[-1]["outlets"] == [] and items[-1]["article_id"] is None
