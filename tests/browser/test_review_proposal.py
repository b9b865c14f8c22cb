"""The proposal a draft responds to, in Chromium: the key p puts the keyboard on the card's
proposal field; another name of a proposal brings up its clauses; one is picked, saved and
the draft approved. A proposal Parley does not know yet is created from the card."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from positions.models import Proposal, Statement
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import ArticleFactory, ClauseFactory, ProposalFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.browser

BODY = "Northland said on Monday it accepts the ferry plan's truce but not the order of the releases."


@pytest.fixture
def setting(transactional_db, negotiation):
    UserFactory.create(username="kit", role="editor")
    article = ArticleFactory.create(negotiation=negotiation, body=BODY, title="Ferry talks",
                                    published_on=date(2024, 2, 12))
    ProposalFactory.create(negotiation=negotiation, key="harbour-framework", name="Harbour framework",
                           proposed_on=date(2024, 1, 2))
    plan = ProposalFactory.create(negotiation=negotiation, key="three-steps", name="Three-step plan",
                                  aliases=["the ferry plan"], proposed_on=date(2024, 2, 1))
    truce = ClauseFactory.create(proposal=plan, key="truce", text="Six weeks without fighting.")
    ClauseFactory.create(proposal=plan, key="release", text="Captives freed in stages.")
    statement = StatementFactory.create(article=article, actor=negotiation.actors.get(name="Northland"),
                                        stance="accept", issues=[negotiation.issues.get(key="ceasefire")])
    return article, statement, plan, truce


def _open(page, live_server, article, statement):
    sign_in(page, live_server.url, "kit")
    page.goto(f"{live_server.url}/articles/{article.pk}/review/")
    card = page.locator(f"#statement-{statement.pk}")
    expect(card).to_have_class(_has("current"))
    page.keyboard.press("p")
    field = card.locator("[data-field=proposal]")
    expect(field).to_be_focused()
    return card


def test_press_p_pick_a_proposal_and_a_clause_save_and_approve(live_server, browser, problems, setting):
    article, statement, plan, truce = setting
    page = problems.watch(browser.new_context().new_page())
    card = _open(page, live_server, article, statement)
    page.keyboard.type("the ferry plan")
    page.keyboard.press("Tab")  # the change brings up the plan's clauses
    clauses = card.locator("fieldset.clauses")
    expect(clauses).to_contain_text("Clauses of Three-step plan")
    expect(clauses.locator("input").first).to_be_focused()  # the keyboard moved on to them
    clauses.get_by_label("truce", exact=False).check()
    card.locator("[data-action=save-proposal]").click()
    expect(card.locator("dd.proposal")).to_contain_text("Three-step plan")
    expect(card.locator("dd.proposal")).to_contain_text("confirmed by an editor")
    expect(card).to_be_focused()
    page.keyboard.press("a")
    expect(card).to_have_class(_has("status-approved"))
    statement.refresh_from_db()
    assert (statement.status, statement.proposal, list(statement.clauses.all())) == ("approved", plan, [truce])
    assert statement.history.filter(history_change_reason="linked to proposal “Three-step plan”").exists()


def test_typing_a_name_and_enter_saves_at_once(live_server, browser, problems, setting):
    article, statement, plan, _ = setting
    page = problems.watch(browser.new_context().new_page())
    card = _open(page, live_server, article, statement)
    page.keyboard.type("ferry")
    page.keyboard.press("Enter")
    expect(card.locator("dd.proposal")).to_contain_text("Three-step plan")
    expect(card.locator(".proposal-link input[name=proposal]")).to_have_value("Three-step plan")
    statement.refresh_from_db()
    assert (statement.proposal, statement.version) == (plan, 2)


def test_create_a_proposal_from_the_card(live_server, browser, problems, setting, negotiation):
    article, statement, _, _ = setting
    page = problems.watch(browser.new_context().new_page())
    card = _open(page, live_server, article, statement)
    page.keyboard.type("Lighthouse paper")
    page.keyboard.press("Tab")
    expect(card.locator(".proposal-link .errorlist")).to_contain_text("is called “Lighthouse paper”")
    card.locator("[data-action=new-proposal]").click()
    form = card.locator("form.proposal-new")
    expect(form.locator("input[name=name]")).to_have_value("Lighthouse paper")
    expect(form.locator("input[name=name]")).to_be_focused()
    expect(form.locator("input[name=proposed_on]")).to_have_value("2024-02-12")
    expect(form.locator("input[name=version]")).to_be_hidden()
    form.locator("input[name=aliases]").fill("the lighthouse text")
    form.get_by_label("Northland").check()
    form.locator("[data-action=create-proposal]").click()
    expect(card.locator("dd.proposal")).to_contain_text("Lighthouse paper")
    # The new name is offered to every card from now on.
    expect(page.locator("#proposal-names option[value='Lighthouse paper']")).to_have_count(1)
    proposal = Proposal.objects.get(name="Lighthouse paper")
    assert (proposal.aliases, proposal.proposed_on, proposal.negotiation) == (
        ["the lighthouse text"], date(2024, 2, 12), negotiation)
    assert [actor.name for actor in proposal.proposed_by.all()] == ["Northland"]
    assert Statement.objects.get(pk=statement.pk).proposal == proposal


def _has(name: str):
    import re

    return re.compile(rf"(^|\s){name}(\s|$)")
