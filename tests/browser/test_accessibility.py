"""Every page passes axe-core with no serious or critical violation.

axe-core comes from its npm package (package.json; `make test` runs `npm ci`), served to
the browser by Playwright under the site's own origin, so the page's CSP (scripts from
'self' only) applies as usual and nothing is fetched from a CDN.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import UserFactory
from tests.test_security_hostile import pages, world  # noqa: F401

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_PATH = "/__axe-core__/axe.min.js"


def axe_problems(page: Any, base: str) -> list[str]:
    """Serious and critical axe violations on the open page, one line each."""
    # Without the file the routed request never completes and the page waits forever.
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test does)"
    page.add_script_tag(url=base + AXE_PATH)
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['impact']} {v['id']}: {v['help']} ({len(v['nodes'])}×, e.g. {v['nodes'][0]['target']})"
        for v in result["violations"] if v["impact"] in ("serious", "critical")
    ]


def test_every_page_has_no_serious_or_critical_axe_violation(
    transactional_db, live_server, browser, world  # noqa: F811
) -> None:
    assert AXE.exists(), f"{AXE} is missing: run `npm ci` (make test does)"
    UserFactory.create(username="axe-editor", role="editor")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(f"**{AXE_PATH}", lambda route: route.fulfill(
        path=str(AXE), content_type="application/javascript"))
    page = context.new_page()
    page.set_default_timeout(30_000)
    found: dict[str, list[str]] = {}
    page.goto(live_server.url + "/accounts/login/")
    if problems := axe_problems(page, live_server.url):
        found["/accounts/login/"] = problems
    sign_in(page, live_server.url, "axe-editor")
    checked = 1
    for url in pages(world):
        if url.startswith("/export/"):
            continue  # a download, not a page
        response = page.goto(live_server.url + url)
        assert response is not None and response.status < 400, url
        if "html" not in (response.headers.get("content-type") or ""):
            continue
        page.wait_for_load_state("load")
        if problems := axe_problems(page, live_server.url):
            found[url] = problems
        checked += 1
    assert checked >= 15
    assert not found, "\n".join(f"{url}\n  " + "\n  ".join(lines) for url, lines in found.items())
