"""Data safety: deleting an article never silently deletes its statements. Statement.article
is PROTECT, so the ORM refuses, and the admin shows the refusal rather than a 500."""

from __future__ import annotations

import pytest
from django.db.models import ProtectedError
from django.test import Client

from positions.models import Article, Statement
from tests.factories import ArticleFactory, StatementFactory, UserFactory


@pytest.fixture
def article_with_approved(negotiation):
    article = ArticleFactory.create(negotiation=negotiation, title="Protected article")
    StatementFactory.create(
        article=article, actor=negotiation.actors.first(), status=Statement.Status.APPROVED
    )
    return article


@pytest.fixture
def admin_client(db) -> Client:
    client = Client()
    client.force_login(UserFactory.create(username="d-admin", is_staff=True, is_superuser=True))
    return client


def test_deleting_an_article_with_approved_statements_raises(article_with_approved):
    with pytest.raises(ProtectedError):
        article_with_approved.delete()
    assert Statement.objects.approved().filter(article=article_with_approved).count() == 1


def test_a_bulk_delete_of_articles_is_refused_too(article_with_approved):
    with pytest.raises(ProtectedError):
        Article.objects.filter(pk=article_with_approved.pk).delete()
    assert Article.objects.filter(pk=article_with_approved.pk).exists()


def test_the_admin_delete_page_refuses_and_names_the_statements(admin_client, article_with_approved):
    url = f"/admin/positions/article/{article_with_approved.pk}/delete/"
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "would require deleting the following protected related objects" in page.content.decode()
    confirmed = admin_client.post(url, {"post": "yes"})
    assert confirmed.status_code in (200, 403)
    assert Article.objects.filter(pk=article_with_approved.pk).exists()
    assert Statement.objects.filter(article=article_with_approved).count() == 1


def test_the_admin_bulk_delete_action_refuses(admin_client, article_with_approved):
    response = admin_client.post(
        "/admin/positions/article/",
        {"action": "delete_selected", "_selected_action": [article_with_approved.pk], "post": "yes"},
        follow=True,
    )
    assert response.status_code == 200
    assert "protected related objects" in response.content.decode()
    assert Article.objects.filter(pk=article_with_approved.pk).exists()


def test_an_article_without_statements_can_be_deleted(admin_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation)
    response = admin_client.post(f"/admin/positions/article/{article.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()
