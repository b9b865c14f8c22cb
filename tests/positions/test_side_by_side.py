"""positions:side_by_side — issues as rows, actors as columns, latest approved position as of a date."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from positions.selectors import latest_positions_as_of, positions_side_by_side
from tests.positions.conftest import htmx_headers

pytestmark = pytest.mark.django_db


def url(negotiation, query: str = "") -> str:
    return reverse("positions:side_by_side", args=[negotiation.slug]) + (f"?{query}" if query else "")


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_access_per_role(clients, negotiation, who: str, status: int):
    assert clients[who].get(url(negotiation)).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client, negotiation):
    response = anonymous_client.get(url(negotiation))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_unknown_negotiation_is_404(researcher_client):
    assert researcher_client.get(reverse("positions:side_by_side", args=["nope"])).status_code == 404


def test_each_cell_is_the_latest_approved_statement_as_of_the_date(
    negotiation, actors, issues, make_statement
):
    north, hostages = actors["Northland"], issues["hostages"]
    old = make_statement(actor=north, issues=[hostages], stated_on=date(2024, 1, 1))
    new = make_statement(actor=north, issues=[hostages], stated_on=date(2024, 2, 1))
    make_statement(actor=north, issues=[hostages], stated_on=date(2024, 3, 1), status="draft")
    make_statement(actor=north, issues=[hostages], stated_on=date(2024, 3, 2), status="rejected")
    assert latest_positions_as_of(negotiation=negotiation, as_of=date(2024, 1, 15))[(north.pk, hostages.pk)].pk == old.pk
    assert latest_positions_as_of(negotiation=negotiation, as_of=date(2024, 6, 1))[(north.pk, hostages.pk)].pk == new.pk
    assert latest_positions_as_of(negotiation=negotiation, as_of=date(2023, 12, 31)) == {}


def test_undated_statement_counts_from_its_articles_publication_date(
    negotiation, actors, issues, make_statement
):
    north, hostages = actors["Northland"], issues["hostages"]
    background = make_statement(actor=north, issues=[hostages], stated_on=None, published_on=date(2024, 2, 10))
    assert latest_positions_as_of(negotiation=negotiation, as_of=date(2024, 2, 9)) == {}
    assert latest_positions_as_of(negotiation=negotiation, as_of=date(2024, 2, 10))[(north.pk, hostages.pk)].pk == background.pk


def test_same_day_ties_go_to_the_later_entered_statement(negotiation, actors, issues, make_statement):
    north, hostages = actors["Northland"], issues["hostages"]
    make_statement(actor=north, issues=[hostages])
    second = make_statement(actor=north, issues=[hostages])
    assert latest_positions_as_of(negotiation=negotiation, as_of=date(2024, 6, 1))[(north.pk, hostages.pk)].pk == second.pk


def test_a_statement_on_two_issues_fills_both_rows(negotiation, actors, issues, make_statement):
    north = actors["Northland"]
    both = make_statement(actor=north, issues=[issues["hostages"], issues["ceasefire"]])
    latest = latest_positions_as_of(negotiation=negotiation, as_of=date(2024, 6, 1))
    assert latest[(north.pk, issues["hostages"].pk)].pk == both.pk == latest[(north.pk, issues["ceasefire"].pk)].pk


def test_parent_issue_row_shows_its_sub_issues_and_sub_rows_follow_it(
    negotiation, actors, issues, make_statement
):
    south = actors["Southport"]
    permanent = make_statement(actor=south, issues=[issues["ceasefire/permanent"]], stance="demand")
    matrix = positions_side_by_side(negotiation=negotiation, as_of=date(2024, 6, 1))
    keys = [(row.issue.key, row.depth) for row in matrix.rows]
    assert keys.index(("ceasefire/permanent", 1)) == keys.index(("ceasefire", 0)) + 1
    parent = next(row for row in matrix.rows if row.issue.key == "ceasefire")
    cell = next(c for c in parent.cells if c.actor == south)
    assert cell.statement is None
    assert [(child, s.pk) for child, s in cell.sub] == [(issues["ceasefire/permanent"], permanent.pk)]


def test_parties_come_before_mediators(negotiation):
    matrix = positions_side_by_side(negotiation=negotiation, as_of=date(2024, 6, 1))
    assert [p.role for p in matrix.actors] == ["party", "party", "mediator"]


def test_gap_is_opposed_when_one_party_rejects_what_another_demands(
    negotiation, actors, issues, make_statement
):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], stance="demand")
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], stance="reject")
    matrix = positions_side_by_side(negotiation=negotiation, as_of=date(2024, 6, 1))
    assert next(r for r in matrix.rows if r.issue.key == "hostages").gap == "opposed"


def test_compare_marks_cells_that_changed_between_the_dates(
    negotiation, actors, issues, make_statement
):
    north, hostages = actors["Northland"], issues["hostages"]
    before = make_statement(actor=north, issues=[hostages], stance="reject", stated_on=date(2024, 1, 1))
    make_statement(actor=north, issues=[hostages], stance="accept", stated_on=date(2024, 3, 1))
    matrix = positions_side_by_side(negotiation=negotiation, as_of=date(2024, 6, 1), compare=date(2024, 2, 1))
    cell = next(c for c in next(r for r in matrix.rows if r.issue.key == "hostages").cells if c.actor == north)
    assert cell.changed and cell.previous.pk == before.pk


def test_page_shows_the_matrix_with_links_to_history(researcher_client, negotiation, actors, issues, make_statement):
    statement = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="All captives home")
    body = researcher_client.get(url(negotiation, "as_of=2024-06-01")).content.decode()
    assert "All captives home" in body
    assert reverse("positions:statement", args=[statement.pk]) in body
    timeline = reverse("positions:timeline", args=[actors["Northland"].pk])
    assert f"{timeline}?negotiation=harbour-talks&amp;issue={issues['hostages'].pk}" in body
    assert 'name="as_of"' in body and 'hx-target="#matrix"' in body


def test_date_before_the_statement_hides_it(researcher_client, negotiation, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="All captives home")
    body = researcher_client.get(url(negotiation, "as_of=2024-01-01")).content.decode()
    assert "All captives home" not in body


def test_htmx_date_change_returns_only_the_matrix(researcher_client, negotiation, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="All captives home")
    response = researcher_client.get(url(negotiation, "as_of=2024-06-01"), **htmx_headers("matrix"))
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="matrix"')
    assert "All captives home" in body and "<html" not in body and "<form" not in body


def test_invalid_date_falls_back_to_today(researcher_client, negotiation):
    response = researcher_client.get(url(negotiation, "as_of=yesterday"))
    assert response.status_code == 200 and "errorlist" in response.content.decode()


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_statements(
    researcher_client, negotiation, actors, issues, make_statement, django_assert_num_queries, count: int
):
    for i in range(count):
        actor = list(actors.values())[i % 3]
        make_statement(actor=actor, issues=[issues["hostages"], issues["ceasefire/permanent"]],
                       stated_on=date(2024, 1, 1) + timedelta(days=i))
    # 1 session, 2 user, 3 user's groups (access check), 4 negotiation, 5 participations
    # with actors, 6 issues; the positions as of the date: 7 the latest dated statement per
    # actor × issue by effective date (one LATERAL query on PostgreSQL, one query of correlated
    # subqueries elsewhere), 8 the winning statements with their outlet and person, 9 their
    # duplicates' outlets.
    with django_assert_num_queries(9):
        assert researcher_client.get(url(negotiation, "as_of=2024-06-01")).status_code == 200
    # Comparing with an earlier date adds one query (7) for that date: 8 and 9 read the
    # statements of both dates.
    with django_assert_num_queries(10):
        assert researcher_client.get(url(negotiation, "as_of=2024-06-01&compare=2024-01-05")).status_code == 200


def test_a_cell_names_every_outlet_that_reported_the_statement(
    researcher_client, negotiation, actors, issues, make_statement
):
    from positions.models import Outlet, Statement
    from tests.factories import ArticleFactory, StatementFactory

    canonical = make_statement(actor=actors["Northland"], issues=[issues["hostages"]], outlet="Harbour Post")
    other = ArticleFactory.create(negotiation=negotiation, outlet=Outlet.objects.create(name="Bay Times"))
    StatementFactory.create(article=other, actor=actors["Northland"], issues=[issues["hostages"]],
                     status=Statement.Status.DUPLICATE, duplicate_of=canonical)
    body = researcher_client.get(url(negotiation, "as_of=2024-06-01")).content.decode()
    assert "Harbour Post, Bay Times" in body


def test_csv_of_the_matrix_has_a_row_per_cell_as_shown(researcher_client, negotiation, actors, issues, make_statement):
    from django.http import StreamingHttpResponse

    from tests.positions.conftest import read_csv

    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="=2+2", stance="reject")
    response = researcher_client.get(url(negotiation, "as_of=2024-06-01&format=csv"))
    assert isinstance(response, StreamingHttpResponse)
    citation = response["X-Parley-Citation"]
    rows = read_csv(response)
    assert len(rows) == 3 * 3  # three issues × three actors
    cell = next(r for r in rows if r["actor"] == "Northland" and r["issue_key"] == "hostages")
    assert cell["stance"] == "reject" and cell["summary"] == "'=2+2" and cell["date"] == "2024-01-15"
    assert citation.startswith("Parley: side by side, Harbour talks. Filters: mode: As of; date: 2024-06-01.")
    assert "as_of=2024-06-01" in citation and "format=csv" not in citation


def test_json_of_the_matrix_with_a_comparison(researcher_client, negotiation, actors, issues, make_statement):
    import json

    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], stance="accept", stated_on=date(2024, 3, 1))
    response = researcher_client.get(url(negotiation, "as_of=2024-06-01&compare=2024-01-01&format=json"))
    data = json.loads(b"".join(response.streaming_content))
    cell = next(r for r in data["side-by-side-harbour-talks"] if r["actor"] == "Northland" and r["issue_key"] == "hostages")
    assert cell["changed"] == "yes" and cell["compared_stance"] == "" and cell["stance"] == "accept"


def test_the_gap_column_sits_beside_the_issues_and_a_legend_explains_every_label(researcher_client, negotiation, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], stance="reject", stated_on=date(2024, 1, 1))
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], stance="accept", stated_on=date(2024, 3, 1),
                   summary="Northland (accept): said it accepted the swap")
    page = researcher_client.get(url(negotiation, "as_of=2024-06-01&compare=2024-02-01")).content.decode()
    head = page.split("<thead>")[1].split("</thead>")[0]
    assert head.index("Issue") < head.index("Between the parties") < head.index("Northland")
    legend = page.split('class="matrix-legend"')[1]
    for label in ("Demand", "Reject", "Condition", "restated", "hardened", "softened", "reversed",
                  "opposed", "conditional", "converging", "open"):
        assert label in legend
    # The cell's line drops the extractor's lead; its shift names what it was compared with.
    assert ">it accepted the swap</span>" in page
    assert 'class="shift shift-reversed">reversed</span>' in page
    assert "Reversed against" in page and "its position of 1 Jan 2024</a>" in page
