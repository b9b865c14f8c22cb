"""statements_bulk_review: many drafts decided at once, recorded like single decisions."""

from __future__ import annotations

from positions.models import Statement
from positions.services import statements_bulk_review
from tests.factories import ArticleFactory, StatementFactory


def _drafts(negotiation, count):
    article = ArticleFactory.create(negotiation=negotiation)
    actor = negotiation.actors.first()
    issue = negotiation.issues.get(key="hostages")
    return [StatementFactory.create(article=article, actor=actor, issues=[issue]) for _ in range(count)]


def test_approves_drafts_with_a_history_row_each_including_issues(negotiation, editor):
    drafts = _drafts(negotiation, 3)
    changed = statements_bulk_review(statement_ids=[s.pk for s in drafts], approve=True, user=editor)
    assert sorted(changed) == sorted((s.pk, 2) for s in drafts)
    for statement in Statement.objects.all():
        record = statement.history.latest()
        assert (statement.status, statement.version, statement.reviewed_by) == ("approved", 2, editor)
        assert (record.version, record.history_user, record.history_change_reason) == (
            2, editor, "approved (bulk)",
        )
        assert [row.issue.key for row in record.issues.all()] == ["hostages"]


def test_leaves_statements_that_are_no_longer_drafts(negotiation, editor):
    drafts = _drafts(negotiation, 2)
    Statement.objects.filter(pk=drafts[0].pk).update(status="approved", version=5)
    changed = statements_bulk_review(
        statement_ids=[s.pk for s in drafts], approve=False, user=editor, reason="noise"
    )
    assert changed == [(drafts[1].pk, 2)]
    assert Statement.objects.get(pk=drafts[0].pk).version == 5
    assert Statement.objects.get(pk=drafts[1].pk).history.latest().history_change_reason == (
        "rejected (bulk): noise"
    )
