"""Approving a draft: full page and htmx, history, conflicts, bad input."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from positions.models import Statement
from tests.articles.conftest import htmx


def _url(statement: Statement) -> str:
    return reverse("articles:statement_approve", args=[statement.pk])


def test_a_plain_post_approves_and_redirects_to_the_review_page(editor_client, editor, draft, make_drafts):
    make_drafts(draft.article, 1)  # another draft left, so the editor stays on this article
    response = editor_client.post(_url(draft), {"version": 1})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("articles:review", args=[draft.article_id]) + f"#statement-{draft.pk}"
    )
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.reviewed_by) == ("approved", 2, editor)


def test_htmx_gets_only_the_card_and_the_undo_bar(editor_client, draft):
    response = editor_client.post(_url(draft), {"version": 1}, headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert f'id="statement-{draft.pk}"' in html
    assert "status-approved" in html
    assert 'id="undo-bar"' in html and 'hx-swap-oob="true"' in html
    assert "statement-reviewed" in response["HX-Trigger"]


def test_approving_writes_a_history_row_with_the_editor(editor_client, editor, draft):
    before = draft.history.count()
    editor_client.post(_url(draft), {"version": 1})
    latest = draft.history.latest()
    assert draft.history.count() == before + 1
    assert (latest.history_change_reason, latest.history_user, latest.status) == (
        "approved", editor, "approved",
    )


def test_a_stale_version_gets_409_with_the_current_card(editor_client, draft, admin_user):
    other = type(editor_client)()
    other.force_login(admin_user)
    other.post(reverse("articles:statement_reject", args=[draft.pk]), {"version": 1, "reason": "noise"})
    response = editor_client.post(_url(draft), {"version": 1}, headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 409
    html = response.content.decode()
    assert "someone else changed this statement" in html
    assert "status-rejected" in html and "v2" in html
    draft.refresh_from_db()
    assert draft.status == "rejected"


def test_a_stale_plain_post_shows_the_statement_page_with_409(editor_client, draft):
    editor_client.post(_url(draft), {"version": 1})
    response = editor_client.post(_url(draft), {"version": 1})
    assert response.status_code == 409
    assert "<html" in response.content.decode()


def test_a_missing_version_is_422_and_changes_nothing(editor_client, draft):
    response = editor_client.post(_url(draft), {"version": "x"}, headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 422
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 1)


def test_after_the_last_draft_a_plain_post_goes_to_the_next_article(editor_client, draft, make_drafts):
    from tests.factories import ArticleFactory

    following = ArticleFactory.create(negotiation=draft.negotiation)
    make_drafts(following, 1)
    response = editor_client.post(_url(draft), {"version": 1})
    assert response["Location"] == reverse("articles:review", args=[following.pk])


def test_htmx_approve_reads_the_statement_once_besides_the_services_lock(editor_client, draft):
    with CaptureQueriesContext(connection) as queries:
        response = editor_client.post(_url(draft), {"version": 1}, headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 200 and "status-approved" in response.content.decode()
    reads = [
        query["sql"] for query in queries.captured_queries
        if query["sql"].startswith("SELECT") and 'FROM "positions_statement" ' in query["sql"]
    ]
    # The card, loaded with what it shows before the approval; the service's locked row.
    assert len(reads) == 2 and ["FOR UPDATE" in sql for sql in reads] == [False, True]
