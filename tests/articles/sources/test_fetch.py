"""Fetching by URL against a local server: limits, redirects, types, and address refusals."""

from __future__ import annotations

import gzip
import ipaddress
import socket
import time
from http.server import BaseHTTPRequestHandler

import pytest

from articles.sources import SourceError, SourceUnavailable, fetch
from articles.sources import fetch_url as _fetch_url
from articles.sources.document import Document
from tests.articles.sources.builders import STORY_PARAGRAPHS, STORY_TITLE, make_pdf, story_page
from tests.articles.sources.conftest import LocalWeb

PAGE = story_page().encode()


def fetch_local(url: str, **options: object) -> Document:
    """The tests' server is on 127.0.0.1, so success cases allow private addresses."""
    return _fetch_url(url, allow_private=True, **options)  # type: ignore[arg-type]  # each test passes the options it varies


# -- success ---------------------------------------------------------------------------


def test_fetches_a_page_and_reads_it_as_html(web: LocalWeb) -> None:
    web.serve("/story", PAGE)

    document = fetch_local(web.url("/story"))

    assert document.body.split("\n") == list(STORY_PARAGRAPHS)
    assert document.meta.title == STORY_TITLE
    assert document.meta.url == web.url("/story")
    assert document.source_format == "url"


def test_records_the_final_url_after_redirects(web: LocalWeb) -> None:
    web.redirect("/short", "/moved")
    web.redirect("/moved", web.url("/story"), status=301)
    web.serve("/story", PAGE)

    assert fetch_local(web.url("/short#top")).meta.url == web.url("/story")


def test_fetches_a_pdf(web: LocalWeb) -> None:
    web.serve(
        "/report.pdf", make_pdf(["The envoy's report runs to one line."]), content_type="application/pdf"
    )

    document = fetch_local(web.url("/report.pdf"))

    assert document.body == "The envoy's report runs to one line."
    assert document.meta.url == web.url("/report.pdf")


def test_fetches_plain_text_in_the_charset_the_server_names(web: LocalWeb) -> None:
    sentence = "Les délégués reviendront à la table après les fêtes."
    web.serve("/note", sentence.encode("latin-1"), content_type="text/plain; charset=ISO-8859-1")

    assert fetch_local(web.url("/note")).body == sentence


def test_accepts_a_compressed_page(web: LocalWeb) -> None:
    web.serve("/story", gzip.compress(PAGE), headers={"Content-Encoding": "gzip"})

    assert fetch_local(web.url("/story")).body.split("\n") == list(STORY_PARAGRAPHS)


