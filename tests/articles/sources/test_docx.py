"""Word documents: paragraphs and tables in order, metadata, and refusals."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import pytest

from articles.sources import SourceError, read_docx
from tests.articles.sources.builders import STORY_PARAGRAPHS, make_docx, make_zip


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return {info.filename: package.read(info) for info in package.infolist()}


def test_reads_paragraphs_one_per_line() -> None:
    document = read_docx(make_docx())

    assert document.body.split("\n") == list(STORY_PARAGRAPHS)
    assert document.source_format == "docx"


def test_takes_title_and_created_date_from_the_properties() -> None:
    data = make_docx(title="Crossings row", created=datetime(2024, 5, 14, 9, 0, tzinfo=UTC))

    meta = read_docx(data).meta

    assert meta.title == "Crossings row"
    assert meta.published == date(2024, 5, 14)


def test_moves_a_title_styled_headline_out_of_the_body() -> None:
    document = read_docx(make_docx(headline="Harbour talks stall"))

    assert document.meta.title == "Harbour talks stall"
    assert "Harbour talks stall" not in document.body


def test_keeps_the_properties_title_over_the_headline() -> None:
    document = read_docx(make_docx(headline="Talks stall", title="Harbour talks, day three"))

    assert document.meta.title == "Harbour talks, day three"
    assert "Talks stall" not in document.body


def test_reads_tables_row_by_row_after_the_paragraphs_before_them() -> None:
    data = make_docx(["Positions so far:"], table=[["Northland", "rejects"], ["Southport", "accepts"]])

    assert read_docx(data).body == "Positions so far:\nNorthland | rejects\nSouthport | accepts"


def test_ignores_a_created_date_in_the_future() -> None:
    data = make_docx(created=datetime(2999, 1, 1, tzinfo=UTC))

    assert read_docx(data).meta.published is None


def test_ignores_the_blank_template_creation_date() -> None:
    assert read_docx(make_docx()).meta.published is None


def test_refuses_a_document_without_text() -> None:
    with pytest.raises(SourceError, match="This Word document has no text"):
        read_docx(make_docx(["", "   "]))


def test_refuses_a_zip_that_is_not_a_word_document() -> None:
    with pytest.raises(SourceError, match=r"not a Word document \(\.docx\)"):
        read_docx(make_zip({"notes.txt": b"hello"}))


def test_refuses_a_word_document_with_broken_xml() -> None:
    members = _members(make_docx())
    members["word/document.xml"] = b'<w:document xmlns:w="urn:x"><w:body><w:p>'

    with pytest.raises(SourceError, match="This Word document is damaged and cannot be read"):
        read_docx(make_zip(members))


def test_refuses_bytes_that_are_not_a_zip() -> None:
    with pytest.raises(SourceError, match="This Word document is damaged or not a zip file"):
        read_docx(b"plain words, not a package")


def test_refuses_a_docx_bomb() -> None:
    members = _members(make_docx())
    members["word/media/padding.bin"] = b"\0" * 5_000_000

    with pytest.raises(SourceError, match="zip bomb"):
        read_docx(make_zip(members))
