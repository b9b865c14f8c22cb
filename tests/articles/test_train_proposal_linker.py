"""`manage.py train_proposal_linker` trains the learned linker on the tune half of a set and
writes it as JSON; the set is the tiny one of the scoring command's tests."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from articles.extraction.proposal_linker import LinkerModel
from tests.articles.test_score_proposal_links import proposals, tiny_set

__all__ = ["proposals", "tiny_set"]


def test_trains_on_the_tune_half_only_and_writes_the_model(tiny_set, proposals, tmp_path):
    folder, labels = tiny_set
    target = tmp_path / "linker.json"
    out = StringIO()
    call_command("train_proposal_linker", "--set", str(folder), "--negotiation", "harbour-talks",
                 "--labels", str(labels), "--folds", "2", "--no-cross-validate", "--write", str(target),
                 stdout=out)
    model = LinkerModel.from_json(target.read_text(encoding="utf-8"))
    # Articles 120 and 130 are the tune half; 500 (check half) is never read for training.
    assert (model.meta["articles"], model.meta["statements"]) == (2, 3)
    assert 0.0 <= model.threshold <= 1.0
    assert f"Wrote {target}" in out.getvalue()
    assert "harbour" not in json.dumps(model.linear.to_params())  # no proposal key as a feature


def test_too_few_folds_is_refused_and_nothing_is_written(tiny_set, proposals, tmp_path):
    folder, labels = tiny_set
    target = tmp_path / "linker.json"
    with pytest.raises(CommandError, match="at least 2"):
        call_command("train_proposal_linker", "--set", str(folder), "--negotiation", "harbour-talks",
                     "--labels", str(labels), "--folds", "1", "--write", str(target))
    assert not target.exists()
