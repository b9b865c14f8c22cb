"""Template helpers of the statement card."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
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


@dataclass
class LinkState:
    """What a card's proposal form shows: the words typed, the proposal they name (its
    clauses to pick from), the clauses checked, and what was wrong."""

    typed: str = ""
    proposal: Any = None
    checked: set[int] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)

    @property
    def clauses(self) -> list[Any]:
        return list(self.proposal.clauses.all()) if self.proposal is not None else []


@register.simple_tag
def link_state(statement: Any, link: Any = None) -> LinkState:
    """The card's proposal form: as the view left it (a preview, errors), else the statement's
    own link (prefetched by the review selectors)."""
    if isinstance(link, LinkState):  # an unset variable reaches a tag as ""
        return link
    proposal = statement.proposal
    return LinkState(typed=proposal.name if proposal else "", proposal=proposal,
                     checked={clause.pk for clause in statement.clauses.all()})
