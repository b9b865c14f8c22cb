"""The permission matrix: every URL of the project × every kind of visitor.

``EXPECTED`` names each URL pattern once with who may use it and which methods it
answers. A pattern added to a urls.py without an entry here fails
``test_every_url_has_an_entry``, so access is decided when a URL is added, not later.

Who: anonymous, outsider (signed in, no role), researcher, editor, admin (staff).
What: a GET page answers 200 to those allowed, sends anonymous visitors to the login page
and answers 403 to signed-in users without the role. A POST-only view answers GET with
405, a POST without a CSRF token with 403 (for everyone, before any access check), and a
POST with a token from a visitor without the role like a GET page would.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from articles.models import Batch, Feed, Fetch, SelectionReading
from positions.models import Statement
from tests.factories import ArticleFactory, ProposalFactory, StatementFactory, UserFactory

PUBLIC, READER, EDITOR = "public", "reader", "editor"
API = "api"  # readers by session or bearer token; anonymous gets 401, not the login page
GET, POST, GET_POST = ("GET",), ("POST",), ("GET", "POST")


@dataclass(frozen=True)
class Rule:
    access: str
    methods: tuple[str, ...]


EXPECTED: dict[str, Rule] = {
    "home": Rule(READER, GET),
    "health": Rule(PUBLIC, GET),
    "login": Rule(PUBLIC, GET_POST),
    "logout": Rule(PUBLIC, POST),
    "password_reset": Rule(PUBLIC, GET_POST),
    "password_reset_done": Rule(PUBLIC, GET),
    "password_reset_confirm": Rule(PUBLIC, GET_POST),
    "password_reset_complete": Rule(PUBLIC, GET),
    "articles:list": Rule(EDITOR, GET),
    "articles:upload": Rule(EDITOR, GET_POST),
    "articles:fetch_create": Rule(EDITOR, POST),
    "articles:fetch": Rule(EDITOR, GET),
    "articles:fetch_offer_dismiss": Rule(EDITOR, POST),
    "articles:batch": Rule(EDITOR, GET),
    "articles:batch_retry": Rule(EDITOR, POST),
    "articles:feeds": Rule(EDITOR, GET_POST),
    "articles:feed_active": Rule(EDITOR, POST),
    "articles:feed_poll": Rule(EDITOR, POST),
    "articles:queue": Rule(EDITOR, GET),
    "articles:undo": Rule(EDITOR, POST),
    "articles:bulk": Rule(EDITOR, POST),
    "articles:detail": Rule(EDITOR, GET),
    "articles:retry": Rule(EDITOR, POST),
    "articles:metadata": Rule(EDITOR, GET_POST),
    "articles:evidence_add": Rule(EDITOR, POST),
    "articles:review": Rule(EDITOR, GET),
    "articles:statement_new": Rule(EDITOR, GET_POST),
    "articles:statement_hand": Rule(EDITOR, GET_POST),
    "articles:statement_new_card": Rule(EDITOR, POST),
    "articles:statement_new_reading": Rule(EDITOR, GET),
    "articles:statement": Rule(EDITOR, GET),
    "articles:statement_approve": Rule(EDITOR, POST),
    "articles:statement_reject": Rule(EDITOR, POST),
    "articles:statement_edit": Rule(EDITOR, GET_POST),
    "articles:statement_merge": Rule(EDITOR, POST),
    "articles:statement_split": Rule(EDITOR, POST),
    "articles:statement_speaker": Rule(EDITOR, POST),
    "articles:statement_proposal": Rule(EDITOR, GET_POST),
    "articles:statement_proposal_new": Rule(EDITOR, GET_POST),
    "articles:statement_restore": Rule(EDITOR, POST),
    "positions:timeline": Rule(READER, GET),
    "positions:side_by_side": Rule(READER, GET),
    "positions:changes": Rule(READER, GET),
    "positions:statement": Rule(READER, GET),
    "positions:proposals_matrix": Rule(READER, GET),
    "positions:proposal": Rule(READER, GET),
    "positions:search": Rule(READER, GET),
    "positions:search_counts": Rule(READER, GET),
    "positions:export": Rule(READER, GET),
    "positions:data_version": Rule(READER, GET),
    "positions:proposal_list": Rule(EDITOR, GET),
    "positions:proposal_new": Rule(EDITOR, GET_POST),
    "positions:proposal_clause_row": Rule(EDITOR, GET),
    "positions:proposal_edit": Rule(EDITOR, GET_POST),
    "api:api-root": Rule(PUBLIC, GET),
    "api:openapi-json": Rule(PUBLIC, GET),
    "api:openapi-view": Rule(PUBLIC, GET),
    "api:negotiations": Rule(API, GET),
    "api:negotiation_actors": Rule(API, GET),
    "api:negotiation_issues": Rule(API, GET),
    "api:side_by_side": Rule(API, GET),
    "api:statements": Rule(API, GET),
    "api:actor_timeline": Rule(API, GET),
    "api:negotiation_proposals": Rule(API, GET),
    "api:proposal": Rule(API, GET),
    "api:proposal_stances": Rule(API, GET),
    "api:proposals_matrix": Rule(API, GET),
}

# Django's own views: they carry no parley_access marker (ours all do).
DJANGO_AUTH_VIEWS = {
    "login", "logout", "password_reset", "password_reset_done",
    "password_reset_confirm", "password_reset_complete",
}
MARKER = {PUBLIC: "public", READER: "is_reader", EDITOR: "is_editor", API: "api_reader"}

ROLES = ("anonymous", "outsider", "researcher", "editor", "admin")
ALLOWED = {
    PUBLIC: set(ROLES),
    READER: {"researcher", "editor", "admin"},
    API: {"researcher", "editor", "admin"},
    EDITOR: {"editor", "admin"},
}


def url_patterns(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(name with namespace, route, pattern) of every URL, admin and static files left out."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        if route.startswith(("admin/", "static/", settings.STATIC_URL.lstrip("/"))):
            continue
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from url_patterns(entry.url_patterns, route, inner)
        else:
            name = entry.name or f"<unnamed {route}>"
            yield (f"{namespace}:{name}" if namespace else name), route, entry


ALL_URLS = sorted(name for name, _, _ in url_patterns())


def test_every_url_has_an_entry() -> None:
    missing = [f"{name} ({route})" for name, route, _ in url_patterns() if name not in EXPECTED]
    assert not missing, (
        "URL patterns with no entry in tests/test_permissions.py EXPECTED (decide who may use "
        "them): " + ", ".join(missing)
    )


def test_every_entry_is_a_url() -> None:
    stale = sorted(set(EXPECTED) - set(ALL_URLS))
    assert not stale, f"EXPECTED lists URLs that no longer exist: {stale}"


def test_every_parley_view_declares_its_access_as_the_table_says() -> None:
    wrong = []
    for name, _, pattern in url_patterns():
        if name in DJANGO_AUTH_VIEWS or name not in EXPECTED:
            continue
        declared = getattr(pattern.callback, "parley_access", None)
        if declared != MARKER[EXPECTED[name].access]:
            wrong.append(f"{name}: declares {declared!r}, table says {EXPECTED[name].access}")
    assert not wrong, "Views whose access decorator disagrees with the table: " + "; ".join(wrong)


@pytest.fixture
def objects(negotiation) -> dict[str, Any]:
    """A small world for the URL arguments: an article with a draft and an approved statement."""
    article = ArticleFactory.create(negotiation=negotiation, title="Matrix article")
    actor = negotiation.actors.first()
    issue = negotiation.issues.get(key="hostages")
    draft = StatementFactory.create(article=article, actor=actor, issues=[issue])
    approved = StatementFactory.create(
        article=article, actor=actor, issues=[issue], status=Statement.Status.APPROVED,
    )
    reading = SelectionReading.objects.create(
        token=uuid.uuid4(), article=article, text="matrix", reading={}
    )
    proposal = ProposalFactory.create(negotiation=negotiation, proposed_by=[actor])
    return {"article": article, "actor": actor, "draft": draft, "approved": approved,
            "negotiation": negotiation, "reading": reading, "proposal": proposal,
            **ingestion_objects(negotiation)}


def ingestion_objects(negotiation: Any, text: str = "matrix") -> dict[str, Any]:
    """A batch, a fetch and a feed, with ``text`` where they keep free text."""
    batch = Batch.objects.create(
        negotiation=negotiation, source_name=f"{text}.zip", member_count=1,
        failures=[{"name": f"{text}.txt", "reason": text}],
    )
    feed = Feed.objects.create(
        negotiation=negotiation, url="https://feeds.example/rss", last_error=text,
    )
    fetch = Fetch.objects.create(
        negotiation=negotiation, url="https://news.example/a", status=Fetch.Status.FAILED, error=text,
    )
    return {"batch": batch, "feed": feed, "fetch": fetch}


def kwargs_for(name: str, route: str, objects: dict[str, Any]) -> dict[str, Any]:
    """The URL arguments for a pattern, from the objects the test made."""
    by_name: dict[str, dict[str, Any]] = {
        "positions:timeline": {"pk": objects["actor"].pk},
        "positions:side_by_side": {"slug": objects["negotiation"].slug},
        "positions:changes": {"slug": objects["negotiation"].slug},
        "positions:statement": {"pk": objects["approved"].pk},
        "positions:proposal_edit": {"pk": objects["proposal"].pk},
        "positions:proposals_matrix": {"slug": objects["negotiation"].slug},
        "positions:proposal": {"pk": objects["proposal"].pk},
        "articles:statement_restore": {"pk": objects["draft"].pk, "to_version": 1},
        "articles:statement_new_reading": {"token": objects["reading"].token},
        "password_reset_confirm": {"uidb64": "MQ", "token": "set-password"},
        "api:negotiation_actors": {"slug": objects["negotiation"].slug},
        "api:negotiation_issues": {"slug": objects["negotiation"].slug},
        "api:side_by_side": {"slug": objects["negotiation"].slug},
        "api:actor_timeline": {"actor_id": objects["actor"].pk},
        "api:negotiation_proposals": {"slug": objects["negotiation"].slug},
        "api:proposal": {"proposal_id": objects["proposal"].pk},
        "api:proposal_stances": {"proposal_id": objects["proposal"].pk},
        "api:proposals_matrix": {"slug": objects["negotiation"].slug},
    }
    if name in by_name:
        return by_name[name]
    if "<int:pk>" not in route and "<" not in route:
        return {}
    assert route.count("<") == 1 and "<int:pk>" in route, (
        f"tests/test_permissions.py kwargs_for does not know how to fill {name} ({route})"
    )
    if name in ("articles:detail", "articles:retry", "articles:metadata", "articles:review",
                "articles:statement_new", "articles:statement_new_card"):
        return {"pk": objects["article"].pk}
    for prefix, key in (("articles:statement", "draft"), ("articles:batch", "batch"),
                        ("articles:feed", "feed"), ("articles:fetch", "fetch")):
        if name.startswith(prefix):
            return {"pk": objects[key].pk}
    raise AssertionError(f"tests/test_permissions.py kwargs_for: which object is {name}'s pk?")


def client_for(role: str, *, enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    if role == "anonymous":
        return client
    user = {
        "outsider": lambda: UserFactory.create(username="m-outsider"),
        "researcher": lambda: UserFactory.create(username="m-researcher", role="researcher"),
        "editor": lambda: UserFactory.create(username="m-editor", role="editor"),
        "admin": lambda: UserFactory.create(username="m-admin", is_staff=True, is_superuser=True),
    }[role]()
    client.force_login(user)
    return client


def refused(role: str, response: Any, name: str) -> None:
    """How a visitor without the right is refused: login page if anonymous (401 from the
    API), else 403."""
    if role == "anonymous" and EXPECTED[name].access == API:
        assert response.status_code == 401, f"{name}: anonymous got {response.status_code}"
    elif role == "anonymous":
        assert response.status_code == 302, f"{name}: anonymous got {response.status_code}"
        assert response["Location"].startswith(reverse("login")), f"{name}: {response['Location']}"
    else:
        assert response.status_code == 403, f"{name}: {role} got {response.status_code}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", ALL_URLS)
def test_get(name: str, role: str, objects: dict[str, Any]) -> None:
    rule = EXPECTED.get(name)
    assert rule is not None, f"{name} has no entry in EXPECTED"
    route = next(r for n, r, _ in url_patterns() if n == name)
    url = reverse(name, kwargs=kwargs_for(name, route, objects))
    response = client_for(role).get(url)
    if "GET" not in rule.methods:
        assert response.status_code == 405, f"{name}: GET as {role} gave {response.status_code}"
    elif role in ALLOWED[rule.access]:
        # A signed-in visitor on the login page is shown it; the reset link with a bad token
        # redirects to its set-password URL then says the link is invalid: both are fine.
        assert response.status_code in (200, 302), f"{name}: {role} got {response.status_code}"
        if response.status_code == 302:
            assert not response["Location"].startswith(reverse("login")), f"{name}: {role} sent to login"
    else:
        refused(role, response, name)


POST_URLS = [name for name in ALL_URLS if name in EXPECTED and "POST" in EXPECTED[name].methods]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", POST_URLS)
def test_post_without_csrf_token_is_refused(name: str, role: str, objects: dict[str, Any]) -> None:
    route = next(r for n, r, _ in url_patterns() if n == name)
    url = reverse(name, kwargs=kwargs_for(name, route, objects))
    response = client_for(role, enforce_csrf=True).post(url, {"version": 1})
    assert response.status_code == 403, f"{name}: POST without token as {role} gave {response.status_code}"
    assert b"CSRF" in response.content
    assert Statement.objects.filter(status=Statement.Status.DRAFT).count() == 1


def csrf_client(role: str) -> tuple[Client, str]:
    """A client that enforces CSRF checks, and a valid token for it."""
    client = client_for(role, enforce_csrf=True)
    client.get(reverse("login"))
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


REFUSED_POSTS = [
    (name, role)
    for name in POST_URLS
    for role in ("anonymous", "outsider", "researcher")
    if role not in ALLOWED[EXPECTED[name].access]
]


@pytest.mark.parametrize(("name", "role"), REFUSED_POSTS)
def test_post_with_token_is_refused_without_the_role(
    name: str, role: str, objects: dict[str, Any]
) -> None:
    route = next(r for n, r, _ in url_patterns() if n == name)
    url = reverse(name, kwargs=kwargs_for(name, route, objects))
    client, token = csrf_client(role)
    response = client.post(url, {"version": 1}, headers={"X-CSRFToken": token})
    refused(role, response, name)
    assert Statement.objects.filter(status=Statement.Status.DRAFT).count() == 1


@pytest.mark.parametrize("name", [n for n in POST_URLS if EXPECTED[n].access == EDITOR])
def test_post_with_token_reaches_the_view_for_editors(name: str, objects: dict[str, Any]) -> None:
    """The token passes CSRF and the role passes access: the view answers, without a crash."""
    route = next(r for n, r, _ in url_patterns() if n == name)
    url = reverse(name, kwargs=kwargs_for(name, route, objects))
    client, token = csrf_client("editor")
    response = client.post(url, {"version": 1}, headers={"X-CSRFToken": token})
    assert response.status_code not in (403, 405) and response.status_code < 500, (
        f"{name}: editor POST with token gave {response.status_code}"
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_is_for_staff_only(role: str, objects: dict[str, Any]) -> None:
    """The admin's own URLs are left out of the table above; Django guards them all alike."""
    client = client_for(role)
    for url in ("/admin/", f"/admin/positions/article/{objects['article'].pk}/change/",
                "/admin/auth/user/"):
        response = client.get(url)
        if role == "admin":
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, f"{url}: {role} got {response.status_code}"
            assert response["Location"].startswith("/admin/login/"), url
