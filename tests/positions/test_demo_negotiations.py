"""The shipped negotiations: the Russia-Ukraine reference follows its guidelines, every issue
is described, and both files load side by side whatever the order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from articles.reference import reference_for
from positions.demo import negotiation_load
from positions.models import Actor, Issue, Negotiation, Participation

DEMO = Path(__file__).resolve().parents[2] / "positions" / "demo"


def _read(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEMO / name).read_text(encoding="utf-8"))
    return data


def test_russia_ukraine_names_parties_and_keys_as_its_guidelines_do() -> None:
    data = _read("russia-ukraine.yaml")
    roles = {actor["name"]: actor["role"] for actor in data["actors"]}
    assert roles == {
        "Russia": "party", "Ukraine": "party",
        **{name: "mediator" for name in (
            "China", "European Union", "France", "Germany", "Qatar", "Saudi Arabia", "Turkey",
            "United Arab Emirates", "United Kingdom", "United States", "Vatican")},
    }
    assert [issue["key"] for issue in data["issues"]] == [
        "ceasefire", "ceasefire/permanent", "ceasefire/temporary", "territory",
        "security_guarantees", "nato", "prisoners", "sanctions", "military_operations",
        "negotiations", "other",
    ]
    people = {person["name"]: person["actor"] for person in data["people"]}
    assert people["Dmitry Peskov"] == "Russia" and people["Andrii Sybiha"] == "Ukraine"
    assert people["Pope Leo XIV"] == "Vatican" and people["Kaja Kallas"] == "European Union"


def test_every_shipped_issue_has_a_description_and_keywords() -> None:
    for name in ("gaza.yaml", "russia-ukraine.yaml"):
        issues = _read(name)["issues"]
        assert issues, name
        for issue in issues:
            assert issue.get("description", "").strip(), (name, issue["key"])
            assert issue.get("keywords"), (name, issue["key"])


def test_actors_shared_by_both_files_are_described_alike() -> None:
    # Actors and people are global rows: loading one file must not undo the other's.
    gaza, ukraine = _read("gaza.yaml"), _read("russia-ukraine.yaml")
    gaza_actors = {actor["name"]: actor for actor in gaza["actors"]}
    shared = [actor for actor in ukraine["actors"] if actor["name"] in gaza_actors]
    assert {actor["name"] for actor in shared} == {"United States", "Qatar"}
    for actor in shared:
        assert actor == {**gaza_actors[actor["name"]], "role": actor["role"]}
    gaza_people = {(p["name"], p["actor"]): p for p in gaza["people"]}
    shared_people = [p for p in ukraine["people"] if (p["name"], p["actor"]) in gaza_people]
    assert shared_people  # the mediators' envoys, named in both
    for person in shared_people:
        assert gaza_people[(person["name"], person["actor"])] == person


def test_both_negotiations_load_and_carry_issue_descriptions(db):
    gaza = negotiation_load(data=_read("gaza.yaml"))
    ukraine = negotiation_load(data=_read("russia-ukraine.yaml"))
    assert Negotiation.objects.count() == 2
    assert Participation.objects.filter(actor__name="United States").count() == 2
    assert Actor.objects.get(name="Qatar").aliases == _read("gaza.yaml")["actors"][5]["aliases"]
    nato = Issue.objects.get(negotiation=ukraine, key="nato")
    assert "neutral" in nato.description
    issues = {issue.key: issue for issue in reference_for(ukraine).issues}
    assert issues["territory"].description.startswith("Land and borders")
    assert {actor.name for actor in reference_for(gaza).actors} >= {"Israel", "Hamas"}
    assert "Russia" not in {actor.name for actor in reference_for(gaza).actors}
