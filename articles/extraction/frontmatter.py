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
        return Parsed(ArticleMeta(), text.removeprefix("\ufeff"))
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
