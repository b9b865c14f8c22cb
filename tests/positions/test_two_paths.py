"""Reads with a PostgreSQL path and a portable one (positions/selectors/vendor.py): both
paths run here on the same data and must give the same result, so every CI run (on
PostgreSQL) checks the path SQLite takes too."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
import random
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection

import articles
import positions
from positions.models import Outlet, Statement
from positions.selectors import StatementFilters
from positions.selectors.modes import By, HistoricalStatement, Mode, candidates
from positions.selectors.vendor import READS, TwoPaths, on_postgresql
from tests.factories import ArticleFactory, ClauseFactory, ProposalFactory, StatementFactory

pytestmark = pytest.mark.django_db

STANCES = ["demand", "reject", "accept", "propose", "condition", "assess", "intent"]


@pytest.fixture(autouse=True)
def _on_postgresql() -> None:
    # Not a skip: the comparison is the point, and the test database is PostgreSQL.
    assert connection.vendor == "postgresql" and on_postgresql(), "runs on PostgreSQL"


@pytest.fixture
def history(negotiation, actors, issues, make_statement) -> list[Statement]:
    """Sixty statements at random: dated, background and undated, every status, one or two
    issues, some duplicates reported by other outlets, cells a spreadsheet would run."""
    rng = random.Random(5)
    keys = list(issues)
    made = []
    plans = [ProposalFactory.create(negotiation=negotiation, name=name) for name in ("Quay plan", "=Plan B")]
    clauses = [ClauseFactory.create(proposal=plans[0], key=key, position=n)
               for n, key in enumerate(("truce", "swap", "aid"))]
    for n in range(60):
        proposal = rng.choice([None, None, *plans])
        made.append(make_statement(
            proposal=proposal,
            clauses=rng.sample(clauses, rng.choice([0, 1, 2])) if proposal == plans[0] else [],
            actor=rng.choice(list(actors.values())),
            issues=[issues[k] for k in rng.sample(keys, rng.choice([1, 2]))],
            stated_on=None if n % 9 == 0 else date(2024, 1, 1) + timedelta(days=rng.randrange(60)),
            published_on=date(2024, 1, 1) + timedelta(days=rng.randrange(60)),
            stance=rng.choice(STANCES),
            status=rng.choice(["approved"] * 4 + ["draft", "rejected"]),
            outlet=rng.choice([None, "Harbour Post", "Bay Times"]),
            summary=rng.choice(["plain words", '=HYPERLINK("x")', "line\nbreak", "@home"]),
            conditions=rng.choice(["", "", "-1", "until the offensive ends"]),
        ))
    approved = [s for s in made if s.status == "approved"]
    for canonical in approved[:8]:
        StatementFactory.create(
            article=ArticleFactory.create(negotiation=negotiation,
                                   outlet=Outlet.objects.get_or_create(name="Gulf Wire")[0]),
            actor=canonical.actor, issues=list(canonical.issues.all()),
            status=Statement.Status.DUPLICATE, duplicate_of=canonical,
        )
    undated = StatementFactory.create(article=None, negotiation=negotiation, actor=approved[0].actor,
                               issues=[issues["hostages"]], stated_on=None, status="approved")
    return [*made, undated]


def both(read: TwoPaths[..., Any], *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    return read.postgresql(*args, **kwargs), read.portable(*args, **kwargs)


def csv_rows(pieces: Iterable[bytes]) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(pieces).decode("utf-8-sig"))))


def _spread_history_over_early_2024() -> None:
    """Move every history row into January–March 2024, in the order they were written, so
    that Parley's record on a day in that range holds some statements and not others."""
    for history_id in HistoricalStatement.objects.order_by("history_id").values_list("history_id", flat=True):
        HistoricalStatement.objects.filter(history_id=history_id).update(
            history_date=datetime(2024, 1, 1, tzinfo=UTC) + timedelta(hours=history_id % 2000)
        )


def compare_latest_statement_per_cell(negotiation, actors, issues, history) -> int:
    read = READS["latest statement per cell"]
    _spread_history_over_early_2024()
    plan = ProposalFactory.create(negotiation=negotiation)
    for statement in history[::3]:
        Statement.objects.filter(pk=statement.pk).update(proposal=plan)
    groups = {By.ISSUE: [i.pk for i in issues.values()], By.PROPOSAL: [plan.pk]}
    cells = 0
    for mode in Mode:
        for day in (date(2023, 12, 31), date(2024, 1, 10), date(2024, 2, 1), date(2024, 6, 1)):
            found = candidates(mode=mode, day=day, negotiation_id=negotiation.pk)
            for by, positional in ((By.ISSUE, False), (By.ISSUE, True), (By.PROPOSAL, False)):
                postgresql, portable = both(
                    read, found=found, positional=positional, by=by,
                    actor_ids=[a.pk for a in actors.values()], group_ids=groups[by],
                )
                assert portable == postgresql, (mode, day, by, positional)
                cells += len(postgresql)
    found = candidates(mode=Mode.AS_OF, day=date(2024, 6, 1), negotiation_id=negotiation.pk)
    empty = both(read, found=found, actor_ids=[], group_ids=[], positional=False)
    assert empty == ({}, {})
    return cells


