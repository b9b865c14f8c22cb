"""The overview: each negotiation's matrix in miniature and its latest shifts, linked."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse


def test_the_overview_shows_the_matrix_in_miniature_and_the_latest_shifts(researcher_client, negotiation, actors, issues, make_statement):
    north = actors["Northland"]
    make_statement(actor=north, issues=[issues["hostages"]], stance="reject", stated_on=date(2024, 1, 1))
    accepted = make_statement(actor=north, issues=[issues["hostages"]], stance="accept", stated_on=date(2024, 3, 1))
    page = researcher_client.get(reverse("home")).content.decode()
    mini = page.split('class="mini-matrix"')[1].split("</table>")[0]
    assert f'href="/statements/{accepted.pk}/" class="dot stance-accept"' in mini
    assert "Northland · Hostages · Accept, 1 Mar 2024" in mini
    shifts = page.split('class="latest-shifts"')[1].split("</ul>")[0]
    assert 'class="shift shift-reversed">reversed</span> on Hostages' in shifts
    assert f'href="/statements/{accepted.pk}/">reject → accept</a>' in shifts
    assert reverse("positions:changes", args=[negotiation.slug]) in page


@pytest.mark.parametrize("count", [1, 10])
def test_query_count_does_not_grow_with_statements(researcher_client, negotiation, actors, issues, make_statement, django_assert_num_queries, count: int):
    for i in range(count):
        make_statement(actor=list(actors.values())[i % 3], issues=[issues["hostages"]],
                       stance=("accept", "reject")[i % 2], stated_on=date(2024, 1, 1 + i))
    # On PostgreSQL: 1 session, 2 user, 3 groups (access), 4 negotiations with 5 their participations,
    # 6 the statement counts; per negotiation: its shifts (7 participants, 8 statements,
    # 9 previous ones) and its matrix (10 participants, 11 issues, 12 the latest per cell,
    # 13 their statements, 14 their duplicates' outlets); 15 the participations' actors.
    with django_assert_num_queries(15):
        assert researcher_client.get(reverse("home")).status_code == 200
