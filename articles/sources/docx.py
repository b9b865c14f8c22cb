"""Word documents (.docx): paragraphs and tables in order, title and creation date."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import docx
from docx.document import Document as WordDocument
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table
from docx.text.paragraph import Paragraph

from articles.extraction.types import ArticleMeta
from articles.sources.document import Document, SourceError, normalise_body
from articles.sources.ziplimits import check_member, check_total, open_zip

# python-docx reads every part into memory, so the package is capped before it opens it.
MAX_UNPACKED_BYTES = 50_000_000
# python-docx's own blank template carries this creation time; it says nothing about the
# article.
_TEMPLATE_CREATED = datetime(2013, 12, 23, 23, 15, tzinfo=UTC)


def _check_package(data: bytes) -> None:
    with open_zip(data, what="Word document") as package:
        infos = package.infolist()
        if "word/document.xml" not in {info.filename for info in infos}:
            raise SourceError("This file is not a Word document (.docx).")
        check_total(infos, MAX_UNPACKED_BYTES, what="Word document")
        for info in infos:
            check_member(info)


def _lines(document: WordDocument) -> list[str]:
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                lines.append(" | ".join(cell for cell in cells if cell))
    return lines


def _created(value: datetime | None) -> date | None:
    if value is None or value == _TEMPLATE_CREATED:
        return None
    day = value.date()
    return None if day > date.today() else day


def read_docx(data: bytes) -> Document:
    """Read a Word document.

    A leading paragraph in the Title style is the headline: it becomes the title (when the
    document properties have none) and leaves the body, as with web pages.

    Args:
        data: the file's bytes.

    Raises:
        SourceError: not a .docx, damaged, too large unpacked, or without text.
    """
    _check_package(data)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = _lines(document)
        properties = document.core_properties
        title = (properties.title or "").strip()
        created = _created(properties.created)
        first = document.paragraphs[0] if document.paragraphs else None
        first_style = (first.style.name if first is not None and first.style else "") or ""
    except SourceError:
        raise
    except (PackageNotFoundError, KeyError, ValueError):
        raise SourceError("This file is not a Word document (.docx).") from None
    except Exception:  # lxml and zipfile errors from a damaged package
        raise SourceError("This Word document is damaged and cannot be read.") from None
    while lines and not lines[0].strip():
        lines.pop(0)
    if lines and first is not None and lines[0] == first.text:
        headline = lines[0].strip()
        if first_style == "Title" or (title and headline == title):
            title = title or headline
            lines.pop(0)
    body = normalise_body("\n".join(lines))
    if not body:
        raise SourceError("This Word document has no text.")
    meta = ArticleMeta(title=title, published=created)
    return Document(meta=meta, body=body, source_format="docx")
