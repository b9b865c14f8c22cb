"""Splitting in one step, in Chromium: from the review page the key s opens the statement's
split form with the keyboard on its first choice; one submit makes every part; u undoes it."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from positions.models import Evidence, Statement
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import ArticleFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.browser

SENTENCES = [
    "Northland wants the crossing opened this week.",
    "It also asks for a census of the detained.",
    "Finally it wants observers on the ridge road.",
]


@pytest.fixture
def bundled(transactional_db, negotiation):
    """One draft whose evidence is three claims that belong to three statements."""
    UserFactory.create(username="kit", role="editor")
    body = " ".join(SENTENCES)
    article = ArticleFactory.create(negotiation=negotiation, body=body, title="Ridge talks",
                             published_on=date(2024, 3, 5))
    statement = StatementFactory.create(article=article, actor=negotiation.actors.get(name="Northland"),
                                 issues=[negotiation.issues.get(key="hostages")])
    statement.evidence.all().delete()
    for sentence in SENTENCES:
        start = body.index(sentence)
        Evidence.objects.create(statement=statement, start=start, end=start + len(sentence), text=sentence)
    return article, statement


def test_split_into_three_with_the_keyboard_then_undo(live_server, browser, problems, bundled):
    article, statement = bundled
    page = problems.watch(browser.new_context().new_page())
    sign_in(page, live_server.url, "kit")
    page.goto(f"{live_server.url}/articles/{article.pk}/review/")
    expect(page.locator(f"#statement-{statement.pk}")).to_have_class(_has("current"))
    page.keyboard.press("s")
    page.wait_for_url(f"**/statements/{statement.pk}/#split")
    first = page.locator("#split-form select").first
    page.wait_for_load_state("load")
    expect(first).to_be_focused()
    selects = page.locator("#split-form .split-part select")
    expect(selects).to_have_count(3)
    # The first span stays; the second and third become new statements 1 and 2.
    selects.nth(1).select_option(label="new statement 1")
    selects.nth(2).select_option(label="new statement 2")
    selects.nth(2).focus()
    page.keyboard.press("Tab")
    # Past the stances (the same for every part here) to the button.
    for _ in range(3):
        page.keyboard.press("Tab")
    expect(page.locator("#split-form [data-action=split]")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/articles/{article.pk}/review/**")
    expect(page.locator(".statement-card[data-statement]")).to_have_count(3)
    parts = list(Statement.objects.exclude(pk=statement.pk).order_by("pk"))
    assert [[e.text for e in part.evidence.all()] for part in parts] == [[SENTENCES[1]], [SENTENCES[2]]]
    assert [e.text for e in statement.evidence.all()] == [SENTENCES[0]]

    page.locator("body").click(position={"x": 1, "y": 1})
    page.keyboard.press("u")
    expect(page.locator(".statement-card[data-statement]")).to_have_count(1)
    assert Statement.objects.count() == 1 and statement.evidence.count() == 3


def _has(name: str):
    import re

    return re.compile(rf"(^|\s){name}(\s|$)")
