"""The objects the articles app's URLs name: one helper per kind loads it with what its
pages show, or raises 404. Who may see them is decided before, by each view's decorator
(``positions.access``): an editor may open every article, batch, feed and statement."""

from __future__ import annotations

from uuid import UUID

from django.shortcuts import get_object_or_404

from articles.models import Batch, Feed, Fetch, SelectionReading
from articles.selectors import CARD_PROPOSAL_PREFETCH, PALETTE_SIZE, palette_for
from positions.models import Article, Statement


def article_or_404(pk: int, *related: str) -> Article:
    return get_object_or_404(Article.objects.select_related(*related), pk=pk)


def batch_or_404(pk: int) -> Batch:
    return get_object_or_404(Batch.objects.select_related("created_by", "negotiation"), pk=pk)


def fetch_or_404(pk: int, *related: str) -> Fetch:
    """A fetch without the bytes it fetched (no page shows them)."""
    return get_object_or_404(Fetch.objects.select_related(*related).defer("data"), pk=pk)


def feed_or_404(pk: int) -> Feed:
    return get_object_or_404(Feed, pk=pk)


def reading_or_404(token: UUID) -> SelectionReading:
    """The extractor's reading of a selection, with its article and negotiation."""
    return get_object_or_404(
        SelectionReading.objects.select_related("article__negotiation"), token=token
    )


def statement_or_404(pk: int) -> Statement:
    """A statement of any status with everything its review card shows, its actor's colour
    included (``palette``)."""
    queryset = Statement.objects.select_related(
        "actor", "person", "reviewed_by", "article__outlet", "article__negotiation",
        "duplicate_of", "negotiation", "proposal",
    ).prefetch_related("issues", "evidence", *CARD_PROPOSAL_PREFETCH)
    statement = get_object_or_404(queryset, pk=pk)
    if statement.article is not None:  # loaded with the statement: no query
        palette = palette_for(statement.article)
        statement.palette = palette.get(statement.actor_id, PALETTE_SIZE - 1)  # type: ignore[attr-defined]  # set for the card's template
    return statement
