"""The demo's articles: uploaded, extracted and reviewed as the demo editor decided, the same
on every run, and enough of them to show a negotiation evolving."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from articles.demo_articles import demo_articles_dir, demo_articles_load, demo_decisions
from articles.sources import read_text
from positions.demo import demo_data, negotiation_load
from positions.models import Article, Statement

DATA = Path(__file__).parent / "data"


def _snapshot(slug: str) -> list[tuple[object, ...]]:
    return list(
        Statement.objects.filter(negotiation__slug=slug)
        .order_by("article__url", "pk")
        .values_list("article__url", "actor__name", "stance", "status", "stated_on", "conditions")
    )


def test_every_demo_article_has_front_matter_and_a_date_in_the_talks() -> None:
    for slug, first in (("gaza-ceasefire", date(2023, 10, 7)), ("russia-ukraine", date(2022, 2, 24))):
        paths = sorted(demo_articles_dir(slug).glob("*.md"))
        assert len(paths) >= (40 if slug == "gaza-ceasefire" else 15)
        for path in paths:
            meta = read_text(path.read_bytes(), source_format="markdown").meta
            assert meta.title and meta.outlet and ".invalid/" in meta.url
            assert meta.published is not None and first <= meta.published <= date(2025, 10, 31)
            assert path.name.startswith(meta.published.isoformat()), path.name
        named = {rule["article"] for kind in ("correct", "reject", "merge") for rule in
                 demo_decisions(slug).get(kind, ())} | set(demo_decisions(slug).get("review", ()))
        assert named <= {path.name for path in paths}


def test_gaza_demo_shows_every_side_and_issue_and_is_the_same_on_every_run(db):
    negotiation = negotiation_load(data=demo_data())
    first = demo_articles_load(negotiation=negotiation)
    snapshot = _snapshot(negotiation.slug)
    second = demo_articles_load(negotiation=negotiation)
    assert first.unmatched == [] and first.pending == 0
    assert first.articles == first.added >= 40 and second.added == 0 and second.approved == 0
    assert _snapshot(negotiation.slug) == snapshot
    assert first.corrected and first.rejected and first.merged == 1 and first.left_for_review == 3

    approved = Statement.objects.filter(negotiation=negotiation, status=Statement.Status.APPROVED)
    assert set(approved.values_list("actor__name", flat=True)) == set(
        negotiation.actors.values_list("name", flat=True)
    )
    assert set(approved.values_list("issues__key", flat=True)) == set(
        negotiation.issues.values_list("key", flat=True)
    )
    assert {"accept", "reject", "demand", "condition", "propose"} <= set(
        approved.values_list("stance", flat=True)
    )
    # The review queue has work in it, and the decisions are the demo editor's.
    assert Statement.objects.filter(negotiation=negotiation, status=Statement.Status.DRAFT).exists()
    assert set(approved.values_list("reviewed_by__username", flat=True)) == {"demo-editor"}
    # Two years of reporting from several outlets, one story reported twice and merged.
    articles = Article.objects.filter(negotiation=negotiation)
    assert articles.values("outlet").distinct().count() >= 4
    dates = sorted(articles.values_list("published_on", flat=True))
    assert dates[0] <= date(2023, 10, 31) and dates[-1] >= date(2025, 10, 1)
    duplicate = Statement.objects.get(negotiation=negotiation, status=Statement.Status.DUPLICATE)
    assert duplicate.duplicate_of.actor.name == duplicate.actor.name == "Hamas"
    assert duplicate.duplicate_of.article.outlet != duplicate.article.outlet
    # An editor's correction, as decisions.yaml says.
    partial = approved.get(article__url__contains="no-partial-deal", evidence__text__contains="partial")
    assert partial.stance == "reject" and list(partial.issues.values_list("key", flat=True)) == [
        "ceasefire/temporary"
    ]


def test_russia_ukraine_demo_loads_once_that_negotiation_exists(db):
    data = yaml.safe_load((DATA / "russia-ukraine-minimal.yaml").read_text(encoding="utf-8"))
    negotiation = negotiation_load(data=data)
    result = demo_articles_load(negotiation=negotiation)
    assert result.articles >= 15 and result.left_for_review == 2 and result.unmatched == []
    approved = Statement.objects.filter(negotiation=negotiation, status=Statement.Status.APPROVED)
    assert {"Russia", "Ukraine", "United States", "Turkey"} <= set(
        approved.values_list("actor__name", flat=True)
    )
    putin = approved.get(evidence__text__contains="would cease fire and start talks")
    assert putin.stance == "condition" and "four regions" in putin.conditions


def test_a_negotiation_without_demo_articles_is_left_alone(negotiation):
    result = demo_articles_load(negotiation=negotiation)
    assert result.articles == 0 and not Article.objects.exists()
