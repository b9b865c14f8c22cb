"""A conditional statement without its condition text is flagged on its card."""

from __future__ import annotations

from django.template.loader import render_to_string

from tests.factories import StatementFactory


def card(statement) -> str:
    return render_to_string("positions/statement.html#card", {"statement": statement})


def test_a_condition_without_its_text_is_flagged(negotiation):
    actor = negotiation.actors.first()
    flagged = StatementFactory.create(negotiation=negotiation, actor=actor, stance="condition", conditions="")
    assert "Missing: a conditional position should say what it depends on." in card(flagged)


def test_a_condition_with_its_text_or_another_stance_is_not(negotiation):
    actor = negotiation.actors.first()
    stated = StatementFactory.create(negotiation=negotiation, actor=actor, stance="condition", conditions="a truce first")
    demand = StatementFactory.create(negotiation=negotiation, actor=actor, stance="demand", conditions="")
    assert "missing-condition" not in card(stated) and "a truce first" in card(stated)
    assert "missing-condition" not in card(demand)
