"""A plain `key: value` header (no `---` fences) at the top of an article is its metadata;
a dateline or any other line with a colon is not."""

from __future__ import annotations

from datetime import date

import pytest

from articles.extraction.frontmatter import FrontMatterError, split_front_matter, split_header

HEADED = (
    "title: Envoys meet again in the capital\n"
    "outlet: Harbour Post\n"
    "published: 2024-03-02\n"
    "source: https://harbour.example/envoys\n"
    "\n"
    "The mediators said on Friday that a new round would start soon.\n"
)


def test_a_header_of_known_keys_is_the_metadata_and_the_body_follows_the_blank_line() -> None:
    parsed = split_front_matter(HEADED)
    assert parsed.meta.title == "Envoys meet again in the capital"
    assert parsed.meta.outlet == "Harbour Post"
    assert parsed.meta.published == date(2024, 3, 2)
    assert parsed.meta.url == "https://harbour.example/envoys"
    assert parsed.body == "The mediators said on Friday that a new round would start soon.\n"


def test_date_and_url_keys_and_quoted_values_and_crlf() -> None:
    text = 'Title: "A quoted title"\r\nDate: 5 March 2024\r\nURL: https://x.example/a\r\n\r\nBody.'
    parsed = split_front_matter(text)
    assert (parsed.meta.title, parsed.meta.published, parsed.meta.url, parsed.body) == (
        "A quoted title", date(2024, 3, 5), "https://x.example/a", "Body.")


def test_a_source_that_is_not_a_url_is_ignored() -> None:
    parsed = split_front_matter("title: T\nsource: project seed article\n\nBody text.")
    assert (parsed.meta.title, parsed.meta.url, parsed.body) == ("T", "", "Body text.")


@pytest.mark.parametrize("text", [
    "Istanbul: Russia promised on Monday to keep the corridor open.\n\nMore text.",
    "Istanbul: Russia promised to keep the corridor open.\nIt said so twice.\n\nMore.",
    "title: Talks\nIstanbul: Russia promised to keep the corridor open.\n\nMore.",
    "Date: Monday\n\nThe talks went on.",
    "title: No blank line after it\nThe body starts at once.",
    "\ntitle: Not at the very top\n\nBody.",
    "title: Once\ntitle: Twice\n\nBody.",
])
def test_anything_but_a_header_is_body(text: str) -> None:
    assert split_header(text) is None
    parsed = split_front_matter(text)
    assert parsed.body == text and parsed.meta.title == ""


def test_a_header_with_an_unreadable_date_is_an_error_not_body() -> None:
    with pytest.raises(FrontMatterError, match="YYYY-MM-DD"):
        split_front_matter("title: Talks\npublished: last spring\n\nBody.")


def test_fenced_front_matter_still_wins() -> None:
    parsed = split_front_matter("---\ntitle: Fenced\n---\ntitle: not a header now\n\nBody.")
    assert parsed.meta.title == "Fenced"
    assert parsed.body.startswith("title: not a header now")
