"""The proposals matrix and a proposal's page in Chromium: a researcher changes the date
(htmx swaps the matrix), compares with an earlier date, opens a proposal from its row and
reads its versions and stances; axe-core finds no serious or critical violation on either."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, settled
from tests.browser.test_accessibility import AXE, AXE_PATH, axe_problems
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import ArticleFactory, ClauseFactory, ProposalFactory, StatementFactory, UserFactory

pytestmark = pytest.mark.browser


def test_researcher_reads_the_proposals_matrix_and_a_proposal(
    transactional_db, live_server, browser, problems, negotiation
) -> None:
    actors = {a.name: a for a in negotiation.actors.all()}
    hostages = negotiation.issues.get(key="hostages")
    plan = ProposalFactory.create(negotiation=negotiation, key="bay-plan", name="Bay plan",
                                  proposed_on=date(2024, 3, 1), proposed_by=[actors["Mediatia"]])
    ClauseFactory.create(proposal=plan, key="swap", issue=hostages, text="Ten captives for each week of calm.")
    revision = ProposalFactory.create(negotiation=negotiation, key="bay-plan-2", name="Bay plan, second text",
                                      proposed_on=date(2024, 4, 2), parent=plan)
    ClauseFactory.create(proposal=revision, key="swap", issue=hostages, text="Twelve captives for each week of calm.")
    for day, stance, summary in ((date(2024, 3, 4), "reject", "Southport turned the plan down"),
                                 (date(2024, 5, 6), "accept", "Southport said yes to the plan")):
        StatementFactory.create(
            article=ArticleFactory.create(negotiation=negotiation, published_on=day), actor=actors["Southport"],
            issues=[hostages], stance=stance, summary=summary, stated_on=day, status="approved", proposal=plan,
        )
    UserFactory.create(username="prue", role="researcher")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(f"**{AXE_PATH}", lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"))
    page = problems.watch(context.new_page())
    base = live_server.url
    sign_in(page, base, "prue")

    page.goto(f"{base}/negotiations/{negotiation.slug}/")
    page.get_by_role("link", name="Proposals").first.click()
    expect(page.locator("h1")).to_contain_text("proposals")
    page.fill("#id_as_of", "2024-04-01")
    page.fill("#id_compare", "2024-03-02")
    page.get_by_role("button", name="Show").click()
    settled(page)
    matrix = page.locator("#proposals-matrix")
    expect(matrix.locator("tbody tr")).to_have_count(1)  # the second text came later
    expect(matrix.locator("td.cell.changed")).to_have_count(1)
    expect(matrix.locator("td.cell.changed .stance")).to_have_text("Reject")
    assert "as_of=2024-04-01" in page.url
    page.fill("#id_as_of", "2024-06-01")
    page.get_by_role("button", name="Show").click()
    settled(page)
    expect(matrix.locator("tbody tr")).to_have_count(2)
    expect(matrix.locator("tbody tr.depth-1")).to_contain_text("Bay plan, second text")
    expect(matrix.locator("td.cell.changed .stance")).to_have_text("Accept")
    assert not axe_problems(page, base), axe_problems(page, base)
    screenshot(page, "proposals-matrix")

    matrix.get_by_role("link", name="Bay plan", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Bay plan")
    versions = page.locator(".versions")
    expect(versions.locator("del")).to_have_text("Ten")
    expect(versions.locator("ins")).to_have_text("Twelve")
    stances = page.locator("section.actor-stances", has_text="Southport")
    expect(stances.locator(".stance")).to_have_text(["Reject", "Accept"])
    assert not axe_problems(page, base), axe_problems(page, base)
    screenshot(page, "proposal-page")
