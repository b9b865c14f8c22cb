"""RSS and Atom feeds: items as plain data; anything else refused."""

from __future__ import annotations

from datetime import date

import pytest

from articles.sources import FeedItem, SourceError, read_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0">
  <channel>
    <title>Lantern Courier: World</title>
    <link>https://courier.example/world</link>
    <description>World news</description>
    <item>
      <title>Crossings row &amp; what comes next</title>
      <link>https://courier.example/world/crossings-row</link>
      <pubDate>Tue, 14 May 2024 23:10:00 -0400</pubDate>
      <description>&lt;p&gt;Northland holds its line on the &lt;b&gt;crossings&lt;/b&gt;.&lt;/p&gt;&lt;script&gt;steal()&lt;/script&gt;</description>
    </item>
    <item>
      <title>A note without a link</title>
      <description>Nothing to fetch here.</description>
    </item>
    <item>
      <title>Undated item</title>
      <link>https://courier.example/world/undated</link>
    </item>
  </channel>
</rss>
"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>Harbour Monitor</title>
  <id>urn:uuid:4f1c2a44-0d7e-4c55-9d0e-1f0a2b3c4d5e</id>
  <updated>2024-05-16T10:00:00Z</updated>
  <link href="https://monitor.example/"/>
  <entry>
    <title type="html">Mediators &lt;em&gt;hopeful&lt;/em&gt;</title>
    <id>urn:uuid:7a7a7a7a-0000-4000-8000-000000000001</id>
    <link rel="alternate" href="/2024/05/mediators-hopeful"/>
    <published>2024-05-15T22:30:00-05:00</published>
    <updated>2024-05-16T09:00:00Z</updated>
    <summary type="html">&lt;p&gt;A new round is planned.&lt;/p&gt;</summary>
  </entry>
</feed>
"""


def test_reads_rss_items_as_plain_data() -> None:
    items = read_feed(RSS)

    assert items[0] == FeedItem(
        url="https://courier.example/world/crossings-row",
        title="Crossings row & what comes next",
        published=date(2024, 5, 14),
        summary="Northland holds its line on the crossings.",
    )
    assert items[1] == FeedItem(
        url="https://courier.example/world/undated", title="Undated item", published=None, summary=""
    )


def test_leaves_out_items_without_a_link() -> None:
    assert "A note without a link" not in [item.title for item in read_feed(RSS)]


def test_reads_atom_entries_resolving_links_against_the_site() -> None:
    [item] = read_feed(ATOM)

    assert item.url == "https://monitor.example/2024/05/mediators-hopeful"
    assert item.title == "Mediators hopeful"
    # The date the publisher wrote, not the UTC date it falls on.
    assert item.published == date(2024, 5, 15)
    assert item.summary == "A new round is planned."


def test_resolves_relative_links_against_the_feed_address() -> None:
    [item] = read_feed(ATOM, url="https://mirror.example/feeds/monitor.xml")

    assert item.url == "https://mirror.example/2024/05/mediators-hopeful"


def test_reads_a_feed_with_no_items() -> None:
    empty = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'

    assert read_feed(empty) == []


@pytest.mark.parametrize(
    "data",
    [
        b"<!DOCTYPE html><html><head><title>Courier</title></head><body><p>Hi</p></body></html>",
        b"Just a paragraph of words that is not a feed.",
        b"",
        b"\x89PNG\r\n\x1a\n\x00\x00",
    ],
)
def test_refuses_what_is_not_a_feed(data: bytes) -> None:
    with pytest.raises(SourceError, match="This is not an RSS or Atom feed"):
        read_feed(data)


def test_never_opens_bytes_that_look_like_a_file_name() -> None:
    # feedparser opens a string naming a readable file; the reader must not let it.
    with pytest.raises(SourceError, match="This is not an RSS or Atom feed"):
        read_feed(b"/etc/hostname")