def test_connects_to_the_address_it_checked_and_sends_the_host_name(
    web: LocalWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "courier.test" exists only in this patched resolver: the request can only arrive if
    # the fetcher connects to the address it resolved and checked itself.
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    web.serve("/story", PAGE)

    fetch_local(web.url("/story", host="courier.test"))

    [(_path, headers)] = web.requests
    assert headers["host"] == f"courier.test:{web.port}"


def test_fetches_over_https_checking_the_certificate_against_the_host_name(
    tls_web: LocalWeb, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    monkeypatch.setattr(fetch, "_CA_CERTS", tls_web.certificate)
    tls_web.serve("/story", PAGE)

    document = fetch_local(tls_web.url("/story", host="courier.test"))

    assert document.meta.url == f"https://courier.test:{tls_web.port}/story"
    with pytest.raises(SourceError, match="its certificate could not be verified"):
        fetch_local(tls_web.url("/story", host="other.test"))


def test_refuses_a_certificate_it_does_not_trust(tls_web: LocalWeb, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["127.0.0.1"])
    tls_web.serve("/story", PAGE)

    with pytest.raises(SourceError, match=r"The secure connection to courier\.test failed"):
        fetch_local(tls_web.url("/story", host="courier.test"))


# -- limits ----------------------------------------------------------------------------


def test_refuses_a_body_over_the_size_limit_while_streaming(web: LocalWeb) -> None:
    def endless(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/html")
        request.end_headers()
        while not web.stopping.is_set():
            request.wfile.write(b"<p>more words and more words</p>" * 1000)

    web.routes["/endless"] = endless

    with pytest.raises(SourceError, match=r"larger than the 0\.1 MB limit for fetched pages"):
        fetch_local(web.url("/endless"), max_bytes=100_000)


def test_refuses_a_declared_length_over_the_limit_before_reading(web: LocalWeb) -> None:
    web.serve("/big", b"x" * 300_000)

    with pytest.raises(SourceError, match=r"The page is 0\.3 MB, over the 0\.1 MB limit"):
        fetch_local(web.url("/big"), max_bytes=100_000)


def test_counts_the_limit_after_decompression(web: LocalWeb) -> None:
    web.serve("/bomb", gzip.compress(b"<p>" + b"a" * 5_000_000), headers={"Content-Encoding": "gzip"})

    with pytest.raises(SourceError, match=r"larger than the 1\.0 MB limit"):
        fetch_local(web.url("/bomb"), max_bytes=1_000_000)


def test_gives_up_on_a_server_that_never_answers(web: LocalWeb) -> None:
    web.routes["/silent"] = lambda request: web.pause(5)
    started = time.monotonic()

    with pytest.raises(SourceUnavailable, match=r"did not answer within 0\.5 seconds"):
        fetch_local(web.url("/silent"), timeout=0.5)
    assert time.monotonic() - started < 3


def test_gives_up_on_a_body_that_trickles_in(web: LocalWeb) -> None:
    def trickle(request: BaseHTTPRequestHandler) -> None:
        request.send_response(200)
        request.send_header("Content-Type", "text/plain")
        request.end_headers()
        while not web.stopping.is_set():
            request.wfile.write(b"a ")
            request.wfile.flush()
            web.pause(0.05)

    web.routes["/trickle"] = trickle
    started = time.monotonic()

    with pytest.raises(SourceUnavailable, match=r"did not answer within 1 second\."):
        fetch_local(web.url("/trickle"), timeout=1)
    assert time.monotonic() - started < 3


# -- redirects -------------------------------------------------------------------------


def test_refuses_a_redirect_loop(web: LocalWeb) -> None:
    web.redirect("/a", "/b")
    web.redirect("/b", "/a")

    with pytest.raises(SourceError, match="The address redirects in a loop"):
        fetch_local(web.url("/a"))


def test_refuses_more_redirects_than_allowed(web: LocalWeb) -> None:
    for hop in range(4):
        web.redirect(f"/hop{hop}", f"/hop{hop + 1}")
    web.serve("/hop4", PAGE)

    with pytest.raises(SourceError, match="The address redirects more than 3 times"):
        fetch_local(web.url("/hop0"))
    assert fetch_local(web.url("/hop1")).meta.url == web.url("/hop4")


def test_refuses_a_redirect_to_another_scheme(web: LocalWeb) -> None:
    web.redirect("/elsewhere", "file:///etc/passwd")

    with pytest.raises(SourceError, match="Only http:// and https:// addresses can be fetched"):
        fetch_local(web.url("/elsewhere"))


def test_refuses_a_redirect_without_a_location(web: LocalWeb) -> None:
    web.serve("/nowhere", status=302, content_type=None)

    with pytest.raises(SourceError, match="redirected without saying where"):
        fetch_local(web.url("/nowhere"))


# -- answers Parley cannot use ---------------------------------------------------------


def test_explains_a_missing_page(web: LocalWeb) -> None:
    with pytest.raises(SourceError, match=r"The page was not found \(HTTP 404 Not Found\)"):
        fetch_local(web.url("/gone"))


def test_marks_a_server_error_as_worth_retrying(web: LocalWeb) -> None:
    web.serve("/busy", b"try later", status=503, content_type="text/plain")

    with pytest.raises(SourceUnavailable, match=r"could not serve the page \(HTTP 503"):
        fetch_local(web.url("/busy"))


def test_refuses_a_login_wall(web: LocalWeb) -> None:
    web.serve("/paywall", b"members only", status=403, content_type="text/plain")

    with pytest.raises(SourceError, match=r"refused to serve the page \(HTTP 403"):
        fetch_local(web.url("/paywall"))


@pytest.mark.parametrize("content_type", ["image/png", "application/octet-stream", "application/zip"])
def test_refuses_a_content_type_it_cannot_read(web: LocalWeb, content_type: str) -> None:
    web.serve("/file", b"\x89PNG\r\n", content_type=content_type)

    with pytest.raises(SourceError, match=f"The address returned {content_type}; Parley can fetch"):
        fetch_local(web.url("/file"))


def test_refuses_an_answer_without_a_content_type(web: LocalWeb) -> None:
    web.serve("/untyped", PAGE, content_type=None)

    with pytest.raises(SourceError, match="The address returned no content type"):
        fetch_local(web.url("/untyped"))


def test_passes_on_the_readers_refusal(web: LocalWeb) -> None:
    web.serve("/scan.pdf", make_pdf(), content_type="application/pdf")

    with pytest.raises(SourceError, match="This PDF has no text layer"):
        fetch_local(web.url("/scan.pdf"))


def test_reports_a_refused_connection_as_worth_retrying() -> None:
    with socket.socket() as probe:  # a port nothing listens on once the probe closes
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]

    with pytest.raises(SourceUnavailable, match=r"Could not connect to 127\.0\.0\.1"):
        fetch_local(f"http://127.0.0.1:{port}/story")


# -- addresses refused without the setting ---------------------------------------------


def test_refuses_loopback_without_setting(web: LocalWeb) -> None:
    web.serve("/story", PAGE)

    with pytest.raises(SourceError, match=r"127\.0\.0\.1 is a loopback address; Parley only"):
        _fetch_url(web.url("/story"))
    assert web.requests == []


def test_refuses_localhost_by_name_without_setting(web: LocalWeb) -> None:
    with pytest.raises(SourceError, match=r"localhost \(127\.0\.0\.1\) is a loopback address"):
        _fetch_url(web.url("/story", host="localhost"))
    assert web.requests == []


def test_refuses_ipv6_loopback_without_setting() -> None:
    with pytest.raises(SourceError, match=r"::1 is a loopback address"):
        _fetch_url("http://[::1]/story")


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.1.2.3/story", "10.1.2.3 is a private address"),
        ("http://192.168.0.7/", "192.168.0.7 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[fe80::1]/", "fe80::1 is a link-local address"),
        ("http://224.0.0.1/", "224.0.0.1 is a multicast address"),
        ("http://0.0.0.0/", "0.0.0.0 is an unspecified address"),
        ("http://240.0.0.1/", "240.0.0.1 is a private address"),
        ("http://[::ffff:10.0.0.1]/", "::ffff:10.0.0.1 is a private address"),
        ("http://2130706433/", r"2130706433 \(127\.0\.0\.1\) is a loopback address"),
    ],
)
def test_refuses_non_public_addresses_without_setting(url: str, reason: str) -> None:
    with pytest.raises(SourceError, match=reason):
        _fetch_url(url)


