"""What a selection of article text suggests for a new statement.

At once, without the NLP pipeline (web processes do not load it): the actor named first (by
name, short name, alias or adjective), the issues whose keywords it contains, a stance from
its verbs, and the article's publication date. Then, a moment later, the extractor's own
reading of the selection, made by a worker (``selection_read``) and stored as a
``SelectionReading`` the new-statement card polls for. The editor checks each field.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from articles.models import SelectionReading
from articles.work import send
from positions.models import Actor, Article, Issue, Proposal

READING_WAIT = timedelta(seconds=30)  # after this the card stops waiting for the worker
READING_KEPT = timedelta(days=1)

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


# --- The extractor's reading, made by a worker -------------------------------------------


def selection_reading_request(*, article: Article, text: str) -> SelectionReading:
    """Ask a worker for the extractor's reading of ``text``; the task is sent on commit."""
    SelectionReading.objects.filter(created_at__lt=timezone.now() - READING_KEPT).delete()
    reading = SelectionReading.objects.create(token=uuid.uuid4(), article=article, text=text[:5000])
    transaction.on_commit(lambda: _send_reading(reading.pk))
    return reading


def _send_reading(reading_id: int) -> None:
    if not send("articles.tasks.selection_read_task", reading_id=reading_id):
        # The card keeps the quick prefill and says the reading is missing.
        SelectionReading.objects.filter(pk=reading_id).update(
            reading={}, error="The extractor is not reachable now: check the fields yourself."
        )


def selection_read(*, reading_id: int) -> None:
    """Run the extractor on the selected text (with the article's metadata for the date)
    and store what its first statement says, as the new-statement form's initial values."""
    from articles.extraction import extract
    from articles.extraction.types import ArticleMeta
    from articles.extraction_models import active_weights
    from articles.reference import ingest_reference

    row = SelectionReading.objects.select_related("article__negotiation", "article__outlet").get(
        pk=reading_id
    )
    article = row.article
    if article.unread_language:  # extraction reads English only: say so, keep the quick guess
        row.reading, row.error = {}, f"The extractor does not read {article.unread_language}."
        row.save(update_fields=["reading", "error"])
        return
    reference = ingest_reference(article.negotiation)
    meta = ArticleMeta(
        title=article.title, outlet=article.outlet.name if article.outlet else "",
        url=article.url, published=article.published_on,
    )
    drafts = extract(
        row.text, meta, reference.reference, weights=active_weights(),
        pipeline=settings.PARLEY_SPACY_MODEL, language="en",
    )
    known = [c for c in drafts if c.actor in reference.actors]
    if not known:
        row.reading, row.error = {}, "The extractor found no statement in the selection."
        row.save(update_fields=["reading", "error"])
        return
    first = min(known, key=lambda c: min((start for start, _ in c.spans), default=0))
    stated_on = first.stated_on or article.published_on
    row.reading = {
        "actor": reference.actors[first.actor].pk, "speaker": first.speaker,
        "stance": first.stance, "conditions": first.conditions, "summary": first.summary,
        "issues": [reference.issues[key].pk for key in dict.fromkeys(first.issues)
                   if key in reference.issues],
        "stated_on": stated_on.isoformat() if stated_on else None,
        "proposal": Proposal.objects.filter(negotiation=article.negotiation_id, key=first.proposal)
        .values_list("name", flat=True).first() if first.proposal else None,
    }
    row.error = ""
    row.save(update_fields=["reading", "error"])


def selection_read_fail(*, reading_id: int, message: str) -> None:
    SelectionReading.objects.filter(pk=reading_id, reading__isnull=True).update(
        reading={}, error=message[:300]
    )


def reading_initial(reading: SelectionReading) -> dict[str, Any]:
    """The stored reading as form initial values (empty fields left out)."""
    initial = {key: value for key, value in (reading.reading or {}).items() if value}
    if isinstance(initial.get("stated_on"), str):
        initial["stated_on"] = date.fromisoformat(initial["stated_on"])
    return initial


def reading_waited_out(reading: SelectionReading) -> bool:
    return reading.reading is None and timezone.now() - reading.created_at > READING_WAIT
