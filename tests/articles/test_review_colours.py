"""Review pages show each actor in its own colour (Actor.colour), as the research pages do."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from positions.models import Actor

pytestmark = pytest.mark.django_db


def fills(html: str, kind: str) -> list[str]:
    """The fill of every SVG of class ``kind`` on the page, in order."""
    return re.findall(rf'<svg class="{kind}"[^>]*>\s*<(?:rect|circle)[^>]* fill="([^"]+)"', html)


def test_cards_and_highlights_take_the_actors_own_colour(editor_client, article, make_drafts):
    drafts = make_drafts(article, 2)
    Actor.objects.filter(pk=drafts[0].actor_id).update(colour="#123abc")
    Actor.objects.filter(pk=drafts[1].actor_id).update(colour="#fedcba")
    html = editor_client.get(reverse("articles:review", args=[article.pk])).content.decode()
    assert sorted(fills(html, "actor-edge")) == ["#123abc", "#fedcba"]
    assert sorted(fills(html, "swatch")) == ["#123abc", "#fedcba"]
    if drafts[0].evidence.exists():  # the factory quotes the article: its text is highlighted
        assert set(fills(html, "ev-dot")) <= {"#123abc", "#fedcba"} and fills(html, "ev-dot")
    assert not re.search(r"\sstyle\s*=", html)  # the CSP allows no style attribute


def test_a_statements_page_uses_the_same_colour_as_the_side_by_side_header(
    editor_client, negotiation, article, make_drafts
):
    draft = make_drafts(article, 1)[0]
    Actor.objects.filter(pk=draft.actor_id).update(colour="#0a0b0c")
    card = editor_client.get(reverse("articles:statement", args=[draft.pk])).content.decode()
    matrix = editor_client.get(reverse("positions:side_by_side", args=[negotiation.slug])).content.decode()
    assert fills(card, "actor-edge") == fills(card, "swatch") == ["#0a0b0c"]
    assert 'fill="#0a0b0c"' in matrix


def test_a_colour_that_is_not_a_hex_code_falls_back_to_grey() -> None:
    from articles.templatetags.review import actor_swatch

    assert 'fill="#64748b"' in actor_swatch(Actor(colour='red" onload="x'))
