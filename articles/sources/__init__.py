"""Turn what editors bring (files, pasted text, URLs, feeds) into article text and metadata.

Plain Python like extraction: every reader returns a ``Document`` or raises ``SourceError``
with a message an editor can act on (``SourceUnavailable`` when trying later may help).
"""

from articles.sources.archive import read_zip
from articles.sources.dispatch import ACCEPTED_EXTENSIONS, read_upload
from articles.sources.document import (
    Document,
    SourceError,
    SourceUnavailable,
    content_hash,
    normalise_body,
)
from articles.sources.docx import read_docx
from articles.sources.feeds import FeedItem, read_feed
from articles.sources.fetch import fetch_feed_bytes, fetch_url
from articles.sources.html import read_html
from articles.sources.pdf import read_pdf
from articles.sources.text import read_text

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "Document",
    "FeedItem",
    "SourceError",
    "SourceUnavailable",
    "content_hash",
    "fetch_feed_bytes",
    "fetch_url",
    "normalise_body",
    "read_docx",
    "read_feed",
    "read_html",
    "read_pdf",
    "read_text",
    "read_upload",
    "read_zip",
]
