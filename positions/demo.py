"""Load a negotiation's reference data (the shipped demo, or a file of the same shape)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from positions.models import Actor, Issue, Negotiation, Participation, Person


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
    return negotiation
