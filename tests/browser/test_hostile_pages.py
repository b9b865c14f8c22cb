"""Hostile text in a real browser: with script, event-handler and markup payloads stored in
every free-text field, every reader and editor page loads in Chromium without a dialog, a
console error (CSP violations included) or an uncaught exception, and shows the payloads as
text."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import UserFactory
from tests.test_security_hostile import SCRIPT, pages, world  # noqa: F401

pytestmark = pytest.mark.browser


def test_every_page_shows_hostile_text_as_text(
    transactional_db, live_server, browser, problems, world  # noqa: F811
) -> None:
    UserFactory.create(username="hostile-editor", role="editor")
    page = problems.watch(browser.new_context().new_page())
    sign_in(page, live_server.url, "hostile-editor")
    visited = 0
    for url in pages(world):
        if url.startswith("/export/"):
            continue  # a download, not a page (its cells are checked in test_security_hostile)
        response = page.goto(live_server.url + url)
        assert response is not None and response.status < 400, f"{url}: {response and response.status}"
        page.wait_for_load_state("load")
        # Nothing the payloads could have added runs or exists as an element.
        assert page.evaluate("document.querySelectorAll('script:not([src])').length") == 0, url
        assert page.evaluate("document.querySelectorAll('img[src=x], svg[onload], [onerror]').length") == 0, url
        assert page.evaluate("document.querySelectorAll('a[hx-get=\"/evil\"]').length") == 0, url
        visited += 1
    assert visited >= 15
    page.goto(f"{live_server.url}/articles/{world['article'].pk}/review/")
    expect(page.get_by_text(SCRIPT).first).to_be_visible()
    assert not problems.seen, "\n".join(problems.seen)
