"""`manage.py train_extractor`: sets and the database in, a stored (optionally active) model
and a JSON file out; `--cross-validate` writes out-of-fold records in `extract`'s format.
The real trainer, on the tests' own small set (tests/articles/learning_data.py)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.extraction.learning import Weights
from articles.extraction.types import Draft
from articles.models import ExtractionModel
from positions.demo import negotiation_load
from tests.articles.learning_data import ORDERS, REFERENCE, SLUG, write_base_set


@pytest.fixture
def annotated_set(db, tmp_path: Path) -> Path:
    """The tests' own small set, annotated for a negotiation the database holds."""
    negotiation_load(data=REFERENCE)
    write_base_set(tmp_path / "tinyset")
    return tmp_path / "tinyset"


def _run(*args: str) -> str:
    out = StringIO()
    call_command("train_extractor", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_trains_from_a_set_stores_activates_and_writes_the_model(annotated_set, tmp_path):
    target = tmp_path / "model.json"
    out = _run("--set", f"{annotated_set}:{SLUG}", "--articles", "000-005", "--write", str(target),
               "--activate", "--model-version", "v1")
    stored = ExtractionModel.objects.get()
    assert stored.is_active and stored.version == "v1" and "Model v1: active" in out
    written = Weights.from_json(target.read_text(encoding="utf-8"))
    assert written.version == "v1" and written.meta["articles"] == 6
    assert written.meta["trained_on"] == [f"{annotated_set}:{SLUG} articles 000,001,002,003,004,005"]
    assert stored.metadata["data_digest"] == written.meta["data_digest"]
    assert Weights.from_json(stored.weights).params == written.params


def test_cross_validation_writes_records_score_py_reads(annotated_set, tmp_path):
    out_file = tmp_path / "oof.jsonl"
    _run("--set", f"{annotated_set}:{SLUG}", "--cross-validate", "4", "--out", str(out_file),
         "--skip-training")
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    stems = {Path(record["file"]).stem for record in records}
    assert stems == {f"{number:03d}" for number in range(len(ORDERS))}
    for record in records:
        body = Path(record["file"]).read_text(encoding="utf-8").partition("\n\n")[2]
        assert [body[start:end] for start, end in record["spans"]] == record["evidence"]
        assert record["negotiation"] == SLUG
    assert not ExtractionModel.objects.exists()


def test_cross_validated_figures_go_into_the_models_metadata(annotated_set, tmp_path):
    out = _run("--set", f"{annotated_set}:{SLUG}", "--cross-validate", "4",
               "--out", str(tmp_path / "oof.jsonl"))
    figures = ExtractionModel.objects.get().metadata["figures"]
    assert figures["folds"] == 4 and figures["gold"] == 3 * len(ORDERS)
    assert 0.5 <= figures["statement_f1"] <= 1.0
    assert "Out of fold: folds 4" in out


def test_adds_reviewed_articles_from_the_database(annotated_set, editor, negotiation, make_drafts):
    from positions.services import statement_approve
    from tests.factories import ArticleFactory

    [draft] = make_drafts(ArticleFactory.create(negotiation=negotiation), 1)
    statement_approve(statement_id=draft.pk, version=1, user=editor)
    _run("--set", f"{annotated_set}:{SLUG}", "--from-database", "--model-version", "db1")
    stored = ExtractionModel.objects.get(version="db1")
    assert stored.metadata["articles"] == len(ORDERS) + 1
    assert stored.metadata["trained_on"][-1] == "database"


@pytest.mark.parametrize("args, message", [
    ([], "No training examples"),
    (["--cross-validate", "3"], "--out"),
    (["--cross-validate", "1", "--out", "x.jsonl"], "at least 2 folds"),
    (["--activate", "--no-store"], "--activate"),
    (["--negotiation", "harbour-talks"], "--from-database"),
    (["--set", "/nowhere/at/all"], "/nowhere/at/all"),
    (["--set", "/nowhere:no-such-negotiation"], "no-such-negotiation"),
])
def test_bad_input_gets_a_clear_message_and_stores_nothing(db, args, message):
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not ExtractionModel.objects.exists()


def test_refuses_an_article_range_before_any_set(db):
    with pytest.raises(CommandError, match="--articles"):
        _run("--articles", "000-003")


def test_refuses_a_version_stored_already(annotated_set):
    _run("--set", f"{annotated_set}:{SLUG}", "--model-version", "v1")
    with pytest.raises(CommandError, match="stored already"):
        _run("--set", f"{annotated_set}:{SLUG}", "--model-version", "v1")
    assert ExtractionModel.objects.count() == 1


def test_out_of_fold_figures_count_as_the_shared_scorer_does() -> None:
    from articles.extraction.learning import Example, GoldRecord
    from articles.extraction.types import ArticleMeta, Reference
    from articles.training import oof_figures

    body = "Alpha said it wants a truce now. Beta said talks were over. Gamma said nothing new."
    gold = (GoldRecord(actor="Alpha", speaker="Alpha", issues=("ceasefire/temporary",), stance="demand",
                       spans=((0, 32),)),
            GoldRecord(actor="Beta", speaker="Beta", issues=("negotiations",), stance="assess",
                       spans=((33, 59),)))
    example = Example(key="k", body=body, meta=ArticleMeta(), reference=Reference(), records=gold)
    preds = [
        Draft(speaker="Alpha", actor="Alpha", issues=("ceasefire",), stance="demand", summary="",
                  spans=((0, 32),)),  # right: a sub-issue counts as its parent
        Draft(speaker="Beta", actor="Beta", issues=("negotiations",), stance="reject", summary="",
                  spans=((33, 59),)),  # found, wrong stance
        Draft(speaker="Gamma", actor="Gamma", issues=("other",), stance="assess", summary="",
                  spans=((60, 83),)),  # not in the gold
    ]
    figures = oof_figures([example], {"k": preds})
    assert figures["statement_f1"] == round(2 * (2 / 3) * 1 / (2 / 3 + 1), 3)
    assert figures["strict_f1"] == round(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2), 3)
    assert figures["stance_on_matched"] == 0.5
    assert (figures["missed"], figures["extra"]) == (0, 1)
    assert (figures["wrong_actor"], figures["wrong_stance"], figures["no_issue_right"]) == (0, 1, 0)
    assert figures["stance_confusion"] == {"assess>reject": 1}
    assert (figures["split"], figures["merged"]) == (0, 0)


