"""One story, however it arrives, hashes alike: one article per content."""

from __future__ import annotations

import pytest

from articles.sources import content_hash, fetch_url, read_text, read_upload
from tests.articles.sources.builders import (
    STORY_PARAGRAPHS,
    STORY_TEXT,
    make_docx,
    make_pdf,
    story_page,
)
from tests.articles.sources.conftest import LocalWeb


@pytest.fixture
def pasted_hash() -> str:
    return content_hash(read_text(STORY_TEXT).body)


def test_pasted_uploaded_and_fetched_copies_hash_alike(web: LocalWeb, pasted_hash: str) -> None:
    web.serve("/story", story_page().encode())

    uploaded = read_upload("story.html", story_page().encode())
    fetched = fetch_url(web.url("/story"), allow_private=True)

    assert content_hash(uploaded.body) == pasted_hash
    assert content_hash(fetched.body) == pasted_hash


def test_paste_with_front_matter_and_other_spacing_hashes_alike(pasted_hash: str) -> None:
    pasted = "---\ntitle: Talks\noutlet: Courier\n---\n\n" + "\n\n\n".join(
        f"  {paragraph}  " for paragraph in STORY_PARAGRAPHS
    )

    assert content_hash(read_text(pasted).body) == pasted_hash


def test_pdf_and_word_copies_hash_alike(pasted_hash: str) -> None:
    pdf = read_upload("story.pdf", make_pdf(STORY_PARAGRAPHS, title="Talks"))
    word = read_upload("story.docx", make_docx(headline="Harbour talks stall"))

    assert content_hash(pdf.body) == pasted_hash
    assert content_hash(word.body) == pasted_hash


def test_a_changed_word_changes_the_hash(pasted_hash: str) -> None:
    edited = STORY_TEXT.replace("Wednesday", "Thursday")

    assert content_hash(read_text(edited).body) != pasted_hash
