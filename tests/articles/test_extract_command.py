"""`manage.py extract` keeps the contract of DESIGN.md: one JSON object a line, exact spans."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from articles.extraction.proposal_linker import shipped_linker

ARTICLE = """---
title: Sides trade terms
outlet: Harbour Post
published: 2024-05-08
---
"We will never accept a deal that leaves the occupation in place," Osama Hamdan told reporters on Tuesday.

Israel's prime minister Benjamin Netanyahu said on Wednesday that the war would continue until all hostages were freed.
"""

FIELDS = {"file", "speaker", "actor", "issues", "stance", "summary", "evidence", "spans",
          "quote_type", "date", "via", "conditions", "confidence",
          "proposal", "clauses", "proposal_confidence"}


@pytest.fixture
def article_file(tmp_path):
    path = tmp_path / "story.md"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _records(*args: str) -> list[dict[str, Any]]:
    out = StringIO()
    call_command("extract", "--format", "jsonl", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]


def test_prints_one_json_object_per_statement_with_exact_spans(db, article_file):
    records = _records(str(article_file))
    assert records
    body = ARTICLE.split("---\n", 2)[2]
    for record in records:
        assert record.keys() >= FIELDS
        assert record["file"] == str(article_file)
        assert record["stance"] in {"demand", "reject", "accept", "propose", "condition", "intent", "assess"}
        assert [body[start:end] for start, end in record["spans"]] == record["evidence"]
    assert {record["actor"] for record in records} <= {"Hamas", "Israel"}


def test_prints_the_proposal_a_statement_is_about(db, negotiation, tmp_path):
    from datetime import date

    from positions.models import Actor, Issue
    from tests.factories import ClauseFactory, ProposalFactory

    plan = ProposalFactory.create(negotiation=negotiation, key="harbour-plan", name="Harbour plan",
                                  proposed_on=date(2024, 5, 2),
                                  proposed_by=[Actor.objects.get(name="Mediatia")])
    ClauseFactory.create(proposal=plan, key="swap", issue=Issue.objects.get(key="hostages"))
    ClauseFactory.create(proposal=plan, key="pause", issue=Issue.objects.get(key="ceasefire"))
    path = tmp_path / "plan.md"
    path.write_text("---\npublished: 2024-06-01\n---\nNorthland said on Monday that it would accept "
                    "the Harbour plan if the captives were freed.\n", encoding="utf-8")
    [record] = _records("--negotiation", "harbour-talks", str(path))
    assert record["proposal"] == "harbour-plan"
    # The clauses on the statement's issues; none when it touches them all (the whole plan).
    on_issues = [key for key, issue in (("swap", "hostages"), ("pause", "ceasefire"))
                 if any(i.split("/")[0] == issue for i in record["issues"])]
    assert record["clauses"] == ([] if len(on_issues) == 2 else on_issues)
    # The confidence is the learned linker's probability: at least its threshold.
    linker = shipped_linker()
    assert record["proposal_confidence"] is not None and record["proposal_confidence"] >= (linker.threshold if linker else 0.9)


def test_uses_the_demo_reference_when_the_database_has_no_negotiation(db, article_file):
    err = StringIO()
    call_command("extract", str(article_file), stdout=StringIO(), stderr=err)
    assert "demo file" in err.getvalue()


def test_refuses_an_unknown_negotiation(db, negotiation, article_file):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("extract", "--negotiation", "nowhere", str(article_file), stdout=StringIO())


def test_reports_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match=r"missing\.txt"):
        call_command("extract", str(tmp_path / "missing.txt"), stdout=StringIO(), stderr=StringIO())


def test_uses_the_demo_file_for_its_slug_on_an_empty_database(db, article_file):
    err = StringIO()
    call_command("extract", "--negotiation", "gaza-ceasefire", str(article_file), stdout=StringIO(), stderr=err)
    assert "demo file" in err.getvalue()


UKRAINE_ARTICLE = """---
title: Envoys meet again
outlet: Harbour Post
published: 2025-05-20
---
Kremlin spokesman Dmitry Peskov said on Monday that Moscow would not accept any freeze of the front line without talks on territory.

