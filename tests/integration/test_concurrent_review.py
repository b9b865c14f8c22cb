"""Editors at the same moment, against real gunicorn worker processes and PostgreSQL.

Ten editors save the same statement at once: one write wins each version, the others get a
409 conflict; each then reloads and tries again, so in the end every write an editor was
told succeeded is in the statement's history, once, in its own version. Twenty editors
approve twenty different statements at once: all succeed and none is lost.
"""

from __future__ import annotations

import secrets
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from django.conf import settings
from django.test import Client
from django.urls import reverse

from positions.models import Statement
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    IssueFactory,
    NegotiationFactory,
    ParticipationFactory,
    StatementFactory,
    UserFactory,
)
from tests.integration.conftest import ROOT, free_port, wait_for

WORKERS = 4


@pytest.fixture
def server(app_env: dict[str, str], tmp_path: Path) -> Iterator[str]:
    """gunicorn with several worker processes on this test's database; its base URL."""
    port = free_port()
    log = tmp_path / "gunicorn.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", f"--workers={WORKERS}",
         f"--bind=127.0.0.1:{port}", "--timeout=60", "--graceful-timeout=5"],
        cwd=ROOT, env={**app_env, "DEBUG": "1"}, stdout=log.open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"

    def up() -> bool:
        try:
            return requests.get(f"{base}{reverse('health')}", timeout=10).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading the app
            return False

    try:
        wait_for(up, timeout=60)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def world(transactional_db) -> dict[str, Any]:
    track = NegotiationFactory.create(slug="harbour-race", name="Harbour race")
    actor = ActorFactory.create(name="Northland")
    ParticipationFactory.create(negotiation=track, actor=actor, role="party")
    issue = IssueFactory.create(negotiation=track, key="ceasefire", keywords=["truce"])
    article = ArticleFactory.create(negotiation=track, title="Race article")
    statements = [
        StatementFactory.create(article=article, negotiation=track, actor=actor, issues=[issue])
        for _ in range(21)
    ]
    return {"actor": actor, "issue": issue, "shared": statements[0], "others": statements[1:]}


def _session(base: str, username: str) -> requests.Session:
    """A browser of a signed-in editor: the session and CSRF cookies, and the CSRF header."""
    client = Client()
    client.force_login(UserFactory.create(username=username, role="editor"))
    browser = requests.Session()
    browser.cookies.set(settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value)
    token = secrets.token_hex(16)  # 32 characters, as Django's CSRF secret
    browser.cookies.set(settings.CSRF_COOKIE_NAME, token)
    browser.headers.update({"X-CSRFToken": token, "Referer": base + "/"})
    return browser


def _at_once(count: int, action: Any) -> list[Any]:
    """Run ``action(n)`` in ``count`` threads released together; their results in order."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        barrier.wait()
        results[n] = action(n)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_ten_editors_saving_one_statement_each_win_one_version(server: str, world: dict[str, Any]) -> None:
    statement: Statement = world["shared"]
    url = server + reverse("articles:statement_edit", args=[statement.pk])
    editors = [_session(server, f"race-editor-{n}") for n in range(10)]

    def save(n: int, version: int) -> requests.Response:
        return editors[n].post(url, data={
            "actor": world["actor"].pk, "speaker": "Northland", "issues": [world["issue"].pk],
            "stance": "demand", "summary": f"Summary written by editor {n}.", "conditions": "",
            "via": "", "stated_on": "2024-01-15", "version": version,
        }, allow_redirects=False, timeout=60)

    # All at once, all read at version 1: exactly one wins it.
    first = _at_once(10, lambda n: save(n, 1))
    codes = sorted(response.status_code for response in first)
    assert codes.count(302) == 1 and codes.count(409) == 9, codes
    winners = {n for n, response in enumerate(first) if response.status_code == 302}

    # The others reload and try again, all at once each round, until each has saved.
    pending = [n for n in range(10) if n not in winners]
    acknowledged = set(winners)
    for _ in range(20):
        if not pending:
            break
        version = Statement.objects.get(pk=statement.pk).version
        trying = list(pending)
        answers = _at_once(len(trying), lambda i, trying=trying, version=version: save(trying[i], version))
        assert all(answer.status_code in (302, 409) for answer in answers), [a.status_code for a in answers]
        won = [pending[i] for i, answer in enumerate(answers) if answer.status_code == 302]
        assert len(won) == 1, f"version {version}: {len(won)} writes won"
        acknowledged.update(won)
        pending = [n for n in pending if n not in won]
    assert acknowledged == set(range(10))

    statement.refresh_from_db()
    assert statement.version == 11
    history = list(statement.history.filter(version__gt=1).order_by("version"))
    summaries = [row.summary for row in history]
    # Every acknowledged write, once each, each in its own version.
    assert sorted(summaries) == sorted(f"Summary written by editor {n}." for n in range(10))
    assert [row.version for row in history] == list(range(2, 12))


def test_twenty_editors_approving_twenty_statements_lose_none(server: str, world: dict[str, Any]) -> None:
    statements: list[Statement] = world["others"]
    editors = [_session(server, f"approver-{n}") for n in range(20)]

    def approve(n: int) -> requests.Response:
        url = server + reverse("articles:statement_approve", args=[statements[n].pk])
        return editors[n].post(url, data={"version": 1}, allow_redirects=False, timeout=60)

    answers = _at_once(20, approve)
    assert [answer.status_code for answer in answers] == [302] * 20
    for n, statement in enumerate(statements):
        statement.refresh_from_db()
        assert (statement.status, statement.version) == (Statement.Status.APPROVED, 2)
        assert statement.reviewed_by is not None
        assert statement.reviewed_by.username == f"approver-{n}"
        assert statement.history.filter(version=2, status=Statement.Status.APPROVED).count() == 1
