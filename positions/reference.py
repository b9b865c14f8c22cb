"""The reference data extraction needs, from the database or from the shipped demo file."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import DatabaseError, connection

from articles.extraction.reference import reference_from_mapping
from articles.extraction.types import Reference
from positions.models import Actor, Issue, Negotiation, Participation, Person

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
            {"key": issue.key, "name": issue.name, "keywords": issue.keywords,
             "description": issue.description}
            for issue in negotiation.issues.all()
        ],
    }
    return reference_from_mapping(data)


@dataclass(frozen=True)
class IngestReference:
    """What ingestion needs of a negotiation: the reference extraction reads, and the rows
    its drafts point to, by the names extraction gives them."""

    reference: Reference
    actors: dict[str, Actor]
    issues: dict[str, Issue]
    people: dict[str, Person]


# Per process (a worker's pool process): negotiation id -> (fingerprint, reference).
_ingest_references: dict[int, tuple[tuple[Any, ...], IngestReference]] = {}


@cache
def _fingerprint_sql() -> str:
    """One query for every column of a negotiation's participations, actors, people and
    issues, as text: one SELECT per table, padded with NULLs to the widest, in UNION ALL."""
    quote = connection.ops.quote_name
    actor_ids = (
        f"SELECT {quote('actor_id')} FROM {quote(Participation._meta.db_table)}"
        f" WHERE {quote('negotiation_id')} = %s"
    )
    tables = (
        (Participation, f"{quote('negotiation_id')} = %s"),
        (Actor, f"{quote('id')} IN ({actor_ids})"),
        (Person, f"{quote('actor_id')} IN ({actor_ids})"),
        (Issue, f"{quote('negotiation_id')} = %s"),
    )
    width = max(len(model._meta.concrete_fields) for model, _ in tables)
    selects = []
    for number, (model, where) in enumerate(tables):
        columns = [f"CAST({quote(field.column)} AS TEXT)" for field in model._meta.concrete_fields]
        columns += ["NULL"] * (width - len(columns))
        selects.append(
            f"SELECT {number}, {', '.join(columns)} FROM {quote(model._meta.db_table)} WHERE {where}"
        )
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2"


def reference_fingerprint(negotiation: Negotiation) -> tuple[Any, ...]:
    """Every column of the negotiation's participations, actors, people and issues.

    All columns, not only those ``reference_for`` reads today, so a field it reads tomorrow
    is covered too. One query of plain text, a fraction of building the reference.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), [negotiation.pk] * 4)
        return tuple(cursor.fetchall())


def ingest_reference(negotiation: Negotiation) -> IngestReference:
    """The negotiation's reference and rows, built once per process and again only when an
    editor has changed any of them since: an actor, alias, person or keyword corrected in
    the admin or the review reaches the next article extracted.

    The fingerprint is read before the rows: a change committed in between makes the next
    call rebuild, never keeps old rows under a new fingerprint.
    """
    fingerprint = reference_fingerprint(negotiation)
    kept = _ingest_references.get(negotiation.pk)
    if kept is not None and kept[0] == fingerprint:
        return kept[1]
    actors = {actor.name: actor for actor in negotiation.actors.all()}
    built = IngestReference(
        reference=reference_for(negotiation),
        actors=actors,
        issues={issue.key: issue for issue in negotiation.issues.all()},
        people={person.name: person for person in Person.objects.filter(actor__in=actors.values())},
    )
    _ingest_references[negotiation.pk] = (fingerprint, built)
    return built


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
