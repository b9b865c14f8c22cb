"""Plain data passed into and out of extraction.

The caller (``articles.services`` or ``manage.py extract``) builds a ``Reference`` from the
database or from the shipped demo data; extraction never touches Django.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class ActorRef:
    """An actor of the negotiation as extraction sees it."""

    name: str
    role: str = "party"  # "party" or "mediator"
    short_name: str = ""
    aliases: tuple[str, ...] = ()
    # Adjectives that tie an anonymous source to the actor ("Israeli", "Qatari").
    adjectives: tuple[str, ...] = ()
    # "state", "movement", "organisation", ...: "the group" means a movement, "the
    # government" a state. Empty when unknown (extraction then guesses from the adjectives).
    kind: str = ""


@dataclass(frozen=True)
class PersonRef:
    """A known speaker: name, aliases, affiliation and title."""

    name: str
    actor: str  # ActorRef.name
    title: str = ""
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class IssueRef:
    """An issue key ("ceasefire/permanent") with the keywords that signal it."""

    key: str
    name: str
    keywords: tuple[str, ...] = ()
    # What the issue covers, in a sentence or two: read by learned issue scoring, so a new
    # negotiation's keys work without training data of their own.
    description: str = ""


@dataclass(frozen=True)
class ClauseRef:
    """One clause of a proposal: its key (shared with the clause it revises), issue and text."""

    key: str
    issue: str = ""  # IssueRef.key, "" when the clause names none
    text: str = ""


@dataclass(frozen=True)
class ProposalRef:
    """A named proposal of the negotiation: names the press uses, who put it forward, when."""

    key: str
    name: str
    aliases: tuple[str, ...] = ()
    proposed_by: tuple[str, ...] = ()  # ActorRef.name of each proposer
    proposed_on: date | None = None
    parent: str = ""  # the key of the proposal it amends
    clauses: tuple[ClauseRef, ...] = ()


@dataclass(frozen=True)
class Reference:
    """Everything extraction knows about one negotiation."""

    actors: tuple[ActorRef, ...] = ()
    people: tuple[PersonRef, ...] = ()
    issues: tuple[IssueRef, ...] = ()
    proposals: tuple[ProposalRef, ...] = ()


@dataclass(frozen=True)
class ArticleMeta:
    title: str = ""
    outlet: str = ""
    url: str = ""
    published: date | None = None


@dataclass(frozen=True)
class Draft:
    """One draft position statement found in an article body (stored by the caller as a
    ``Statement`` whose status is draft).

    ``spans`` are half-open ``(start, end)`` code-point offsets into the body that was
    passed to ``extract``; each cuts out one evidence passage exactly.
    """

    speaker: str
    actor: str  # ActorRef.name
    issues: tuple[str, ...]
    stance: str  # demand, reject, accept, propose, condition, intent or assess
    summary: str
    spans: tuple[tuple[int, int], ...]
    quote_type: str = "reported"  # or "direct"
    stated_on: date | None = None
    # How stated_on was found: explicit, relative, context (the day of the statement it
    # follows up) or publication; "" when stated_on is None.
    date_basis: str = ""
    via: str = ""
    conditions: str = ""
    confidence: float = 0.5
    person: str = ""  # PersonRef.name when the speaker is a known person
    # The proposal the statement is about (ProposalRef.key, "" for none), the clauses its
    # issues touch (ClauseRef.key; none when it is about the whole proposal) and how sure
    # the link is (None without a link).
    proposal: str = ""
    clauses: tuple[str, ...] = ()
    proposal_confidence: float | None = None

    def evidence(self, body: str) -> list[str]:
        return [body[start:end] for start, end in self.spans]