Ukrainian President Volodymyr Zelensky said Kyiv wanted security guarantees before any ceasefire and ruled out giving up its bid to join NATO.
"""


@pytest.fixture
def ukraine_file(tmp_path):
    path = tmp_path / "envoys.md"
    path.write_text(UKRAINE_ARTICLE, encoding="utf-8")
    return path


def test_extracts_with_the_shipped_russia_ukraine_file_on_an_empty_database(db, ukraine_file):
    err = StringIO()
    out = StringIO()
    call_command("extract", "--format", "jsonl", "--negotiation", "russia-ukraine", str(ukraine_file),
                 stdout=out, stderr=err)
    assert "demo file (russia-ukraine)" in err.getvalue()
    records = [json.loads(line) for line in out.getvalue().splitlines() if line.strip()]
    assert records
    assert {record["negotiation"] for record in records} == {"russia-ukraine"}
    assert {record["actor"] for record in records} <= {"Russia", "Ukraine"}


def test_picks_the_best_matching_negotiation_per_file(db, article_file, ukraine_file):
    from positions.demo import demo_negotiations, negotiation_load

    for data in demo_negotiations().values():
        negotiation_load(data=data)
    err = StringIO()
    out = StringIO()
    call_command("extract", "--format", "jsonl", str(article_file), str(ukraine_file), stdout=out, stderr=err)
    chosen = {(record["file"], record["negotiation"])
              for record in map(json.loads, out.getvalue().splitlines())}
    assert chosen == {(str(article_file), "gaza-ceasefire"), (str(ukraine_file), "russia-ukraine")}
    assert f"{ukraine_file}: negotiation russia-ukraine" in err.getvalue()


def test_picks_among_the_shipped_files_on_an_empty_database(db, ukraine_file):
    records = _records(str(ukraine_file))
    assert records and {record["negotiation"] for record in records} == {"russia-ukraine"}


def test_the_only_negotiation_in_the_database_is_used_for_every_file(db, negotiation, ukraine_file):
    err = StringIO()
    call_command("extract", "--format", "jsonl", str(ukraine_file), stdout=StringIO(), stderr=err)
    assert f"database ({negotiation.slug})" in err.getvalue()


@pytest.mark.parametrize("slug", ["gaza-ceasefire", "russia-ukraine"])
def test_runs_without_a_migrated_database(tmp_path, article_file, ukraine_file, slug):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite:///{tmp_path}/never-migrated.sqlite3"}
    result = subprocess.run(
        [sys.executable, "manage.py", "extract", "--format", "jsonl", "--negotiation", slug,
         str(article_file if slug == "gaza-ceasefire" else ukraine_file)],
        cwd=root, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert records and {record["negotiation"] for record in records} == {slug}


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A real model trained on the tests' own small set."""
    from articles.extraction.learning import read_set
    from articles.extraction.learning.training import train
    from articles.extraction.reference import reference_from_mapping
    from tests.articles.learning_data import REFERENCE, write_base_set

    folder = tmp_path_factory.mktemp("learned") / "set"
    write_base_set(folder)
    return train(read_set(folder, reference_from_mapping(REFERENCE)))


def test_extracts_with_the_active_model_or_the_one_named(db, article_file, trained):
    import dataclasses

    from articles.extraction_models import extraction_model_create

    extraction_model_create(weights=dataclasses.replace(trained, version="m-active"), activate=True)
    extraction_model_create(weights=dataclasses.replace(trained, version="m-other"))
    for args, shown in (([], "model: m-active"), (["--model", "m-other"], "model: m-other")):
        err = StringIO()
        call_command("extract", "--format", "jsonl", *args, str(article_file), stdout=StringIO(), stderr=err)
        assert shown in err.getvalue()
    with pytest.raises(CommandError, match="No stored model 'm-missing'"):
        call_command("extract", "--model", "m-missing", str(article_file), stdout=StringIO(), stderr=StringIO())


def test_extracts_with_a_model_file(db, article_file, trained, tmp_path):
    import dataclasses

    model = tmp_path / "gaza-only.json"
    model.write_text(dataclasses.replace(trained, version="from-file").to_json(), encoding="utf-8")
    err = StringIO()
    call_command("extract", "--model", str(model), str(article_file), stdout=StringIO(), stderr=err)
    assert "model: from-file" in err.getvalue()
    with pytest.raises(CommandError, match=r"absent\.json"):
        call_command("extract", "--model", str(tmp_path / "absent.json"), str(article_file),
                     stdout=StringIO(), stderr=StringIO())
