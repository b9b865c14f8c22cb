"""Shared fixtures: the three roles, a small negotiation, and safe settings for every test."""

from __future__ import annotations

from typing import Any

import pytest
from celery import Task
from django.test import Client
from kombu.exceptions import OperationalError as BrokerError

from positions.models import Negotiation
from tests.factories import (
    ActorFactory,
    IssueFactory,
    NegotiationFactory,
    ParticipationFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _settings_overrides(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


SentTasks = list[tuple[str, dict[str, Any]]]


@pytest.fixture(autouse=True)
def sent_tasks(request, monkeypatch) -> SentTasks:
    """The tasks the code sends, as (task name, keyword arguments), recorded instead of
    published: no unit test talks to the broker. Services send on commit, so a test that
    checks what was sent runs the callbacks (``django_capture_on_commit_callbacks(execute=True)``).
    Integration and browser tests send to their real worker."""
    sent: SentTasks = []
    if request.node.get_closest_marker("integration") or request.node.get_closest_marker("browser"):
        return sent

    def record(task: Task[Any, Any], args: object = None, kwargs: dict[str, Any] | None = None, **_: object) -> None:
        sent.append((task.name, dict(kwargs or {})))

    monkeypatch.setattr(Task, "apply_async", record)
    return sent


@pytest.fixture
def broker_down(monkeypatch):
    """Sending a task fails as it does when Redis refuses the connection."""

    def refuse(task: Task, *args: object, **kwargs: object) -> None:
        raise BrokerError("Connection refused")

    monkeypatch.setattr(Task, "apply_async", refuse)


@pytest.fixture
def editor(db):
    return UserFactory.create(username="alice", role="editor")


@pytest.fixture
def researcher(db):
    return UserFactory.create(username="bob", role="researcher")


@pytest.fixture
def outsider(db):
    """Signed in, but with no role."""
    return UserFactory.create(username="charlie")


@pytest.fixture
def admin_user(db):
    return UserFactory.create(username="root", is_staff=True, is_superuser=True)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_client(editor) -> Client:
    return _client_for(editor)


@pytest.fixture
def researcher_client(researcher) -> Client:
    return _client_for(researcher)


@pytest.fixture
def outsider_client(outsider) -> Client:
    return _client_for(outsider)


@pytest.fixture
def negotiation(db) -> Negotiation:
    """A track with two parties, a mediator and three issues (one nested)."""
    track = NegotiationFactory.create(slug="harbour-talks", name="Harbour talks")
    for name, role in (("Northland", "party"), ("Southport", "party"), ("Mediatia", "mediator")):
        ParticipationFactory.create(negotiation=track, actor=ActorFactory.create(name=name), role=role)
    ceasefire = IssueFactory.create(negotiation=track, key="ceasefire", keywords=["ceasefire", "truce"])
    IssueFactory.create(negotiation=track, key="ceasefire/permanent", parent=ceasefire, keywords=["end the war"])
    IssueFactory.create(negotiation=track, key="hostages", keywords=["hostage", "captives"])
    return track
