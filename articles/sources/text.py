"""Plain text and Markdown, with optional YAML front matter."""

from __future__ import annotations

from articles.extraction.frontmatter import FrontMatterError, split_front_matter
from articles.sources.document import Document, SourceError, normalise_body
from articles.sources.encoding import decode_text
from articles.sources.sanitize import date_problem, has_words, safe_text


def read_text(data: bytes | str, *, source_format: str = "text") -> Document:
    """Read a text or Markdown article.

    Bytes are decoded as UTF-8 when they are UTF-8 and otherwise in the encoding they are
    detected to be in.

    Raises:
        SourceError: binary data, bad front matter (including a publication date in the
            future), or no text at all.
    """
    if isinstance(data, bytes):
        data = decode_text(data)
    try:
        parsed = split_front_matter(data)
    except FrontMatterError as error:
        raise SourceError(str(error)) from None
    published = parsed.meta.published
    if published is not None and (problem := date_problem(published, what="publication date")):
        raise SourceError(f"{problem}; correct the front matter.")
    body = normalise_body(safe_text(parsed.body))
    if not body:
        raise SourceError("The article has no text.")
    if not has_words(body):
        raise SourceError("The article has no words, only punctuation or symbols.")
    return Document(meta=parsed.meta, body=body, source_format=source_format)
