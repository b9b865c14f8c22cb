"""Template helpers of the statement card."""

from __future__ import annotations

from typing import Any

from django import template

from articles.selectors import PALETTE_SIZE

register = template.Library()


@register.filter
def palette(statement: Any) -> int:
    """The statement's colour slot: set by the review selectors, else derived from its actor."""
    slot = getattr(statement, "palette", None)
    return slot if slot is not None else (statement.actor_id or 0) % PALETTE_SIZE
