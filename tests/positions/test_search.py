"""positions:search — text search over approved statements with facet counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from tests.positions.conftest import htmx_headers

pytestmark = pytest.mark.django_db


def url(query: str = "") -> str:
    return reverse("positions:search") + (f"?{query}" if query else "")


def counts_url(query: str = "") -> str:
    return reverse("positions:search_counts") + (f"?{query}" if query else "")


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, who: str, status: int):
    assert clients[who].get(url()).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client):
    response = anonymous_client.get(url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_finds_approved_statements_by_summary_words(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Demands the release of all captives")
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Captives draft", status="draft")
    make_statement(actor=actors["Southport"], issues=[issues["ceasefire"]], summary="Wants a truce")
    page = researcher_client.get(url("q=captives")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert "Demands the release of all captives" in page
    assert "Captives draft" not in page and "Wants a truce" not in page


def test_facets_count_and_narrow_the_results(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks one", outlet="Harbour Post")
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks two", stance="reject")
    make_statement(actor=actors["Southport"], issues=[issues["ceasefire"]], summary="talks three")
    page = researcher_client.get(counts_url("q=talks")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert "Northland</a> <span class=\"count\">2</span>" in page
    assert "Harbour Post</a> <span class=\"count\">1</span>" in page
    assert "talks one" in page  # without JavaScript: the results with their counts
    link = f'href="{reverse("positions:search")}?q=talks&amp;actor={actors["Southport"].pk}"'
    assert link in page
    narrowed = researcher_client.get(url(f"q=talks&actor={actors['Southport'].pk}")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert "talks three" in narrowed and "talks one" not in narrowed


def test_the_page_loads_its_counts_in_a_second_request(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks one")
    page = researcher_client.get(url("q=talks")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert 'class="count"' not in page
    loader = f'hx-get="{counts_url("q=talks")}" hx-trigger="load"'
    assert loader in page and f'<a href="{counts_url("q=talks")}">' in page  # and without JavaScript
    fragment = researcher_client.get(counts_url("q=talks"), **htmx_headers("search-counts")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert fragment.lstrip().startswith('<aside id="search-counts"') and "<form" not in fragment
    assert "Northland</a> <span class=\"count\">1</span>" in fragment
    assert '<strong id="search-total" hx-swap-oob="true">1</strong>' in fragment


def test_htmx_request_gets_only_the_results(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks one")
    fragment = researcher_client.get(url("q=talks"), **htmx_headers("search-results")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert fragment.lstrip().startswith('<div id="search-results"') and "<form" not in fragment
    assert "talks one" in fragment


def test_finds_statements_by_the_words_of_their_evidence(researcher_client, actors, issues, make_statement):
    s = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="No summary words")
    body = s.article.body
    start = body.index("The group rejected")
    s.evidence.create(start=start, end=len(body), text=body[start:])
    page = researcher_client.get(url("q=withdrawal")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert "No summary words" in page


def test_uses_full_text_with_a_gin_index_on_postgresql(researcher_client, actors, issues, make_statement):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches by substring")  # the PostgreSQL run covers this
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Negotiators released captives")
    assert "Negotiators released captives" in researcher_client.get(url("q=release+captive")).content.decode().replace("<mark>", "").replace("</mark>", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%search_gin'")
        assert {row[0] for row in cursor.fetchall()} == {"statement_search_gin", "evidence_search_gin"}


def test_facets_count_a_sample_when_there_are_many_matches_and_say_so(
    researcher_client, actors, issues, make_statement, monkeypatch
):
    from positions.selectors import search

    monkeypatch.setattr(search, "FACET_SAMPLE", 1)
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for _ in range(3):
        make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks again")
    page = researcher_client.get(counts_url("q=talks")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert "Counts from the 2,000 most recently entered matches." in page
    assert "Northland</a> <span class=\"count\">1</span>" in page
    assert '<strong id="search-total">2+</strong>' in page


def test_a_full_page_says_there_may_be_more_until_the_counts_load(
    researcher_client, actors, issues, make_statement, monkeypatch
):
    from positions import views

    monkeypatch.setattr(views, "SEARCH_PAGE_SIZE", 2)
    for _ in range(3):
        make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks again")
    page = researcher_client.get(url("q=talks")).content.decode().replace("<mark>", "").replace("</mark>", "")
    assert '<strong id="search-total">2+</strong> approved statements matching “talks”, the newest 2 shown' in page


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_statements(
    researcher_client, actors, issues, make_statement, django_assert_num_queries, count: int
):
    for i in range(count):
        make_statement(actor=list(actors.values())[i % 3], issues=[issues["hostages"]],
                       summary=f"talks round {i}", outlet=("Harbour Post", "Bay Times")[i % 2])
    # 1 session, 2 user, 3 user's groups (access check), 4 the date of the WINDOW-th
    # newest statement (none here), 5 the newest matches on or after it (here: every dated
    # one), 6 the rest (only when 5 found less than a page: here, the undated), 7 the
    # page's issues, 8 its duplicates' outlets, 9 the proposals whose name matches.
    # Elsewhere than PostgreSQL, the proposals are matched in Python first: one query
    # more for the statements and one for the counts (none match here, so the proposals
    # shown need no second query).
    portable = connection.vendor != "postgresql"
    with django_assert_num_queries(9 + portable):
        assert researcher_client.get(url("q=talks")).status_code == 200
    # The counts: 1-3 as above, 4 the matches' ids (capped), 5-9 one query per facet.
    with django_assert_num_queries(9 + portable):
        assert researcher_client.get(counts_url("q=talks"), **htmx_headers("search-counts")).status_code == 200


@pytest.mark.parametrize(("window", "page_size"), [(10_000, 50), (2, 50), (2, 2), (1, 1), (3, 3)])
def test_results_are_the_newest_matches_by_effective_date_whatever_the_window(
    actors, issues, make_statement, monkeypatch, window: int, page_size: int
):
    """Found in the window of newest statements, past it (from the GIN indexes) or both."""
    from datetime import date

    from positions.selectors import StatementFilters, search

    monkeypatch.setattr(search, "WINDOW", window)
    north = actors["Northland"]
    old = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=date(2024, 1, 1))
    background = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=None,
                                published_on=date(2024, 3, 1))
    make_statement(actor=north, issues=[issues["hostages"]], summary="other words", stated_on=date(2024, 3, 5))
    new = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=date(2024, 2, 1))
    dateless = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=None)
    type(dateless).objects.filter(pk=dateless.pk).update(effective_on=None, article=None)
    make_statement(actor=north, issues=[issues["hostages"]], summary="other", stated_on=date(2024, 2, 2))
    found = search.search_statements(text="talks", filters=StatementFilters(), page_size=page_size)
    assert [s.pk for s in found.statements] == [background.pk, new.pk, old.pk, dateless.pk][:page_size]
    every = search.search_statements(text="", filters=StatementFilters(), page_size=page_size)
    assert len(every.statements) == min(page_size, 6) and every.statements[0].summary == "other words"


def test_counts_stop_at_the_cap(actors, issues, make_statement, monkeypatch):
    from positions.selectors import StatementFilters, count_search_matches, search

    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for _ in range(3):
        make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks")
    counts = count_search_matches(text="talks", filters=StatementFilters())
    assert (counts.total, counts.total_capped) == (2, True)
    monkeypatch.setattr(search, "COUNT_CAP", 3)
    counts = count_search_matches(text="talks", filters=StatementFilters())
    assert (counts.total, counts.total_capped) == (3, False)
