"""PDF files: the text layer, and clear refusals for scans, passwords and damage."""

from __future__ import annotations

import pytest

from articles.sources import SourceError, read_pdf
from tests.articles.sources.builders import STORY_PARAGRAPHS, encrypt_pdf, make_pdf


def test_reads_the_text_layer() -> None:
    document = read_pdf(make_pdf(["Northland rejected the proposal (for now).", "Talks go on."]))

    assert document.body == "Northland rejected the proposal (for now).\nTalks go on."
    assert document.source_format == "pdf"


def test_takes_the_title_from_the_document_information() -> None:
    document = read_pdf(make_pdf(STORY_PARAGRAPHS, title="Crossings row"))

    assert document.meta.title == "Crossings row"


def test_leaves_the_title_empty_without_document_information() -> None:
    assert read_pdf(make_pdf(STORY_PARAGRAPHS)).meta.title == ""


def test_refuses_a_scan_without_a_text_layer() -> None:
    with pytest.raises(SourceError, match=r"This PDF has no text layer \(a scan\?\)"):
        read_pdf(make_pdf())


def test_refuses_a_pdf_locked_with_a_password() -> None:
    locked = encrypt_pdf(make_pdf(STORY_PARAGRAPHS), user_password="s3cret")

    with pytest.raises(SourceError, match="protected by a password"):
        read_pdf(locked)


def test_reads_a_pdf_locked_only_against_editing() -> None:
    locked = encrypt_pdf(make_pdf(["Only the owner may edit this."]), user_password="")

    assert read_pdf(locked).body == "Only the owner may edit this."


def test_refuses_a_corrupt_pdf() -> None:
    with pytest.raises(SourceError, match="This PDF is damaged"):
        read_pdf(b"%PDF-1.4\n" + b"\x8f garbage that is no PDF at all " * 20)


def test_refuses_a_truncated_pdf() -> None:
    with pytest.raises(SourceError, match="This PDF is damaged"):
        read_pdf(make_pdf(STORY_PARAGRAPHS)[:200])
