"""Uploads: the extension picks the reader, and the content must agree with it."""

from __future__ import annotations

import pytest

from articles.sources import ACCEPTED_EXTENSIONS, SourceError, read_upload
from tests.articles.sources.builders import (
    STORY_PARAGRAPHS,
    STORY_TEXT,
    make_docx,
    make_pdf,
    make_zip,
    story_page,
)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.mark.parametrize(
    ("filename", "data", "source_format"),
    [
        ("story.txt", STORY_TEXT.encode(), "text"),
        ("story.md", f"---\ntitle: Talks\n---\n{STORY_TEXT}".encode(), "markdown"),
        ("story.markdown", STORY_TEXT.encode(), "markdown"),
        ("story.html", story_page().encode(), "html"),
        ("story.htm", story_page().encode(), "html"),
        ("story.pdf", make_pdf(STORY_PARAGRAPHS), "pdf"),
        ("story.docx", make_docx(), "docx"),
    ],
)
def test_reads_each_accepted_format(filename: str, data: bytes, source_format: str) -> None:
    document = read_upload(filename, data)

    assert document.source_format == source_format
    assert document.body.split() == STORY_TEXT.split()


def test_reads_extensions_in_any_case() -> None:
    assert read_upload("STORY.PDF", make_pdf(["Loud name, quiet text."])).source_format == "pdf"


def test_uses_only_the_extension_of_a_name_with_a_path() -> None:
    document = read_upload("../../etc/cron.d/story.txt", b"Just an ordinary sentence.")

    assert document.body == "Just an ordinary sentence."


def test_refuses_an_unknown_extension_listing_the_accepted_ones() -> None:
    with pytest.raises(SourceError) as refused:
        read_upload("story.rtf", b"{\\rtf1 hello}")

    assert str(refused.value) == (
        "Parley cannot read .rtf files; it accepts " + ", ".join(ACCEPTED_EXTENSIONS) + "."
    )


def test_refuses_a_file_without_an_extension() -> None:
    with pytest.raises(SourceError, match="Parley cannot read files without an extension"):
        read_upload("README", b"Some words.")


def test_treats_a_leading_dot_as_part_of_the_name() -> None:
    with pytest.raises(SourceError, match="files without an extension"):
        read_upload(".txt", b"Some words.")


@pytest.mark.parametrize("data", [b"", b"   \n\t  \r\n"])
def test_refuses_an_empty_file(data: bytes) -> None:
    with pytest.raises(SourceError, match="The file is empty"):
        read_upload("story.txt", data)


def test_refuses_an_image_named_as_text() -> None:
    with pytest.raises(SourceError, match=r"The file is named \.txt but it contains a PNG image"):
        read_upload("story.txt", PNG)


def test_refuses_binary_data_named_as_text() -> None:
    with pytest.raises(SourceError, match="This file looks like binary data, not text"):
        read_upload("story.md", bytes(range(1, 32)) * 50)


def test_refuses_a_pdf_named_as_a_web_page() -> None:
    with pytest.raises(SourceError, match=r"The file is named \.html but it contains a PDF"):
        read_upload("story.html", make_pdf(STORY_PARAGRAPHS))


def test_refuses_a_pdf_extension_on_other_content() -> None:
    with pytest.raises(SourceError, match=r"The file is named \.pdf but its content is not a PDF"):
        read_upload("story.pdf", STORY_TEXT.encode())


def test_refuses_a_docx_extension_on_text() -> None:
    with pytest.raises(SourceError, match=r"The file is named \.docx but its content is not a Word document"):
        read_upload("story.docx", STORY_TEXT.encode())


def test_refuses_a_zip_named_docx_without_a_document_inside() -> None:
    with pytest.raises(SourceError, match=r"This file is not a Word document \(\.docx\)"):
        read_upload("story.docx", make_zip({"story.txt": STORY_TEXT.encode()}))


def test_explains_an_old_word_file() -> None:
    old_doc = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512

    with pytest.raises(SourceError, match=r"old Word \.doc file; save it as \.docx"):
        read_upload("story.docx", old_doc)


def test_decodes_text_in_another_encoding() -> None:
    sentence = "Les délégués ont quitté la salle à minuit."

    assert read_upload("note.txt", sentence.encode("cp1252")).body == sentence
