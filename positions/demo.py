"""The shipped demo negotiations (``positions/demo/*.yaml``), and loading a negotiation's
reference data from them or from a file of the same shape."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from positions.models import Actor, Clause, Issue, Negotiation, Participation, Person, Proposal

DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_FILE = DEMO_DIR / "gaza.yaml"  # the first demo negotiation, whose article load_demo ingests


@cache
def demo_negotiations() -> dict[str, dict[str, Any]]:
    """Every negotiation shipped in ``positions/demo/*.yaml``, by slug, the first demo first."""
    paths = [DEMO_FILE, *sorted(path for path in DEMO_DIR.glob("*.yaml") if path != DEMO_FILE)]
    found: dict[str, dict[str, Any]] = {}
    for path in paths:
        with path.open(encoding="utf-8") as handle:
            data = yaml.safe_load(handle)
        found[data["negotiation"]["slug"]] = data
    return found


def demo_data(slug: str | None = None) -> dict[str, Any]:
    """A shipped negotiation (default: the first demo, the Gaza talks).

    Raises:
        KeyError: no shipped file has that slug.
    """
    shipped = demo_negotiations()
    return shipped[slug] if slug else next(iter(shipped.values()))


@transaction.atomic
def negotiation_load(*, data: dict[str, Any]) -> Negotiation:
    """Create or update a negotiation with its actors, people and issues; safe to run again."""
    info = data["negotiation"]
    negotiation, _ = Negotiation.objects.update_or_create(
        slug=info["slug"],
        defaults={"name": info["name"], "description": info.get("description", ""),
                  "started_on": info.get("started_on")},
    )
    actors: dict[str, Actor] = {}
    for item in data.get("actors", ()):
        actor, _ = Actor.objects.update_or_create(
            name=item["name"],
            defaults={"short_name": item.get("short_name", ""), "kind": item.get("kind", "state"),
                      "aliases": list(item.get("aliases", [])),
                      "adjectives": list(item.get("adjectives", [])),
                      "colour": item.get("colour", "#64748b")},
        )
        Participation.objects.update_or_create(
            negotiation=negotiation, actor=actor, defaults={"role": item.get("role", "party")}
        )
        actors[actor.name] = actor
    for item in data.get("people", ()):
        Person.objects.update_or_create(
            name=item["name"], actor=actors[item["actor"]],
            defaults={"title": item.get("title", ""), "aliases": list(item.get("aliases", []))},
        )
    by_key: dict[str, Issue] = {}
    for position, item in enumerate(data.get("issues", ())):
        parent_key, _, _ = item["key"].rpartition("/")
        issue, _ = Issue.objects.update_or_create(
            negotiation=negotiation, key=item["key"],
            defaults={"name": item.get("name", item["key"]), "position": position,
                      "keywords": list(item.get("keywords", [])),
                      "description": " ".join(str(item.get("description", "") or "").split()),
                      "parent": by_key.get(parent_key) if parent_key else None},
        )
        by_key[issue.key] = issue
    _proposals_load(negotiation, data.get("proposals", ()), issues=by_key)
    return negotiation


def _proposals_load(
    negotiation: Negotiation, items: Any, *, issues: dict[str, Issue]
) -> None:
    """Create or update the proposals of a negotiation file, parents before the versions that
    amend them (a file lists a parent first); clauses are matched by key and never deleted,
    so clauses editors added survive a reload."""
    by_key: dict[str, Proposal] = {}
    for item in items:
        proposal, _ = Proposal.objects.update_or_create(
            negotiation=negotiation, key=item["key"],
            defaults={"name": item["name"], "aliases": list(item.get("aliases", [])),
                      "proposed_on": item.get("proposed_on"),
                      "summary": " ".join(str(item.get("summary", "") or "").split()),
                      "parent": by_key[item["parent"]] if item.get("parent") else None},
        )
        proposal.proposed_by.set(Actor.objects.filter(name__in=item.get("proposed_by", [])))
        for position, clause in enumerate(item.get("clauses", ())):
            Clause.objects.update_or_create(
                proposal=proposal, key=clause["key"],
                defaults={"text": " ".join(str(clause["text"]).split()), "position": position,
                          "issue": issues.get(clause["issue"]) if clause.get("issue") else None},
            )
        by_key[proposal.key] = proposal