def test_refuses_a_name_when_any_of_its_addresses_is_private(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A rebinding name answers with a public address and an inward one.
    monkeypatch.setattr(fetch, "resolve", lambda host, port: ["93.184.215.14", "10.0.0.8"])

    with pytest.raises(SourceError, match=r"mixed\.test \(10\.0\.0\.8\) is a private address"):
        _fetch_url("http://mixed.test/story")


def _public_for_tests(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the local server count as public, so the first hop passes the real checks."""
    real = fetch.refusal
    local = ipaddress.ip_address("127.0.0.1")
    monkeypatch.setattr(fetch, "refusal", lambda address: None if address == local else real(address))
    monkeypatch.setattr(fetch, "resolve", _literal_or_local)


@pytest.mark.parametrize(
    ("location", "reason"),
    [
        ("http://10.20.30.40/admin", "10.20.30.40 is a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
        ("http://[::1]:8080/", "::1 is a loopback address"),
    ],
)
def test_refuses_a_redirect_to_a_private_address(
    web: LocalWeb, monkeypatch: pytest.MonkeyPatch, location: str, reason: str
) -> None:
    _public_for_tests(monkeypatch)
    web.redirect("/story", location)

    with pytest.raises(SourceError, match=reason):
        _fetch_url(web.url("/story", host="courier.test"))
    assert [path for path, _ in web.requests] == ["/story"]


def _literal_or_local(host: str, port: int) -> list[str]:
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        return ["127.0.0.1"]


def test_refuses_a_url_with_credentials() -> None:
    with pytest.raises(SourceError, match="must not contain a user name or password"):
        _fetch_url("https://editor:hunter2@courier.example/story")


@pytest.mark.parametrize("url", ["ftp://courier.example/x", "file:///etc/passwd", "javascript:alert(1)"])
def test_refuses_other_schemes(url: str) -> None:
    with pytest.raises(SourceError, match="Only http:// and https:// addresses can be fetched"):
        _fetch_url(url)


def test_explains_a_name_that_does_not_resolve() -> None:
    with pytest.raises(SourceError, match=r"The site nowhere\.invalid could not be found"):
        _fetch_url("http://nowhere.invalid/story")
