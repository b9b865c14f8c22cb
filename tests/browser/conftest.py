"""Browser fixtures: Playwright driving Debian's chromium against pytest-django's live server.

Tasks run on a real Celery worker process (the integration fixtures, reused), so the
browser sees ingestion as production does: queued, then processing, then done.
Never run `playwright install`: the package's driver is enough with the system chromium.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.conftest import app_env, broker_url, start_worker  # noqa: F401

CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"
ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


class BrowserProblems:
    """JavaScript dialogs, console errors and uncaught exceptions seen on any page."""

    def __init__(self) -> None:
        self.seen: list[str] = []

    def watch(self, page: Any) -> Any:
        page.set_default_timeout(30_000)
        def on_dialog(dialog: Any) -> None:
            self.seen.append(f"dialog {dialog.type}: {dialog.message} on {page.url}")
            dialog.dismiss()

        page.on("dialog", on_dialog)
        def on_console(message: Any) -> None:
            if message.type == "error":
                self.seen.append(f"console error: {message.text} ({message.location.get('url')}) on {page.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda e: self.seen.append(f"page error: {e} on {page.url}"))
        return page


@pytest.fixture
def browser(monkeypatch) -> Iterator[Any]:
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: apt-get install -y chromium"
    from playwright.sync_api import expect, sync_playwright

    # CI machines are small and shared: wait longer than Playwright's 5 s before failing.
    expect.set_options(timeout=20_000)

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # between browser steps are plain synchronous code, so Django's guard is lifted here only.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    SCREENSHOTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def problems() -> Iterator[BrowserProblems]:
    found = BrowserProblems()
    yield found
    assert not found.seen, "The browser reported:\n" + "\n".join(found.seen)


def screenshot(page: Any, name: str) -> None:
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def settled(page: Any) -> None:
    """Wait until htmx has swapped and settled new content (its handlers are then attached:
    a key pressed earlier could submit a swapped-in form as a plain post)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-added, .htmx-settling')")