def compare_previous_position_per_issue(negotiation, actors, issues, history) -> int:
    postgresql, portable = both(READS["previous position per issue"], history)
    assert portable == postgresql
    assert both(READS["previous position per issue"], []) == ([], [])
    return sum(prior is not None for *_, prior in postgresql)


def compare_statements_csv(negotiation, actors, issues, history) -> int:
    read = READS["statements CSV"]
    rows = 0
    north = actors["Northland"].pk
    for filters, text, shifts in (
        (StatementFilters(negotiation_id=negotiation.pk), "", False),
        (StatementFilters(), "words", False),
        (StatementFilters(actor_id=north), "", True),
        (StatementFilters(issue_id=issues["ceasefire"].pk, stance="demand"), "", False),
    ):
        for bom in (False, True):
            postgresql, portable = both(read, filters, bom=bom, text=text, shifts=shifts)
            postgresql, portable = csv_rows(postgresql), csv_rows(portable)
            assert postgresql == portable, (filters, text, shifts)
            assert {"proposal", "clauses"} <= set(postgresql[0])
            rows += len(postgresql) - 1
    return rows


COMPARED: dict[str, Callable[..., int]] = {
    "latest statement per cell": compare_latest_statement_per_cell,
    "previous position per issue": compare_previous_position_per_issue,
    "statements CSV": compare_statements_csv,
}


def _import_every_module() -> None:
    """A read registers itself when its module is imported: import them all, so neither the
    registry check nor a test reading ``READS`` depends on which tests ran before it."""
    for package in (positions, articles):
        for module in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if ".migrations" not in module.name and ".management" not in module.name:
                importlib.import_module(module.name)


@pytest.fixture(autouse=True, scope="module")
def _every_read_registered() -> None:
    _import_every_module()


def test_every_read_with_two_paths_is_compared_here() -> None:
    assert set(READS) == set(COMPARED)


@pytest.mark.parametrize("name", sorted(COMPARED))
def test_both_paths_give_the_same_result_on_the_same_data(
    name: str, negotiation, actors, issues, history
) -> None:
    compared = COMPARED[name](negotiation, actors, issues, history)
    assert compared > 10  # the data does exercise the read


def test_the_copy_path_escapes_formulas_as_the_portable_writer_does(negotiation, actors, issues, make_statement):
    canonical = make_statement(actor=actors["Northland"], issues=[issues["hostages"], issues["ceasefire"]],
                               summary='=HYPERLINK("x")', conditions="-1", via="@a, \"b\"", outlet="Harbour Post")
    other = ArticleFactory.create(negotiation=negotiation, outlet=Outlet.objects.create(name="Bay Times"))
    StatementFactory.create(article=other, actor=actors["Northland"], issues=[issues["hostages"]],
                     status=Statement.Status.DUPLICATE, duplicate_of=canonical)
    make_statement(actor=actors["Southport"], issues=[issues["hostages"]], stated_on=None, summary="line\nbreak")
    postgresql, portable = both(READS["statements CSV"], StatementFilters(negotiation_id=negotiation.pk), bom=False)
    copied = csv_rows(postgresql)
    assert copied == csv_rows(portable)
    rows = [dict(zip(copied[0], row, strict=True)) for row in copied[1:]]
    assert [row["summary"] for row in rows] == ["'=HYPERLINK(\"x\")", "line\nbreak"]
    assert rows[0]["conditions"] == "'-1" and rows[0]["via"] == "'@a, \"b\""
    assert rows[0]["also_reported_by"] == "Bay Times"


def test_an_actor_export_walks_the_history_to_the_timeline_s_shift_labels(actors, history):
    """The export finds each statement's previous position in one pass over the actor's
    history; the timeline looks each up (``previous positions per issue``): the same labels."""
    from positions.export import export_records
    from positions.selectors import timeline_for_actor

    for actor in actors.values():
        filters = StatementFilters(actor_id=actor.pk)
        exported = {r["id"]: r["shifts"] for r in export_records(filters, shifts=True)}
        shown = {}
        cursor = None
        while True:
            page = timeline_for_actor(actor=actor, filters=filters, cursor=cursor, page_size=7)
            shown |= {e.pk: [f"{key}: {label}" for key, _, label in e.issue_shifts if label]
                      for e in page.statements}
            if not (cursor := page.next_cursor):
                break
        assert exported == shown
        assert any(exported.values())
