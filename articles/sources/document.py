"""The shape every reader returns, and the content hash that makes one story one article."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from articles.extraction.types import ArticleMeta


class SourceError(ValueError):
    """The input cannot become an article; the message says why, for the editor."""


class SourceUnavailable(SourceError):
    """A fetch failed in a way that may pass (a timeout, a dropped connection, a 5xx or 429):
    the caller may retry later, unlike other ``SourceError``s."""


@dataclass(frozen=True)
class Document:
    meta: ArticleMeta
    body: str
    source_format: str  # "text", "markdown", "html", "pdf", "docx", "url"


_SPACES = re.compile(r"[ \t\u00a0]+")
_BLANKS = re.compile(r"\n{3,}")


def normalise_body(text: str) -> str:
    """The body as stored: NFC, unified newlines, no trailing spaces, at most one blank line."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANKS.sub("\n\n", "\n".join(lines)).strip()


_WORD = re.compile(r"\w+")


def content_hash(body: str) -> str:
    """Hash of the words alone, case-folded, so layout and punctuation changes match."""
    words = " ".join(_WORD.findall(unicodedata.normalize("NFKC", body).casefold()))
    return hashlib.sha256(words.encode("utf-8")).hexdigest()
