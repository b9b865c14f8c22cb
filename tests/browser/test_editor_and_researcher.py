"""End to end in Chromium: an editor uploads, watches ingestion on a real worker, reviews with
the keyboard; a researcher browses the timeline, the side-by-side as of a date, searches and
downloads a CSV. Any JavaScript dialog, console error (CSP violations included) or uncaught
exception fails the test; the hostile title and outlet would raise a dialog if they ran."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from positions.demo import demo_data, negotiation_load
from positions.models import Article, Statement
from tests.browser.conftest import screenshot
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.integration]

ARTICLE = (Path(__file__).resolve().parents[1] / "extraction" / "golden" / "truce_talks.txt").read_text()
BODY = ARTICLE.split("---", 2)[2].strip()
TITLE = 'Mediators press for a truce <img src=x onerror=alert("title")>'
OUTLET = "<script>alert('outlet')</script> desk"
PASSWORD = "correct horse battery"


def sign_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    expect(page.locator(".topbar .who")).to_have_text(username)


def test_editor_reviews_and_researcher_exports(
    live_server, start_worker, browser, problems
) -> None:
    start_worker()
    negotiation = negotiation_load(data=demo_data())
    UserFactory.create(username="erin", role="editor")
    UserFactory.create(username="rory", role="researcher")
    base = live_server.url

    # The editor: upload pasted text.
    editor = problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(editor, base, "erin")
    screenshot(editor, "overview")
    editor.goto(f"{base}/articles/upload/")
    editor.select_option("#id_negotiation", str(negotiation.pk))
    editor.fill("#id_text", BODY)
    editor.fill("#id_title", TITLE)
    editor.fill("#id_outlet", OUTLET)
    editor.fill("#id_published", "2024-03-14")
    screenshot(editor, "upload")
    editor.click("form.upload button[type=submit]")

    # The status region polls until the worker is done.
    expect(editor.locator("h1")).to_have_text(TITLE)
    status = editor.locator("#article-status")
    expect(status).to_contain_text("Done", timeout=120_000)
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.DONE
    drafts = article.statements.filter(status=Statement.Status.DRAFT).count()
    assert drafts >= 2, f"extraction made {drafts} drafts"
    screenshot(editor, "article-status")

    # Review with the keyboard: j/k move, a approves (and moves on), u undoes the last one.
    status.get_by_role("link", name="Review").click()
    editor.wait_for_url(f"**/articles/{article.pk}/review/")
    editor.wait_for_load_state("load")
    expect(editor.locator(".statement-card[data-statement]").first).to_be_visible()
    screenshot(editor, "review")
    cards = editor.locator(".statement-card[data-statement]")
    first_id = cards.nth(0).get_attribute("data-statement")
    second_id = cards.nth(1).get_attribute("data-statement")
    first, second = editor.locator(f"#statement-{first_id}"), editor.locator(f"#statement-{second_id}")
    expect(first).to_have_class(_has("current"))  # the first draft is selected on load
    editor.keyboard.press("j")
    expect(second).to_have_class(_has("current"))
    editor.keyboard.press("k")
    expect(first).to_have_class(_has("current"))
    editor.keyboard.press("a")
    expect(first).to_have_class(_has("status-approved"))
    expect(second).to_have_class(_has("current"))  # a decision moves on to the next draft
    editor.keyboard.press("a")
    expect(second).to_have_class(_has("status-approved"))
    expect(editor.locator("[data-action=undo]")).to_be_visible()
    editor.keyboard.press("u")
    expect(second).to_have_class(_has("status-draft"))
    screenshot(editor, "review-after-undo")
    approved = Statement.objects.get(pk=first_id)
    assert approved.status == Statement.Status.APPROVED
    assert approved.reviewed_by is not None
    assert approved.reviewed_by.username == "erin"
    assert Statement.objects.get(pk=second_id).status == Statement.Status.DRAFT
    assert Statement.objects.filter(status=Statement.Status.APPROVED).count() == 1

    # The researcher, in a browser of their own.
    researcher = problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(researcher, base, "rory")
    researcher.goto(f"{base}/actors/{approved.actor_id}/")
    expect(researcher.locator("h1")).to_contain_text(approved.actor.name)
    expect(researcher.locator(f"#timeline-results #statement-{approved.pk}")).to_be_visible()
    screenshot(researcher, "timeline")

    researcher.goto(f"{base}/negotiations/{negotiation.slug}/")
    researcher.fill("#id_as_of", "2024-03-20")
    researcher.click("form.filters button[type=submit]")
    expect(researcher.locator("#matrix caption")).to_contain_text("20 March 2024")
    expect(researcher.locator("#matrix")).to_have_count(1)  # swapped, not nested in itself
    expect(researcher.locator("#matrix")).to_contain_text(approved.actor.label)
    screenshot(researcher, "side-by-side")
    # Before the statement was made, the matrix does not show it.
    researcher.fill("#id_as_of", "2024-01-01")
    researcher.click("form.filters button[type=submit]")
    expect(researcher.locator("#matrix caption")).to_contain_text("1 January 2024")
    expect(researcher.locator(f'#matrix a[href$="/statements/{approved.pk}/"]')).to_have_count(0)

    # Provenance: the statement's page quotes its evidence and names its source.
    researcher.goto(f"{base}/statements/{approved.pk}/")
    evidence = approved.evidence.first()
    assert evidence is not None
    expect(researcher.locator("#evidence")).to_contain_text(evidence.text[:40])
    expect(researcher.locator("main")).to_contain_text(TITLE)  # the hostile title, as text
    screenshot(researcher, "statement")

    researcher.goto(f"{base}/negotiations/{negotiation.slug}/changes/?date_from=2024-03-01&date_to=2024-03-31")
    expect(researcher.locator("#changes-list")).to_be_visible()
    screenshot(researcher, "what-changed")

    researcher.goto(f"{base}/search/")
    word = _search_word(approved)
    researcher.fill("#id_q", word)
    researcher.click("form.filters button[type=submit]")
    expect(researcher.locator("#search-results")).to_contain_text("1 approved statement")
    expect(researcher.locator("#search-results")).to_have_count(1)
    screenshot(researcher, "search")

    researcher.goto(f"{base}/actors/{approved.actor_id}/")
    with researcher.expect_download() as info:
        researcher.locator("#timeline-results .exports a", has_text="CSV").first.click()
    download = info.value
    assert download.suggested_filename.startswith("parley-statements-")
    text = Path(download.path()).read_text(encoding="utf-8-sig")
    rows = [row for row in csv.reader(io.StringIO(text)) if row]
    header = next(i for i, row in enumerate(rows) if row[:2] == ["id", "date"])
    records = [dict(zip(rows[header], row, strict=False)) for row in rows[header + 1:]]
    assert [r["id"] for r in records] == [str(approved.pk)]
    record = records[0]
    assert record["actor"] == approved.actor.name
    assert record["article_title"] == TITLE
    assert record["outlet"] == OUTLET or record["outlet"] == "'" + OUTLET
    assert record["summary"] == approved.summary
    assert record["date"] == (approved.stated_on or date(2024, 3, 14)).isoformat()

    assert not problems.seen, "\n".join(problems.seen)


def _has(name: str) -> Any:
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def _search_word(statement: Statement) -> str:
    """A word of the statement's summary or speaker that the search should find."""
    for text in (statement.speaker, statement.summary):
        words = [w.strip(".,\"'") for w in text.split() if len(w.strip(".,\"'")) > 4]
        if words:
            return words[0]
    return statement.actor.name
