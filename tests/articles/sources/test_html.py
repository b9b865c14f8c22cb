"""Web pages: the story's text only, with its title, outlet and original date."""

from __future__ import annotations

from datetime import date

import pytest

from articles.sources import SourceError, read_html
from tests.articles.sources.builders import (
    STORY_OUTLET,
    STORY_PARAGRAPHS,
    STORY_TITLE,
    story_page,
)


def test_keeps_the_story_and_drops_navigation_ads_and_comments() -> None:
    document = read_html(story_page())

    assert document.body.split("\n") == list(STORY_PARAGRAPHS)
    for clutter in ("Front page", "Sponsored", "Advertisement", "Nobody in my village", "rights"):
        assert clutter not in document.body
    assert document.source_format == "html"


def test_never_keeps_markup_or_script_in_the_body() -> None:
    body = read_html(story_page()).body

    for trace in ("<", ">", "tracker", "document.", "alert", "Injected", "onerror", "iframe"):
        assert trace not in body


def test_leaves_the_headline_and_byline_out_of_the_body() -> None:
    body = read_html(story_page()).body

    assert STORY_TITLE not in body
    assert "Ilse Marrow" not in body


def test_reads_title_outlet_and_canonical_url_from_metadata() -> None:
    meta = read_html(story_page()).meta

    assert meta.title == STORY_TITLE
    assert meta.outlet == STORY_OUTLET
    assert meta.url == "https://courier.example/world/harbour-talks-stall"


def test_takes_the_original_publication_date_not_the_modified_one() -> None:
    assert read_html(story_page()).meta.published == date(2024, 5, 14)


def test_prefers_the_url_it_was_given_over_the_canonical_one() -> None:
    meta = read_html(story_page(), url="https://mirror.example/copy").meta

    assert meta.url == "https://mirror.example/copy"


def test_ignores_a_publication_date_in_the_future() -> None:
    page = story_page().replace("2024-05-14T08:10:00+00:00", "2999-01-01T00:00:00+00:00")
    page = page.replace('<time datetime="2024-05-14">14 May 2024</time>', "")

    assert read_html(page).meta.published != date(2999, 1, 1)


def test_decodes_bytes_in_the_charset_the_page_declares() -> None:
    sentence = "Le médiateur a déclaré que la trêve tiendrait jusqu'à l'été prochain."
    page = (
        '<html><head><meta charset="windows-1252"><title>Trêve</title></head>'
        f"<body><article><p>{sentence}</p></article></body></html>"
    ).encode("cp1252")

    assert read_html(page).body == sentence


def test_reads_a_bare_fragment() -> None:
    document = read_html("<p>The two delegations agreed to meet again after the holiday.</p>")

    assert document.body == "The two delegations agreed to meet again after the holiday."


def test_refuses_a_page_with_only_navigation() -> None:
    page = (
        "<html><head><title>Index</title></head><body><nav><a href='/'>Home</a> "
        "<a href='/a'>About us</a> <a href='/b'>Archive</a></nav><footer>Contact</footer>"
        "</body></html>"
    )

    with pytest.raises(SourceError, match="No article text could be found on this page"):
        read_html(page)


def test_refuses_a_page_that_is_all_script() -> None:
    page = (
        "<html><head><script>var story = 'Delegates said the talks were over for now.';</script>"
        "</head><body><div id='app'></div><script>render(story);</script></body></html>"
    )

    with pytest.raises(SourceError, match="built by JavaScript"):
        read_html(page)


def test_refuses_an_empty_page() -> None:
    with pytest.raises(SourceError, match="The page is empty"):
        read_html(b"  \n ")


def test_does_not_fetch_a_page_given_as_an_address() -> None:
    # htmldate downloads strings that look like URLs; the network guard fails the test if
    # anything tries.
    with pytest.raises(SourceError, match="No article text"):
        read_html("https://courier.example/world/harbour-talks-stall")


def test_refuses_binary_data() -> None:
    with pytest.raises(SourceError, match="binary data"):
        read_html(b"\x00\x01\x02<html>\x00\xff")


def test_leaves_out_a_headline_shorter_than_the_title() -> None:
    page = story_page().replace(
        f'<meta property="og:title" content="{STORY_TITLE}">',
        f'<meta property="og:title" content="{STORY_TITLE} - Lantern Courier">',
    )

    document = read_html(page)

    assert document.meta.title.startswith(STORY_TITLE)
    assert document.body.split("\n") == list(STORY_PARAGRAPHS)
