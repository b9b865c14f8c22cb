"""positions:search — text search over approved statements with facet counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.positions.conftest import htmx_headers

pytestmark = pytest.mark.django_db


def url(query: str = "") -> str:
    return reverse("positions:search") + (f"?{query}" if query else "")


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, who: str, status: int) -> None:  # type: ignore[no-untyped-def]
    assert clients[who].get(url()).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client) -> None:  # type: ignore[no-untyped-def]
    response = anonymous_client.get(url())
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_finds_approved_statements_by_summary_words(researcher_client, actors, issues, make_statement) -> None:  # type: ignore[no-untyped-def]
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Demands the release of all captives")
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Captives draft", status="draft")
    make_statement(actor=actors["Southport"], issues=[issues["ceasefire"]], summary="Wants a truce")
    page = researcher_client.get(url("q=captives")).content.decode()
    assert "Demands the release of all captives" in page
    assert "Captives draft" not in page and "Wants a truce" not in page


def test_facets_count_and_narrow_the_results(researcher_client, actors, issues, make_statement) -> None:  # type: ignore[no-untyped-def]
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks one", outlet="Harbour Post")
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks two", stance="reject")
    make_statement(actor=actors["Southport"], issues=[issues["ceasefire"]], summary="talks three")
    page = researcher_client.get(url("q=talks")).content.decode()
    assert "Northland</a> <span class=\"count\">2</span>" in page
    assert "Harbour Post</a> <span class=\"count\">1</span>" in page
    narrowed = researcher_client.get(url(f"q=talks&actor={actors['Southport'].pk}")).content.decode()
    assert "talks three" in narrowed and "talks one" not in narrowed


def test_htmx_request_gets_only_the_results(researcher_client, actors, issues, make_statement) -> None:  # type: ignore[no-untyped-def]
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks one")
    fragment = researcher_client.get(url("q=talks"), **htmx_headers("search-results")).content.decode()
    assert fragment.lstrip().startswith('<div id="search-results"') and "<form" not in fragment
    assert "talks one" in fragment


def test_finds_statements_by_the_words_of_their_evidence(researcher_client, actors, issues, make_statement) -> None:  # type: ignore[no-untyped-def]
    s = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="No summary words")
    body = s.article.body
    start = body.index("The group rejected")
    s.evidence.create(start=start, end=len(body), text=body[start:])
    page = researcher_client.get(url("q=withdrawal")).content.decode()
    assert "No summary words" in page


def test_uses_full_text_with_a_gin_index_on_postgresql(researcher_client, actors, issues, make_statement) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite searches by substring")  # the PostgreSQL run covers this
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="Negotiators released captives")
    assert "Negotiators released captives" in researcher_client.get(url("q=release+captive")).content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%search_gin'")
        assert {row[0] for row in cursor.fetchall()} == {"statement_search_gin", "evidence_search_gin"}


def test_facets_count_a_sample_when_there_are_many_matches_and_say_so(
    researcher_client, actors, issues, make_statement, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from positions.selectors import search

    monkeypatch.setattr(search, "FACET_SAMPLE", 1)
    monkeypatch.setattr(search, "COUNT_CAP", 2)
    for _ in range(3):
        make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="talks again")
    page = researcher_client.get(url("q=talks")).content.decode()
    assert "Counts from the 2,000 most recently entered matches." in page
    assert "Northland</a> <span class=\"count\">1</span>" in page
    assert "<strong>2+</strong>" in page


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_statements(
    researcher_client, actors, issues, make_statement, django_assert_num_queries, count: int
) -> None:  # type: ignore[no-untyped-def]
    for i in range(count):
        make_statement(actor=list(actors.values())[i % 3], issues=[issues["hostages"]],
                       summary=f"talks round {i}", outlet=("Harbour Post", "Bay Times")[i % 2])
    # 1 session, 2 user, 3 user's groups (access check), 4 the matches' ids and dates
    # (capped: the total, the facet sample, the newest page), 5 the newest page's
    # statements (with article, outlet, person, actor), 6 their issues, 7 their duplicates'
    # outlets, facets: 8 actor, 9 stance, 10 issue, 11 year, 12 outlet.
    with django_assert_num_queries(12):
        assert researcher_client.get(url("q=talks")).status_code == 200


@pytest.mark.parametrize("cap", [10_000, 2])
def test_results_are_newest_by_effective_date_below_and_past_the_count_cap(
    actors, issues, make_statement, monkeypatch, cap: int
) -> None:  # type: ignore[no-untyped-def]
    """Below the cap the page is sorted from the one matching pass; past it, by the database."""
    from datetime import date

    from django.db import connection

    from positions.selectors import StatementFilters, search

    monkeypatch.setattr(search, "COUNT_CAP", cap)
    north = actors["Northland"]
    old = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=date(2024, 1, 1))
    background = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=None,
                                published_on=date(2024, 3, 1))
    new = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=date(2024, 2, 1))
    dateless = make_statement(actor=north, issues=[issues["hostages"]], summary="talks", stated_on=None)
    type(dateless).objects.filter(pk=dateless.pk).update(effective_on=None, article=None)
    found = search.search_statements(text="talks", filters=StatementFilters(), vendor=connection.vendor)
    assert [s.pk for s in found.statements] == [background.pk, new.pk, old.pk, dateless.pk]
    assert found.total == min(4, cap) and found.total_capped == (cap < 4)
