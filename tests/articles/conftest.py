"""Fixtures for the upload and review views: an article with drafts, and htmx headers."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from positions.models import Article, Statement
from tests.articles.sources.conftest import (  # noqa: F401 (fixtures for URL and feed tests)
    _no_internet,
    web,
)
from tests.factories import ArticleFactory, StatementFactory

BODY = (
    "Northland said on Monday that it would accept a truce if the captives were freed. "
    "Southport rejected the offer and demanded that the war end.\n\n"
    "Mediatia called the talks very serious."
)


def htmx(target: str) -> dict[str, str]:
    """Headers htmx sends for a request whose response replaces the element ``target``."""
    return {"HX-Request": "true", "HX-Target": target}


@pytest.fixture
def article(negotiation) -> Article:
    return ArticleFactory.create(negotiation=negotiation, body=BODY, title="Truce talks")


@pytest.fixture
def make_drafts(negotiation) -> Callable[..., list[Statement]]:
    """Drafts on an article, cycling through the negotiation's actors, each with an issue."""
    actors = list(negotiation.actors.order_by("name"))
    issue = negotiation.issues.get(key="ceasefire")

    def make(article: Article, count: int, **fields: object) -> list[Statement]:
        return [
            StatementFactory.create(
                article=article, actor=actors[n % len(actors)], issues=[issue], **fields
            )
            for n in range(count)
        ]

    return make


@pytest.fixture
def draft(article, make_drafts):
    return make_drafts(article, 1)[0]


def ingested(sent_tasks: list[tuple[str, dict[str, int]]]) -> list[int]:
    """The ids of the articles whose ingestion was sent, in order."""
    return [kwargs["article_id"] for name, kwargs in sent_tasks if name == "articles.tasks.article_ingest_task"]
