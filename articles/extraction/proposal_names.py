"""The names a negotiation's proposals go by, prepared once for matching: the words of
their names and aliases, which of those words tell a proposal apart ("Biden", "bridging")
and which any plan shares ("the ceasefire proposal"), who proposes under which name
("Egyptian", "Witkoff"), and which proposals the press calls deals. Read by
``proposals.py``; nothing here is specific to one negotiation.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from rapidfuzz import fuzz

from articles.extraction.lexicon import words
from articles.extraction.types import ProposalRef, Reference

# Nouns a plan or offer goes by (singular; plurals are read as their singular).
PLAN_NOUNS = words("""
proposal counterproposal counter-proposal plan offer framework deal draft paper initiative
roadmap blueprint agreement accord response reply package
""")

# Nouns for what a deal brings ("the truce", "the ceasefire", "the first phase"): they name
# the deal only when definite and at the head of their phrase ("the ceasefire talks" do not).
DEAL_NOUNS = words("truce ceasefire cease-fire pause phase")
# What a deal, rather than a proposal, goes by.
DEAL_FAMILY = DEAL_NOUNS | words("deal agreement accord")

# Words that place a proposal in time: the newest one is meant.
NEWEST = words("""
latest new newest recent current updated revised amended improved fresh final existing
pending standing
""")

# Words that may stand between a proposer and the plan noun ("the US-backed ceasefire plan").
MODIFIERS = words("""
new latest newest recent current updated revised amended improved fresh final most
proposed backed led brokered drafted sponsored mediated endorsed written formal detailed
joint comprehensive phased partial full permanent temporary interim compromise
peace ceasefire cease-fire truce and
""") | NEWEST

STOP = words("""
the a an of for to and in on at by with from its their his her this that these those
s is was be been are were mediator mediators
""") | PLAN_NOUNS

TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’\-]*")

@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str  # as written, without a possessive ending
    lower: str
    possessive: bool


def normalise(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'").replace("‐", "-").replace("–", "-")


def tokens(text: str) -> list[Token]:
    found = []
    for match in TOKEN.finditer(normalise(text)):
        raw = match.group()
        possessive = raw.endswith(("'s", "'")) and len(raw) > 2
        word = raw[:-2] if raw.endswith("'s") else raw.rstrip("'")
        found.append(Token(match.start(), match.end(), word, word.lower(), possessive))
    return found


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
        return word[:-1]
    return word

@dataclass(frozen=True)
class ProposalIndex:
    """A negotiation's proposals, prepared once for matching."""

    proposals: dict[str, ProposalRef]
    # (normalised lower-case alias, the proposals it names, whether its words are all
    # generic), longest first: matched as written.
    names: tuple[tuple[str, tuple[str, ...], bool], ...]
    # (distinctive words of an alias, all its words, proposal key): matched around a plan noun.
    variants: tuple[tuple[frozenset[str], frozenset[str], str], ...]
    # A proposer's name, short name, alias, adjective or person -> the actors it names.
    proposers: dict[str, frozenset[str]]
    mediators: frozenset[str]
    # The words of the negotiation's issues ("hostage", "ceasefire"): they may stand between
    # a proposer and the plan noun ("the Brandt hostage plan").
    issue_words: frozenset[str] = frozenset()
    # Every word of each proposal's names, and the proposals named as deals ("the January
    # agreement", "the November truce"): what "the deal" can mean.
    words_of: dict[str, frozenset[str]] = field(default_factory=dict)
    deals: frozenset[str] = frozenset()
    adjectives: frozenset[str] = frozenset()  # "Egyptian": "Egyptian-Qatari" is a joint proposer
    people: dict[str, str] = field(default_factory=dict)  # a person's surname -> lower case

    def dated(self, keys: Iterable[str], published: date | None) -> list[ProposalRef]:
        """The proposals of ``keys`` put forward on or before the day, newest first (all
        of them, undated last, when the day is unknown)."""
        found = [self.proposals[key] for key in keys]
        if published is not None:
            found = [p for p in found if p.proposed_on is not None and p.proposed_on <= published]
        return sorted(found, key=lambda p: p.proposed_on or date.min, reverse=True)


