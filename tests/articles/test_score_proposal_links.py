"""`manage.py score_proposal_links` scores the resolver on a set's gold statements against
labels, per half; the set here is a tiny one written for the test."""

from __future__ import annotations

import json
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from positions.models import Actor
from tests.factories import ProposalFactory

ARTICLES = {
    "120": ("Northland weighs Harbour plan", "2024-06-03",
            "Northland said on Monday it would accept the Harbour plan. "
            "Southport demanded that all captives be freed first."),
    "130": ("Talks stall", "2024-06-20",
            "Southport said the latest proposal was a trap."),
    "500": ("Mediatia tries again", "2024-07-02",
            "Northland said it was still studying the offer. "
            "Southport said a deal was possible."),
}
GOLD = [
    ("120-001", "120", "Northland", "accept", "Northland said on Monday it would accept the Harbour plan."),
    ("120-002", "120", "Southport", "demand", "Southport demanded that all captives be freed first."),
    ("130-001", "130", "Southport", "reject", "Southport said the latest proposal was a trap."),
    ("500-001", "500", "Northland", "assess", "Northland said it was still studying the offer."),
    ("500-002", "500", "Southport", "assess", "Southport said a deal was possible."),
]
LABELS = {"_meta": {"note": "ours"}, "120-001": "harbour-plan", "120-002": None,
          "130-001": "quay-paper", "500-001": "harbour-plan", "500-002": None}


@pytest.fixture
def tiny_set(tmp_path):
    folder = tmp_path / "harbour"
    (folder / "articles").mkdir(parents=True)
    for number, (title, published, body) in ARTICLES.items():
        (folder / "articles" / f"{number}.txt").write_text(
            f"title: {title}\noutlet: Harbour Post\npublished: {published}\n\n{body}\n", encoding="utf-8")
    rows = [{"id": sid, "article": art, "speaker": who, "party": who, "issues": ["hostages"],
             "ceasefire_type": None, "stance": stance, "evidence": [text]}
            for sid, art, who, stance, text in GOLD]
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    labels = tmp_path / "labels.json"
    labels.write_text(json.dumps(LABELS), encoding="utf-8")
    return folder, labels


@pytest.fixture
def proposals(negotiation):
    mediatia = Actor.objects.get(name="Mediatia")
    quay = ProposalFactory.create(negotiation=negotiation, key="quay-paper", name="Quay paper",
                                  proposed_on=date(2024, 2, 1), proposed_by=[mediatia])
    ProposalFactory.create(negotiation=negotiation, key="harbour-plan", name="Harbour plan",
                           proposed_on=date(2024, 5, 30), parent=quay, proposed_by=[mediatia])


def _score(*args: str) -> str:
    """The rules' scores (these tests check the scoring, with the rules' known links)."""
    out = StringIO()
    call_command("score_proposal_links", *args, "--rules", stdout=out)
    return out.getvalue()


def _row(output: str, half: str) -> list[str]:
    return next(line.split() for line in output.splitlines() if line.split()[:1] == [half])


def test_prints_counts_precision_recall_and_f1_per_half(tiny_set, proposals):
    folder, labels = tiny_set
    output = _score("--set", str(folder), "--negotiation", "harbour-talks", "--labels", str(labels))
    # tune: 120-001 right; 130-001 linked to the Harbour plan (the newest), labelled the Quay paper.
    assert _row(output, "tune") == ["tune", "3", "2", "2", "1", "0.500", "0.500", "0.500", "1.000"]
    # check: "the offer" is the newest proposal, as labelled; "a deal" links nothing.
    assert _row(output, "check") == ["check", "2", "1", "1", "1", "1.000", "1.000", "1.000", "1.000"]
    assert _row(output, "all") == ["all", "5", "3", "3", "2", "0.667", "0.667", "0.667", "1.000"]


def test_one_half_alone_and_its_misses_with_verbosity_two(tiny_set, proposals):
    folder, labels = tiny_set
    output = _score("--set", str(folder), "--negotiation", "harbour-talks", "--labels", str(labels),
                    "--half", "tune", "-v", "2")
    assert _row(output, "tune")[1] == "3"
    assert not any(line.startswith(("check", "all")) for line in output.splitlines())
    assert "130-001: gold quay-paper, linked harbour-plan (0.65)" in output
    assert "120-001:" not in output


def test_refuses_a_set_without_gold(tmp_path, proposals):
    with pytest.raises(CommandError, match=r"no gold\.jsonl"):
        _score("--set", str(tmp_path), "--negotiation", "harbour-talks")


def test_refuses_labels_that_are_not_keys(tiny_set, proposals, tmp_path):
    folder, _ = tiny_set
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"120-001": 3}), encoding="utf-8")
    with pytest.raises(CommandError, match="a proposal key or null"):
        _score("--set", str(folder), "--negotiation", "harbour-talks", "--labels", str(bad))


def test_refuses_a_negotiation_without_proposals(tiny_set, negotiation):
    folder, labels = tiny_set
    with pytest.raises(CommandError, match="lists no proposals"):
        _score("--set", str(folder), "--negotiation", "harbour-talks", "--labels", str(labels))
