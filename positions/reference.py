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
                "kind": p.actor.kind,
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


def _negotiations(slug: str | None) -> list[Negotiation]:
    queryset = Negotiation.objects.filter(slug=slug) if slug else Negotiation.objects.all()
    try:
        return list(queryset[:2])
    except DatabaseError:  # a fresh clone, nothing migrated
        return []


def reference_for_slug(slug: str | None) -> tuple[Reference, str]:
    """The named negotiation's reference (default: the only one), else the shipped demo's.

    Returns the reference and where it came from, for the command's log.

    Raises:
        Negotiation.DoesNotExist: the slug names no negotiation here or in the demo file.
        Negotiation.MultipleObjectsReturned: no slug, and the database has several.
    """
    found = _negotiations(slug)
    if len(found) == 1:
        return reference_for(found[0]), f"database ({found[0].slug})"
    if found:
        raise Negotiation.MultipleObjectsReturned("Several negotiations: name one with --negotiation")
    if slug in (None, demo_data()["negotiation"]["slug"]) and not _negotiations(None):
        return reference_from_mapping(demo_data()), "demo file"
    raise Negotiation.DoesNotExist(f"No negotiation with slug {slug!r}")
