"""One uploaded file to one article, chosen by extension and checked against the content."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from articles.sources.document import Document, SourceError
from articles.sources.docx import read_docx
from articles.sources.html import read_html
from articles.sources.pdf import read_pdf
from articles.sources.text import read_text

ACCEPTED_EXTENSIONS = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")

# Signatures of the files most often uploaded by mistake, to say what a file really is.
_SIGNATURES = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a zip archive or Office file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office file (.doc, .xls)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"{\\rtf", "an RTF document"),
)


def _kind(data: bytes) -> str | None:
    for signature, kind in _SIGNATURES:
        if data.startswith(signature):
            return kind
    return None


def extension(filename: str) -> str:
    """The lower-cased extension of the file's base name ("" when it has none)."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = base.rpartition(".")
    return f".{suffix.lower()}" if dot and stem.strip(".") else ""


def _mismatch(ext: str, data: bytes, expected: str) -> SourceError:
    kind = _kind(data)
    found = f"it contains {kind}" if kind else f"its content is not {expected}"
    return SourceError(f"The file is named {ext} but {found}.")


def _check_text(ext: str, data: bytes) -> None:
    # Decoding (and refusing binary) is the text reader's job; this catches the files
    # with a known signature, to name what they really are.
    if _kind(data):
        raise _mismatch(ext, data, "text")


def _read_pdf(ext: str, data: bytes) -> Document:
    # The format allows a little junk before the header; Acrobat looks in the first 1 KB.
    if b"%PDF-" not in data[:1024]:
        raise _mismatch(ext, data, "a PDF")
    return read_pdf(data)


def _read_docx(ext: str, data: bytes) -> Document:
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SourceError("This is an old Word .doc file; save it as .docx and upload that.")
    if not zipfile.is_zipfile(io.BytesIO(data)):
        raise _mismatch(ext, data, "a Word document")
    return read_docx(data)


def _read_plain(ext: str, data: bytes) -> Document:
    _check_text(ext, data)
    return read_text(data)


def _read_markdown(ext: str, data: bytes) -> Document:
    _check_text(ext, data)
    return read_text(data, source_format="markdown")


def _read_page(ext: str, data: bytes) -> Document:
    if _kind(data):
        raise _mismatch(ext, data, "a web page")
    return read_html(data)


_READERS: dict[str, Callable[[str, bytes], Document]] = {
    ".txt": _read_plain,
    ".md": _read_markdown,
    ".markdown": _read_markdown,
    ".html": _read_page,
    ".htm": _read_page,
    ".pdf": _read_pdf,
    ".docx": _read_docx,
}


def check_upload(filename: str, data: bytes) -> None:
    """What ``read_upload`` refuses before parsing: the extension, an empty file, and content
    that plainly does not match the extension. Cheap: nothing is parsed.

    Raises:
        SourceError: as ``read_upload`` for those cases.
    """
    ext = extension(filename)
    if ext not in _READERS:
        named = f"{ext} files" if ext else "files without an extension"
        raise SourceError(f"Parley cannot read {named}; it accepts {', '.join(ACCEPTED_EXTENSIONS)}.")
    if not data.strip():
        raise SourceError("The file is empty.")
    if ext in (".html", ".htm", ".txt", ".md", ".markdown"):
        if _kind(data):
            raise _mismatch(ext, data, "a web page" if ext in (".html", ".htm") else "text")
    elif ext == ".pdf" and b"%PDF-" not in data[:1024]:
        raise _mismatch(ext, data, "a PDF")
    elif ext == ".docx":
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise SourceError("This is an old Word .doc file; save it as .docx and upload that.")
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise _mismatch(ext, data, "a Word document")


def read_upload(filename: str, data: bytes) -> Document:
    """Read an uploaded file by its extension, once its content is shown to match.

    The filename is used for its extension only, never as a path.

    Args:
        filename: the name the editor's file had.
        data: the file's bytes.

    Raises:
        SourceError: an unknown extension, an empty file, content that does not match the
            extension, or whatever the format's reader refuses.
    """
    ext = extension(filename)
    reader = _READERS.get(ext)
    if reader is None:
        named = f"{ext} files" if ext else "files without an extension"
        raise SourceError(f"Parley cannot read {named}; it accepts {', '.join(ACCEPTED_EXTENSIONS)}.")
    if not data.strip():
        raise SourceError("The file is empty.")
    return reader(ext, data)
