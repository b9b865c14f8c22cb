"""The one place a document's text and metadata are made safe to store.

Every source (upload, pasted text, zip member, fetched page, feed item) ends in a
``Document``; ``safe_document`` is applied to it before anything is saved, and the editor's
forms use the same checks for what they type. PostgreSQL refuses NUL in text (and JSON),
columns have lengths, and a date or link that no real article has is a mistake to stop,
not a value to keep.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from datetime import date, timedelta

from articles.sources.document import Document, SourceError, normalise_body
from positions.text import EARLIEST, LINE_JUNK, MAX_OUTLET, MAX_TITLE, MAX_URL, safe_line

_SCHEMES = ("http://", "https://")
# C0 and C1 controls other than tab, newline and carriage return; lone surrogates, which
# PostgreSQL cannot encode; and the non-characters U+FFFE/U+FFFF.
_BODY_JUNK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
_LETTER_OR_DIGIT = ("L", "N")


_BREAKS = str.maketrans({"\x0b": "\n", "\x0c": "\n", "\x85": "\n", "\u2028": "\n", "\u2029": "\n"})


def safe_text(text: str) -> str:
    """Text with NUL, other control characters and unencodable code points removed (the
    ones that break lines, such as form feeds between PDF pages, become newlines)."""
    return _BODY_JUNK.sub("", text.translate(_BREAKS))


def clip(text: str, limit: int, *, field: str, notes: list[str]) -> str:
    """``text`` cut to ``limit`` characters (at a word where one is near), noting the cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 0.8:
        cut = cut[:space]
    notes.append(f"The {field} was {len(text)} characters long and was shortened to {limit}.")
    return cut.rstrip() + "…"


def date_problem(value: date, *, what: str = "date") -> str | None:
    """Why a date cannot be an article's or a statement's: before 1900 or in the future
    (a sentence without its full stop, for the caller to end).

    A day's grace for the future: an editor ahead of UTC may date something tomorrow.
    """
    if value < EARLIEST:
        return f"The {what} {value.isoformat()} is before 1900"
    if value > date.today() + timedelta(days=1):
        return f"The {what} {value.isoformat()} is in the future"
    return None


def url_problem(url: str) -> str | None:
    """Why a link cannot be stored: not http(s), too long, or with spaces or controls in it."""
    if not url.lower().startswith(_SCHEMES):
        return "Only http:// and https:// links can be stored."
    if len(url) > MAX_URL:
        return f"The link is {len(url)} characters long, over the limit of {MAX_URL}."
    if LINE_JUNK.search(url) or " " in url:
        return "The link contains spaces or control characters."
    return None


def has_words(body: str) -> bool:
    """Whether the text has at least one letter or digit (punctuation alone is no article)."""
    return any(unicodedata.category(char)[0] in _LETTER_OR_DIGIT for char in body)


def safe_document(document: Document) -> tuple[Document, list[str]]:
    """The document made safe to store, and notes for the editor on what was changed.

    Text loses NUL and control characters; the title and outlet are single lines clipped
    to their columns; a link other than http(s), or too long, is dropped.

    Raises:
        SourceError: no text is left, the text has no words, or the publication date is
            before 1900 or in the future.
    """
    notes: list[str] = []
    body = normalise_body(safe_text(document.body))
    if not body:
        raise SourceError("The article has no text.")
    if not has_words(body):
        raise SourceError("The article has no words, only punctuation or symbols.")
    meta = document.meta
    title = clip(safe_line(meta.title), MAX_TITLE, field="title", notes=notes)
    outlet = clip(safe_line(meta.outlet), MAX_OUTLET, field="outlet name", notes=notes)
    url = safe_line(meta.url)
    if url and (problem := url_problem(url)):
        notes.append(f"The article's link was left out: {problem}")
        url = ""
    published = meta.published
    if published is not None and (problem := date_problem(published, what="publication date")):
        raise SourceError(f"{problem}; correct it and upload again.")
    meta = replace(meta, title=title, outlet=outlet, url=url, published=published)
    return replace(document, body=body, meta=meta), notes


TYPED_FIELDS = ("title", "outlet", "url", "published")


def with_typed(document: Document, typed: dict[str, object]) -> Document:
    """The document with the fields an editor typed (non-empty ones) over the file's own.

    ``published`` may be a date or its ISO text (as kept in JSON while a worker reads the file).
    """
    fields: dict[str, object] = {
        name: typed[name] for name in TYPED_FIELDS if typed.get(name)
    }
    if isinstance(fields.get("published"), str):
        fields["published"] = date.fromisoformat(str(fields["published"]))
    return replace(document, meta=replace(document.meta, **fields))  # type: ignore[arg-type]  # TYPED_FIELDS name ArticleMeta fields