def test_out_of_fold_figures_tell_grouping_errors_from_statements_not_found() -> None:
    from articles.extraction.learning import Example, GoldRecord
    from articles.extraction.types import ArticleMeta, Reference
    from articles.training import oof_figures

    body = ("Alpha wants a truce. It also wants the crossings open. "
            "Beta and Gamma rejected the offer outright on Sunday evening.")
    gold = (GoldRecord(actor="Alpha", speaker="Alpha", issues=("ceasefire",), stance="demand",
                       spans=((0, 54),)),  # one statement over two sentences
            GoldRecord(actor="Beta", speaker="Beta", issues=("negotiations",), stance="reject",
                       spans=((55, 115),)),
            GoldRecord(actor="Gamma", speaker="Gamma", issues=("negotiations",), stance="reject",
                       spans=((55, 115),)))  # two actors, one sentence
    example = Example(key="k", body=body, meta=ArticleMeta(), reference=Reference(), records=gold)
    preds = [
        Draft(speaker="Alpha", actor="Alpha", issues=("ceasefire",), stance="demand", summary="",
              spans=((0, 20),)),
        Draft(speaker="Alpha", actor="Alpha", issues=("ceasefire",), stance="demand", summary="",
              spans=((21, 54),)),  # the same statement's second sentence, drafted apart
        Draft(speaker="Beta", actor="Beta", issues=("negotiations",), stance="reject", summary="",
              spans=((55, 115),)),  # Gamma's record is left without a draft
    ]
    figures = oof_figures([example], {"k": preds})
    assert (figures["missed"], figures["extra"]) == (1, 1)
    assert (figures["split"], figures["merged"]) == (1, 1)
