"""Who may use each upload and review view, and with which methods."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

GET_VIEWS = [
    ("articles:list", False), ("articles:upload", False), ("articles:queue", False),
    ("articles:detail", "article"), ("articles:review", "article"),
    ("articles:statement_new", "article"), ("articles:statement_hand", False),
    ("articles:statement", "draft"), ("articles:statement_edit", "draft"),
]
POST_VIEWS = [
    ("articles:retry", "article"), ("articles:undo", False), ("articles:bulk", False),
    ("articles:statement_approve", "draft"), ("articles:statement_reject", "draft"),
    ("articles:statement_merge", "draft"), ("articles:statement_split", "draft"),
    ("articles:statement_speaker", "draft"),
]


def _url(name: str, needs: str | bool, request: pytest.FixtureRequest) -> str:
    args = [request.getfixturevalue(needs).pk] if isinstance(needs, str) else []
    return reverse(name, args=args)


@pytest.mark.parametrize(("name", "needs"), GET_VIEWS + POST_VIEWS)
def test_sends_anonymous_visitors_to_the_login_page(name, needs, request, draft):
    url = _url(name, needs, request)
    response = Client().get(url) if (name, needs) in GET_VIEWS else Client().post(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("client_fixture", ["outsider_client", "researcher_client"])
@pytest.mark.parametrize(("name", "needs"), GET_VIEWS + POST_VIEWS)
def test_refuses_users_who_are_not_editors(name, needs, client_fixture, request, draft):
    client = request.getfixturevalue(client_fixture)
    url = _url(name, needs, request)
    response = client.get(url) if (name, needs) in GET_VIEWS else client.post(url, {"version": 1})
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.version == 1


@pytest.mark.parametrize(("name", "needs"), GET_VIEWS)
def test_editors_may_open_every_page(name, needs, editor_client, request, draft):
    assert editor_client.get(_url(name, needs, request)).status_code == 200


@pytest.mark.parametrize(("name", "needs"), POST_VIEWS)
def test_state_changing_views_refuse_get(name, needs, editor_client, request, draft):
    assert editor_client.get(_url(name, needs, request)).status_code == 405


def test_a_missing_statement_is_404(editor_client, db):
    response = editor_client.post(reverse("articles:statement_approve", args=[999999]), {"version": 1})
    assert response.status_code == 404


def test_every_view_declares_editor_access() -> None:
    from articles import urls

    for pattern in urls.urlpatterns:
        assert getattr(pattern.callback, "parley_access", None) == "is_editor", pattern.name
