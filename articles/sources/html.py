"""Web pages: the article's main text and its title, outlet and publication date.

Markup is parsed into a tree and only text comes out; nothing in the page is run, fetched
or stored. The headline and byline are metadata, not body, so a page and the same story
pasted as text hash alike.
"""

from __future__ import annotations

import re
from datetime import date

import htmldate
import trafilatura
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from articles.extraction.types import ArticleMeta
from articles.sources.document import Document, SourceError, normalise_body
from articles.sources.encoding import decode_text, html_charset

_WORD = re.compile(r"\w+")
_BYLINE = re.compile(r"^(?:by|von|par|por|di)\s+\S", re.I)
_MAX_BYLINE_WORDS = 8
# Leading lines inspected for a repeated headline or a byline; the body proper follows.
_HEAD_LINES = 3
_MIN_SENTENCE_WORDS = 4
_STOPS = tuple(".!?…:;\"'”’»)")


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _parse(text: str) -> HtmlElement | None:
    tree = load_html(text)
    if tree is None:
        # A bare fragment ("<p>…</p>") fails trafilatura's is-this-a-page check; wrap it.
        tree = load_html(f"<html><body><div>{text}</div></body></html>")
    return tree


def _has_prose(body: str) -> bool:
    """At least one line reads like a sentence, not a menu: some words and a closing stop.

    When nothing looks like an article, trafilatura falls back to whatever text the page
    has, which on an index or a script-built page is its navigation.
    """
    for line in body.split("\n"):
        if len(_words(line)) >= _MIN_SENTENCE_WORDS and line.rstrip().endswith(_STOPS):
            return True
    return False


def _strip_head(lines: list[str], title: str, author: str) -> list[str]:
    """Drop a headline or byline that the extractor kept at the top of the body."""
    title_words, author_words = _words(title), _words(author)
    kept = list(lines)
    for _ in range(_HEAD_LINES):
        if not kept:
            break
        first = kept[0]
        words = _words(first)
        # The headline as the title gives it, or its start when the title carries more
        # (a kicker or the outlet's name after a separator).
        is_title = bool(title_words) and (
            words == title_words
            or (
                len(words) >= _MIN_SENTENCE_WORDS
                and title_words[: len(words)] == words
                and not first.rstrip().endswith((".", "!", "?"))
            )
        )
        is_byline = len(words) <= _MAX_BYLINE_WORDS and (
            bool(_BYLINE.match(first)) or (bool(author_words) and words == author_words)
        )
        if not (is_title or is_byline or not words):
            break
        kept.pop(0)
    return kept


def _field(extracted: object, name: str) -> str:
    """One field of trafilatura's result (None when it found nothing at all)."""
    return str(getattr(extracted, name, None) or "").strip()


def _published(tree: HtmlElement, url: str) -> date | None:
    # The original publication date, not the last modification; htmldate ignores dates in
    # the future. It is given a tree, never a string, because it downloads strings that
    # look like URLs.
    found = htmldate.find_date(tree, original_date=True, url=url or None, outputformat="%Y-%m-%d")
    return date.fromisoformat(found) if found else None


def read_html(data: bytes | str, *, url: str = "") -> Document:
    """Read a news page as an article.

    Args:
        data: the page, as bytes (its encoding is taken from a ``<meta>`` charset, else
            detected) or as text.
        url: where the page came from; otherwise the page's canonical URL, if it gives one.

    Raises:
        SourceError: the bytes are not text, or the page has no article text.
    """
    text = data
    if isinstance(text, bytes):
        text = decode_text(text, declared=html_charset(text), what="page")
    if not text.strip():
        raise SourceError("The page is empty.")
    tree = _parse(text)
    if tree is None:
        raise SourceError("This does not look like a web page.")
    # A second tree for the date: extraction prunes the one it is given.
    date_tree = _parse(text)
    published = _published(date_tree, url) if date_tree is not None else None
    extracted = trafilatura.bare_extraction(
        tree,
        url=url or None,
        favor_precision=True,
        include_comments=False,
        include_formatting=False,
        include_links=False,
        include_images=False,
        with_metadata=True,
    )
    raw, title, author, outlet, canonical = (
        _field(extracted, name) for name in ("text", "title", "author", "sitename", "url")
    )
    body = normalise_body("\n".join(_strip_head(normalise_body(raw).split("\n"), title, author)))
    if not _has_prose(body):
        raise SourceError(
            "No article text could be found on this page; it may be an index page, a paywall "
            "or built by JavaScript. Paste the text instead."
        )
    if not url and canonical.startswith(("http://", "https://")):
        url = canonical
    meta = ArticleMeta(title=title, outlet=outlet, url=url, published=published)
    return Document(meta=meta, body=body, source_format="html")
