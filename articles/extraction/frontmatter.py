"""YAML front matter at the head of a text or Markdown article."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import yaml

from articles.extraction.types import ArticleMeta

_FENCE = re.compile(r"\A\ufeff?---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


class FrontMatterError(ValueError):
    """The front matter is not a YAML mapping of the known fields."""


@dataclass(frozen=True)
class Parsed:
    meta: ArticleMeta
    body: str


# --- YAML loading and value conversion (hostile input) ------------------------------------


MAX_BLOCK = 65_536
MAX_BRACKETS = 64


class _PlainLoader(yaml.SafeLoader):
    """SafeLoader without aliases (``*name`` and ``<<`` merges) and without YAML's own dates.

    An alias repeats a node by reference: nine nested levels of them in under a kilobyte
    expand to gigabytes. Front matter never needs one, so any alias is refused before it
    is built. Dates are left as text and parsed by ``_as_date``, so an impossible day gets
    a message rather than a crash inside the YAML library.
    """

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise FrontMatterError(
                "The front matter uses a YAML alias (*name); write each value out in full."
            )
        return super().compose_node(parent, index)


_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _as_text(name: str, value: Any) -> str:
    """A scalar as text; a list, mapping or other structure is refused with a message."""
    if value is None:
        return ""
    if isinstance(value, bool):
        raise FrontMatterError(f"{name} must be text, not yes/no; put it in quotes.")
    if isinstance(value, (str, int, float)):
        return str(value).strip()
    kinds: dict[type, str] = {list: "a list", dict: "a mapping"}
    kind = kinds.get(type(value), "structured data")
    raise FrontMatterError(f"{name} must be a single value, not {kind}.")


def _as_date(value: Any) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, (str, int)):
        raise FrontMatterError("published must be a date as YYYY-MM-DD, not a list or mapping.")
    raw = str(value).strip()
    try:
        return date.fromisoformat(raw[:10]) if len(raw) > 10 and raw[10] in "T " else date.fromisoformat(raw)
    except ValueError:
        raise FrontMatterError(f"published must be a date as YYYY-MM-DD, not {raw[:40]!r}") from None


def load_yaml_fields(block: str) -> dict[str, Any]:
    """The known fields of a YAML front matter block, each converted or refused.

    Args:
        block: the YAML between the fences.

    Raises:
        FrontMatterError: invalid YAML, an alias, not a mapping, a structure where a single
            value belongs, or a bad date.
    """
    # PyYAML's scanner does work per open bracket for every token (quadratic): a few
    # thousand "[" hold it for seconds. Front matter of four short fields needs few.
    if len(block) > MAX_BLOCK or block.count("[") + block.count("{") > MAX_BRACKETS:
        raise FrontMatterError(
            "The front matter is too large or too deeply nested; keep it to simple key: value lines."
        )
    try:
        data = yaml.load(block, Loader=_PlainLoader) or {}  # a SafeLoader subclass
    except FrontMatterError:
        raise
    except yaml.YAMLError as error:
        raise FrontMatterError(f"The front matter is not valid YAML: {error}") from None
    except (RecursionError, ValueError, TypeError, OverflowError):
        raise FrontMatterError(
            "The front matter could not be read; keep it to simple key: value lines."
        ) from None
    if not isinstance(data, dict):
        raise FrontMatterError("The front matter must be key: value lines.")
    return {
        "title": _as_text("title", data.get("title")),
        "outlet": _as_text("outlet", data.get("outlet")),
        "url": _as_text("url", data.get("url")),
        "published": _as_date(data.get("published")),
    }


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
    meta = ArticleMeta(**load_yaml_fields(match.group(1)))
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
