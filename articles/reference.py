"""The reference data extraction needs, built from the domain's rows or the shipped demo files:
the adapter from ``positions`` to ``articles.extraction``'s ``Reference``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import Any, cast

from django.db import DatabaseError, connection

from articles.extraction.reference import reference_from_mapping
from articles.extraction.types import Reference
from positions.demo import demo_negotiations
from positions.models import Actor, Clause, Issue, Negotiation, Participation, Person, Proposal


def _proposals_data(negotiation: Negotiation) -> list[dict[str, Any]]:
    proposals = list(
        Proposal.objects.filter(negotiation=negotiation)
        .select_related("parent").prefetch_related("proposed_by", "clauses__issue")
    )
    return [
        {
            "key": proposal.key, "name": proposal.name, "aliases": proposal.aliases,
            "proposed_by": [actor.name for actor in proposal.proposed_by.all()],
            "proposed_on": proposal.proposed_on,
            "parent": proposal.parent.key if proposal.parent else "",
            "clauses": [
                {"key": clause.key, "issue": clause.issue.key if clause.issue else "",
                 "text": clause.text}
                for clause in proposal.clauses.all()
            ],
        }
        for proposal in proposals
    ]


def reference_for(negotiation: Negotiation) -> Reference:
    """Actors, people, issues and proposals of a negotiation, as plain data for extraction."""
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
        "proposals": _proposals_data(negotiation),
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
    # By key, with their clauses prefetched (a draft's clause keys are read from them).
    proposals: dict[str, Proposal] = field(default_factory=dict)


# Per process (a worker's pool process): negotiation id -> (fingerprint, reference).
_ingest_references: dict[int, tuple[tuple[Any, ...], IngestReference]] = {}


@cache
def _fingerprint_sql() -> str:
    """One query for every column of a negotiation's participations, actors, people, issues,
    proposals, their proposers and clauses, as text: one SELECT per table, padded with NULLs
    to the widest, in UNION ALL."""
    quote = connection.ops.quote_name
    actor_ids = (
        f"SELECT {quote('actor_id')} FROM {quote(Participation._meta.db_table)}"
        f" WHERE {quote('negotiation_id')} = %s"
    )
    proposal_ids = (
        f"SELECT {quote('id')} FROM {quote(Proposal._meta.db_table)}"
        f" WHERE {quote('negotiation_id')} = %s"
    )
    proposers = Proposal.proposed_by.through
    tables: tuple[tuple[Any, str], ...] = (
        (Participation, f"{quote('negotiation_id')} = %s"),
        (Actor, f"{quote('id')} IN ({actor_ids})"),
        (Person, f"{quote('actor_id')} IN ({actor_ids})"),
        (Issue, f"{quote('negotiation_id')} = %s"),
        (Proposal, f"{quote('negotiation_id')} = %s"),
        (proposers, f"{quote('proposal_id')} IN ({proposal_ids})"),
        (Clause, f"{quote('proposal_id')} IN ({proposal_ids})"),
    )
    width = max(len(model._meta.concrete_fields) for model, _ in tables)
    selects = []
    for number, (model, where) in enumerate(tables):
        # Concrete fields always have a column.
        columns = [f"CAST({quote(cast(str, field.column))} AS TEXT)" for field in model._meta.concrete_fields]
        columns += ["NULL"] * (width - len(columns))
        selects.append(
            f"SELECT {number}, {', '.join(columns)} FROM {quote(model._meta.db_table)} WHERE {where}"
        )
    return " UNION ALL ".join(selects) + " ORDER BY 1, 2"


def reference_fingerprint(negotiation: Negotiation) -> tuple[Any, ...]:
    """Every column of the negotiation's participations, actors, people, issues and proposals
    (with their proposers and clauses).

    All columns, not only those ``reference_for`` reads today, so a field it reads tomorrow
    is covered too. One query of plain text, a fraction of building the reference.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), [negotiation.pk] * 7)
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
        proposals={proposal.key: proposal for proposal in
                   negotiation.proposals.prefetch_related("clauses")},
    )
    _ingest_references[negotiation.pk] = (fingerprint, built)
    return built


def _negotiations(slug: str | None) -> list[Negotiation]:
    queryset = Negotiation.objects.filter(slug=slug) if slug else Negotiation.objects.all()
    try:
        return list(queryset)
    except DatabaseError:  # a fresh clone, nothing migrated
        return []


@dataclass(frozen=True)
class NamedReference:
    """A negotiation's reference with its slug and where it was read from."""

    slug: str
    reference: Reference
    source: str  # "database" or "demo file"


def references_for_extract(slug: str | None) -> list[NamedReference]:
    """The references ``manage.py extract`` chooses from.

    With a slug: that negotiation, from the database, else from the shipped file of that slug
    (a fresh clone, or a database that has not loaded it). Without: every negotiation in the
    database, else every shipped one.

    Raises:
        Negotiation.DoesNotExist: the slug names no negotiation here or in the shipped files.
    """
    found = _negotiations(slug)
    if found:
        return [NamedReference(n.slug, reference_for(n), "database") for n in found]
    shipped = demo_negotiations()
    if slug is None:
        return [NamedReference(key, reference_from_mapping(data), "demo file")
                for key, data in shipped.items()]
    if slug in shipped:
        return [NamedReference(slug, reference_from_mapping(shipped[slug]), "demo file")]
    raise Negotiation.DoesNotExist(f"No negotiation with slug {slug!r}")


@lru_cache(maxsize=16)
def _match_patterns(reference: Reference) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    # Names are matched as written (the alias "US" must not match "us"); keywords in any case.
    names = {
        name
        for actor in reference.actors
        for name in (actor.name, actor.short_name, *actor.aliases, *actor.adjectives)
    } | {name for person in reference.people for name in (person.name, *person.aliases)}
    keywords = {keyword for issue in reference.issues for keyword in issue.keywords}

    def alternation(words: set[str], flags: int) -> re.Pattern[str] | None:
        words = {word.strip() for word in words if word.strip()}
        if not words:
            return None
        ordered = sorted(words, key=lambda word: (-len(word), word))
        return re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w)", flags)

    return alternation(names, 0), alternation(keywords, re.IGNORECASE)


def reference_match_score(text: str, reference: Reference) -> float:
    """How strongly a text is about a negotiation: mentions of its actors and people (each
    counts 1) and of its issue keywords (each counts a quarter: they are shared more)."""
    names, keywords = _match_patterns(reference)
    score = float(len(names.findall(text))) if names else 0.0
    return score + (0.25 * len(keywords.findall(text)) if keywords else 0.0)


def best_reference(text: str, choices: Sequence[NamedReference]) -> NamedReference:
    """The negotiation a text matches best (the first on a tie; the only one if one)."""
    if len(choices) == 1:
        return choices[0]
    scores = [reference_match_score(text, choice.reference) for choice in choices]
    return choices[scores.index(max(scores))]
