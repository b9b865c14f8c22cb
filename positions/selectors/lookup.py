"""Find a negotiation, actor, issue or proposal by what a person would type: its id, slug
or key, name, short name or alias (case ignored). For the API's filters."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from positions.models import Actor, Issue, Negotiation, Proposal

MAX_ID = 2**63 - 1


class NotFound(LookupError):
    """Nothing by that name."""


class Ambiguous(LookupError):
    """Several by that name: the message says how to tell them apart."""


def _as_id(value: str) -> int | None:
    value = value.strip()
    return int(value) if value.isascii() and value.isdigit() and int(value) <= MAX_ID else None


def negotiation_named(value: str) -> Negotiation:
    """A negotiation by id, slug or name."""
    pk = _as_id(value)
    found = Negotiation.objects.filter(
        Q(pk=pk) if pk else Q(slug=value.strip()) | Q(name__iexact=value.strip())
    ).first()
    if found is None:
        raise NotFound(f"No negotiation {value!r}: give its slug, id or name.")
    return found


def actor_named(value: str, negotiation: Negotiation | None = None) -> Actor:
    """An actor by id, name, short name or alias (within the negotiation, if given)."""
    pk = _as_id(value)
    actors = negotiation.actors.all() if negotiation else Actor.objects.all()
    if pk:
        found = actors.filter(pk=pk).first()
    else:
        wanted = value.strip().casefold()
        # A short table: names, short names and aliases compared in Python on any database.
        matches = [
            actor for actor in actors.only("name", "short_name", "aliases")
            if wanted in {actor.name.casefold(), actor.short_name.casefold(),
                          *(alias.casefold() for alias in actor.aliases if isinstance(alias, str))}
        ]
        if len(matches) > 1:
            raise Ambiguous(f"{value!r} names several actors: "
                            + ", ".join(sorted(a.name for a in matches)) + "; give its id.")
        found = matches[0] if matches else None
    if found is None:
        raise NotFound(f"No actor {value!r}: give its id, name, short name or an alias.")
    return found


def _named(records: QuerySet[Any], value: str, what: str) -> Any:
    """One record of ``records`` (issues or proposals) by id, key or name, case aside; a key
    or name several negotiations share is ``Ambiguous``, none ``NotFound``."""
    pk = _as_id(value)
    if pk:
        matches = list(records.filter(pk=pk))
    else:
        text = value.strip()
        matches = list(records.filter(Q(key=text) | Q(name__iexact=text)).select_related("negotiation"))
    if len(matches) > 1:
        raise Ambiguous(f"{what.capitalize()} {value!r} is in several negotiations ("
                        + ", ".join(sorted(m.negotiation.slug for m in matches))
                        + "): add negotiation=, or give its id.")
    if not matches:
        raise NotFound(f"No {what} {value!r}: give its id, key or name.")
    return matches[0]


def issue_named(value: str, negotiation: Negotiation | None = None) -> Issue:
    """An issue by id, key (``ceasefire/permanent``) or name (within the negotiation, if
    given: another negotiation may use the same key)."""
    issues = negotiation.issues.all() if negotiation else Issue.objects.all()
    found: Issue = _named(issues, value, "issue")
    return found


def proposal_named(value: str, negotiation: Negotiation | None = None) -> Proposal:
    """A proposal by id, key (``paris-framework``) or name (within the negotiation, if
    given: another negotiation may use the same key)."""
    proposals = Proposal.objects.filter(negotiation=negotiation) if negotiation else Proposal.objects.all()
    found: Proposal = _named(proposals, value, "proposal")
    return found
