"""YAML front matter at the head of a text or Markdown article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import yaml

from articles.extraction.types import ArticleMeta

_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)
FIELDS = ("title", "outlet", "url", "published")


class FrontMatterError(ValueError):
    """The front matter is not a YAML mapping of the known fields."""


@dataclass(frozen=True)
class Parsed:
    meta: ArticleMeta
    body: str


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise FrontMatterError(f"published must be a date as YYYY-MM-DD, not {value!r}") from None


def split_front_matter(text: str) -> Parsed:
    """Split optional front matter from the body; offsets then count from the body's start.

    Args:
        text: the whole file as text.

    Raises:
        FrontMatterError: the block is not valid YAML, not a mapping, or has a bad date.
    """
    match = _FENCE.match(text)
    if not match:
        return split_header(text) or Parsed(ArticleMeta(), text.removeprefix("\ufeff"))
    try:
        data = yaml.safe_load(match.group(1)) or {}
    except yaml.YAMLError as error:
        raise FrontMatterError(f"The front matter is not valid YAML: {error}") from None
    if not isinstance(data, dict):
        raise FrontMatterError("The front matter must be key: value lines.")
    meta = ArticleMeta(
        title=str(data.get("title") or "").strip(),
        outlet=str(data.get("outlet") or "").strip(),
        url=str(data.get("url") or "").strip(),
        published=_as_date(data.get("published")),
    )
    return Parsed(meta, text[match.end():])


# A header without fences: `key: value` lines at the very top, known keys only, then a
# blank line. Anything else (a dateline such as "Istanbul: Russia promised ...") is body.
_HEADER = re.compile(r"\A\ufeff?((?:[ \t]*[A-Za-z]+[ \t]*:[^\r\n]*\r?\n)+)[ \t]*\r?\n")
_HEADER_KEYS = {
    "title": "title", "outlet": "outlet", "published": "published", "date": "published",
    "url": "url", "source": "url",
}
_DATE_FORMATS = ("%d %B %Y", "%d %b %Y", "%B %d, %Y", "%b %d, %Y", "%B %d %Y")


def _header_date(value: str) -> date:
    value = value.strip()
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        pass
    from datetime import datetime

    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise FrontMatterError(f"published must be a date as YYYY-MM-DD, not {value!r}")


def split_header(text: str) -> Parsed | None:
    """A plain header block (no ``---`` fences) and the body after it; None when there is none.

    The block is one or more ``key: value`` lines at the very top whose keys are all known
    (``title``, ``outlet``, ``published`` or ``date``, ``url`` or ``source``; each once),
    ended by a blank line. ``source`` is the URL when it is one and is otherwise ignored.
    The body starts after the blank line; its offsets count from there.

    Args:
        text: the whole file as text.

    Raises:
        FrontMatterError: the block is a header but its date cannot be read.
    """
    match = _HEADER.match(text)
    if not match:
        return None
    fields: dict[str, str] = {}
    for line in match.group(1).splitlines():
        key, _, value = line.partition(":")
        name = _HEADER_KEYS.get(key.strip().lower())
        if name is None or key.strip().lower() in fields:
            return None
        fields[key.strip().lower()] = value.strip().strip("\"'").strip()
    url = fields.get("url", "")
    source = fields.get("source", "")
    if not url and source.lower().startswith(("http://", "https://")):
        url = source
    published = fields.get("published") or fields.get("date") or ""
    try:
        day = _header_date(published) if published else None
    except FrontMatterError:
        if len(fields) == 1:
            return None  # a lone "Date: Monday" line is more likely prose than a header
        raise
    meta = ArticleMeta(
        title=fields.get("title", ""), outlet=fields.get("outlet", ""), url=url, published=day,
    )
    return Parsed(meta, text[match.end():])
