"""An editor corrects an article's title, outlet, URL and publication date, with history;
a new date re-dates the statements that took it from the article, and says how many."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from positions.models import Article, Statement
from positions.services import article_seen
from tests.articles.conftest import htmx
from tests.factories import StatementFactory


def _url(article: Article) -> str:
    return reverse("articles:metadata", args=[article.pk])


def _data(article: Article, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": article.title, "outlet": article.outlet.name if article.outlet else "",
        "url": article.url, "published_on": article.published_on.isoformat()
        if article.published_on else "", "seen": article_seen(article),
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("who", ["researcher_client", "outsider_client"])
def test_only_editors_may_correct_metadata(request, who, article):
    client = request.getfixturevalue(who)
    assert client.get(_url(article)).status_code in (302, 403)
    response = client.post(_url(article), _data(article, title="Changed"))
    assert response.status_code in (302, 403)
    article.refresh_from_db()
    assert article.title == "Truce talks"


def test_the_form_is_a_page_and_a_fragment_with_the_date_as_iso(editor_client, article):
    page = editor_client.get(_url(article)).content.decode()
    assert "<html" in page and 'value="2024-01-17"' in page
    fragment = editor_client.get(_url(article), headers=htmx("article-meta")).content.decode()
    assert "<html" not in fragment and '<form id="article-meta"' in fragment


def test_saving_unchanged_writes_nothing(editor_client, article):
    rows = article.history.count()
    response = editor_client.post(_url(article), _data(article), headers=htmx("article-meta"))
    assert response.status_code == 200 and "Nothing changed" in response.content.decode()
    assert article.history.count() == rows


def test_corrections_are_saved_with_history(editor_client, editor, article):
    data = _data(article, title="Truce talks resume", outlet="Harbour Gazette",
                 url="https://gazette.example/truce")
    response = editor_client.post(_url(article), data)
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.title, article.outlet.name, article.url) == (
        "Truce talks resume", "Harbour Gazette", "https://gazette.example/truce")
    latest = article.history.latest()
    assert latest.history_user == editor and "title" in latest.history_change_reason


def test_a_new_date_redates_statements_dated_by_publication(editor_client, article, negotiation):
    actor = negotiation.actors.first()
    by_publication = StatementFactory.create(article=article, actor=actor, stated_on=date(2024, 1, 17),
                                      date_basis=Statement.DateBasis.PUBLICATION)
    explicit = StatementFactory.create(article=article, actor=actor, stated_on=date(2024, 1, 15),
                                date_basis=Statement.DateBasis.EXPLICIT)
    undated = StatementFactory.create(article=article, actor=actor, stated_on=None, date_basis="")
    response = editor_client.post(_url(article), _data(article, published_on="2024-02-03"),
                                  headers=htmx("article-meta"))
    html = response.content.decode()
    assert "1 statement dated by publication re-dated; 1 undated" in html
    by_publication.refresh_from_db()
    assert (by_publication.stated_on, by_publication.effective_on, by_publication.version) == (
        date(2024, 2, 3), date(2024, 2, 3), 2)
    assert "re-dated" in by_publication.history.latest().history_change_reason
    explicit.refresh_from_db()
    assert (explicit.stated_on, explicit.version) == (date(2024, 1, 15), 1)
    undated.refresh_from_db()
    assert undated.effective_on == date(2024, 2, 3)


def test_a_stale_form_is_a_conflict_and_keeps_the_typed_values(editor_client, article):
    stale = _data(article, title="Mine")
    editor_client.post(_url(article), _data(article, title="Theirs"))
    response = editor_client.post(_url(article), stale, headers=htmx("article-meta"))
    assert response.status_code == 409
    assert 'value="Mine"' in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Theirs"


def test_bad_input_changes_nothing(editor_client, article):
    response = editor_client.post(_url(article), _data(article, published_on="3024-01-01",
                                                       url="not a url at all"))
    assert response.status_code == 422
    article.refresh_from_db()
    assert article.published_on == date(2024, 1, 17)


def test_the_article_page_offers_the_correction(editor_client, article):
    html = editor_client.get(reverse("articles:detail", args=[article.pk])).content.decode()
    assert _url(article) in html
