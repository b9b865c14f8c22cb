"""positions:statement — one statement's provenance: evidence in context, source, outlets, history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from positions.models import Evidence, Outlet, Statement
from tests.factories import ArticleFactory, StatementFactory

pytestmark = pytest.mark.django_db


def url(statement) -> str:
    return reverse("positions:statement", args=[statement.pk])


@pytest.fixture
def statement(actors, issues, make_statement):
    s = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], outlet="Harbour Post",
                       via="Reuters > Al Jazeera", summary="Wants the talks to resume.")
    s.article.url = "https://news.example/a"
    s.article.save()
    return s


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, statement, who: str, status: int):
    assert clients[who].get(url(statement)).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client, statement):
    response = anonymous_client.get(url(statement))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_drafts_and_rejected_statements_are_not_shown(researcher_client, actors, issues, make_statement):
    for status in ("draft", "rejected"):
        hidden = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], status=status)
        assert researcher_client.get(url(hidden)).status_code == 404


def test_shows_evidence_highlighted_in_its_surrounding_text(researcher_client, statement):
    body = statement.article.body
    start = body.index("The group rejected")
    Evidence.objects.create(statement=statement, start=start, end=len(body), text=body[start:])
    page = researcher_client.get(url(statement)).content.decode()
    assert "<mark>The group rejected the offer and demanded a full withdrawal.</mark>" in page
    assert "The envoy said on Monday" in page  # the text before it, for context


def test_shows_article_outlet_url_and_via_chain(researcher_client, statement):
    page = researcher_client.get(url(statement)).content.decode()
    assert statement.article.title in page and "Harbour Post" in page
    assert 'href="https://news.example/a"' in page
    assert "<li>Reuters</li><li>Al Jazeera</li>" in page


def test_lists_other_outlets_that_reported_the_same_statement(researcher_client, negotiation, actors, issues, statement):
    other = ArticleFactory.create(negotiation=negotiation, outlet=Outlet.objects.create(name="Bay Times"))
    duplicate = StatementFactory.create(article=other, actor=actors["Northland"], issues=[issues["hostages"]],
                                 status=Statement.Status.DUPLICATE, duplicate_of=statement)
    page = researcher_client.get(url(statement)).content.decode()
    assert "Bay Times" in page
    response = researcher_client.get(url(duplicate))
    assert response.status_code == 302 and response["Location"] == url(statement)


def test_shows_the_change_history(researcher_client, statement):
    statement.summary = "Changed by an editor"
    statement._change_reason = "edited"
    statement.save()
    page = researcher_client.get(url(statement)).content.decode()
    assert "Created" in page and "Changed: edited" in page


def test_htmx_request_still_gets_the_page(researcher_client, statement):
    response = researcher_client.get(url(statement), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="main")
    assert response.status_code == 200 and "Evidence in context" in response.content.decode()
