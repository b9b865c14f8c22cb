"""A selection becomes a statement without leaving the review page, in Chromium: the card
opens with the quick guess, a real worker reads the selection with the extractor, the card
fills in as it arrives, and saving shows the new statement's card in place."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from articles.models import SelectionReading
from positions.models import Statement
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import ArticleFactory, UserFactory

pytestmark = pytest.mark.browser

SENTENCE = "Northland said on Monday that it would accept a truce if the captives were freed."
BODY = f"Talks resumed by the harbour. {SENTENCE} The envoys then left for the night."


def test_a_selection_becomes_a_statement_inline(
    live_server, start_worker, browser, problems, negotiation
) -> None:
    start_worker()
    UserFactory.create(username="kit", role="editor")
    article = ArticleFactory.create(negotiation=negotiation, body=BODY, title="Harbour night",
                             published_on=date(2024, 1, 17))
    page = problems.watch(browser.new_context().new_page())
    sign_in(page, live_server.url, "kit")
    review = f"{live_server.url}/articles/{article.pk}/review/"
    page.goto(review)
    page.evaluate(
        """(sentence) => {
          const holder = document.querySelector('#article-body span');
          const text = holder.firstChild;
          const start = text.data.indexOf(sentence);
          const range = document.createRange();
          range.setStart(text, start);
          range.setEnd(text, start + sentence.length);
          const selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""", SENTENCE)
    expect(page.locator("#selection-text")).to_have_value(SENTENCE)
    page.keyboard.press("c")
    card = page.locator("#new-statement-card")
    expect(card.locator("form#new-statement-form")).to_be_visible()
    # The worker's reading arrives and the polling stops.
    expect(card.locator(".reading-done")).to_be_visible(timeout=90_000)
    reading = SelectionReading.objects.get()
    assert reading.reading and reading.error == ""
    northland = negotiation.actors.get(name="Northland")
    expect(card.locator("select[name=actor]")).to_have_value(str(northland.pk))
    expect(card.locator("input[name=stated_on]")).to_have_value(reading.reading["stated_on"])
    assert page.url == review
    card.locator("[data-action=create]").click()
    expect(card).to_contain_text("saved.")
    statement = Statement.objects.get()
    expect(page.locator(f"#new-statement-card #statement-{statement.pk}")).to_be_visible()
    assert page.url == review  # never left the page
    assert statement.actor == northland and statement.evidence.get().text == SENTENCE
    assert statement.stance == reading.reading["stance"]
