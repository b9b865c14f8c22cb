"""A researcher switches the side-by-side page between its three time modes, and each
swaps in a matrix that names its mode and shows that mode's answer; the page stays
accessible (axe-core) in every mode."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from positions.models import Outlet, Statement
from tests.browser.conftest import settled
from tests.browser.test_accessibility import AXE, AXE_PATH, axe_problems
from tests.browser.test_editor_and_researcher import sign_in
from tests.factories import (
    ActorFactory,
    ArticleFactory,
    IssueFactory,
    NegotiationFactory,
    ParticipationFactory,
    StatementFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

HistoricalStatement: Any = Statement.history.model


def _recorded(statement: Statement, day: date) -> None:
    """Date every history row of the statement written so far on that day."""
    HistoricalStatement.objects.filter(id=statement.pk, history_date__gt=datetime(2025, 1, 1, tzinfo=UTC)).update(
        history_date=datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    )


def _said(track, actor, issue, *, stance: str, stated: date, printed: date, approved: date) -> Statement:
    article = ArticleFactory.create(negotiation=track, published_on=printed,
                                    outlet=Outlet.objects.get_or_create(name="Quay Courier")[0])
    statement = StatementFactory.create(article=article, actor=actor, issues=[issue], stance=stance,
                                        stated_on=stated, status="approved",
                                        summary=f"Northland's {stance} on the captives.")
    _recorded(statement, approved)
    return statement


def test_a_researcher_switches_between_the_three_modes(transactional_db, live_server, browser, problems) -> None:
    track = NegotiationFactory.create(slug="quay-talks", name="Quay talks")
    north = ActorFactory.create(name="Northland")
    ParticipationFactory.create(negotiation=track, actor=north, role="party")
    captives = IssueFactory.create(negotiation=track, key="captives", keywords=["captives"])
    _said(track, north, captives, stance="reject", stated=date(2024, 2, 15), printed=date(2024, 3, 1),
          approved=date(2024, 3, 2))
    accepted = _said(track, north, captives, stance="accept", stated=date(2024, 2, 5),
                     printed=date(2024, 2, 6), approved=date(2024, 2, 7))
    accepted.stance, accepted.version = "condition", accepted.version + 1
    accepted.save()  # edited today: the record of 20 February still has the acceptance
    UserFactory.create(username="rita", role="researcher")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(f"**{AXE_PATH}", lambda route: route.fulfill(path=str(AXE), content_type="application/javascript"))
    page = problems.watch(context.new_page())
    base = live_server.url
    sign_in(page, base, "rita")
    page.goto(f"{base}/negotiations/quay-talks/?as_of=2024-02-20")
    matrix = page.locator("#matrix")
    expect(page.locator("#matrix-title")).to_have_text("Positions as of 20 February 2024")
    expect(matrix.locator("td.cell .stance").first).to_have_text("Reject")
    assert axe_problems(page, base) == []

    page.get_by_label("Published by", exact=True).check()
    settled(page)
    expect(page.locator("#matrix-title")).to_have_text("Positions published by 20 February 2024")
    expect(matrix.locator("td.cell .stance").first).to_have_text("Condition")
    assert "mode=published" in page.url
    assert axe_problems(page, base) == []

    page.get_by_label("Parley's record on", exact=True).check()
    settled(page)
    expect(page.locator("#matrix-title")).to_have_text("Positions in Parley's record on 20 February 2024")
    expect(matrix.locator("td.cell .stance").first).to_have_text("Accept")
    expect(matrix.locator("td.cell .since")).to_have_text("(edited since)")
    expect(page.locator("#matrix")).to_have_count(1)  # swapped, not nested in itself
    assert axe_problems(page, base) == []

    # The export link of what is shown carries the mode.
    href = matrix.get_by_role("link", name="JSON").first.get_attribute("href") or ""
    assert "mode=record" in href and "format=json" in href
