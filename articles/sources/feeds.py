"""RSS and Atom feeds: the items an editor's subscription offers, as plain data."""

from __future__ import annotations

import calendar
import io
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import feedparser
from lxml import html as lxml_html
from lxml.etree import ParserError

from articles.sources.document import SourceError, normalise_body


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str
    published: date | None
    summary: str  # plain text; feeds carry HTML here, which is reduced to its words


def _plain(markup: str) -> str:
    if not markup or "<" not in markup:
        return normalise_body(markup or "")
    try:
        return normalise_body(lxml_html.fromstring(f"<div>{markup}</div>").text_content())
    except (ParserError, ValueError):
        return ""


def _local_date(raw: str) -> date | None:
    """The calendar date in the publisher's own time zone, as the feed wrote it."""
    raw = raw.strip()
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00")).date()  # Atom, RFC 3339
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(raw).date()  # RSS, RFC 822
    except (TypeError, ValueError, IndexError):
        return None


def _date(entry: feedparser.FeedParserDict) -> date | None:
    for key in ("published", "updated"):
        if entry.get(key) and (found := _local_date(entry[key])):
            return found
    # Other formats feedparser understands, normalised by it to UTC.
    parsed: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    if not parsed:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed), tz=UTC).date()


def read_feed(data: bytes, *, url: str = "") -> list[FeedItem]:
    """Read the items of an RSS or Atom feed, in feed order.

    Items without an http(s) link are left out: an article is fetched from its link.

    Args:
        data: the feed document's bytes.
        url: the feed's own address; relative item links resolve against it, else against
            the site link the feed gives.

    Raises:
        SourceError: the bytes are not an RSS or Atom feed.
    """
    # A stream, never bytes or str: feedparser treats a string as a URL or a file name to
    # open, and this input comes from outside.
    parsed = feedparser.parse(io.BytesIO(data), sanitize_html=True, resolve_relative_uris=True)
    if not parsed.get("version") and not parsed.entries:
        raise SourceError("This is not an RSS or Atom feed; check the feed's address.")
    base = url or parsed.feed.get("link") or ""
    items = []
    for entry in parsed.entries:
        link = (entry.get("link") or "").strip()
        link = urljoin(base, link) if link else ""
        if not link.startswith(("http://", "https://")):
            continue
        items.append(
            FeedItem(
                url=link,
                title=_plain(entry.get("title") or ""),
                published=_date(entry),
                summary=_plain(entry.get("summary") or ""),
            )
        )
    return items
