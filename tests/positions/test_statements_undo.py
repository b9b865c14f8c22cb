"""statements_undo and statement_restore: going back a version without losing anyone's work."""

from __future__ import annotations

from positions.models import Person, Statement
from positions.services import (
    statement_approve,
    statement_restore,
    statement_split_parts,
    statements_undo,
)
from tests.factories import ArticleFactory, PersonFactory, StatementFactory


def _draft(negotiation):
    article = ArticleFactory.create(negotiation=negotiation)
    actor = negotiation.actors.first()
    return StatementFactory.create(article=article, actor=actor, issues=[negotiation.issues.get(key="hostages")])


def test_undo_restores_the_previous_version_as_a_new_one(negotiation, editor):
    draft = _draft(negotiation)
    approved = statement_approve(statement_id=draft.pk, version=1, user=editor)
    result = statements_undo(items=[(draft.pk, approved.version)], user=editor, label="approved")
    assert [s.pk for s in result.restored] == [draft.pk] and result.conflicts == []
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.reviewed_by) == ("draft", 3, None)


def test_undo_reports_a_statement_changed_since_and_leaves_it(negotiation, editor, admin_user):
    draft = _draft(negotiation)
    statement_approve(statement_id=draft.pk, version=1, user=editor)
    statement_restore(statement_id=draft.pk, version=2, to_version=1, user=admin_user)
    result = statements_undo(items=[(draft.pk, 2)], user=editor, label="approved")
    assert result.restored == [] and [s.pk for s in result.conflicts] == [draft.pk]
    assert Statement.objects.get(pk=draft.pk).version == 3


def test_restore_skips_a_person_deleted_since(negotiation, editor):
    draft = _draft(negotiation)
    person = PersonFactory.create(actor=draft.actor)
    Statement.objects.filter(pk=draft.pk).update(person=person)
    statement = Statement.objects.get(pk=draft.pk)
    statement._change_reason = "linked"
    statement.version = 2
    statement.save()
    statement_approve(statement_id=draft.pk, version=2, user=editor)
    Person.objects.filter(pk=person.pk).delete()
    restored = statement_restore(statement_id=draft.pk, version=3, to_version=2, user=editor)
    assert restored.person_id is None and restored.status == "draft"


def test_split_makes_a_fresh_draft_even_from_an_approved_statement(negotiation, editor):
    from positions.models import Evidence

    draft = _draft(negotiation)
    body = draft.article.body
    second = Evidence.objects.create(statement=draft, start=len(body) - 10, end=len(body), text=body[-10:])
    statement_approve(statement_id=draft.pk, version=1, user=editor)
    kept, [new] = statement_split_parts(statement_id=draft.pk, version=2, parts=[[second.pk]], user=editor)
    assert (new.status, new.version, new.reviewed_by, list(new.evidence.all())) == ("draft", 1, None, [second])
    assert kept.version == 3
