"""Fetching an article from a URL without letting the URL reach inside our network.

Every hop, redirects included, resolves its host, refuses private, loopback, link-local,
multicast, reserved and unspecified addresses (unless ``allow_private``), and then connects
to the very address it checked, so a DNS answer that changes between the check and the
connection (rebinding) cannot redirect the request. Proxies from the environment are not
used.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import threading
import time
from dataclasses import dataclass, replace
from urllib.parse import urljoin, urlsplit

import urllib3
from urllib3.exceptions import (
    ConnectTimeoutError,
    DecodeError,
    HTTPError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)
from urllib3.util import parse_url

from articles.sources.document import Document, SourceError, SourceUnavailable
from articles.sources.encoding import decode_text
from articles.sources.html import read_html
from articles.sources.pdf import read_pdf
from articles.sources.text import read_text
from articles.sources.ziplimits import megabytes

try:
    import certifi

    _CA_CERTS: str | None = certifi.where()
except ImportError:  # pragma: no cover - urllib3 then uses the system's store
    _CA_CERTS = None

USER_AGENT = "Parley/0.1 (article fetcher)"
ACCEPTED_TYPES = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "application/pdf": "pdf",
}
_ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,application/pdf;q=0.8"
# What feeds are served as in the wild: their own types, generic XML, and plain text.
FEED_TYPES = {
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/rdf+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
    "text/plain": "feed",
}
_FEED_ACCEPT = "application/rss+xml,application/atom+xml,application/xml;q=0.9,text/xml;q=0.9"
_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 65_536
_NAT64 = ipaddress.ip_network("64:ff9b::/96")

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, NAT64), if any."""
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def refusal(address: Address) -> str | None:
    """Why a request may not go to ``address``, or None when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = _embedded_ipv4(address)
        if embedded is not None and (reason := refusal(embedded)):
            return reason
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "a non-public address"),
    )
    for failed, reason in checks:
        if failed:
            return reason
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address the host name resolves to, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise SourceError(f"The site {host} could not be found; check the address.") from None
    addresses: list[str] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = str(sockaddr[0]).split("%", 1)[0]
        if address not in addresses:
            addresses.append(address)
    return addresses


class _Target:
    """One hop's URL, taken apart and checked for shape."""

    def __init__(self, url: str) -> None:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            raise SourceError(f"{url!r} is not a valid web address.") from None
        if parts.scheme.lower() not in ("http", "https"):
            raise SourceError("Only http:// and https:// addresses can be fetched.")
        if parts.username is not None or parts.password is not None:
            raise SourceError("The address must not contain a user name or password.")
        if not parts.hostname:
            raise SourceError(f"{url!r} has no site name.")
        self.scheme = parts.scheme.lower()
        try:
            self.host = parts.hostname.encode("idna").decode("ascii")
        except UnicodeError:
            raise SourceError(f"{parts.hostname!r} is not a valid site name.") from None
        self.port = port or (443 if self.scheme == "https" else 80)
        self.url = parts._replace(fragment="").geturl()
        self.request_uri = parse_url(self.url).request_uri
        literal = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        self.host_header = literal if self.port == default else f"{literal}:{self.port}"


def _addresses(target: _Target, allow_private: bool) -> list[str]:
    addresses = resolve(target.host, target.port)
    if not addresses:
        raise SourceError(f"The site {target.host} could not be found; check the address.")
    if not allow_private:
        # All of them, not just the first: a name that also resolves inward is refused
        # whichever answer the connection would have used.
        for address in addresses:
            reason = refusal(ipaddress.ip_address(address))
            if reason:
                where = address if target.host == address else f"{target.host} ({address})"
                raise SourceError(f"{where} is {reason}; Parley only fetches public web addresses.")
    return addresses


def _seconds(timeout: float) -> str:
    return "1 second" if timeout == 1 else f"{timeout:g} seconds"


def _remaining(deadline: float, timeout: float) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise SourceUnavailable(f"The site did not answer within {_seconds(timeout)}.")
    return left


class _Watchdog:
    """Cuts the connection when the whole exchange's time is up.

    urllib3's timeouts apply to each read, so a server that sends its status line and
    headers a byte at a time holds the request open for as long as it likes; the body is
    checked between reads, but the headers are read inside http.client. At the deadline
    this shuts the socket down from a timer thread, which ends any read waiting on it.
    """

    def __init__(self, seconds: float) -> None:
        self.fired = False
        self.sockets: list[socket.socket] = []
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired = True
        for sock in list(self.sockets):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def watched(self, base: type) -> type:
        """A connection class of ``base`` whose sockets this watchdog can cut."""
        watchdog = self

        class Watched(base):  # type: ignore[misc]  # a class built on a base known only at run time
            def _new_conn(self) -> socket.socket:
                sock: socket.socket = super()._new_conn()
                watchdog.sockets.append(sock)
                if watchdog.fired:  # the time ran out while connecting
                    watchdog._fire()
                return sock

        return Watched

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _pool(target: _Target, address: str, wait: float) -> urllib3.HTTPConnectionPool:
    timeout = urllib3.Timeout(connect=wait, read=wait)
    if target.scheme == "https":
        return urllib3.HTTPSConnectionPool(
            address,
            target.port,
            timeout=timeout,
            retries=False,
            maxsize=1,
            cert_reqs="CERT_REQUIRED",
            ca_certs=_CA_CERTS,
            server_hostname=target.host,
            assert_hostname=target.host,
        )
    return urllib3.HTTPConnectionPool(address, target.port, timeout=timeout, retries=False, maxsize=1)


