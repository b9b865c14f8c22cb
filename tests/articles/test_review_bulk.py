"""Bulk approve or reject by filter: a confirmation naming the count, history, undo."""

from __future__ import annotations

from django.urls import reverse

from positions.models import Statement
from tests.articles.conftest import htmx


def test_first_post_asks_for_confirmation_naming_the_count(editor_client, article, make_drafts):
    make_drafts(article, 3)
    response = editor_client.post(reverse("articles:bulk"), {"action": "approve", "article": article.pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Approve 3 drafts" in html and 'name="expected" value="3"' in html
    assert not Statement.objects.filter(status="approved").exists()


def test_htmx_confirmation_is_only_the_panel(editor_client, article, make_drafts):
    make_drafts(article, 2)
    response = editor_client.post(
        reverse("articles:bulk"), {"action": "reject", "article": article.pk}, headers=htmx("bulk-panel")
    )
    html = response.content.decode()
    assert "<html" not in html and "Reject 2 drafts" in html


def test_confirmed_bulk_approves_only_matching_drafts_with_history(editor_client, editor, article, make_drafts):
    drafts = make_drafts(article, 4)
    for statement in drafts[:2]:
        statement.confidence = 0.95
        statement.save()
    data = {"action": "approve", "article": article.pk, "min_confidence": "0.9", "expected": 2}
    response = editor_client.post(reverse("articles:bulk"), data)
    assert response.status_code == 302
    statuses = dict(Statement.objects.values_list("pk", "status"))
    assert [statuses[s.pk] for s in drafts] == ["approved", "approved", "draft", "draft"]
    approved = Statement.objects.get(pk=drafts[0].pk)
    record = approved.history.latest()
    assert (record.history_change_reason, record.history_user, record.version) == (
        "approved (bulk)", editor, approved.version,
    )
    assert [row.issue.key for row in record.issues.all()] == ["ceasefire"]


def test_a_changed_count_asks_again_and_changes_nothing(editor_client, article, make_drafts):
    make_drafts(article, 3)
    data = {"action": "reject", "article": article.pk, "expected": 5}
    response = editor_client.post(reverse("articles:bulk"), data)
    assert "changed since you asked" in response.content.decode()
    assert not Statement.objects.exclude(status="draft").exists()


def test_bulk_can_be_undone(editor_client, article, make_drafts):
    make_drafts(article, 3)
    editor_client.post(reverse("articles:bulk"), {"action": "reject", "article": article.pk, "expected": 3, "reason": "noise"})
    assert Statement.objects.filter(status="rejected").count() == 3
    editor_client.post(reverse("articles:undo"))
    assert Statement.objects.filter(status="draft").count() == 3
    assert all(s.issues.count() == 1 for s in Statement.objects.all())


def test_htmx_confirmed_bulk_refreshes_the_page(editor_client, article, make_drafts):
    make_drafts(article, 1)
    data = {"action": "approve", "article": article.pk, "expected": 1}
    response = editor_client.post(reverse("articles:bulk"), data, headers=htmx("bulk-panel"))
    assert response["HX-Refresh"] == "true"


def test_an_unknown_action_is_refused(editor_client, article, make_drafts):
    make_drafts(article, 1)
    response = editor_client.post(reverse("articles:bulk"), {"action": "delete", "expected": 1})
    assert response.status_code == 422
    assert not Statement.objects.exclude(status="draft").exists()


def test_queue_wide_bulk_takes_the_queue_filter_across_articles(editor_client, negotiation, make_drafts):
    from tests.factories import ArticleFactory

    northland = negotiation.actors.get(name="Northland")
    for _ in range(3):
        make_drafts(ArticleFactory.create(negotiation=negotiation), 3)  # one draft per actor each
    ask = editor_client.post(reverse("articles:bulk"), {"action": "approve", "actor": northland.pk})
    assert "Approve 3 drafts" in ask.content.decode()
    done = editor_client.post(reverse("articles:bulk"), {"action": "approve", "actor": northland.pk, "expected": 3})
    assert done["Location"] == reverse("articles:queue")
    assert set(Statement.objects.filter(status="approved").values_list("actor", flat=True)) == {northland.pk}
    assert Statement.objects.filter(status="draft").count() == 6


def test_the_queue_offers_bulk_with_its_filter_as_hidden_fields(editor_client, draft):
    html = editor_client.get(reverse("articles:queue"), {"actor": draft.actor_id}).content.decode()
    assert f'<input type="hidden" name="actor" value="{draft.actor_id}"' in html


def test_the_review_page_offers_bulk_by_actor_for_its_article(editor_client, article, make_drafts):
    drafts = make_drafts(article, 2)
    html = editor_client.get(reverse("articles:review", args=[article.pk])).content.decode()
    assert f'<option value="{drafts[0].actor_id}">{drafts[0].actor.name}</option>' in html
    data = {"action": "reject", "article": article.pk, "actor": drafts[0].actor_id, "expected": 1}
    editor_client.post(reverse("articles:bulk"), data)
    assert list(Statement.objects.filter(status="rejected")) == [drafts[0]]


def test_bulk_approval_says_how_many_conditional_statements_lack_their_condition(editor_client, article, make_drafts):
    drafts = make_drafts(article, 4)
    Statement.objects.filter(pk__in=[drafts[0].pk, drafts[1].pk]).update(stance="condition", conditions="")
    Statement.objects.filter(pk=drafts[2].pk).update(stance="condition", conditions="a truce first")
    response = editor_client.post(reverse("articles:bulk"), {"action": "approve", "article": article.pk, "expected": 4},
                                  follow=True)
    assert Statement.objects.filter(status="approved").count() == 4
    assert "Approved 4 drafts. 2 of them conditional without their condition text" in response.content.decode()


def test_bulk_approval_without_such_statements_says_nothing_of_conditions(editor_client, article, make_drafts):
    drafts = make_drafts(article, 2)
    Statement.objects.filter(pk=drafts[0].pk).update(stance="demand", conditions="")
    Statement.objects.filter(pk=drafts[1].pk).update(stance="condition", conditions="a truce first")
    response = editor_client.post(reverse("articles:bulk"), {"action": "approve", "article": article.pk, "expected": 2},
                                  follow=True)
    body = response.content.decode()
    assert "Approved 2 drafts. Undo is available." in body and "condition text" not in body
