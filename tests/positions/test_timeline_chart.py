"""The timeline chart: date ticks in the unit the span calls for, none clipped, and
statements of one day in one lane stacked with their count."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from positions.selectors.timeline import date_ticks


@pytest.mark.parametrize(
    ("start", "end", "labels"),
    [
        (date(2024, 3, 1), date(2024, 3, 1), ["1 Mar"]),
        (date(2024, 3, 1), date(2024, 3, 8), ["1 Mar", "2 Mar", "3 Mar", "4 Mar", "5 Mar", "6 Mar", "7 Mar", "8 Mar"]),
        (date(2024, 3, 1), date(2024, 4, 10), ["1 Mar", "7 Mar", "13 Mar", "19 Mar", "25 Mar", "31 Mar", "6 Apr"]),
        (date(2023, 11, 20), date(2024, 5, 2), ["Dec 2023", "Jan 2024", "Feb", "Mar", "Apr", "May"]),
        (date(2023, 10, 7), date(2025, 10, 14), ["Jan 2024", "Jul", "Jan 2025", "Jul"]),
        (date(2016, 5, 1), date(2025, 10, 14), ["2017", "2019", "2021", "2023", "2025"]),
    ],
)
def test_ticks_follow_the_span(start: date, end: date, labels: list[str]) -> None:
    ticks = date_ticks(start, end)
    assert [label for _, label in ticks] == labels
    assert all(start <= day <= end for day, _ in ticks) and len(ticks) <= 8


def test_the_chart_labels_its_axis_without_clipping_and_stacks_a_days_statements(researcher_client, actors, issues, make_statement):
    north = actors["Northland"]
    for stance in ("demand", "reject", "accept"):
        make_statement(actor=north, issues=[issues["hostages"]], stance=stance, stated_on=date(2024, 1, 10))
    make_statement(actor=north, issues=[issues["hostages"]], stance="propose", stated_on=date(2024, 9, 1))
    page = researcher_client.get(reverse("positions:timeline", args=[north.pk])).content.decode()
    chart = page.split("<svg")[1].split("</svg>")[0]
    assert chart.count('class="tick"') >= 4  # months between January and September
    assert 'text-anchor="end">Sep</text>' in chart or 'text-anchor="middle">Sep</text>' in chart
    # Three statements on 10 January in one lane: three marks around the lane, and a count.
    assert chart.count("(1 of 3 that day)") == 1 and chart.count("(3 of 3 that day)") == 1
    assert '<text x="' in chart and 'class="count" aria-hidden="true">3</text>' in chart
    ys = {part.split('cy="')[1].split('"')[0] for part in chart.split("<circle")[1:4]}
    assert len(ys) == 3
