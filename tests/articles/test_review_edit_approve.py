"""Save and approve in one step: one version, one history row, one undo step."""

from __future__ import annotations

from django.urls import reverse

from tests.articles.conftest import htmx
from tests.articles.test_review_edit import _data


def test_save_and_approve_is_one_version(editor_client, editor, draft, negotiation):
    url = reverse("articles:statement_edit", args=[draft.pk])
    data = {**_data(negotiation), "and_approve": "1"}
    response = editor_client.post(url, data, headers=htmx(f"statement-{draft.pk}"))
    assert response.status_code == 200 and "status-approved" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.status, draft.version, draft.stance, draft.reviewed_by) == ("approved", 2, "reject", editor)
    assert draft.history.latest().history_change_reason == "edited and approved"
    editor_client.post(reverse("articles:undo"), {"page": f"article-{draft.article_id}"})
    draft.refresh_from_db()
    assert (draft.status, draft.stance) == ("draft", "demand")


def test_save_and_approve_unchanged_fields_still_approves(editor_client, draft):
    html = editor_client.get(reverse("articles:statement_edit", args=[draft.pk])).content.decode()
    assert 'name="and_approve"' in html
    assert html.index('data-action="save"') < html.index('data-action="save-approve"')
    from tests.articles.test_statement_edit_keeps_data import _rendered_values

    data = {**_rendered_values(html), "and_approve": "1"}
    editor_client.post(reverse("articles:statement_edit", args=[draft.pk]), data)
    draft.refresh_from_db()
    assert (draft.status, draft.version, str(draft.stated_on)) == ("approved", 2, "2024-01-15")


def test_an_approved_statements_form_offers_only_save(editor_client, draft):
    draft.status = "approved"
    draft.save()
    html = editor_client.get(reverse("articles:statement_edit", args=[draft.pk])).content.decode()
    assert 'name="and_approve"' not in html
