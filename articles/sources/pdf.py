"""PDF files: the text layer, page by page, and the title from the document information."""

from __future__ import annotations

import io

from pypdf import PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError

from articles.extraction.types import ArticleMeta
from articles.sources.document import Document, SourceError, normalise_body

_DAMAGED = "This PDF is damaged and cannot be read; export it again."


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            # Files locked only against editing open with the empty user password.
            raise SourceError(
                "This PDF is protected by a password; save an unprotected copy and upload that."
            )
        len(reader.pages)  # the page tree is where damaged files usually fail
    except SourceError:
        raise
    except (FileNotDecryptedError, DependencyError, NotImplementedError):
        # AES needs a crypto library we do not install; some old schemes pypdf lacks.
        raise SourceError(
            "This PDF is encrypted in a way Parley cannot open; save an unprotected copy."
        ) from None
    except Exception:  # pypdf raises many kinds on damaged input
        raise SourceError(_DAMAGED) from None
    return reader


def read_pdf(data: bytes) -> Document:
    """Read the text layer of a PDF.

    Args:
        data: the file's bytes.

    Raises:
        SourceError: the file is damaged or password-protected, or has no text layer (a
            scan, which needs OCR first).
    """
    reader = _open(data)
    pages = []
    try:
        for page in reader.pages:
            pages.append(page.extract_text() or "")
    except Exception:  # as above: a page's content stream can fail in many ways
        raise SourceError(_DAMAGED) from None
    body = normalise_body("\n\n".join(pages))
    if not body:
        raise SourceError(
            "This PDF has no text layer (a scan?); run it through OCR or paste the text instead."
        )
    title = ""
    try:
        info = reader.metadata
        title = str(info.title or "").strip() if info is not None else ""
    except Exception:  # a broken information dictionary is no reason to lose the text
        title = ""
    return Document(meta=ArticleMeta(title=title), body=body, source_format="pdf")
