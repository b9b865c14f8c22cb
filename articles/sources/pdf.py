"""PDF files: the text layer, page by page, and the title from the document information."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError, PdfReadError

from articles.extraction.types import ArticleMeta
from articles.sources.document import Document, SourceError, normalise_body

# pypdf logs every repair it makes to a damaged file; the editor gets our message instead.
logging.getLogger("pypdf").setLevel(logging.ERROR)


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
    except (FileNotDecryptedError, NotImplementedError):
        raise SourceError(
            "This PDF is encrypted in a way Parley cannot open; save an unprotected copy."
        ) from None
    except Exception:  # pypdf raises many kinds on damaged input
        raise SourceError("This PDF is damaged and cannot be read; export it again.") from None
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
    except (PdfReadError, FileNotDecryptedError):
        raise SourceError("This PDF is damaged and cannot be read; export it again.") from None
    except Exception:
        raise SourceError("This PDF is damaged and cannot be read; export it again.") from None
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
