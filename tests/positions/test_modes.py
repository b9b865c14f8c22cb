"""positions/selectors/modes.py and the side-by-side page's three time modes: as of a day,
published by a day, and Parley's record on a day (from the statements' history)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from positions import services
from positions.models import Statement
from positions.selectors import latest_positions_as_of, positions_side_by_side
from positions.selectors.modes import By, Mode, candidates, latest_per_actor
from tests.factories import ProposalFactory, StatementFactory
from tests.positions.conftest import htmx_headers, read_csv

pytestmark = pytest.mark.django_db

DAY = date(2024, 2, 20)  # the day every matrix below is asked about


@pytest.fixture
def clock(monkeypatch):
    """Sets the time the next writes happen at (and so their history rows' dates)."""

    def at(day: date) -> None:
        moment = datetime.combine(day, time(12), tzinfo=UTC)
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return at


@pytest.fixture
def story(negotiation, actors, issues, make_statement, editor, clock):
    """Northland on hostages, told three ways:

    - a demand, said on 10 January, printed on 11 January, approved on 12 January;
    - an acceptance said on 5 February, printed the next day, approved on 7 February,
      which an editor turned into a conditional acceptance on 25 February (after DAY);
    - a rejection said on 15 February but first printed on 1 March, approved on 2 March.

    Southport: a proposal on hostages approved on 19 February and rejected on 5 March; on
    the ceasefire a demand approved on 10 February and merged into another outlet's report
    of it on 10 March.
    """
    north, south = actors["Northland"], actors["Southport"]
    hostages, ceasefire = issues["hostages"], issues["ceasefire"]

    def approved_on(day: date, **fields) -> Statement:
        clock(day - timedelta(days=1))
        draft = make_statement(status="draft", **fields)
        clock(day)
        return services.statement_approve(statement_id=draft.pk, version=draft.version, user=editor)

    made = {
        "demand": approved_on(date(2024, 1, 12), actor=north, issues=[hostages], stance="demand",
                              stated_on=date(2024, 1, 10), published_on=date(2024, 1, 11)),
        "accept": approved_on(date(2024, 2, 7), actor=north, issues=[hostages], stance="accept",
                              stated_on=date(2024, 2, 5), published_on=date(2024, 2, 6),
                              summary="Accepts the swap."),
        "late": approved_on(date(2024, 3, 2), actor=north, issues=[hostages], stance="reject",
                            stated_on=date(2024, 2, 15), published_on=date(2024, 3, 1)),
        "proposal": approved_on(date(2024, 2, 19), actor=south, issues=[hostages], stance="propose",
                                stated_on=date(2024, 2, 18), published_on=date(2024, 2, 18)),
        "ceasefire": approved_on(date(2024, 2, 10), actor=south, issues=[ceasefire], stance="demand",
                                 stated_on=date(2024, 2, 9), published_on=date(2024, 2, 9)),
        "other": approved_on(date(2024, 2, 11), actor=south, issues=[ceasefire], stance="demand",
                             stated_on=date(2024, 2, 9), published_on=date(2024, 2, 9)),
    }
    clock(date(2024, 2, 25))
    accept = made["accept"]
    accept.stance, accept.conditions, accept.version = "condition", "if the crossings open", accept.version + 1
    accept.save()
    clock(date(2024, 3, 5))
    services.statement_reject(statement_id=made["proposal"].pk, version=made["proposal"].version,
                              user=editor, reason="misread")
    clock(date(2024, 3, 10))
    services.statement_merge(statement_id=made["ceasefire"].pk, version=made["ceasefire"].version,
                             canonical_id=made["other"].pk, user=editor)
    clock(date(2026, 12, 1))
    return {key: Statement.objects.get(pk=s.pk) for key, s in made.items()}


def cell(negotiation, actor, issue, mode: Mode, day: date = DAY):
    return latest_positions_as_of(negotiation=negotiation, as_of=day, mode=mode).get((actor.pk, issue.pk))


def test_the_three_modes_give_three_different_answers_on_one_day(negotiation, actors, issues, story):
    north, hostages = actors["Northland"], issues["hostages"]
    # As of: the rejection said on 15 February counts, though nobody read it before March.
    as_of = cell(negotiation, north, hostages, Mode.AS_OF)
    assert as_of.pk == story["late"].pk and as_of.stance == "reject"
    # Published by: that rejection was not yet printed; the acceptance was, as edited since.
    published = cell(negotiation, north, hostages, Mode.PUBLISHED)
    assert published.pk == story["accept"].pk and published.stance == "condition"
    assert published.conditions == "if the crossings open"
    # The record: the rejection was not yet approved, and the acceptance had no conditions.
    record = cell(negotiation, north, hostages, Mode.RECORD)
    assert record.pk == story["accept"].pk and record.stance == "accept" and record.conditions == ""
    assert record.since == "edited since"


def test_a_statement_approved_after_the_day_is_not_in_the_record_until_then(negotiation, actors, issues, story):
    north, hostages = actors["Northland"], issues["hostages"]
    assert cell(negotiation, north, hostages, Mode.RECORD, date(2024, 3, 1)).pk == story["accept"].pk
    after = cell(negotiation, north, hostages, Mode.RECORD, date(2024, 3, 2))
    assert after.pk == story["late"].pk and after.since == ""
    assert cell(negotiation, north, hostages, Mode.RECORD, date(2024, 1, 11)) is None
    assert cell(negotiation, north, hostages, Mode.RECORD, date(2024, 1, 12)).pk == story["demand"].pk


def test_a_statement_rejected_after_the_day_stays_in_that_day_s_record(negotiation, actors, issues, story):
    south, hostages = actors["Southport"], issues["hostages"]
    assert cell(negotiation, south, hostages, Mode.AS_OF) is None
    assert cell(negotiation, south, hostages, Mode.PUBLISHED) is None
    record = cell(negotiation, south, hostages, Mode.RECORD)
    assert record.pk == story["proposal"].pk and record.stance == "propose"
    assert record.since == "rejected since"
    assert cell(negotiation, south, hostages, Mode.RECORD, date(2024, 3, 5)) is None


def test_a_statement_merged_after_the_day_stays_in_that_day_s_record(negotiation, actors, issues, story):
    south, ceasefire = actors["Southport"], issues["ceasefire"]
    assert cell(negotiation, south, ceasefire, Mode.AS_OF).pk == story["other"].pk
    # On 10 February only the first report had been approved.
    early = cell(negotiation, south, ceasefire, Mode.RECORD, date(2024, 2, 10))
    assert early.pk == story["ceasefire"].pk and early.since == "merged since"
    # Both were approved on the day: the later entered one leads, as it does today.
    assert cell(negotiation, south, ceasefire, Mode.RECORD).pk == story["other"].pk


def test_the_record_keeps_the_issues_a_statement_had_on_the_day(
    negotiation, actors, issues, editor, clock, make_statement
):
    north, hostages, ceasefire = actors["Northland"], issues["hostages"], issues["ceasefire"]
    clock(date(2024, 1, 5))
    moved = make_statement(actor=north, issues=[hostages], stated_on=date(2024, 1, 4))
    clock(date(2024, 4, 1))
    moved.issues.set([ceasefire])
    assert cell(negotiation, north, hostages, Mode.RECORD, date(2024, 3, 1)).pk == moved.pk
    assert cell(negotiation, north, ceasefire, Mode.RECORD, date(2024, 3, 1)) is None
    assert cell(negotiation, north, ceasefire, Mode.RECORD, date(2024, 4, 1)).pk == moved.pk
    assert cell(negotiation, north, hostages, Mode.AS_OF, date(2024, 3, 1)) is None


def test_published_by_counts_a_statement_without_an_article_from_its_own_date(negotiation, actors, issues):
    north, hostages = actors["Northland"], issues["hostages"]
    by_hand = StatementFactory.create(article=None, negotiation=negotiation, actor=north, issues=[hostages],
                               stated_on=date(2024, 2, 1), status="approved")
    assert cell(negotiation, north, hostages, Mode.PUBLISHED, date(2024, 1, 31)) is None
    assert cell(negotiation, north, hostages, Mode.PUBLISHED, date(2024, 2, 1)).pk == by_hand.pk


def test_a_deleted_statement_leaves_the_record_from_the_day_it_went(negotiation, actors, issues, clock, make_statement):
    north, hostages = actors["Northland"], issues["hostages"]
    clock(date(2024, 1, 5))
    gone = make_statement(actor=north, issues=[hostages], stated_on=date(2024, 1, 4))
    gone_pk = gone.pk
    clock(date(2024, 2, 1))
    gone.delete()
    before = cell(negotiation, north, hostages, Mode.RECORD, date(2024, 1, 31))
    assert before.pk == gone_pk and before.since == "removed since"
    assert cell(negotiation, north, hostages, Mode.RECORD, date(2024, 2, 1)) is None


@pytest.mark.parametrize("mode", list(Mode))
def test_the_orm_set_of_a_mode_holds_the_statements_the_ranking_chooses_from(negotiation, story, mode):
    found = candidates(mode=mode, day=DAY, negotiation_id=negotiation.pk)
    counted = set(found.queryset().values_list("id", flat=True))
    expected = {
        Mode.AS_OF: {"demand", "accept", "late", "other"},  # merged and rejected are out today
        Mode.PUBLISHED: {"demand", "accept", "other"},
        Mode.RECORD: {"demand", "accept", "proposal", "ceasefire", "other"},
    }[mode]
    assert counted == {story[key].pk for key in expected}


def test_the_ranking_also_gives_each_actor_s_latest_statement_on_a_proposal(negotiation, actors, story):
    plan = ProposalFactory.create(negotiation=negotiation)
    Statement.objects.filter(pk__in=[story["demand"].pk, story["late"].pk]).update(proposal=plan)
    north = actors["Northland"].pk
    for mode, expected in ((Mode.AS_OF, "late"), (Mode.PUBLISHED, "demand"), (Mode.RECORD, None)):
        found = candidates(mode=mode, day=DAY, negotiation_id=negotiation.pk)
        keys = latest_per_actor(found=found, actor_ids=[north], group_ids=[plan.pk], by=By.PROPOSAL)
        if mode == Mode.RECORD:
            # The link was made today (a bare update, no history): the record on DAY has none.
            assert keys == {}
        else:
            assert keys == {(north, plan.pk): story[expected].pk}


def test_compare_in_the_record_marks_a_statement_edited_between_the_dates(negotiation, actors, issues, story):
    matrix = positions_side_by_side(negotiation=negotiation, as_of=date(2024, 2, 26),
                                    compare=DAY, mode=Mode.RECORD)
    row = next(r for r in matrix.rows if r.issue.key == "hostages")
    north = next(c for c in row.cells if c.actor == actors["Northland"])
    assert north.statement.pk == north.previous.pk == story["accept"].pk
    assert (north.previous.stance, north.statement.stance) == ("accept", "condition")
    assert north.changed and north.shift


# --- The page --------------------------------------------------------------------------


def url(negotiation, query: str = "") -> str:
    return reverse("positions:side_by_side", args=[negotiation.slug]) + (f"?{query}" if query else "")


@pytest.mark.parametrize(("who", "status"), [("outsider", 403), ("researcher", 200), ("editor", 200)])
def test_every_mode_is_for_readers_only(clients, negotiation, who: str, status: int):
    for mode in Mode:
        assert clients[who].get(url(negotiation, f"mode={mode.value}")).status_code == status


@pytest.mark.parametrize(("mode", "heading"), [
    ("as_of", "Positions as of 20 February 2024"),
    ("published", "Positions published by 20 February 2024"),
    ("record", "Positions in Parley&#x27;s record on 20 February 2024"),
])
def test_the_page_names_its_mode_in_the_heading_the_caption_and_the_legend(
    researcher_client, negotiation, story, mode: str, heading: str
):
    page = researcher_client.get(url(negotiation, f"as_of=2024-02-20&mode={mode}")).content.decode()
    assert heading in page
    assert f'value="{mode}" id="mode-{mode}" aria-describedby="mode-{mode}-help" checked' in page
    legend = page.split('class="matrix-legend"')[1]
    assert "(shown)" in legend.split('class="chosen"')[1].split("</dd>")[0]
    for label in ("As of", "Published by", "Parley&#x27;s record on"):
        assert label in legend


def test_the_record_page_notes_what_became_of_a_statement(researcher_client, negotiation, story):
    page = researcher_client.get(url(negotiation, "as_of=2024-02-20&mode=record")).content.decode()
    assert '<small class="since">(rejected since)</small>' in page
    assert '<small class="since">(edited since)</small>' in page


def test_the_record_says_when_parley_s_history_begins(researcher_client, negotiation, story):
    before = researcher_client.get(url(negotiation, "as_of=2024-01-05&mode=record")).content.decode()
    assert "history of this negotiation begins on 11 January 2024: on 5 January 2024 it held no statements yet." in before
    after = researcher_client.get(url(negotiation, "as_of=2024-02-20&mode=record")).content.decode()
    assert "begins on 11 January 2024." in after
    assert "history of this negotiation" not in researcher_client.get(url(negotiation, "as_of=2024-02-20")).content.decode()


def test_switching_the_mode_with_htmx_returns_only_the_matrix(researcher_client, negotiation, story):
    response = researcher_client.get(url(negotiation, "as_of=2024-02-20&mode=published"),
                                     **htmx_headers("matrix"))
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="matrix"') and "<form" not in body
    assert "Positions published by 20 February 2024" in body


def test_an_unknown_mode_says_so_and_shows_the_default_matrix(researcher_client, negotiation, story):
    response = researcher_client.get(url(negotiation, "as_of=2024-02-20&mode=yesterday"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Unknown mode “yesterday”: choose as_of" in page
    assert "Positions as of 20 February 2024" in page


def test_an_export_with_an_unknown_mode_is_refused_in_plain_words(researcher_client, negotiation):
    response = researcher_client.get(url(negotiation, "as_of=2024-02-20&mode=%3Cb%3E&format=csv"))
    assert response.status_code == 400 and response["Content-Type"].startswith("text/plain")
    assert "mode: Unknown mode “<b>”" in response.content.decode()


@pytest.mark.parametrize(("mode", "label", "stance"), [
    ("as_of", "As of", "reject"), ("published", "Published by", "condition"),
    ("record", "Parley's record on", "accept"),
])
def test_each_export_names_its_mode(researcher_client, negotiation, story, mode, label, stance):
    query = f"as_of=2024-02-20&mode={mode}"
    response = researcher_client.get(url(negotiation, f"{query}&format=csv"))
    assert f"Filters: mode: {label}; date: 2024-02-20." in response["X-Parley-Citation"]
    rows = read_csv(response)
    north = next(r for r in rows if r["actor"] == "Northland" and r["issue_key"] == "hostages")
    assert (north["mode"], north["shown_date"], north["stance"]) == (mode, "2024-02-20", stance)
    data = json.loads(b"".join(researcher_client.get(url(negotiation, f"{query}&format=json")).streaming_content))
    assert data["citation"]["filters"]["mode"] == label
    assert {r["mode"] for r in data["side-by-side-harbour-talks"]} == {mode}


@pytest.mark.parametrize("count", [1, 10])
def test_the_record_s_query_count_does_not_grow_with_statements(
    researcher_client, negotiation, actors, issues, make_statement, django_assert_num_queries, count: int
):
    for i in range(count):
        make_statement(actor=list(actors.values())[i % 3], issues=[issues["hostages"]],
                       stated_on=date(2024, 1, 1) + timedelta(days=i))
    # 1 session, 2 user, 3 user's groups, 4 negotiation, 5 participations with actors,
    # 6 issues; 7 the latest history row per actor × issue on the day, 8 those rows' values,
    # 9 what became of their statements since, 10 the outlets of their duplicates that day,
    # 11 the day the negotiation's history begins.
    with django_assert_num_queries(11):
        assert researcher_client.get(url(negotiation, "as_of=2030-01-01&mode=record")).status_code == 200
    # Published by costs what "as of" costs: the condition is inside the ranking query.
    with django_assert_num_queries(9):
        assert researcher_client.get(url(negotiation, "as_of=2030-01-01&mode=published")).status_code == 200


# --- The API ---------------------------------------------------------------------------


def test_the_api_names_the_same_modes_as_the_page():
    from typing import get_args

    from positions.api import ModeName

    assert list(get_args(ModeName)) == [mode.value for mode in Mode]


@pytest.mark.parametrize(("mode", "stance", "since"), [
    ("as_of", "reject", ""), ("published", "condition", ""), ("record", "accept", "edited since"),
])
def test_the_api_side_by_side_answers_in_each_mode(client, researcher, negotiation, actors, story, mode, stance, since):
    from positions.tokens import api_token_create

    secret = api_token_create(username=researcher.username, name="modes")[1]
    response = client.get(f"/api/negotiations/harbour-talks/side-by-side?as_of=2024-02-20&mode={mode}",
                          headers={"Authorization": f"Bearer {secret}"})
    matrix = response.json()
    assert matrix["mode"] == mode
    hostages = next(r for r in matrix["rows"] if r["issue"] == "hostages")
    north = next(c for c in hostages["cells"] if c["actor_id"] == actors["Northland"].pk)
    assert (north["position"]["stance"], north["position"]["since"]) == (stance, since)


def test_the_api_refuses_an_unknown_mode(client, researcher, negotiation):
    from positions.tokens import api_token_create

    secret = api_token_create(username=researcher.username, name="modes")[1]
    response = client.get("/api/negotiations/harbour-talks/side-by-side?mode=tomorrow",
                          headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 422 and "mode" in response.content.decode()


def test_published_by_counts_a_statement_another_outlet_printed_first(negotiation, actors, issues, make_statement):
    north, hostages = actors["Northland"], issues["hostages"]
    late = make_statement(actor=north, issues=[hostages], stated_on=date(2024, 2, 1),
                          published_on=date(2024, 3, 1), outlet="Harbour Post")
    early = make_statement(actor=north, issues=[hostages], stated_on=date(2024, 2, 1),
                           published_on=date(2024, 2, 2), outlet="Bay Times", status="duplicate",
                           duplicate_of=late)
    shown = latest_positions_as_of(negotiation=negotiation, as_of=date(2024, 2, 10), mode=Mode.PUBLISHED,
                                   outlets=True)[(north.pk, hostages.pk)]
    assert shown.pk == late.pk and shown.outlets == ["Harbour Post", "Bay Times"]
    Statement.objects.filter(pk=early.pk).update(status="rejected", duplicate_of=None)
    assert cell(negotiation, north, hostages, Mode.PUBLISHED, date(2024, 2, 10)) is None
