"""Fixtures for the source readers: no network beyond this machine, and a local web server."""

from __future__ import annotations

import contextlib
import ipaddress
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

_real_getaddrinfo = socket.getaddrinfo
_real_connect = socket.socket.connect


def _is_local(host: object) -> bool:
    try:
        return ipaddress.ip_address(str(host).split("%", 1)[0]).is_loopback
    except ValueError:
        return str(host) == "localhost"


def _is_numeric(host: str) -> bool:
    """An address the resolver reads without DNS (including legacy forms like 2130706433)."""
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
        return True
    except ValueError:
        pass
    try:
        socket.inet_aton(host)
        return True
    except OSError:
        return False


@pytest.fixture(autouse=True)
def _no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail loudly if a reader tries to resolve or reach anything but this machine."""

    def getaddrinfo(host, *args, **kwargs):
        if host != "localhost" and not _is_numeric(str(host)):
            raise socket.gaierror(f"tests may not resolve {host!r}")
        return _real_getaddrinfo(host, *args, **kwargs)

    def connect(sock, address):
        if isinstance(address, tuple) and not _is_local(address[0]):
            raise AssertionError(f"a test tried to connect to {address!r}")
        return _real_connect(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)


Handler = Callable[[BaseHTTPRequestHandler], None]


@dataclass
class LocalWeb:
    """A web server on 127.0.0.1 whose answers each test writes."""

    port: int = 0
    routes: dict[str, Handler] = field(default_factory=dict)
    requests: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    stopping: threading.Event = field(default_factory=threading.Event)
    certificate: str = ""

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        scheme = "https" if self.certificate else "http"
        return f"{scheme}://{host}:{self.port}{path}"

    def serve(
        self,
        path: str,
        body: bytes = b"",
        *,
        status: int = 200,
        content_type: str | None = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        def handler(request: BaseHTTPRequestHandler) -> None:
            request.send_response(status)
            if content_type:
                request.send_header("Content-Type", content_type)
            for name, value in (headers or {}).items():
                request.send_header(name, value)
            if "Content-Length" not in (headers or {}):
                request.send_header("Content-Length", str(len(body)))
            request.end_headers()
            request.wfile.write(body)

        self.routes[path] = handler

    def redirect(self, path: str, location: str, *, status: int = 302) -> None:
        self.serve(path, status=status, content_type=None, headers={"Location": location})

    def pause(self, seconds: float) -> None:
        """Sleep, but wake when the test ends so the server can stop."""
        self.stopping.wait(seconds)


def _run(state: LocalWeb, context: ssl.SSLContext | None = None) -> Iterator[LocalWeb]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            path = self.path.split("?", 1)[0]
            state.requests.append((self.path, {k.lower(): v for k, v in self.headers.items()}))
            handler = state.routes.get(path)
            if handler is None:
                self.send_error(404, "Not Found")
                return
            # The reader hangs up on an oversized or slow body, as it should.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                handler(self)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield state
    finally:
        state.stopping.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def web() -> Iterator[LocalWeb]:
    yield from _run(LocalWeb())


@pytest.fixture
def tls_web(tmp_path: Path) -> Iterator[LocalWeb]:
    """An HTTPS server whose self-signed certificate names courier.test (needs openssl)."""
    assert shutil.which("openssl"), "the openssl command is needed to make a test certificate"
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-keyout", str(key), "-out", str(cert), "-subj", "/CN=courier.test",
            "-addext", "subjectAltName=DNS:courier.test",
        ],
        check=True,
        capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    state = LocalWeb(certificate=str(cert))
    yield from _run(state, context)
