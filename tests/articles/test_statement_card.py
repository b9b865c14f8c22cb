"""The shared statement card: read-only unless a review view asks for its buttons."""

from __future__ import annotations

from django.template.loader import render_to_string

from tests.factories import StatementFactory


def test_research_pages_get_a_read_only_card_with_escaped_text(negotiation):
    statement = StatementFactory.create(
        article__negotiation=negotiation, actor=negotiation.actors.first(),
        summary="<img src=x onerror=alert(1)>",
    )
    html = render_to_string("positions/statement.html#card", {"statement": statement})
    assert f'id="statement-{statement.pk}"' in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "Approve" not in html and "/articles/statements/" not in html
    assert f"actor-{statement.actor_id % 8}" in html


def test_review_pages_get_the_buttons(negotiation):
    statement = StatementFactory.create(article__negotiation=negotiation, actor=negotiation.actors.first())
    html = render_to_string(
        "positions/statement.html#card", {"statement": statement, "review_actions": True}
    )
    assert 'data-action="approve"' in html and 'name="version" value="1"' in html
