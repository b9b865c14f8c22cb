"""Fixtures for the research views: approved statements on the shared small negotiation."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from django.test import Client

from positions.models import Actor, Issue, Negotiation, Outlet, Statement
from tests.factories import ArticleFactory, StatementFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def htmx_headers(target: str) -> dict[str, str]:
    return {**HTMX, "HTTP_HX_TARGET": target}


@pytest.fixture
def anonymous_client() -> Client:
    return Client()


@pytest.fixture
def clients(anonymous_client, outsider_client, researcher_client, editor_client):
    return {
        "anonymous": anonymous_client, "outsider": outsider_client,
        "researcher": researcher_client, "editor": editor_client,
    }


@pytest.fixture
def actors(negotiation: Negotiation) -> dict[str, Actor]:
    return {a.name: a for a in negotiation.actors.all()}


@pytest.fixture
def issues(negotiation: Negotiation) -> dict[str, Issue]:
    return {i.key: i for i in negotiation.issues.all()}


@pytest.fixture
def make_statement(negotiation: Negotiation) -> Callable[..., Statement]:
    """An approved statement; ``published_on`` sets its article's date, ``outlet`` its outlet."""

    def make(
        *, actor: Actor, issues: list[Issue], stance: str = "demand",
        stated_on: date | None = date(2024, 1, 15), published_on: date = date(2024, 1, 17),
        status: str = "approved", outlet: str | None = None, **kwargs: Any,
    ) -> Statement:
        article = ArticleFactory.create(
            negotiation=negotiation, published_on=published_on,
            outlet=Outlet.objects.get_or_create(name=outlet)[0] if outlet else None,
        )
        return StatementFactory.create(
            article=article, actor=actor, issues=issues, stance=stance, stated_on=stated_on,
            status=status, **kwargs,
        )

    return make


def read_csv(response: Any) -> list[dict[str, str]]:
    """A CSV export's rows, read as researchers read it: its first line is the header row
    (no comment lines before it), and Python's csv module and pandas agree on every cell."""
    import csv
    import io

    import pandas

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    frame = pandas.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    assert list(frame.columns) == next(csv.reader(io.StringIO(text)))
    assert frame.to_dict("records") == rows
    return rows
