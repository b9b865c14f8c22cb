"""Limits that hold everywhere: a fetch's whole deadline (headers too), zip members held to
the single-file limit, links and special entries in a zip skipped and listed."""

from __future__ import annotations

import io
import stat
import time
import zipfile
from http.server import BaseHTTPRequestHandler

import pytest

from articles.sources import SourceUnavailable, fetch_url, read_zip
from tests.articles.sources.builders import STORY_TEXT
from tests.articles.sources.conftest import LocalWeb


def test_a_server_sending_its_headers_a_byte_at_a_time_meets_the_deadline(web: LocalWeb) -> None:
    def trickle_headers(request: BaseHTTPRequestHandler) -> None:
        head = b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Slow: " + b"a" * 200 + b"\r\n\r\n"
        for byte in head:
            if web.stopping.is_set():
                return
            request.wfile.write(bytes([byte]))
            request.wfile.flush()
            web.pause(0.05)

    web.routes["/slow-head"] = trickle_headers
    started = time.monotonic()
    with pytest.raises(SourceUnavailable, match=r"did not answer within 1 second\."):
        fetch_url(web.url("/slow-head"), allow_private=True, timeout=1)
    assert time.monotonic() - started < 2.5


def _zip_with(entries: list[tuple[zipfile.ZipInfo, str | bytes]]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            archive.writestr(info, data)
    return out.getvalue()


def _entry(name: str, mode: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix, so the mode is read
    info.external_attr = mode << 16
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def test_links_and_special_entries_are_skipped_and_listed() -> None:
    archive = _zip_with([
        (_entry("story.txt", stat.S_IFREG | 0o644), STORY_TEXT.encode()),
        (_entry("link.txt", stat.S_IFLNK | 0o777), b"/etc/passwd"),
        (_entry("pipe.txt", stat.S_IFIFO | 0o644), b""),
    ])
    results = dict(read_zip(archive))
    assert not isinstance(results["story.txt"], Exception)
    assert "symbolic link" in str(results["link.txt"])
    assert "not a regular file" in str(results["pipe.txt"])


def test_a_member_over_the_single_file_limit_is_refused_before_unpacking() -> None:
    archive = _zip_with([
        (_entry("big.txt", stat.S_IFREG | 0o644), (STORY_TEXT + "\n\n") * 200),
        (_entry("small.txt", stat.S_IFREG | 0o644), STORY_TEXT.encode()),
    ])
    results = dict(read_zip(archive, max_member_bytes=10_000))
    assert "over the limit of 0.0 MB" not in str(results["big.txt"])
    assert "larger than the single-file limit" in str(results["big.txt"])
    assert not isinstance(results["small.txt"], Exception)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_as_text(encoding: str) -> None:
    from articles.sources import read_text

    assert read_text(STORY_TEXT.encode(encoding)).body == STORY_TEXT


def test_binary_data_with_zero_bytes_is_still_refused() -> None:
    from articles.sources import SourceError, read_text

    with pytest.raises(SourceError, match="binary data"):
        read_text(bytes(range(256)) * 8)