@lru_cache(maxsize=16)
def proposal_index(reference: Reference) -> ProposalIndex:
    """Names, variants and proposers of a reference's proposals, ready for matching."""
    # Names of a side that are one word ("Hamas", "Egyptian"): a proposer, not a distinctive
    # word of an alias. A longer name ("the Trump administration") does not make its words so.
    actor_words = {
        name.strip().lower()
        for actor in reference.actors
        for name in (actor.name, actor.short_name, *actor.aliases, *actor.adjectives)
        if len(name.split()) == 1
    }

    def content(alias: str) -> frozenset[str]:
        return frozenset(singular(t.lower) if singular(t.lower) in PLAN_NOUNS else t.lower
                         for t in tokens(alias) if t.lower not in STOP or
                         singular(t.lower) in PLAN_NOUNS)

    words_of = {proposal.key: frozenset().union(*(content(alias) for alias in (
        proposal.name, *proposal.aliases))) for proposal in reference.proposals}
    names: list[tuple[str, tuple[str, ...], bool]] = []
    variants: list[tuple[frozenset[str], frozenset[str], str]] = []
    for proposal in reference.proposals:
        for alias in dict.fromkeys((proposal.name, *proposal.aliases)):
            text = " ".join(token.lower for token in tokens(alias))
            if not text:
                continue
            distinctive = frozenset(
                token.lower for token in tokens(alias)
                if token.lower not in STOP and token.lower not in MODIFIERS
                and singular(token.lower) not in PLAN_NOUNS and token.lower not in actor_words
            )
            if distinctive:
                names.append((text, (proposal.key,), False))
                variants.append((distinctive, content(alias), proposal.key))
            elif len(content(alias)) > 1:
                # Generic words only ("the ceasefire agreement"): the press uses them for
                # whichever proposal of that kind is current, so they name every proposal
                # whose names carry all of them (the newest on the day is meant).
                wanted = content(alias)
                names.append((text, tuple(key for key, got in words_of.items() if wanted <= got),
                              True))
    proposers: dict[str, set[str]] = {}
    for actor in reference.actors:
        for name in (actor.name, actor.short_name, *actor.aliases, *actor.adjectives):
            name = re.sub(r"^[Tt]he\s+", "", name.strip())  # "the North" after "from the"
            if name:
                proposers.setdefault(name, set()).add(actor.name)
    for person in reference.people:
        for name in (person.name, *person.aliases):
            if name.strip():
                proposers.setdefault(name.strip(), set()).add(person.actor)
        surname = person.name.split()[-1] if person.name.split() else ""
        if len(surname) > 3:
            proposers.setdefault(surname, set()).add(person.actor)
    return ProposalIndex(
        proposals={proposal.key: proposal for proposal in reference.proposals},
        names=tuple(sorted(names, key=lambda item: -len(item[0]))),
        variants=tuple(variants),
        proposers={name: frozenset(actors) for name, actors in proposers.items()},
        words_of=words_of,
        deals=frozenset(p.key for p in reference.proposals if named_as_deal(p)),
        adjectives=frozenset(adjective for actor in reference.actors for adjective in actor.adjectives),
        people={person.name.split()[-1]: person.name.split()[-1].lower()
                for person in reference.people if len(person.name.split()[-1]) > 3},
        mediators=frozenset(a.name for a in reference.actors if a.role == "mediator"),
        issue_words=frozenset(
            word.lower()
            for issue in reference.issues
            for text in (issue.key.replace("/", " ").replace("_", " "), issue.name, *issue.keywords)
            for word in text.split()
            if word.lower() not in STOP
        ),
    )


@lru_cache(maxsize=4096)
def head_noun(alias: str) -> str:
    """The noun an alias goes by: the last plan or deal noun before "of", "by", "to"…
    ("the first phase of the Trump plan" is a phase, "an offer of a pause" an offer).
    Remembered: the linker asks it of every candidate's names for every statement."""
    head = ""
    for token in tokens(alias):
        if token.lower in ("of", "by", "to", "for", "from", "on") and head:
            break
        if singular(token.lower) in PLAN_NOUNS or token.lower in DEAL_FAMILY:
            head = singular(token.lower)
    return head


def named_as_deal(proposal: ProposalRef) -> bool:
    """Most of the proposal's names call it a deal, truce or agreement, not a proposal."""
    heads = [head for alias in (proposal.name, *proposal.aliases) if (head := head_noun(alias))]
    return sum(head in DEAL_FAMILY for head in heads) * 2 > len(heads)


def same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    return min(len(a), len(b)) >= 5 and fuzz.ratio(a, b) >= 85
