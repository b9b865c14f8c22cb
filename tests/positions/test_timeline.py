"""positions:timeline — an actor's approved statements, newest first, filtered and paged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from positions.selectors import StatementFilters, timeline_for_actor
from tests.positions.conftest import htmx_headers

pytestmark = pytest.mark.django_db


def entries(body: str) -> str:
    """The list of statements (the chart above it repeats summaries in its hover text)."""
    return body.split('<ol class="timeline">', 1)[1]


def url(actor, query: str = "") -> str:
    return reverse("positions:timeline", args=[actor.pk]) + (f"?{query}" if query else "")


@pytest.mark.parametrize(
    ("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)]
)
def test_access_per_role(clients, actors, who: str, status: int):
    assert clients[who].get(url(actors["Northland"])).status_code == status


def test_anonymous_visitors_are_sent_to_login(anonymous_client, actors):
    response = anonymous_client.get(url(actors["Northland"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_post_is_not_allowed(researcher_client, actors):
    assert researcher_client.post(url(actors["Northland"])).status_code == 405


def test_shows_only_approved_statements_newest_first(
    researcher_client, actors, issues, make_statement
):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"]], summary="Older approved", stated_on=date(2024, 1, 2))
    make_statement(actor=north, issues=[issues["hostages"]], summary="Newer approved", stated_on=date(2024, 2, 2))
    make_statement(actor=north, issues=[issues["hostages"]], summary="Still a draft", status="draft")
    make_statement(actor=north, issues=[issues["hostages"]], summary="Was rejected", status="rejected")
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], summary="Other actor")
    body = entries(researcher_client.get(url(north)).content.decode())
    assert body.index("Newer approved") < body.index("Older approved")
    assert "Still a draft" not in body and "Was rejected" not in body and "Other actor" not in body


def test_each_entry_links_to_its_statement_page_and_source(researcher_client, actors, issues, make_statement):
    statement = make_statement(actor=actors["Northland"], issues=[issues["ceasefire"]], outlet="Harbour Post")
    statement.article.url = "https://news.example/story"
    statement.article.save()
    body = researcher_client.get(url(actors["Northland"])).content.decode()
    assert reverse("positions:statement", args=[statement.pk]) + "#evidence" in body
    assert 'href="https://news.example/story"' in body
    assert "Harbour Post" in body
    assert "Ceasefire" in body and "Demand" in body


def test_htmx_request_gets_only_the_results_fragment(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["ceasefire"]], summary="Wants a truce")
    response = researcher_client.get(url(actors["Northland"]), **htmx_headers("timeline-results"))
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="timeline-results"')
    assert "Wants a truce" in body
    assert "<html" not in body and "<form" not in body
    assert "HX-Request" in response["Vary"]


def test_htmx_request_with_unknown_target_gets_the_whole_page(researcher_client, actors):
    response = researcher_client.get(url(actors["Northland"]), **htmx_headers("main"))
    assert "<html" in response.content.decode()


def test_filters_by_issue_including_sub_issues_and_by_stance(
    researcher_client, actors, issues, make_statement
):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["ceasefire/permanent"]], summary="Permanent only")
    make_statement(actor=north, issues=[issues["hostages"]], summary="Hostages only", stance="reject")
    body = researcher_client.get(url(north, f"issue={issues['ceasefire'].pk}")).content.decode()
    assert "Permanent only" in body and "Hostages only" not in body
    body = researcher_client.get(url(north, "stance=reject")).content.decode()
    assert "Hostages only" in body and "Permanent only" not in body


def test_filters_by_speaker_and_date_range(researcher_client, actors, issues, make_statement):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"]], speaker="Envoy Ada", summary="In range", stated_on=date(2024, 3, 1))
    make_statement(actor=north, issues=[issues["hostages"]], speaker="Envoy Bo", summary="Too early", stated_on=date(2024, 1, 1))
    body = researcher_client.get(url(north, "date_from=2024-02-01&date_to=2024-03-31")).content.decode()
    assert "In range" in body and "Too early" not in body
    body = researcher_client.get(url(north, "speaker=bo")).content.decode()
    assert "Too early" in body and "In range" not in body


def test_an_invalid_filter_is_reported_not_an_error(researcher_client, actors):
    response = researcher_client.get(url(actors["Northland"], "stance=bogus&date_from=nope"))
    assert response.status_code == 200
    assert "errorlist" in response.content.decode()


def test_undated_statement_is_placed_at_its_articles_publication_date(
    researcher_client, actors, issues, make_statement
):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"]], summary="Background", stated_on=None, published_on=date(2024, 5, 1))
    make_statement(actor=north, issues=[issues["hostages"]], summary="Dated April", stated_on=date(2024, 4, 1))
    body = entries(researcher_client.get(url(north)).content.decode())
    assert body.index("Background") < body.index("Dated April")
    assert "from publication" in body


def test_keyset_pages_cover_every_statement_once(actors, issues, make_statement):
    north = actors["Northland"]
    made = {
        make_statement(actor=north, issues=[issues["hostages"]], stated_on=date(2024, 1, 1) + timedelta(days=i % 3)).pk
        for i in range(7)
    }
    seen: list[int] = []
    cursor = None
    while True:
        page = timeline_for_actor(actor=north, filters=StatementFilters(), cursor=cursor, page_size=3)
        seen += [s.pk for s in page.statements]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    assert sorted(seen) == sorted(made) and len(seen) == len(made)


def test_next_page_link_carries_the_filters(researcher_client, actors, issues, make_statement):
    north = actors["Northland"]
    for day in range(30):
        make_statement(actor=north, issues=[issues["hostages"]], stated_on=date(2024, 1, 1) + timedelta(days=day))
    body = researcher_client.get(url(north, "stance=demand")).content.decode()
    assert "stance=demand&amp;after=" in body


def test_a_forged_cursor_is_ignored(researcher_client, actors):
    assert researcher_client.get(url(actors["Northland"], "after=%27%3B--")).status_code == 200


def test_shift_labels_are_marked_on_the_timeline(researcher_client, actors, issues, make_statement):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"]], stance="reject", stated_on=date(2024, 1, 1))
    make_statement(actor=north, issues=[issues["hostages"]], stance="accept", stated_on=date(2024, 2, 1))
    body = researcher_client.get(url(north)).content.decode()
    assert 'class="shift shift-reversed"' in body


def test_chart_has_a_lane_per_issue_and_a_titled_mark_per_statement(
    researcher_client, actors, issues, make_statement
):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"], issues["ceasefire"]], stance="reject", summary="No deal")
    body = researcher_client.get(url(north)).content.decode()
    # A group, not an img: an img's children are presentational, and its marks are links.
    assert 'role="group"' in body and 'aria-labelledby="chart-title chart-desc"' in body
    assert body.count('class="mark stance-reject"') == 2
    assert "<title>15 Jan 2024 · Hostages · Reject: No deal</title>" in body


def test_chart_filtered_by_an_issue_shows_only_that_lane(
    researcher_client, actors, issues, make_statement
):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"], issues["ceasefire"]], stance="reject", summary="No deal")
    make_statement(actor=north, issues=[issues["ceasefire"]], stance="demand", summary="Stop now")
    body = researcher_client.get(url(north, f"issue={issues['hostages'].pk}")).content.decode()
    assert body.count('class="mark stance-reject"') == 1
    assert "· Hostages · Reject: No deal</title>" in body
    assert "· Ceasefire ·" not in body and 'class="mark stance-demand"' not in body


def test_statement_text_is_escaped(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]], summary="<script>alert(1)</script>")
    body = researcher_client.get(url(actors["Northland"])).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


@pytest.mark.parametrize(("count", "queries"), [(1, 12), (10, 12), (30, 11)])
def test_query_count_does_not_grow_with_statements(
    researcher_client, actors, issues, make_statement, django_assert_num_queries, count: int, queries: int
):
    north = actors["Northland"]
    for i in range(count):
        make_statement(actor=north, issues=[issues["hostages"], issues["ceasefire/permanent"]],
                       stated_on=date(2024, 1, 1) + timedelta(days=i))
    # 1 session, 2 user, 3 user's groups (access check), 4 actor, 5 actor's negotiations,
    # 6 their issues (prefetch); the page: 7 statements with an effective date (with
    # article, outlet and person), 8 those with none, only on a page where the dated run
    # out (not with 30 statements: the page holds 25); 9 their issues with the previous
    # positional statement on each (a LATERAL index walk per pair on PostgreSQL; elsewhere
    # its id, then those statements: one more), 10 the duplicates' outlets, 11 their
    # evidence spans (the page and the API read one shape); 12 the chart's marks.
    from django.db import connection

    with django_assert_num_queries(queries + (connection.vendor != "postgresql")):
        assert researcher_client.get(url(north, "stance=demand")).status_code == 200


def test_pages_carry_shift_labels_and_cursors_to_the_end(negotiation, actors, issues, make_statement):
    """One shape for the page and the API: each entry's issues with their shift labels,
    its evidence spans, and cursors that walk every statement once."""
    from tests.factories import StatementFactory

    north = actors["Northland"]
    for day, stance in ((1, "reject"), (5, "accept"), (9, "accept")):
        make_statement(actor=north, issues=[issues["hostages"], issues["ceasefire"]], stance=stance,
                       stated_on=date(2024, 1, day), conditions="now" if day == 9 else "")
    make_statement(actor=north, issues=[issues["hostages"]], stated_on=None, published_on=date(2024, 1, 3))
    StatementFactory.create(article=None, negotiation=negotiation, actor=north, issues=[issues["hostages"]],
                     stated_on=None, status="approved")
    cursor: str | None = None
    seen = []
    for _ in range(3):  # 5 statements, 2 a page
        page = timeline_for_actor(actor=north, filters=StatementFilters(), cursor=cursor, page_size=2)
        seen += page.statements
        cursor = page.next_cursor
    assert cursor is None and len(seen) == 5
    by_day = {e.effective: dict((key, label) for key, _, label in e.issue_shifts) for e in seen}
    # on hostages the background demand of 3 January comes between the refusal and the acceptance
    assert by_day[date(2024, 1, 5)] == {"ceasefire": "reversed", "hostages": "softened"}
    assert by_day[None] == {"hostages": None}  # no place in time: nothing to compare with
    assert all(e.evidence and e.first_evidence == e.evidence[0].text for e in seen if e.has_article)


def test_keyset_pages_merge_dated_background_and_dateless_statements(negotiation, actors, issues, make_statement):
    from tests.factories import StatementFactory

    north = actors["Northland"]
    dated = [make_statement(actor=north, issues=[issues["hostages"]], stated_on=date(2024, 1, d)) for d in (1, 5, 9)]
    background = [make_statement(actor=north, issues=[issues["hostages"]], stated_on=None, published_on=date(2024, 1, d))
                  for d in (3, 9)]
    dateless = StatementFactory.create(article=None, negotiation=negotiation, actor=north, issues=[issues["hostages"]],
                                stated_on=None, status="approved")
    seen, cursor = [], None
    while True:
        page = timeline_for_actor(actor=north, filters=StatementFilters(), cursor=cursor, page_size=2)
        seen += [s.pk for s in page.statements]
        if not page.next_cursor:
            break
        cursor = page.next_cursor
    newest_first = [max(background[1].pk, dated[2].pk), min(background[1].pk, dated[2].pk),
                    dated[1].pk, background[0].pk, dated[0].pk, dateless.pk]
    assert seen == newest_first