def _open(
    target: _Target, addresses: list[str], deadline: float, timeout: float, accept: str,
    watchdog: _Watchdog,
) -> tuple[urllib3.HTTPConnectionPool, urllib3.BaseHTTPResponse]:
    headers = {
        "Host": target.host_header,
        "User-Agent": USER_AGENT,
        "Accept": accept,
        "Accept-Encoding": "gzip, deflate",
    }
    last: Exception | None = None
    for address in addresses:
        pool = _pool(target, address, _remaining(deadline, timeout))
        pool.ConnectionCls = watchdog.watched(pool.ConnectionCls)
        try:
            response = pool.urlopen(
                "GET",
                target.request_uri,
                headers=headers,
                redirect=False,
                retries=False,
                preload_content=False,
                assert_same_host=False,
            )
        except NewConnectionError as error:
            pool.close()
            last = error
            continue
        except BaseException:
            pool.close()
            raise
        return pool, response
    raise SourceUnavailable(f"Could not connect to {target.host}; try again later.") from last


def _status_error(status: int, reason: str) -> SourceError:
    label = f"HTTP {status}{' ' + reason if reason else ''}"
    if status in (404, 410):
        return SourceError(f"The page was not found ({label}); check the address.")
    if status in (401, 403):
        return SourceError(
            f"The site refused to serve the page ({label}); it may need a login. Paste the text instead."
        )
    if status == 429 or status >= 500:
        return SourceUnavailable(f"The site could not serve the page ({label}); try again later.")
    return SourceError(f"The site answered {label} instead of the page.")


def _body(response: urllib3.BaseHTTPResponse, max_bytes: int, deadline: float, timeout: float) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise SourceError(
            f"The page is {megabytes(int(declared))}, over the {megabytes(max_bytes)} limit "
            f"for fetched pages."
        )
    chunks, size = [], 0
    while True:
        # read1 returns what has arrived, so a body that trickles in slowly still meets the
        # deadline check below instead of holding a worker for ever.
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise SourceError(f"The page is larger than the {megabytes(max_bytes)} limit for fetched pages.")
        chunks.append(chunk)
        _remaining(deadline, timeout)
    return b"".join(chunks)


def _read(kind: str, data: bytes, charset: str | None, url: str) -> Document:
    if kind == "pdf":
        document = read_pdf(data)
    elif kind == "html":
        if charset:
            document = read_html(decode_text(data, declared=charset, what="page"), url=url)
        else:
            document = read_html(data, url=url)
    else:
        document = read_text(decode_text(data, declared=charset, what="page"))
    return replace(document, meta=replace(document.meta, url=url), source_format="url")


def _content_type(response: urllib3.BaseHTTPResponse) -> tuple[str, str | None]:
    header = response.headers.get("Content-Type", "")
    mime, _, params = header.partition(";")
    charset = None
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip("\"'") or None
    return mime.strip().lower(), charset


@dataclass(frozen=True)
class _Answer:
    redirect: str = ""
    kind: str = ""
    data: bytes = b""
    charset: str | None = None


@dataclass(frozen=True)
class _Wanted:
    """The content types a fetch accepts (type to kind), what it asks for, and what it names."""

    types: dict[str, str]
    accept: str
    names: str


_ARTICLE = _Wanted(ACCEPTED_TYPES, _ACCEPT, "web pages, plain text and PDF files")
_FEED = _Wanted(FEED_TYPES, _FEED_ACCEPT, "RSS and Atom feeds")


def _exchange(
    target: _Target, addresses: list[str], max_bytes: int, deadline: float, timeout: float,
    wanted: _Wanted, watchdog: _Watchdog,
) -> _Answer:
    """One request and its answer: a redirect's location, or a body Parley can read."""
    pool, response = _open(target, addresses, deadline, timeout, wanted.accept, watchdog)
    try:
        if response.status in _REDIRECTS:
            location = response.headers.get("Location", "").strip()
            if not location:
                raise SourceError("The site redirected without saying where to.")
            return _Answer(redirect=urljoin(target.url, location))
        if not 200 <= response.status < 300:
            raise _status_error(response.status, response.reason or "")
        mime, charset = _content_type(response)
        kind = wanted.types.get(mime)
        if kind is None:
            raise SourceError(
                f"The address returned {mime or 'no content type'}; Parley can fetch {wanted.names} here."
            )
        data = _body(response, max_bytes, deadline, timeout)
        if watchdog.fired:  # the body "ended" because the watchdog cut it
            raise SourceUnavailable(f"The site did not answer within {_seconds(timeout)}.")
        return _Answer(kind=kind, data=data, charset=charset)
    finally:
        response.release_conn()
        pool.close()


