"""The overview page and the health check."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse


def test_overview_sends_anonymous_visitors_to_login(db):
    response = Client().get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_overview_refuses_a_user_without_a_role(outsider_client):
    assert outsider_client.get(reverse("home")).status_code == 403


def test_overview_lists_negotiations_for_researchers(researcher_client, negotiation):
    response = researcher_client.get(reverse("home"))
    assert response.status_code == 200
    assert "Harbour talks" in response.content.decode()


def test_overview_rejects_post(editor_client):
    assert editor_client.post(reverse("home")).status_code == 405


def test_health_reports_database_and_broker(db):
    response = Client().get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"database": True, "broker": True}


def test_health_says_503_when_the_broker_is_unreachable(db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = Client().get(reverse("health"))
    assert response.status_code == 503
    assert response.json()["broker"] is False


def test_login_page_is_public(db):
    assert Client().get(reverse("login")).status_code == 200
