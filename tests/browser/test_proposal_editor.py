"""In Chromium: an editor creates a proposal with two clauses through the real form (the
second row added by htmx), then saves it unchanged, and nothing changes: no field, no
clause, no history row."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from positions.models import Clause, Proposal
from tests.browser.conftest import screenshot, settled
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import UserFactory

pytestmark = pytest.mark.browser


def _state(proposal: Proposal) -> tuple[Any, ...]:
    proposal.refresh_from_db()
    return (
        proposal.name, proposal.key, proposal.aliases, proposal.proposed_on, proposal.parent_id,
        proposal.summary, sorted(proposal.proposed_by.values_list("name", flat=True)),
        list(proposal.clauses.values_list("key", "issue__key", "text", "position")),
        proposal.history.count(), Clause.history.filter(proposal_id=proposal.pk).count(),
    )


def test_an_editor_creates_a_proposal_with_two_clauses_and_an_unchanged_save_changes_nothing(
    live_server, browser, problems, transactional_db, negotiation
) -> None:
    UserFactory.create(username="edna", role="editor")
    base = live_server.url
    page = problems.watch(browser.new_context(viewport={"width": 1280, "height": 900}).new_page())
    sign_in(page, base, "edna")

    page.goto(f"{base}/proposals/?negotiation={negotiation.slug}")
    page.get_by_role("link", name="New proposal").click()
    page.fill("#id_name", "Harbour framework")
    page.fill("#id_aliases", "the harbour plan\nthe framework")
    page.get_by_label("Mediatia").check()
    page.fill("#id_proposed_on", "2024-02-01")
    page.fill("#id_summary", "Six quiet weeks in exchange for the captives, in stages.")
    page.select_option("#id_clauses-0-issue", label="Hostages")
    page.fill("#id_clauses-0-text", "Captives go home in three groups.")

    page.click("button[data-action=add-clause]")
    expect(page.locator("#clause-row-2")).to_be_visible()
    settled(page)
    expect(page.locator("#id_clauses-TOTAL_FORMS")).to_have_value("2")
    page.select_option("#id_clauses-1-issue", label="Ceasefire")
    page.fill("#id_clauses-1-key", "truce")
    page.fill("#id_clauses-1-text", "No fighting for six weeks.")
    page.click("button[data-action=save]")

    expect(page.locator(".messages")).to_contain_text("Proposal “Harbour framework” saved.")
    proposal = Proposal.objects.get()
    assert page.url == f"{base}/proposals/{proposal.pk}/edit/"
    before = _state(proposal)
    assert before[:8] == (
        "Harbour framework", "harbour-framework", ["the harbour plan", "the framework"],
        proposal.proposed_on, None, "Six quiet weeks in exchange for the captives, in stages.",
        ["Mediatia"],
        [("hostages", "hostages", "Captives go home in three groups.", 0),
         ("truce", "ceasefire", "No fighting for six weeks.", 1)],
    )
    assert str(proposal.proposed_on) == "2024-02-01"
    expect(page.locator("#history")).to_contain_text("clause truce: added")
    expect(page.locator("#history")).to_contain_text("proposal: created")

    # Saved as the browser renders it: nothing changes, not even the history.
    page.click("button[data-action=save]")
    expect(page.locator(".messages")).to_contain_text("No changes to save.")
    assert page.url == f"{base}/proposals/{proposal.pk}/edit/"
    assert _state(proposal) == before
    screenshot(page, "proposal-editor")
