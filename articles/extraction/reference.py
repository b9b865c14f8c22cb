"""Build a ``Reference`` from plain mappings (the shipped demo YAML, or rows from the database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from articles.extraction.types import ActorRef, IssueRef, PersonRef, Reference


def _strings(values: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(value) for value in values or () if str(value).strip())


def reference_from_mapping(data: Mapping[str, Any]) -> Reference:
    """Turn a mapping shaped like ``positions/demo/gaza.yaml`` into a ``Reference``.

    Args:
        data: a mapping with ``actors``, ``people`` and ``issues`` lists.

    Raises:
        KeyError: an actor, person or issue lacks its name or key.
    """
    actors = tuple(
        ActorRef(
            name=actor["name"],
            role=actor.get("role", "party"),
            short_name=actor.get("short_name", "") or "",
            aliases=_strings(actor.get("aliases")),
            adjectives=_strings(actor.get("adjectives")),
            kind=str(actor.get("kind", "") or ""),
        )
        for actor in data.get("actors", ())
    )
    people = tuple(
        PersonRef(
            name=person["name"],
            actor=person["actor"],
            title=person.get("title", "") or "",
            aliases=_strings(person.get("aliases")),
        )
        for person in data.get("people", ())
    )
    issues = tuple(
        IssueRef(key=issue["key"], name=issue.get("name", issue["key"]),
                 keywords=_strings(issue.get("keywords")),
                 description=" ".join(str(issue.get("description", "") or "").split()))
        for issue in data.get("issues", ())
    )
    return Reference(actors=actors, people=people, issues=issues)
