"""Search: matched words highlighted (ts_headline on PostgreSQL, substrings elsewhere),
the text escaped before the marks become <mark>; facets by month; each outlet once."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.urls import reverse
from django.utils.html import format_html

from positions.models import Outlet, Statement
from positions.selectors.search import MARK_START, MARK_STOP, mark_substring
from positions.templatetags.research import marks
from tests.factories import ArticleFactory, StatementFactory


def test_the_portable_highlight_marks_every_occurrence_whatever_its_case() -> None:
    assert mark_substring("Truce now, a TRUCE later", "truce") == (
        f"{MARK_START}Truce{MARK_STOP} now, a {MARK_START}TRUCE{MARK_STOP} later"
    )
    assert mark_substring("a (b) c", "(b)") == f"a {MARK_START}(b){MARK_STOP} c"


def test_marks_become_tags_only_after_the_text_is_escaped() -> None:
    markup, pieces = marks(f"<script>x</script> {MARK_START}<b>truce</b>{MARK_STOP} & {MARK_STOP}")
    html = format_html(markup, *pieces)
    assert html == "&lt;script&gt;x&lt;/script&gt; <mark>&lt;b&gt;truce&lt;/b&gt;</mark> &amp; "


def test_search_results_highlight_the_matched_words(researcher_client, actors, issues, make_statement):
    make_statement(actor=actors["Northland"], issues=[issues["hostages"]],
                   summary="<i>Northland</i> rejected the truce proposals")
    page = researcher_client.get(reverse("positions:search") + "?q=truce").content.decode()
    assert "&lt;i&gt;Northland&lt;/i&gt; rejected the <mark>truce</mark> proposals" in page
    if connection.vendor == "postgresql":  # stemmed as the search stems: "proposal" finds "proposals"
        page = researcher_client.get(reverse("positions:search") + "?q=proposal").content.decode()
        assert "the truce <mark>proposals</mark>" in page


def test_month_facets_count_and_narrow_the_matches(researcher_client, actors, issues, make_statement):
    for day in (date(2024, 5, 2), date(2024, 5, 20), date(2024, 7, 1)):
        make_statement(actor=actors["Northland"], issues=[issues["hostages"]], stated_on=day,
                       summary=f"talks on {day:%d %B}")
    counts = researcher_client.get(reverse("positions:search_counts") + "?q=talks").content.decode()
    assert "<h2>Month</h2>" in counts and "May 2024</a> <span class=\"count\">2</span>" in counts
    assert "month=2024-05" in counts
    page = researcher_client.get(reverse("positions:search") + "?q=talks&month=2024-05").content.decode()
    assert "<mark>talks</mark> on 02 May" in page and "on 20 May" in page and "on 01 July" not in page


def test_a_merged_statement_lists_each_outlet_once(researcher_client, negotiation, actors, issues, make_statement):
    canonical = make_statement(actor=actors["Northland"], issues=[issues["hostages"]],
                               summary="harbour swap", outlet="Harbour Post")
    for name in ("Harbour Post", "Bay Times", "Bay Times"):
        StatementFactory.create(article=ArticleFactory.create(negotiation=negotiation, outlet=Outlet.objects.get_or_create(name=name)[0]),
                         actor=actors["Northland"], issues=[issues["hostages"]],
                         status=Statement.Status.DUPLICATE, duplicate_of=canonical)
    page = researcher_client.get(reverse("positions:search") + "?q=harbour").content.decode()
    assert "Harbour Post, Bay Times" in page and page.count("Bay Times") == 1