def _exchange_or_explain(
    target: _Target, addresses: list[str], max_bytes: int, deadline: float, timeout: float,
    wanted: _Wanted,
) -> _Answer:
    watchdog = _Watchdog(_remaining(deadline, timeout))
    try:
        with watchdog:
            return _explained(target, addresses, max_bytes, deadline, timeout, wanted, watchdog)
    except SourceError:
        if watchdog.fired:  # whatever broke, it broke because the time was up
            raise SourceUnavailable(f"The site did not answer within {_seconds(timeout)}.") from None
        raise


def _explained(
    target: _Target, addresses: list[str], max_bytes: int, deadline: float, timeout: float,
    wanted: _Wanted, watchdog: _Watchdog,
) -> _Answer:
    try:
        return _exchange(target, addresses, max_bytes, deadline, timeout, wanted, watchdog)
    except NewConnectionError:  # before the timeout clause: urllib3 makes it a subclass
        raise SourceUnavailable(f"Could not connect to {target.host}; try again later.") from None
    except (ConnectTimeoutError, ReadTimeoutError, TimeoutError):
        raise SourceUnavailable(f"The site did not answer within {_seconds(timeout)}.") from None
    except SSLError:
        raise SourceError(
            f"The secure connection to {target.host} failed; its certificate could not be verified."
        ) from None
    except DecodeError:
        raise SourceError("The site sent a damaged compressed response.") from None
    except (ProtocolError, HTTPError, OSError):
        raise SourceUnavailable(f"The connection to {target.host} broke off; try again later.") from None


def _follow(
    url: str, *, allow_private: bool, timeout: float, max_bytes: int, max_redirects: int,
    wanted: _Wanted,
) -> tuple[_Answer, str]:
    """Follow redirects, each hop checked like the first, to an answer and its final address."""
    deadline = time.monotonic() + timeout
    target = _Target(url.strip())
    seen = {target.url}
    for hop in range(max_redirects + 1):
        addresses = _addresses(target, allow_private)
        answer = _exchange_or_explain(target, addresses, max_bytes, deadline, timeout, wanted)
        if not answer.redirect:
            return answer, target.url
        target = _Target(answer.redirect)
        if target.url in seen:
            raise SourceError("The address redirects in a loop; open it in a browser.")
        seen.add(target.url)
        if hop == max_redirects:
            break
    raise SourceError(
        f"The address redirects more than {max_redirects} times; open it in a browser and "
        f"use the final address."
    )


def fetch_url(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10,
    max_bytes: int = 5_000_000,
    max_redirects: int = 3,
) -> Document:
    """Fetch a web page, plain text or PDF and read it as an article.

    Args:
        url: an http:// or https:// address.
        allow_private: let requests reach private and loopback addresses (tests, intranets).
        timeout: the most seconds the whole fetch may take, every hop and the body included.
        max_bytes: the most the body may hold, counted as it arrives.
        max_redirects: the most redirects followed; each is checked like the first address.

    Returns:
        The document, with ``meta.url`` set to the address finally read and
        ``source_format`` "url".

    Raises:
        SourceUnavailable: a timeout, a connection failure, 429 or a 5xx; worth retrying.
        SourceError: anything else the editor must fix: a refused address, a redirect loop
            or too many redirects, another error status, a content type Parley cannot
            read, a body over the limit, or whatever the format's reader refuses.
    """
    answer, final = _follow(
        url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes,
        max_redirects=max_redirects, wanted=_ARTICLE,
    )
    return _read(answer.kind, answer.data, answer.charset, final)


def fetch_feed_bytes(
    url: str,
    *,
    allow_private: bool = False,
    timeout: float = 10,
    max_bytes: int = 5_000_000,
    max_redirects: int = 3,
) -> tuple[bytes, str]:
    """Fetch a feed document's bytes with the same safety as ``fetch_url``.

    Args:
        url: the feed's http:// or https:// address.
        allow_private, timeout, max_bytes, max_redirects: as for ``fetch_url``.

    Returns:
        The body's bytes (for ``read_feed``) and the address finally read.

    Raises:
        SourceUnavailable: as for ``fetch_url``.
        SourceError: as for ``fetch_url``; a content type other than a feed's or XML
            (a web page, for instance) is refused.
    """
    answer, final = _follow(
        url, allow_private=allow_private, timeout=timeout, max_bytes=max_bytes,
        max_redirects=max_redirects, wanted=_FEED,
    )
    return answer.data, final
