"""The shipped demo negotiations (``positions/demo/*.yaml``), and loading a negotiation's
reference data from them or from a file of the same shape."""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from positions.models import Actor, Clause, Issue, Negotiation, Participation, Person, Proposal

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
DEMO_DIR = Path(__file__).resolve().parent / "demo"
DEMO_FILE = DEMO_DIR / "gaza.yaml"  # the first demo negotiation, whose article load_demo ingests


class NegotiationFileError(ValueError):
    """A negotiation file that cannot be loaded as written; the message names the entry."""


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
    """Create or update a negotiation with its actors, people, issues and proposals; safe to
    run again.

    Raises:
        NegotiationFileError: a proposal names an unknown actor, issue or parent, or repeats
            another's key, name or alias; nothing is written.
    """
    proposals = data.get("proposals") or ()
    proposals_check(
        proposals,
        actors={item["name"] for item in data.get("actors", ())},
        issues={item["key"] for item in data.get("issues", ())},
    )
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
    _proposals_load(negotiation, proposals, issues=by_key, actors=actors)
    return negotiation


def proposals_check(items: Any, *, actors: set[str], issues: set[str]) -> None:
    """Check a file's ``proposals:`` list against its actors and issue keys before anything is
    written: every proposer is one of the file's actors, every clause's issue one of its
    issue keys, every parent an entry listed (and dated) no later than its version, and no
    key, name or alias (compared case-insensitively) is used by two proposals.

    Raises:
        NegotiationFileError: the first problem found, naming the proposal.
    """
    if not isinstance(items, list | tuple):
        raise NegotiationFileError("proposals: expected a list of proposals")
    keys = [item.get("key") if isinstance(item, dict) else None for item in items]
    labels: dict[str, str] = {}  # a folded key, name or alias -> the proposal that uses it
    listed: dict[str, dict[str, Any]] = {}
    for index, item in enumerate(items):
        key = _proposal_key(item, index)
        where = f"proposal {key!r}"
        if key in listed:
            raise NegotiationFileError(f"{where}: the key is used by two proposals")
        _labels_check(item, where, labels)
        for actor in _listed(item, "proposed_by", where):
            if actor not in actors:
                raise NegotiationFileError(
                    f"{where}: unknown actor {actor!r} in proposed_by (the file's actors: "
                    f"{', '.join(sorted(actors))})"
                )
        _parent_check(item, where, listed, later=keys[index + 1:])
        _clauses_check(item, where, issues)
        listed[key] = item


def _proposal_key(item: Any, index: int) -> str:
    if not isinstance(item, dict):
        raise NegotiationFileError(f"proposals[{index}]: expected a mapping with key, name, clauses…")
    key = item.get("key")
    if not isinstance(key, str) or not SLUG.fullmatch(key) or len(key) > 80:
        raise NegotiationFileError(
            f"proposals[{index}]: key {key!r} must be a slug (letters, digits, - or _) "
            "of at most 80 characters"
        )
    return key


def _listed(item: dict[str, Any], field: str, where: str) -> list[Any]:
    values = item.get(field) or []
    if not isinstance(values, list):
        raise NegotiationFileError(f"{where}: {field} must be a list")
    return values


def _labels_check(item: dict[str, Any], where: str, labels: dict[str, str]) -> None:
    """The proposal's name and aliases, none of them another proposal's name or alias."""
    name, key = item.get("name"), item["key"]
    if not name or not isinstance(name, str):
        raise NegotiationFileError(f"{where}: a name is required")
    aliases = _listed(item, "aliases", where)
    if not all(isinstance(alias, str) and alias.strip() for alias in aliases):
        raise NegotiationFileError(f"{where}: aliases must be non-empty names")
    for label in (name, *aliases):
        folded = " ".join(label.split()).casefold()
        other = labels.setdefault(folded, key)
        if other != key:
            raise NegotiationFileError(f"{where}: {label!r} is already a name or alias of proposal {other!r}")


def _parent_check(
    item: dict[str, Any], where: str, listed: dict[str, dict[str, Any]], *, later: list[Any]
) -> None:
    """A date if any, and the parent listed before the version and dated no later."""
    proposed_on = item.get("proposed_on")
    if proposed_on is not None and not isinstance(proposed_on, date):
        raise NegotiationFileError(f"{where}: proposed_on {proposed_on!r} is not a date (YYYY-MM-DD)")
    parent = item.get("parent")
    if parent is None:
        return
    if parent == item["key"]:
        raise NegotiationFileError(f"{where}: a proposal cannot amend itself")
    if parent not in listed:
        raise NegotiationFileError(
            f"{where}: parent {parent!r} is listed after it (list the amended proposal first)"
            if parent in later else f"{where}: unknown parent {parent!r}"
        )
    parent_on = listed[parent].get("proposed_on")
    if isinstance(parent_on, date) and isinstance(proposed_on, date) and parent_on > proposed_on:
        raise NegotiationFileError(
            f"{where}: parent {parent!r} is dated {parent_on}, after this version ({proposed_on})"
        )


def _clauses_check(item: dict[str, Any], where: str, issues: set[str]) -> None:
    """Each clause with a key of its own, a text and, if it names one, a known issue."""
    seen: set[str] = set()
    for number, clause in enumerate(_listed(item, "clauses", where)):
        if not isinstance(clause, dict) or not clause.get("key") or not str(clause.get("text") or "").strip():
            raise NegotiationFileError(f"{where}: clause {number} needs a key and a text")
        if clause["key"] in seen:
            raise NegotiationFileError(f"{where}: clause key {clause['key']!r} is used twice")
        seen.add(clause["key"])
        issue = clause.get("issue")
        if issue and issue not in issues:
            raise NegotiationFileError(
                f"{where}: clause {clause['key']!r} names unknown issue {issue!r} (the file's "
                f"issues: {', '.join(sorted(issues))})"
            )


def _proposals_load(
    negotiation: Negotiation, items: Any, *, issues: dict[str, Issue], actors: dict[str, Actor]
) -> None:
    """Create or update the proposals of a negotiation file, parents before the versions that
    amend them (a file lists a parent first); clauses are matched by key and never deleted,
    so clauses editors added survive a reload."""
    by_key: dict[str, Proposal] = {}
    for item in items:  # checked by proposals_check
        proposal, _ = Proposal.objects.update_or_create(
            negotiation=negotiation, key=item["key"],
            defaults={"name": item["name"], "aliases": list(item.get("aliases") or []),
                      "proposed_on": item.get("proposed_on"),
                      "summary": " ".join(str(item.get("summary", "") or "").split()),
                      "parent": by_key[item["parent"]] if item.get("parent") else None},
        )
        proposal.proposed_by.set([actors[name] for name in item.get("proposed_by") or []])
        for position, clause in enumerate(item.get("clauses") or ()):
            Clause.objects.update_or_create(
                proposal=proposal, key=clause["key"],
                defaults={"text": " ".join(str(clause["text"]).split()), "position": position,
                          "issue": issues.get(clause["issue"]) if clause.get("issue") else None},
            )
        by_key[proposal.key] = proposal
