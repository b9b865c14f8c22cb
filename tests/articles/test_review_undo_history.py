"""Undo is a history per page, several levels deep, and the undo bar names its page."""

from __future__ import annotations

from django.urls import reverse

from tests.articles.conftest import htmx
from tests.factories import ArticleFactory, StatementFactory


def _undo(client, page: str):
    return client.post(reverse("articles:undo"), {"page": page}, headers=htmx("undo-bar"))


def test_several_actions_on_one_statement_undo_one_by_one(editor_client, draft):
    page = f"article-{draft.article_id}"
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    editor_client.post(reverse("articles:statement_reject", args=[draft.pk]), {"version": 2})
    html = _undo(editor_client, page).content.decode()
    draft.refresh_from_db()
    assert draft.status == "approved"
    assert "Last on the review of “Truce talks”: " in html and f"approved #{draft.pk}" in html
    _undo(editor_client, page)
    draft.refresh_from_db()
    assert (draft.status, draft.version) == ("draft", 5)
    _undo(editor_client, page)  # nothing left: changes nothing
    draft.refresh_from_db()
    assert draft.version == 5


def test_the_bar_counts_the_steps_and_names_the_page(editor_client, article, make_drafts):
    first, second, third = make_drafts(article, 3)
    for statement in (first, second, third):
        editor_client.post(reverse("articles:statement_approve", args=[statement.pk]), {"version": 1})
    html = editor_client.get(reverse("articles:review", args=[article.pk])).content.decode()
    assert f'name="page" value="article-{article.pk}"' in html
    assert "Last on the review of “Truce talks”" in html and "(3 steps to undo)" in html
    for statement in (third, second, first):
        _undo(editor_client, f"article-{article.pk}")
        statement.refresh_from_db()
        assert statement.status == "draft"


def test_undo_on_one_page_leaves_another_pages_actions(editor_client, article, make_drafts, negotiation):
    here = make_drafts(article, 1)[0]
    elsewhere = StatementFactory.create(article=ArticleFactory.create(negotiation=negotiation, title="Other"),
                                 actor=here.actor)
    editor_client.post(reverse("articles:statement_approve", args=[here.pk]), {"version": 1})
    editor_client.post(reverse("articles:statement_approve", args=[elsewhere.pk]), {"version": 1})
    _undo(editor_client, f"article-{article.pk}")
    here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (here.status, elsewhere.status) == ("draft", "approved")
    other_page = editor_client.get(reverse("articles:review", args=[elsewhere.article_id])).content.decode()
    assert "Last on the review of “Other”" in other_page
    this_page = editor_client.get(reverse("articles:review", args=[article.pk])).content.decode()
    assert "Nothing to undo" in this_page


def test_bulk_decisions_on_an_article_belong_to_its_page(editor_client, article, make_drafts):
    drafts = make_drafts(article, 2)
    data = {"article": article.pk, "action": "approve", "expected": 2}
    editor_client.post(reverse("articles:bulk"), data)
    html = editor_client.get(reverse("articles:review", args=[article.pk])).content.decode()
    assert "approved 2 drafts" in html
    _undo(editor_client, f"article-{article.pk}")
    assert {d.status for d in type(drafts[0]).objects.filter(pk__in=[d.pk for d in drafts])} == {"draft"}


def test_an_unknown_page_falls_back_to_the_latest_action(editor_client, draft):
    editor_client.post(reverse("articles:statement_approve", args=[draft.pk]), {"version": 1})
    editor_client.post(reverse("articles:undo"), {"page": "../../etc"})
    draft.refresh_from_db()
    assert draft.status == "draft"
