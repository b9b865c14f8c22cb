"""The reference data extraction needs, from the database or from the shipped demo file."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import DatabaseError

from articles.extraction.reference import reference_from_mapping
from articles.extraction.types import Reference
from positions.models import Negotiation, Person

DEMO_FILE = Path(__file__).resolve().parent / "demo" / "gaza.yaml"


@cache
def demo_data() -> dict[str, Any]:
    """The demo negotiation as shipped with the project."""
    with DEMO_FILE.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def reference_for(negotiation: Negotiation) -> Reference:
    """Actors, people and issues of a negotiation, as plain data for extraction."""
    participations = negotiation.participation_set.select_related("actor")
    actor_ids = [p.actor_id for p in participations]
    people = Person.objects.filter(actor_id__in=actor_ids).select_related("actor")
    data = {
        "actors": [
            {
                "name": p.actor.name,
                "role": p.role,
                "short_name": p.actor.short_name,
                "aliases": p.actor.aliases,
                "adjectives": p.actor.adjectives,
            }
            for p in participations
        ],
        "people": [
            {"name": person.name, "actor": person.actor.name, "title": person.title,
             "aliases": person.aliases}
            for person in people
        ],
        "issues": [
            {"key": issue.key, "name": issue.name, "keywords": issue.keywords}
            for issue in negotiation.issues.all()
        ],
    }
    return reference_from_mapping(data)


def reference_for_slug(slug: str | None) -> tuple[Reference, str]:
    """The named negotiation's reference (default: the only one), else the shipped demo's.

    Returns the reference and where it came from, for the command's log.

    Raises:
        Negotiation.DoesNotExist: a slug was given and no negotiation has it.
    """
    try:
        negotiations = list(Negotiation.objects.all()[:2])
    except DatabaseError:  # a fresh clone, nothing migrated
        negotiations = []
    if slug:
        matching = [n for n in negotiations if n.slug == slug] or list(
            Negotiation.objects.filter(slug=slug)
        )
        if not matching:
            if slug == demo_data()["negotiation"]["slug"] and not negotiations:
                return reference_from_mapping(demo_data()), "demo file"
            raise Negotiation.DoesNotExist(f"No negotiation with slug {slug!r}")
        return reference_for(matching[0]), f"database ({slug})"
    if len(negotiations) == 1:
        return reference_for(negotiations[0]), f"database ({negotiations[0].slug})"
    if not negotiations:
        return reference_from_mapping(demo_data()), "demo file"
    raise Negotiation.MultipleObjectsReturned("Several negotiations: name one with --negotiation")
