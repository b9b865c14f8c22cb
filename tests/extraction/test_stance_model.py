"""The trained stance classifier: it loads from the shipped file, the switch chooses who
decides, and clear cases come out right. Sentences written for these tests."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from articles.extraction import stance_model
from articles.extraction.types import STANCES


def test_loads_the_shipped_weights_once() -> None:
    assert stance_model.MODEL_PATH.is_file()
    assert stance_model.MODEL_PATH.suffix == ".json"  # weights as JSON, never a pickle
    model = stance_model.load_model()
    assert model is not None
    assert model is stance_model.load_model()  # read once per process
    assert sorted(model.classes) == sorted(STANCES)
    assert len(model.weights) > 500
    assert all(len(row) == len(model.classes) for row in model.weights.values())
    assert 0.5 <= model.threshold <= 1.0


def test_a_missing_file_means_no_model(tmp_path: Path) -> None:
    assert stance_model.load_model(tmp_path / "absent.json") is None


@pytest.mark.parametrize(("value", "mode"), [
    (None, "hybrid"), ("rules", "rules"), ("MODEL", "model"), (" hybrid ", "hybrid"),
    ("neural", "hybrid"), ("", "hybrid"),
])
def test_reads_the_switch(monkeypatch: pytest.MonkeyPatch, value: str | None, mode: str) -> None:
    if value is None:
        monkeypatch.delenv(stance_model.ENVIRONMENT, raising=False)
    else:
        monkeypatch.setenv(stance_model.ENVIRONMENT, value)
    assert stance_model.configured_mode() == mode


def test_hybrid_keeps_the_rules_unless_the_model_is_sure() -> None:
    unsure = {"reject": 0.45, "assess": 0.40, "demand": 0.15}
    sure = {"reject": 0.85, "assess": 0.10, "demand": 0.05}
    assert stance_model.decide("assess", unsure, "hybrid", 0.6, 0.6) == "assess"
    assert stance_model.decide("demand", unsure, "hybrid", 0.6, 0.6) == "demand"
    assert stance_model.decide("assess", sure, "hybrid", 0.6, 0.6) == "reject"
    assert stance_model.decide("demand", sure, "hybrid", 0.6, 0.6) == "reject"
    assert stance_model.decide("demand", unsure, "model", 0.6, 0.6) == "reject"
    assert stance_model.decide("demand", sure, "rules", 0.6, 0.6) == "demand"


def test_rules_mode_and_split_acts_are_left_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    statement = SimpleNamespace()  # never read: nothing to decide
    monkeypatch.setenv(stance_model.ENVIRONMENT, "rules")
    assert stance_model.revise([("assess", "")], statement, lambda _: True) == [("assess", "")]
    monkeypatch.setenv(stance_model.ENVIRONMENT, "model")
    two = [("accept", ""), ("demand", "")]
    assert stance_model.revise(two, statement, lambda _: True) == two


def test_without_a_model_file_the_rules_decide(monkeypatch: pytest.MonkeyPatch, run) -> None:  # type: ignore[no-untyped-def]
    body = "Hamas said the talks in Cairo were moving slowly."
    monkeypatch.setenv(stance_model.ENVIRONMENT, "rules")
    expected = [d.stance for d in run(body)]
    monkeypatch.setenv(stance_model.ENVIRONMENT, "model")
    monkeypatch.setattr(stance_model, "load_model", lambda: None)
    assert [d.stance for d in run(body)] == expected


CLEAR = [
    ("Hamas turned down the Israeli offer, calling it a trap.", "reject"),
    ("The Israeli cabinet approved the Egyptian proposal for a week-long pause.", "accept"),
    ("Qatar put forward a new plan for a phased exchange of hostages and prisoners.", "propose"),
    ("Hamas said it would free the remaining hostages only if Israel ended the war.", "condition"),
    ("Netanyahu said Hamas must release all the hostages immediately.", "demand"),
    ("Israel said it would send a delegation to Cairo next week to continue the talks.", "intent"),
    ("Qatar said the negotiations were progressing slowly but had not collapsed.", "assess"),
]


@pytest.mark.parametrize("mode", ["model", "hybrid"])
@pytest.mark.parametrize(("body", "stance"), CLEAR, ids=[body[:40] for body, _ in CLEAR])
def test_classifies_clear_cases(monkeypatch: pytest.MonkeyPatch, run, mode: str, body: str,  # type: ignore[no-untyped-def]
                                stance: str) -> None:
    monkeypatch.setenv(stance_model.ENVIRONMENT, mode)
    drafts = run(body)
    assert [d.stance for d in drafts] == [stance], [(d.actor, d.stance) for d in drafts]
