"""The review workspace at keyboard speed, in Chromium: j/k keep the current card in view
below the sticky toolbar; the focus comes back to the card after a save, a cancel and a
merge; an approved card leads with Edit."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from positions.models import Evidence, Statement
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import ArticleFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.browser

UNMARKED = "Later the mediators met again behind closed doors."
SENTENCES = [f"Envoy {n} said on Tuesday that the crossing must open before any exchange." for n in range(14)]


@pytest.fixture
def drafts(transactional_db, negotiation):
    UserFactory.create(username="kit", role="editor")
    body = " ".join(SENTENCES) + " " + UNMARKED
    article = ArticleFactory.create(negotiation=negotiation, body=body, title="Crossing talks",
                             published_on=date(2024, 1, 17))
    actor = negotiation.actors.get(name="Northland")
    issue = negotiation.issues.get(key="hostages")
    made = []
    for sentence in SENTENCES:
        statement = StatementFactory.create(article=article, actor=actor, issues=[issue],
                                     summary=f"Northland (demand): {sentence[:40]}")
        statement.evidence.all().delete()
        start = body.index(sentence)
        Evidence.objects.create(statement=statement, start=start, end=start + len(sentence), text=sentence)
        made.append(statement)
    return article, made


def _in_view_below_toolbar(page: Any, statement_id: str) -> bool:
    return bool(page.evaluate(
        """(id) => {
          const card = document.getElementById('statement-' + id).getBoundingClientRect();
          const bar = document.querySelector('.review-toolbar').getBoundingClientRect();
          return card.top >= bar.bottom - 1 && card.top < window.innerHeight;
        }""", statement_id))


def test_keyboard_review_keeps_the_card_in_view_and_the_focus_on_it(
    live_server, browser, problems, drafts
) -> None:
    article, made = drafts
    page = problems.watch(browser.new_context(viewport={"width": 1200, "height": 640}).new_page())
    sign_in(page, live_server.url, "kit")
    page.goto(f"{live_server.url}/articles/{article.pk}/review/")
    cards = page.locator(".statement-card[data-statement]")
    expect(cards).to_have_count(len(made))
    ids = [cards.nth(i).get_attribute("data-statement") for i in range(len(made))]

    for index in range(1, len(ids)):
        page.keyboard.press("j")
        expect(page.locator(f"#statement-{ids[index]}")).to_have_class(_has("current"))
        assert _in_view_below_toolbar(page, ids[index]), f"j: card {index} hidden"
    for index in range(len(ids) - 2, -1, -1):
        page.keyboard.press("k")
        expect(page.locator(f"#statement-{ids[index]}")).to_have_class(_has("current"))
        assert _in_view_below_toolbar(page, ids[index]), f"k: card {index} hidden"

    # Down to the eighth card: cancel an edit with Esc, then save one with Enter.
    for _ in range(7):
        page.keyboard.press("j")
    current = ids[7]
    page.keyboard.press("e")
    expect(page.locator(f"form#statement-{current}")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator(f"article#statement-{current}")).to_be_visible()
    expect(page.locator(f"#statement-{current}")).to_be_focused()
    assert _in_view_below_toolbar(page, current)
    page.keyboard.press("e")
    page.locator(f"form#statement-{current} #id_via").fill("Reuters")
    page.locator(f"form#statement-{current} #id_via").press("Enter")
    expect(page.locator(f"article#statement-{current}")).to_contain_text("Reuters")
    expect(page.locator(f"#statement-{current}")).to_be_focused()
    assert _in_view_below_toolbar(page, current)

    # Approved: the card leads with Edit, not Approve.
    page.keyboard.press("a")
    approved = page.locator(f"article#statement-{current}")
    expect(approved).to_have_class(_has("status-approved"))
    expect(approved.locator("[data-action=approve]")).to_have_count(0)
    expect(approved.locator("[data-action=edit]")).to_have_class(_has("primary"))
    expect(approved).not_to_contain_text("v2")

    # Merge from the statement page: back in the workspace, the merged card has the focus.
    twin = ids[9]
    page.goto(f"{live_server.url}/articles/statements/{twin}/")
    page.fill("#canonical", ids[8])
    page.locator("#merge form.inline button[type=submit]").click()
    page.wait_for_url(f"**/articles/{article.pk}/review/#statement-{twin}")
    expect(page.locator(f"#statement-{twin}")).to_be_focused()
    expect(page.locator(f"#statement-{twin}")).to_have_class(_has("status-duplicate"))
    assert _in_view_below_toolbar(page, twin)
    assert Statement.objects.get(pk=twin).duplicate_of_id == int(ids[8])
    assert not problems.seen, "\n".join(problems.seen)


def _has(name: str) -> Any:
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def test_undo_walks_back_several_steps_on_this_page(
    live_server, browser, problems, drafts
) -> None:
    article, _made = drafts
    page = problems.watch(browser.new_context(viewport={"width": 1200, "height": 800}).new_page())
    sign_in(page, live_server.url, "kit")
    page.goto(f"{live_server.url}/articles/{article.pk}/review/")
    cards = page.locator(".statement-card[data-statement]")
    ids = [cards.nth(i).get_attribute("data-statement") for i in range(3)]
    for statement_id in ids:
        expect(page.locator(f"#statement-{statement_id}")).to_have_class(_has("current"))
        page.keyboard.press("a")
        expect(page.locator(f"#statement-{statement_id}")).to_have_class(_has("status-approved"))
    bar = page.locator("#undo-bar")
    expect(bar).to_contain_text("Last on the review of “Crossing talks”")
    expect(bar).to_contain_text("3 steps to undo")
    for statement_id in reversed(ids):
        page.keyboard.press("u")
        expect(page.locator(f"#statement-{statement_id}")).to_have_class(_has("status-draft"))
    expect(bar).not_to_contain_text("Last on")
    assert set(Statement.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"draft"}
    assert not problems.seen, "\n".join(problems.seen)


def test_shift_enter_saves_and_approves_and_shift_r_rejects(
    live_server, browser, problems, drafts
) -> None:
    article, _made = drafts
    page = problems.watch(browser.new_context(viewport={"width": 1200, "height": 800}).new_page())
    sign_in(page, live_server.url, "kit")
    page.goto(f"{live_server.url}/articles/{article.pk}/review/")
    cards = page.locator(".statement-card[data-statement]")
    first, second, third = (cards.nth(i).get_attribute("data-statement") for i in range(3))
    expect(page.locator(f"#statement-{first}")).to_have_class(_has("current"))
    page.keyboard.press("e")
    page.locator(f"form#statement-{first} #id_stance").select_option("reject")
    page.locator(f"form#statement-{first} #id_via").press("Shift+Enter")
    expect(page.locator(f"article#statement-{first}")).to_have_class(_has("status-approved"))
    expect(page.locator(f"#statement-{second}")).to_be_focused()  # moved on, as after a decision
    page.keyboard.press("R")
    expect(page.locator(f"#statement-{second}")).to_have_class(_has("status-rejected"))
    expect(page.locator(f"#statement-{third}")).to_have_class(_has("current"))
    saved = Statement.objects.get(pk=first)
    assert (saved.status, saved.stance, saved.version) == ("approved", "reject", 2)
    assert Statement.objects.get(pk=second).status == "rejected"
    assert not problems.seen, "\n".join(problems.seen)


def test_a_selection_becomes_evidence_of_the_current_card_with_v(
    live_server, browser, problems, drafts
) -> None:
    article, _made = drafts
    page = problems.watch(browser.new_context(viewport={"width": 1200, "height": 800}).new_page())
    sign_in(page, live_server.url, "kit")
    page.goto(f"{live_server.url}/articles/{article.pk}/review/")
    first = page.locator(".statement-card[data-statement]").first.get_attribute("data-statement")
    expect(page.locator(f"#statement-{first}")).to_have_class(_has("current"))
    # Select a word of the text no statement uses yet (a double click), then press v.
    page.locator("#article-body span[data-start]").last.dblclick(position={"x": 12, "y": 6})
    expect(page.locator("#add-evidence-text")).not_to_have_value("")
    page.keyboard.press("v")
    page.wait_for_url(f"**/articles/{article.pk}/review/#statement-{first}")
    expect(page.locator(f"#statement-{first}")).to_be_focused()
    expect(page.locator(f"#statement-{first} blockquote.evidence")).to_have_count(2)
    assert Statement.objects.get(pk=first).evidence.count() == 2
    assert not problems.seen, "\n".join(problems.seen)
