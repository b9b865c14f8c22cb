"""The proposals of a negotiation file: the shipped catalogues are complete enough to link
statements to, versions compare clause by clause with what they amend, and a file with a bad
proposal is refused with a message naming it, before anything is written."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from positions.demo import NegotiationFileError, negotiation_load
from positions.models import Clause, Negotiation, Proposal

DEMO = Path(__file__).resolve().parents[2] / "positions" / "demo"


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEMO / name).read_text(encoding="utf-8"))
    return data


def _small() -> dict[str, Any]:
    """A negotiation file with two actors, two issues and a proposal amended once."""
    return {
        "negotiation": {"slug": "test-talks", "name": "Test talks"},
        "actors": [{"name": "North", "role": "party"}, {"name": "South", "role": "party"}],
        "issues": [{"key": "truce", "name": "Truce"}, {"key": "truce/long", "name": "Long truce"}],
        "proposals": [
            {"key": "first-offer", "name": "First offer", "aliases": ["the opening bid"],
             "proposed_by": ["North"], "proposed_on": date(2024, 1, 10),
             "summary": "A short   pause.",
             "clauses": [{"key": "pause", "issue": "truce", "text": "Ten quiet days."}]},
            {"key": "counter-offer", "name": "Counter offer", "aliases": ["the reply"],
             "proposed_by": ["South", "North"], "proposed_on": date(2024, 2, 1),
             "parent": "first-offer",
             "clauses": [{"key": "pause", "issue": "truce/long", "text": "Thirty quiet days."},
                         {"key": "talks", "text": "Talks go on."}]},
        ],
    }


def test_the_gaza_catalogue_holds_the_plans_the_press_names() -> None:
    proposals = _read("gaza.yaml")["proposals"]
    assert len(proposals) >= 30
    aliases = {alias.casefold(): item["key"] for item in proposals for alias in item["aliases"]}
    assert aliases["the biden plan"] == "biden-plan-2024-05-31"
    assert aliases["the bridging proposal"] == "bridging-2024-08"
    assert aliases["the 60-day proposal"] == "sixty-day-2025-07"
    assert aliases["the witkoff proposal"] == "witkoff-proposal-2025-05"
    assert aliases["the 20-point plan"] == "trump-20-point-plan-2025-09"
    by_key = {item["key"]: item for item in proposals}
    assert by_key["ceasefire-2025-01"]["parent"] == "biden-plan-2024-05-31"
    assert by_key["egypt-qatar-2024-05-06"]["proposed_on"] == date(2024, 5, 6)


def test_the_russia_ukraine_catalogue_holds_its_main_plans() -> None:
    proposals = _read("russia-ukraine.yaml")["proposals"]
    assert len(proposals) >= 15
    keys = {item["key"] for item in proposals}
    assert {"istanbul-communique-2022-03", "peace-formula-2022-11", "china-position-2023-02",
            "putin-conditions-2024-06", "energy-ceasefire-2025-03",
            "us-28-point-plan-2025-11", "geneva-framework-2025-11"} <= keys


@pytest.mark.parametrize("name", ["gaza.yaml", "russia-ukraine.yaml"])
def test_every_shipped_version_revises_a_clause_of_what_it_amends(name: str) -> None:
    proposals = _read(name)["proposals"]
    clauses = {item["key"]: {clause["key"] for clause in item["clauses"]} for item in proposals}
    for item in proposals:
        assert item["summary"].strip() and item["clauses"], item["key"]
        if item.get("parent"):
            assert clauses[item["key"]] & clauses[item["parent"]], item["key"]


def test_a_file_loads_its_proposals_with_parents_proposers_and_clauses(db) -> None:
    negotiation_load(data=_small())
    counter = Proposal.objects.get(key="counter-offer")
    assert counter.parent == Proposal.objects.get(key="first-offer")
    assert sorted(counter.proposed_by.values_list("name", flat=True)) == ["North", "South"]
    assert counter.aliases == ["the reply"]
    assert [(c.key, c.issue.key if c.issue else None, c.text) for c in counter.clauses.order_by("position")] == [
        ("pause", "truce/long", "Thirty quiet days."), ("talks", None, "Talks go on."),
    ]
    assert Proposal.objects.get(key="first-offer").summary == "A short pause."


def test_loading_again_updates_and_adds_nothing(db) -> None:
    data = _small()
    negotiation_load(data=data)
    data["proposals"][1]["clauses"][0]["text"] = "Forty quiet days."
    negotiation_load(data=data)
    assert Proposal.objects.count() == 2 and Clause.objects.count() == 3
    assert Clause.objects.get(proposal__key="counter-offer", key="pause").text == "Forty quiet days."


def test_both_shipped_catalogues_load(db) -> None:
    for name in ("gaza.yaml", "russia-ukraine.yaml"):
        data = _read(name)
        negotiation = negotiation_load(data=data)
        assert negotiation.proposals.count() == len(data["proposals"])
    biden = Proposal.objects.get(key="biden-plan-2024-05-31")
    assert set(biden.proposed_by.values_list("name", flat=True)) == {"United States", "Israel"}
    assert biden.versions.filter(key="ceasefire-2025-01").exists()
    assert biden.clauses.get(key="hostages").issue.key == "hostages"  # type: ignore[union-attr]


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(_small())
    change(data["proposals"])
    return data


@pytest.mark.parametrize(("change", "message"), [
    (lambda p: p[1]["proposed_by"].append("East"), "proposal 'counter-offer': unknown actor 'East'"),
    (lambda p: p[1]["clauses"][0].update(issue="weather"),
     "proposal 'counter-offer': clause 'pause' names unknown issue 'weather'"),
    (lambda p: p[1].update(parent="last-offer"), "proposal 'counter-offer': unknown parent 'last-offer'"),
    (lambda p: p.reverse(), "proposal 'counter-offer': parent 'first-offer' is listed after it"),
    (lambda p: p[0].update(proposed_on=date(2024, 3, 1)),
     "proposal 'counter-offer': parent 'first-offer' is dated 2024-03-01, after this version (2024-02-01)"),
    (lambda p: p[1].update(parent="counter-offer"), "proposal 'counter-offer': a proposal cannot amend itself"),
    (lambda p: p[1].update(key="first-offer", parent=None), "proposal 'first-offer': the key is used by two proposals"),
    (lambda p: p[1]["aliases"].append("The  Opening bid"),
     "proposal 'counter-offer': 'The  Opening bid' is already a name or alias of proposal 'first-offer'"),
    (lambda p: p[1].update(name="the opening bid"),
     "proposal 'counter-offer': 'the opening bid' is already a name or alias of proposal 'first-offer'"),
    (lambda p: p[1]["clauses"].append({"key": "pause", "text": "Again."}),
     "proposal 'counter-offer': clause key 'pause' is used twice"),
    (lambda p: p[0]["clauses"].append({"key": "empty", "text": " "}),
     "proposal 'first-offer': clause 1 needs a key and a text"),
    (lambda p: p[0].update(key="First offer!"), "proposals[0]: key 'First offer!' must be a slug"),
    (lambda p: p[0].update(proposed_on="soon"), "proposal 'first-offer': proposed_on 'soon' is not a date"),
    (lambda p: p[0].pop("name"), "proposal 'first-offer': a name is required"),
])
def test_a_bad_proposal_is_refused_by_name_and_nothing_is_written(db, change: Any, message: str) -> None:
    with pytest.raises(NegotiationFileError) as refused:
        negotiation_load(data=_broken(change))
    assert str(refused.value).startswith(message)
    assert not Negotiation.objects.exists() and not Proposal.objects.exists()


def test_an_unknown_actor_message_lists_the_files_actors(db) -> None:
    with pytest.raises(NegotiationFileError, match=r"\(the file's actors: North, South\)"):
        negotiation_load(data=_broken(lambda p: p[0]["proposed_by"].append("West")))
