"""The day a statement was made, from spaCy DATE entities resolved against publication."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from functools import cache
from types import ModuleType
from typing import TYPE_CHECKING

from articles.extraction.grammar import clause_verb

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH = re.compile(
    r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\b|\b\d{4}-\d{2}-\d{2}\b",
    re.IGNORECASE,
)
# Periods too vague to date a statement to a day.
_VAGUE = re.compile(
    r"\b(week|weeks|month|months|year|years|earlier|recently|ago|past|previous|weekend|"
    r"since|decades?|summer|winter|spring|autumn|fall)\b",
    re.IGNORECASE,
)
_FORWARD = {"by", "until", "till", "before", "next", "from", "after", "within", "starting"}
_TODAY = re.compile(r"\b(today|tonight|this (morning|afternoon|evening))\b", re.IGNORECASE)
_YESTERDAY = re.compile(r"\b(yesterday|last night)\b", re.IGNORECASE)
# "Earlier in the day", "earlier on Tuesday": earlier that day, not a vague period.
_EARLIER_TODAY = re.compile(r"^(earlier )?in the day$|^earlier (today|this (morning|afternoon|evening))$",
                            re.IGNORECASE)
_EARLIER_ON = re.compile(r"^earlier (on )?\w+day$", re.IGNORECASE)


_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'/-]{2,40},\s*((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
    r"\s+\d{1,2})\b[^\n]{0,30}?\s[-–—]\s")


def dateline_date(body: str, published: date | None) -> date | None:
    """The day in a dateline ("GAZA, May 7 (Reuters) -"), when it is at most a few days
    before publication: relative days in the story count from it."""
    if published is None:
        return None
    match = _DATELINE.match(body)
    if not match:
        return None
    day = _explicit(match.group(1), published)
    if day is None or not (published - timedelta(days=3) <= day <= published):
        return None
    return day


def weekday_on_or_before(weekday: int, published: date) -> date:
    return published - timedelta(days=(published.weekday() - weekday) % 7)


@cache
def _parser() -> ModuleType:
    import dateparser

    return dateparser


def _explicit(text: str, published: date) -> date | None:
    settings = {
        "RELATIVE_BASE": datetime(published.year, published.month, published.day),
        "PREFER_DATES_FROM": "past",
        "REQUIRE_PARTS": ["day", "month"],
    }
    cleaned = re.sub(r"\b(on|the|of)\b", " ", text, flags=re.IGNORECASE)
    cleaned = re.sub(r"\b(" + "|".join(WEEKDAYS) + r")\b,?", " ", cleaned, flags=re.IGNORECASE)
    parsed = _parser().parse(cleaned.strip(" ,.'’s"), languages=["en"], settings=settings)
    if parsed is None:
        return None
    day: date = parsed.date()
    # A statement reported on is from the recent past, not months before or after.
    if not (published - timedelta(days=45) <= day <= published + timedelta(days=1)):
        return None
    return day


def resolve_date_text(text: str, published: date) -> tuple[date | None, str]:
    """Resolve one DATE entity's text: (day, basis); (None, "vague") for a period too vague
    for a day ("last week"), (None, "") when it names no day."""
    lowered = text.lower()
    if _MONTH.search(lowered) and re.search(r"\d", lowered):
        day = _explicit(text, published)
        if day is not None:
            return day, "explicit"
    if _TODAY.search(lowered) or _EARLIER_TODAY.search(lowered):
        return published, "relative"
    if _YESTERDAY.search(lowered):
        return published - timedelta(days=1), "relative"
    for index, name in enumerate(WEEKDAYS):
        if re.search(rf"\b{name}\b", lowered):
            if re.search(r"\bnext\b", lowered):
                return None, ""
            if _VAGUE.search(lowered) and not _EARLIER_ON.search(lowered):
                return None, "vague"  # "last week's Tuesday", "the past Sunday"
            return weekday_on_or_before(index, published), "relative"
    if _VAGUE.search(lowered) or (_MONTH.search(lowered) and not re.search(r"\d", lowered)):
        return None, "vague"  # a period, or a month without its day ("in March")
    return None, ""


def _is_forward(entity: Span, cue: Token | None) -> bool:
    """A day in the future of what was said ("would send a delegation on Sunday", "by
    Saturday") dates a plan, not the statement."""
    before = entity.doc[entity.start - 1].lower_ if entity.start > 0 else ""
    if before in _FORWARD or entity[0].lower_ in _FORWARD:
        return True
    head = clause_verb(entity.root.head, 20)
    if cue is not None and head.i == cue.i:
        return False
    return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall") for c in
               head.children) or (head.tag_ == "VB" and any(c.lower_ == "to" for c in head.children))


def statement_date(
    sentence: Span, cue: Token | None, published: date | None, base: date | None = None
) -> tuple[date | None, str]:
    """Date a statement from its sentence: (day, basis), basis "explicit", "relative" or
    "publication", or (None, "") when it has none (a background position, or no publication
    date to count from).

    Args:
        sentence: the sentence that carries the attribution.
        cue: the attribution's verb, whose tense tells a background position.
        published: the article's publication date (None: only explicit dates resolve).
        base: the day relative days count from when it is not the publication date (a
            dateline's day).

    Raises:
        Nothing.
    """
    vague = False
    dateline = _DATELINE.match(sentence.text)
    skip_before = sentence.start_char + dateline.end() if dateline else -1
    for entity in sentence.ents:
        if entity.start_char < skip_before:
            continue  # the dateline's day is when the story was filed, not a statement
        if entity.label_ not in ("DATE", "TIME") or _is_forward(entity, cue):
            continue
        if published is None:
            continue
        day, basis = resolve_date_text(entity.text, base or published)
        if day is not None:
            return day, basis
        if basis == "vague" and cue is not None and _near(entity, cue):
            vague = True
    if vague or (cue is not None and _background(cue)):
        return None, ""
    if published is None:
        return None, ""
    return published, "publication"


def _near(entity: Span, cue: Token) -> bool:
    head = entity.root
    while head.head.i != head.i and head.dep_ != "ROOT" and head.i != cue.i:
        if head.pos_ == "VERB" and head.i != cue.i:
            return False
        head = head.head
    return head.i == cue.i or head.dep_ == "ROOT"


def _background(cue: Token) -> bool:
    """A perfect-tense, habitual or earlier cue: "has long insisted", "had rejected",
    "previously said", "earlier said"."""
    aux = [child for child in cue.children if child.dep_ in ("aux", "auxpass")]
    if any(child.lower_ in ("has", "have", "had", "'s", "'ve", "'d") and child.tag_ != "MD"
           for child in aux) and cue.tag_ == "VBN":
        return True
    return any(child.dep_ == "advmod" and child.lower_ in (
        "long", "repeatedly", "previously", "consistently", "frequently", "often", "routinely",
        "always", "already", "earlier", "recently") for child in cue.children)
