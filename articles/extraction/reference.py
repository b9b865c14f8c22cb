"""Build a ``Reference`` from plain mappings (the shipped demo YAML, or rows from the database)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from articles.extraction.types import (
    ActorRef,
    ClauseRef,
    IssueRef,
    PersonRef,
    ProposalRef,
    Reference,
)


def _strings(values: Iterable[Any] | None) -> tuple[str, ...]:
    return tuple(str(value) for value in values or () if str(value).strip())


def reference_from_mapping(data: Mapping[str, Any]) -> Reference:
    """Turn a mapping shaped like ``positions/demo/gaza.yaml`` into a ``Reference``.

    Args:
        data: a mapping with ``actors``, ``people``, ``issues`` and (optionally)
            ``proposals`` lists.

    Raises:
        KeyError: an actor, person, issue, proposal or clause lacks its name or key.
        ValueError: a proposal's ``proposed_on`` is not a date.
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
    proposals = tuple(_proposal(item) for item in data.get("proposals", ()) or ())
    return Reference(actors=actors, people=people, issues=issues, proposals=proposals)


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _proposal(item: Mapping[str, Any]) -> ProposalRef:
    return ProposalRef(
        key=str(item["key"]),
        name=str(item["name"]),
        aliases=_strings(item.get("aliases")),
        proposed_by=_strings(item.get("proposed_by")),
        proposed_on=_day(item.get("proposed_on")),
        parent=str(item.get("parent", "") or ""),
        clauses=tuple(
            ClauseRef(key=str(clause["key"]), issue=str(clause.get("issue", "") or ""),
                      text=" ".join(str(clause.get("text", "") or "").split()))
            for clause in item.get("clauses", ()) or ()
        ),
    )
