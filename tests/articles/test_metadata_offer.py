"""The same text again with other typed details: the existing article's page offers to update
its metadata to them, through the article-metadata form (history, re-dating); the editor may
take the offer or keep the article's details, and only editors may do either."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from articles.models import Fetch
from positions.models import Article, Statement
from tests.articles.sources.builders import STORY_TEXT
from tests.articles.uploads import upload_read
from tests.factories import StatementFactory

OFFER = "Update this article's metadata to:"


def _paste(client, negotiation, **fields):
    return client.post(reverse("articles:upload"), {"negotiation": negotiation.pk, "text": STORY_TEXT, **fields})


def _page(client, article: Article) -> str:
    page: str = client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    return page


def _take(client, article: Article):
    """Post the offer's form as the page renders it."""
    offer = client.get(reverse("articles:detail", args=[article.pk])).context["offer"]
    return client.post(reverse("articles:metadata", args=[article.pk]), dict(offer["fields"]))


def test_an_upload_of_the_same_text_with_other_details_offers_them(editor_client, negotiation, editor):
    first = upload_read(editor_client, negotiation, "a.txt", STORY_TEXT.encode(), title="Old title")
    article = first.fetch.article
    again = upload_read(
        editor_client, negotiation, "b.txt", STORY_TEXT.encode(), title="Harbour talks stall", outlet="Lantern",
    )
    assert again.fetch.duplicate and set(again.fetch.offer) == {"title", "outlet", "seen"}
    assert "its page offers to update them" in again.page
    page = _page(editor_client, article)
    assert OFFER in page and "Harbour talks stall" in page and "now: Old title" in page
    rows = article.history.count()
    response = _take(editor_client, article)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.outlet.name) == ("Harbour talks stall", "Lantern")
    assert article.history.count() == rows + 1 and article.history.latest().history_user == editor
    assert OFFER not in _page(editor_client, article)  # taken: the article moved on


def test_a_pasted_duplicate_with_another_date_offers_it_and_taking_it_redates(editor_client, negotiation):
    _paste(editor_client, negotiation, published="2024-01-17")
    article = Article.objects.get()
    statement = StatementFactory.create(
        article=article, actor=negotiation.actors.first(), stated_on=date(2024, 1, 17),
        date_basis=Statement.DateBasis.PUBLICATION,
    )
    response = _paste(editor_client, negotiation, published="2024-02-03")
    assert response["Location"] == reverse("articles:detail", args=[article.pk])
    page = editor_client.get(response["Location"]).content.decode()
    assert "already in Parley" in page and OFFER in page and "2024-02-03" in page
    _take(editor_client, article)
    article.refresh_from_db()
    statement.refresh_from_db()
    assert article.published_on == statement.stated_on == date(2024, 2, 3)


def test_the_same_details_or_none_offer_nothing(editor_client, negotiation):
    _paste(editor_client, negotiation, title="Harbour talks stall")
    _paste(editor_client, negotiation, title="Harbour talks stall")
    _paste(editor_client, negotiation)
    assert not Fetch.objects.exists()
    assert OFFER not in _page(editor_client, Article.objects.get())


def test_keeping_the_details_withdraws_the_offer(editor_client, negotiation):
    _paste(editor_client, negotiation, title="Harbour talks stall")
    _paste(editor_client, negotiation, title="Something else")
    article, fetch = Article.objects.get(), Fetch.objects.get()
    response = editor_client.post(reverse("articles:fetch_offer_dismiss", args=[fetch.pk]))
    assert response["Location"] == reverse("articles:detail", args=[article.pk])
    article.refresh_from_db()
    assert article.title == "Harbour talks stall" and OFFER not in _page(editor_client, article)


@pytest.mark.parametrize("who", ["researcher_client", "outsider_client"])
def test_others_can_neither_take_nor_dismiss_an_offer(request, who, editor_client, negotiation):
    _paste(editor_client, negotiation, title="Harbour talks stall")
    _paste(editor_client, negotiation, title="Something else")
    article, fetch = Article.objects.get(), Fetch.objects.get()
    fields = dict(editor_client.get(reverse("articles:detail", args=[article.pk])).context["offer"]["fields"])
    client = request.getfixturevalue(who)
    assert client.post(reverse("articles:metadata", args=[article.pk]), fields).status_code in (302, 403)
    assert client.post(reverse("articles:fetch_offer_dismiss", args=[fetch.pk])).status_code in (302, 403)
    article.refresh_from_db()
    fetch.refresh_from_db()
    assert article.title == "Harbour talks stall" and fetch.offer
    assert OFFER in _page(editor_client, article)
