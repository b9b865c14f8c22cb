"""Template helpers of the statement card."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from articles.selectors import PALETTE_SIZE

register = template.Library()

_HEX = re.compile(r"#[0-9a-fA-F]{6}")
_GREY = "#64748b"  # Actor.colour's default


@register.filter
def palette(statement: Any) -> int:
    """The statement's colour slot: set by the review selectors, else derived from its actor."""
    slot = getattr(statement, "palette", None)
    return slot if slot is not None else (statement.actor_id or 0) % PALETTE_SIZE


def _colour(actor: Any) -> str:
    """The actor's own colour (Actor.colour, as the research pages show it); grey otherwise."""
    colour = getattr(actor, "colour", "") or ""
    return colour if _HEX.fullmatch(colour) else _GREY


# SVG fills, as on the research pages: the CSP (style-src 'self') blocks a style attribute
# and a <style> swapped in by htmx, but not an SVG's fill attribute.
@register.simple_tag
def actor_swatch(actor: Any, kind: str = "swatch") -> SafeString:
    """A dot in the actor's colour (``kind`` is its class: ``swatch`` in a card's head,
    ``ev-dot`` at the start of a highlight in the article text)."""
    return format_html(
        '<svg class="{}" width="10" height="10" viewBox="0 0 10 10" aria-hidden="true" '
        'focusable="false"><circle cx="5" cy="5" r="5" fill="{}"></circle></svg>',
        kind, _colour(actor),
    )


@register.simple_tag
def actor_edge(actor: Any) -> SafeString:
    """The card's left edge in the actor's colour."""
    return format_html(
        '<svg class="actor-edge" width="6" height="100%" viewBox="0 0 1 1" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false"><rect width="1" height="1" fill="{}"></rect></svg>',
        _colour(actor),
    )
