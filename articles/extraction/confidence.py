"""How much an editor can trust a draft, from how it was found."""

from __future__ import annotations

from typing import Any


def score(draft: Any) -> float:
    """A confidence in [0, 1] for a draft (placeholder: refined against measured precision)."""
    return 0.5
