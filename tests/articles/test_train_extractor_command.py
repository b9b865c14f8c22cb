"""`manage.py train_extractor`: sets and the database in, a stored (optionally active) model
and a JSON file out; `--cross-validate` writes out-of-fold records in `extract`'s format."""

from __future__ import annotations

import json
import sys
import types
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.extraction.learning import Weights
from articles.extraction.types import Candidate
from articles.models import ExtractionModel

ARTICLES = {
    "000": "Talks resumed in the capital. Hamas said it rejected the latest offer outright.",
    "001": "Israel said on Monday it would send a delegation to the talks.",
    "002": "Qatar said the two sides were close to a deal.",
}
GOLD = [
    {"article": "000", "party": "Hamas", "speaker": "Hamas", "issues": ["ceasefire"],
     "ceasefire_type": "unspecified", "stance": "reject",
     "evidence": ["Hamas said it rejected the latest offer outright."]},
    {"article": "001", "party": "Israel", "speaker": "Israel", "issues": ["negotiations"],
     "stance": "intent", "evidence": ["Israel said on Monday it would send a delegation to the talks."]},
    {"article": "002", "party": "Qatar", "speaker": "Qatar", "issues": ["negotiations"],
     "stance": "assess", "evidence": ["Qatar said the two sides were close to a deal."]},
]


@pytest.fixture
def annotated_set(tmp_path: Path) -> Path:
    folder = tmp_path / "tinyset"
    (folder / "articles").mkdir(parents=True)
    for key, body in ARTICLES.items():
        header = f"title: Story {key}\noutlet: Harbour Post\npublished: 2024-03-0{int(key) + 1}\n"
        (folder / "articles" / f"{key}.txt").write_text(header + "\n" + body, encoding="utf-8")
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(row) for row in GOLD) + "\n", encoding="utf-8")
    return folder


@pytest.fixture
def trainer(monkeypatch):  # type: ignore[no-untyped-def]
    """A stand-in trainer (the real one is articles.extraction.learning.training): it records
    what it was given and predicts each article's gold records back."""
    seen: dict[str, list] = {}  # type: ignore[type-arg]

    def train(examples, *, seed=0):  # type: ignore[no-untyped-def]
        seen["train"] = list(examples)
        return Weights(version=f"fake{len(examples)}", params={"n": len(examples)},
                       meta={"figures": {"statement_f1": 0.5}})

    def cross_validate(examples, folds, *, seed=0):  # type: ignore[no-untyped-def]
        seen["folds"] = [folds]
        return {
            example.key: [Candidate(speaker=r.speaker, actor=r.actor, issues=r.issues, stance=r.stance,
                                    summary="", spans=r.spans) for r in example.records]
            for example in examples
        }

    module = types.ModuleType("articles.extraction.learning.training")
    module.train = train  # type: ignore[attr-defined]
    module.cross_validate = cross_validate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "articles.extraction.learning.training", module)
    return seen


def _run(*args: str) -> str:
    out = StringIO()
    call_command("train_extractor", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_trains_from_a_set_stores_activates_and_writes_the_model(db, annotated_set, trainer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "model.json"
    out = _run("--set", f"{annotated_set}:gaza-ceasefire", "--articles", "000-001",
               "--write", str(target), "--activate")
    assert [example.key for example in trainer["train"]] == ["tinyset/000", "tinyset/001"]
    stored = ExtractionModel.objects.get()
    assert stored.is_active and stored.version == "fake2" and "active" in out
    written = Weights.from_json(target.read_text(encoding="utf-8"))
    assert written.version == "fake2" and written.meta["examples"] == 2
    assert written.meta["trained_on"] == [f"{annotated_set}:gaza-ceasefire articles 000,001"]
    assert stored.metadata["data_digest"] == written.meta["data_digest"]


def test_cross_validation_writes_records_score_py_reads(db, annotated_set, trainer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out_file = tmp_path / "oof.jsonl"
    _run("--set", str(annotated_set), "--cross-validate", "3", "--out", str(out_file),
         "--skip-training")
    records = [json.loads(line) for line in out_file.read_text(encoding="utf-8").splitlines()]
    assert trainer["folds"] == [3] and "train" not in trainer
    assert [Path(record["file"]).stem for record in records] == ["000", "001", "002"]
    for record in records:
        body = ARTICLES[Path(record["file"]).stem]
        assert [body[start:end] for start, end in record["spans"]] == record["evidence"]
        assert record["negotiation"] == "gaza-ceasefire"
    assert not ExtractionModel.objects.exists()


def test_adds_reviewed_articles_from_the_database(db, editor, negotiation, make_drafts, trainer) -> None:  # type: ignore[no-untyped-def]
    from positions.services import statement_approve
    from tests.factories import ArticleFactory

    [draft] = make_drafts(ArticleFactory(negotiation=negotiation), 1)
    statement_approve(statement_id=draft.pk, version=1, user=editor)
    _run("--from-database", "--no-store")
    [example] = trainer["train"]
    assert example.key == f"db/{draft.article_id}" and len(example.records) == 1


@pytest.mark.parametrize("args, message", [
    ([], "No training examples"),
    (["--cross-validate", "3"], "--out"),
    (["--cross-validate", "1", "--out", "x.jsonl"], "at least 2 folds"),
    (["--activate", "--no-store"], "--activate"),
    (["--set", "/nowhere/at/all"], "/nowhere/at/all"),
    (["--set", "/nowhere:no-such-negotiation"], "no-such-negotiation"),
])
def test_bad_input_gets_a_clear_message_and_stores_nothing(db, trainer, args, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match=message):
        _run(*args)
    assert not ExtractionModel.objects.exists()


def test_refuses_a_version_stored_already(db, annotated_set, trainer) -> None:  # type: ignore[no-untyped-def]
    _run("--set", str(annotated_set), "--model-version", "v1")
    with pytest.raises(CommandError, match="stored already"):
        _run("--set", str(annotated_set), "--model-version", "v1")
    assert ExtractionModel.objects.count() == 1


def test_cross_validated_figures_go_into_the_models_metadata(db, annotated_set, trainer, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = _run("--set", str(annotated_set), "--cross-validate", "3", "--out", str(tmp_path / "oof.jsonl"))
    figures = ExtractionModel.objects.get().metadata["cross_validated"]
    assert figures["folds"] == 3 and figures["statement_f1"] == figures["strict_f1"] == 1.0
    assert figures["gold"] == figures["predicted"] == 3
    assert "Out of fold: folds 3" in out


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
        Candidate(speaker="Alpha", actor="Alpha", issues=("ceasefire",), stance="demand", summary="",
                  spans=((0, 32),)),  # right: a sub-issue counts as its parent
        Candidate(speaker="Beta", actor="Beta", issues=("negotiations",), stance="reject", summary="",
                  spans=((33, 59),)),  # found, wrong stance
        Candidate(speaker="Gamma", actor="Gamma", issues=("other",), stance="assess", summary="",
                  spans=((60, 83),)),  # not in the gold
    ]
    figures = oof_figures([example], {"k": preds})
    assert figures["statement_f1"] == round(2 * (2 / 3) * 1 / (2 / 3 + 1), 3)
    assert figures["strict_f1"] == round(2 * (1 / 3) * (1 / 2) / (1 / 3 + 1 / 2), 3)
    assert figures["stance_on_matched"] == 0.5
