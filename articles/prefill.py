"""What a selection of article text suggests for a new statement, read without the NLP
pipeline (web processes do not load it): the actor named first (by name, short name,
alias or adjective), the issues whose keywords it contains, a stance from its verbs, and
the article's publication date. The editor checks and corrects each field."""

from __future__ import annotations

import re
from typing import Any

from positions.models import Actor, Issue

# The first cue found, in this order, names the stance; none found leaves the form's default.
STANCE_CUES = (
    ("condition", r"\b(unless|until|only if|on condition|as long as|provided that)\b"),
    ("reject", r"\b(reject\w*|refus\w*|dismiss\w*|rul\w* out|deni\w*|den(y|ies))\b"),
    ("accept", r"\b(accept\w*|agree[sd]?|approv\w*|welcom\w*|endors\w*)\b"),
    ("propose", r"\b(propos\w*|offer\w*|suggest\w*|put forward)\b"),
    ("demand", r"\b(demand\w*|insist\w*|call\w* (for|on)|urg\w*|must)\b"),
    ("intent", r"\b(will|plans? to|planned to|intends? to|is to|would)\b"),
    ("assess", r"\b(said|says|described|called|believ\w*|think\w*)\b"),
)


def _mentions(names: list[str], text: str) -> int | None:
    """Where the first of these names occurs in the text as whole words (None: nowhere)."""
    found = [
        match.start() for name in names if name
        for match in [re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text,
                                0 if len(name) <= 4 else re.IGNORECASE)] if match
    ]
    return min(found) if found else None


def selection_prefill(*, article: Any, text: str) -> dict[str, Any]:
    """Initial values of the new-statement form for ``text`` selected in ``article``."""
    initial: dict[str, Any] = {}
    actors = list(Actor.objects.filter(negotiations=article.negotiation_id))
    placed = [
        (at, actor) for actor in actors
        if (at := _mentions([actor.name, actor.short_name, *actor.aliases, *actor.adjectives],
                            text)) is not None
    ]
    if placed:
        initial["actor"] = min(placed, key=lambda pair: pair[0])[1].pk
    issues = list(Issue.objects.filter(negotiation=article.negotiation_id))
    matched = {issue for issue in issues if _mentions(list(issue.keywords), text) is not None}
    # A sub-issue says more than its parent: keep the parent only when no child matched.
    parents = {issue.parent_id for issue in matched if issue.parent_id}
    initial["issues"] = [issue.pk for issue in matched if issue.pk not in parents]
    for stance, pattern in STANCE_CUES:
        if re.search(pattern, text, re.IGNORECASE):
            initial["stance"] = stance
            break
    if article.published_on:
        initial["stated_on"] = article.published_on
    return initial
