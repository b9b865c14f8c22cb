"""The view helpers both apps share (positions/web.py): a page or one of its regions, the
end of a poll, and URL stems."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from positions.web import url_stem
from tests.factories import ArticleFactory
from tests.positions.conftest import htmx_headers


def test_a_targeted_region_comes_back_alone_and_the_response_varies(researcher_client, actors):
    url = reverse("positions:timeline", args=[actors["Northland"].pk])
    response = researcher_client.get(url, **htmx_headers("timeline-results"))
    assert "<html" not in response.content.decode()
    assert 'id="timeline-results"' in response.content.decode()
    assert "HX-Request" in response["Vary"] and "HX-Target" in response["Vary"]


def test_a_history_restore_gets_the_whole_research_page(researcher_client, actors):
    url = reverse("positions:timeline", args=[actors["Northland"].pk])
    headers = {**htmx_headers("timeline-results"), "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    assert "<html" in researcher_client.get(url, **headers).content.decode()


def test_a_finished_poll_is_answered_with_its_region_and_286(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, status="done")
    url = reverse("articles:detail", args=[article.pk])
    response = editor_client.get(url, **htmx_headers("article-status"))
    assert response.status_code == 286 and "<html" not in response.content.decode()
    assert "HX-Target" in response["Vary"]


def test_a_history_restore_of_a_polled_page_is_the_page_not_the_end_of_a_poll(editor_client, negotiation):
    article = ArticleFactory.create(negotiation=negotiation, status="done")
    url = reverse("articles:detail", args=[article.pk])
    headers = {**htmx_headers("article-status"), "HTTP_HX_HISTORY_RESTORE_REQUEST": "true"}
    response = editor_client.get(url, **headers)
    assert response.status_code == 200 and "<html" in response.content.decode()


def test_a_url_stem_and_a_primary_key_make_the_objects_url() -> None:
    assert url_stem("positions:statement") + "42/" == reverse("positions:statement", args=[42])
    assert url_stem("positions:timeline") + "7/" == reverse("positions:timeline", args=[7])


def test_a_url_whose_argument_is_not_last_has_no_stem() -> None:
    with pytest.raises(ImproperlyConfigured):
        url_stem("articles:retry")  # /articles/<pk>/retry/
