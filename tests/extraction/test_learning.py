"""Learned extraction: training, the stored model, cross-validation, and a key never trained on.

The articles are the tests' own (a fictional negotiation); nothing needs ../shared.
"""

from __future__ import annotations

import json
from datetime import date

import pytest

from articles.extraction import extract
from articles.extraction.learning import Example, Weights, read_set
from articles.extraction.learning.linear import Linear, fit
from articles.extraction.learning.training import align, cross_validate, train
from articles.extraction.reference import reference_from_mapping
from articles.extraction.types import ArticleMeta
from tests.articles.learning_data import REFERENCE as SET_REFERENCE
from tests.articles.learning_data import write_base_set

REFERENCE = reference_from_mapping(SET_REFERENCE)


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> list[Example]:
    """The tests' own small annotated set (tests/articles/learning_data.py), read as a set
    folder in the eval format is read."""
    folder = tmp_path_factory.mktemp("set")
    write_base_set(folder)
    return read_set(folder, REFERENCE)


@pytest.fixture(scope="module")
def weights(examples: list[Example]) -> Weights:
    return train(examples)


def test_a_linear_model_survives_json_and_gives_probabilities() -> None:
    model = fit([["a", "x"], ["a"], ["b", "x"], ["b"]], ["yes", "yes", "no", "no"], c=10.0)
    again = Linear.from_params(json.loads(json.dumps(model.to_params())))
    assert again.best(["a"])[0] == "yes"
    assert again.best(["b"])[0] == "no"
    probabilities = again.probabilities(["a", "unknown feature"])
    assert sum(probabilities.values()) == pytest.approx(1.0)


def test_one_class_seen_is_the_answer_given() -> None:
    model = fit([["a"], ["b"]], ["only", "only"])
    assert model.probabilities(["a"]) == {"only": 1.0}


def test_drafts_pair_with_gold_statements_by_evidence(examples: list[Example]) -> None:
    from articles.extraction.extractor import find_drafts

    example = examples[0]
    found = find_drafts(example.body, example.meta, REFERENCE, language="en")
    paired = align(example.body, found.drafts, example.records)
    assert len(paired) == len(found.drafts)
    assert sum(1 for gold in paired if gold is not None) >= 2
    used = [id(gold) for gold in paired if gold is not None]
    assert len(used) == len(set(used)), "each gold statement pairs with one draft at most"


def test_a_trained_model_is_plain_json_with_its_provenance(weights: Weights) -> None:
    text = weights.to_json()
    again = Weights.from_json(text)
    assert again.version == weights.version
    assert set(again.params) >= {"keep", "stance", "issue", "subissue", "confidence"}
    assert again.meta["articles"] == 8
    assert len(again.meta["data_digest"]) == 64
    assert "spacy" in again.meta["libraries"]


def test_not_a_model_is_refused() -> None:
    with pytest.raises(ValueError, match="not an extraction model"):
        Weights.from_json('{"hello": 1}')


def test_extract_with_trained_weights_finds_the_statements_of_a_new_article(weights: Weights) -> None:
    body = ("Southport rejected the offered truce on Tuesday, calling it a trick.\n\n"
            "Mediatia urged both sides to release the captives quickly.")
    found = extract(body, ArticleMeta(published=date(2024, 5, 2)), REFERENCE, weights=weights)
    by_actor = {c.actor: c for c in found}
    assert by_actor["Southport"].stance == "reject"
    assert "ceasefire" in {key.partition("/")[0] for key in by_actor["Southport"].issues}
    assert by_actor["Mediatia"].stance == "demand"
    assert all(0.0 <= c.confidence <= 1.0 for c in found)


def test_an_issue_key_never_trained_on_is_found_from_its_reference_data(weights: Weights) -> None:
    ports = reference_from_mapping({
        "actors": [{"name": "Northland", "role": "party"}, {"name": "Southport", "role": "party"}],
        "issues": [{"key": "fishing_rights", "keywords": ["fishing", "fishing grounds"]},
                   {"key": "negotiations", "keywords": ["talks"]}],
    })
    body = "Southport rejected any sharing of the fishing grounds, its spokesman said on Monday."
    found = extract(body, ArticleMeta(published=date(2024, 5, 2)), ports, weights=weights)
    assert found, "the statement is found"
    assert "fishing_rights" in found[0].issues


def test_cross_validation_decides_every_article_with_a_model_that_never_saw_it(
        examples: list[Example]) -> None:
    out = cross_validate(examples, 4)
    assert set(out) == {example.key for example in examples}
    assert sum(len(found) for found in out.values()) >= len(examples)
    with pytest.raises(ValueError, match="folds"):
        cross_validate(examples, 1)


def test_a_sentence_whose_subject_is_a_side_is_a_draft_only_a_model_may_keep() -> None:
    from articles.extraction.extractor import find_drafts, rules_only

    body = ("Southport moved its warships away from the disputed reef on Monday.\n\n"
            "Heavy rain fell on the harbour as reporters watched the coast of Northland.")
    found = find_drafts(body, ArticleMeta(published=date(2024, 5, 2)), REFERENCE, language="en")
    mentions = [d for d in found.drafts if d.source == "mention"]
    assert [d.utterance.speaker.actor for d in mentions] == ["Southport"], (
        "the side that is the subject makes a draft; a side named in passing is not")
    assert mentions[0].utterance.cue.lemma_ == "move"
    assert rules_only(found) == [], "without a model, such sentences make no draft"
