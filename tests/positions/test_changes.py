"""positions:changes — what changed in a negotiation over a date range, with shift labels."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from positions.selectors import shifts_between
from tests.positions.conftest import htmx_headers

pytestmark = pytest.mark.django_db


def url(negotiation, query: str = "") -> str:
    return reverse("positions:changes", args=[negotiation.slug]) + (f"?{query}" if query else "")


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, negotiation, who: str, status: int):
    assert clients[who].get(url(negotiation)).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client, negotiation):
    response = anonymous_client.get(url(negotiation))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_labels_each_statement_against_the_previous_one_even_before_the_range(
    negotiation, actors, issues, make_statement
):
    north, hostages = actors["Northland"], issues["hostages"]
    make_statement(actor=north, issues=[hostages], stance="reject", stated_on=date(2024, 1, 1))
    make_statement(actor=north, issues=[hostages], stance="assess", stated_on=date(2024, 1, 20))
    accept = make_statement(actor=north, issues=[hostages], stance="accept", stated_on=date(2024, 2, 1))
    again = make_statement(actor=north, issues=[hostages], stance="accept", stated_on=date(2024, 2, 5),
                           conditions="all at once")
    shifts = shifts_between(negotiation=negotiation, start=date(2024, 1, 15), end=date(2024, 2, 28)).shifts
    assert [(s.statement_id, s.label) for s in shifts] == [(again.pk, "hardened"), (accept.pk, "reversed")]


def test_shifts_are_within_one_sub_issue(negotiation, actors, issues, make_statement):
    south = actors["Southport"]
    make_statement(actor=south, issues=[issues["ceasefire/permanent"]], stance="demand", stated_on=date(2024, 1, 1))
    make_statement(actor=south, issues=[issues["ceasefire"]], stance="reject", stated_on=date(2024, 1, 5))
    assert shifts_between(negotiation=negotiation, start=date(2024, 1, 1), end=date(2024, 1, 31)).shifts == []


def test_undated_statement_counts_from_its_article(negotiation, actors, issues, make_statement):
    north, hostages = actors["Northland"], issues["hostages"]
    make_statement(actor=north, issues=[hostages], stance="demand", stated_on=date(2024, 1, 1))
    later = make_statement(actor=north, issues=[hostages], stance="accept", stated_on=None, published_on=date(2024, 3, 1))
    shifts = shifts_between(negotiation=negotiation, start=date(2024, 3, 1), end=date(2024, 3, 1)).shifts
    assert [(s.statement_id, s.label) for s in shifts] == [(later.pk, "softened")]


def test_page_lists_shifts_and_htmx_gets_the_list_only(researcher_client, negotiation, actors, issues, make_statement):
    north, hostages = actors["Northland"], issues["hostages"]
    make_statement(actor=north, issues=[hostages], stance="accept", stated_on=date(2024, 1, 1))
    make_statement(actor=north, issues=[hostages], stance="reject", stated_on=date(2024, 2, 1), summary="Walked away")
    query = "date_from=2024-01-15&date_to=2024-02-15"
    page = researcher_client.get(url(negotiation, query)).content.decode()
    assert 'class="shift shift-reversed"' in page and "Walked away" in page and "<form" in page
    fragment = researcher_client.get(url(negotiation, query), **htmx_headers("changes-list")).content.decode()
    assert fragment.lstrip().startswith('<div id="changes-list"') and "<form" not in fragment
    assert "Walked away" in fragment


def test_a_reversed_range_is_an_error_not_a_crash(researcher_client, negotiation):
    response = researcher_client.get(url(negotiation, "date_from=2024-03-01&date_to=2024-01-01"))
    assert response.status_code == 200 and "errorlist" in response.content.decode()


def test_a_crowded_range_pages_by_statement_and_compares_across_pages(negotiation, actors, issues, make_statement):
    north, hostages = actors["Northland"], issues["hostages"]
    made = [make_statement(actor=north, issues=[hostages], stance=stance, stated_on=date(2024, 1, day))
            for day, stance in ((1, "demand"), (2, "reject"), (3, "accept"), (3, "reject"), (4, "accept"))]
    first = shifts_between(negotiation=negotiation, start=date(2024, 1, 1), end=date(2024, 1, 31), limit=3)
    assert [(s.effective.day, s.label) for s in first.shifts] == [(4, "reversed"), (3, "reversed"), (3, "reversed")]
    assert first.next_cursor and first.cursor is None
    # Day 3's first statement (on this page) is compared with day 2's (on the next one).
    assert first.shifts[-1].previous_id == made[1].pk
    second = shifts_between(negotiation=negotiation, start=date(2024, 1, 1), end=date(2024, 1, 31), limit=3,
                            cursor=first.next_cursor)
    assert [(s.effective.day, s.label) for s in second.shifts] == [(2, "reversed")]
    assert second.next_cursor is None and second.cursor == first.next_cursor


def test_page_links_to_the_earlier_shifts(researcher_client, negotiation, actors, issues, make_statement, monkeypatch):
    from positions import views

    monkeypatch.setattr(views, "CHANGES_PAGE_SIZE", 1)
    north, hostages = actors["Northland"], issues["hostages"]
    for day, stance in ((1, "demand"), (2, "reject"), (3, "accept")):
        make_statement(actor=north, issues=[hostages], stance=stance, stated_on=date(2024, 1, day),
                       summary=f"Day {day}")
    page = researcher_client.get(url(negotiation, "date_from=2024-01-01&date_to=2024-01-31")).content.decode()
    assert "Day 3" in page and "Day 2" not in page and ">Newest</a>" not in page
    after = page.split('rel="next"')[0].rsplit('href="?', 1)[1].split('"')[0].replace("&amp;", "&")
    older = researcher_client.get(url(negotiation, after)).content.decode()
    assert "Day 2" in older and "Day 3" not in older and ">Newest</a>" in older


def test_csv_of_the_list_has_a_row_per_shift(researcher_client, negotiation, actors, issues, make_statement):
    from tests.positions.conftest import read_csv

    north, hostages = actors["Northland"], issues["hostages"]
    make_statement(actor=north, issues=[hostages], stance="accept", stated_on=date(2024, 1, 1))
    make_statement(actor=north, issues=[hostages], stance="reject", stated_on=date(2024, 2, 1), conditions="@once")
    response = researcher_client.get(url(negotiation, "date_from=2024-01-15&date_to=2024-02-15&format=csv&bom=on"))
    assert "Filters: from: 2024-01-15; to: 2024-02-15" in response["X-Parley-Citation"]
    rows = read_csv(response)
    assert [(r["shift"], r["previous_stance"], r["stance"], r["conditions"]) for r in rows] == [
        ("reversed", "accept", "reject", "'@once")
    ]


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_statements(
    researcher_client, negotiation, actors, issues, make_statement, django_assert_num_queries, count: int
):
    for i in range(count):
        make_statement(actor=list(actors.values())[i % 3], issues=[issues["hostages"]],
                       stance=("accept", "reject")[i % 2], stated_on=date(2024, 1, 1 + i))
    # 1 session, 2 user, 3 user's groups (access check), 4 negotiation, 5 participants,
    # 6 the page's statements (the newest in the range), 7 their issues with the previous
    # positional statement on each (a LATERAL index walk per pair on PostgreSQL; elsewhere
    # its id, then those statements: one more).
    from django.db import connection

    with django_assert_num_queries(7 + (connection.vendor != "postgresql")):
        response = researcher_client.get(url(negotiation, "date_from=2024-01-01&date_to=2024-01-31"))
        assert response.status_code == 200


def test_without_dates_it_shows_the_last_30_days_that_have_data_and_says_so(researcher_client, negotiation, actors, issues, make_statement):
    north, hostages = actors["Northland"], issues["hostages"]
    make_statement(actor=north, issues=[hostages], stance="accept", stated_on=date(2024, 1, 1), summary="Day 1")
    make_statement(actor=north, issues=[hostages], stance="reject", stated_on=date(2024, 3, 1), summary="Day 2")
    page = researcher_client.get(url(negotiation)).content.decode()
    assert "the last 30 days that have data, up to 1 Mar 2024" in " ".join(page.split())
    assert "Day 2" in page and "reversed" in page
    assert "Filters: from: 2024-01-31; to: 2024-03-01." in page  # the cite-this panel
    chosen = researcher_client.get(url(negotiation, "date_from=2024-01-01&date_to=2024-01-31")).content.decode()
    assert "days that have data" not in chosen and "Day 2" not in chosen


def test_without_dates_and_without_data_it_shows_the_last_30_days(researcher_client, negotiation):
    page = researcher_client.get(url(negotiation)).content.decode()
    assert "days that have data" not in page and "No shifts in this range" in page


def test_a_csv_asked_for_over_too_long_a_range_is_a_400_naming_the_problem(researcher_client, negotiation):
    response = researcher_client.get(url(negotiation, "date_from=1990-01-01&date_to=2024-01-01&format=csv"))
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert "at most ten years" in response.content.decode()
