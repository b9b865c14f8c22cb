"""Turn what editors bring (files, pasted text, URLs, feeds) into article text and metadata.

Plain Python like extraction: every reader returns a ``Document`` or raises ``SourceError``
with a message an editor can act on.
"""

from articles.sources.document import Document, SourceError, content_hash, normalise_body
from articles.sources.text import read_text

__all__ = ["Document", "SourceError", "content_hash", "normalise_body", "read_text"]
