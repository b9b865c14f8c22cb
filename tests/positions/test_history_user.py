"""The history names who made each change, whatever path the change took: a service called
with no request under way (a worker, a command, this test), a view, or the admin."""

from __future__ import annotations

from datetime import date

from django.test import Client

from articles.services import article_create
from articles.sources import read_text
from positions.models import Statement
from positions.services import (
    ArticleMetadata,
    article_seen,
    article_update_metadata,
    statement_approve,
    statement_reject,
    statement_split_parts,
)
from tests.factories import ArticleFactory, StatementFactory

BODY = "Northland accepted the truce on Monday. Southport said it would study the offer."


def _draft(negotiation) -> Statement:
    article = ArticleFactory.create(negotiation=negotiation, body=BODY)
    return StatementFactory.create(article=article, actor=negotiation.actors.first())


def test_an_approval_outside_a_request_names_its_editor(negotiation, editor):
    draft = _draft(negotiation)
    statement_approve(statement_id=draft.pk, version=draft.version, user=editor)
    latest = draft.history.latest()
    assert (latest.history_change_reason, latest.history_user, latest.status) == ("approved", editor, "approved")


def test_a_rejection_outside_a_request_names_its_editor(negotiation, editor):
    draft = _draft(negotiation)
    statement_reject(statement_id=draft.pk, version=draft.version, user=editor, reason="not a position")
    assert draft.history.latest().history_user == editor


def test_a_split_names_its_editor_on_both_statements(negotiation, editor):
    draft = _draft(negotiation)
    second = draft.evidence.create(start=40, end=len(BODY), text=BODY[40:])
    kept, [new] = statement_split_parts(
        statement_id=draft.pk, version=draft.version, parts=[[second.pk]], user=editor
    )
    records = [kept.history.latest(), new.history.earliest()]
    assert [record.history_user for record in records] == [editor, editor]


def test_an_article_records_who_brought_it_in_without_a_request(negotiation, editor):
    article, created = article_create(
        document=read_text("The envoys met on Monday."), negotiation=negotiation, uploaded_by=editor
    )
    assert created
    assert [(record.history_type, record.history_user) for record in article.history.all()] == [("+", editor)]


def test_a_metadata_correction_outside_a_request_names_its_editor(negotiation, editor):
    article = ArticleFactory.create(negotiation=negotiation, body=BODY, title="Old title")
    article_update_metadata(
        article_id=article.pk, seen=article_seen(article), user=editor,
        metadata=ArticleMetadata(title="New title", outlet="", url="", published_on=date(2024, 1, 2)),
    )
    assert article.history.latest().history_user == editor


def test_an_admin_edit_names_the_admin(negotiation, admin_user):
    draft = _draft(negotiation)
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/positions/statement/{draft.pk}/change/"
    page = client.get(url).context
    form = page["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)}
    data.update({"summary": "Accepts the truce.", "issues": [negotiation.issues.first().pk]})
    for inline in page["inline_admin_formsets"]:  # the evidence, left as it is
        data.update({f"{inline.formset.prefix}-TOTAL_FORMS": "0", f"{inline.formset.prefix}-INITIAL_FORMS": "0"})
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    latest = draft.history.latest()
    assert (latest.summary, latest.history_user) == ("Accepts the truce.", admin_user)


def test_an_admin_delete_names_the_admin(negotiation, admin_user):
    article = ArticleFactory.create(negotiation=negotiation, body=BODY)
    client = Client()
    client.force_login(admin_user)
    response = client.post(f"/admin/positions/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    deleted = article.history.latest()
    assert (deleted.history_type, deleted.history_user) == ("-", admin_user)
