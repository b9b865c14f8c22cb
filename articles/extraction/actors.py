"""Actors and known people from the reference data, found in text.

The index is built once per ``Reference`` (the reference is frozen, so it can key a cache);
an editor's new alias or person arrives as a new ``Reference`` and so a new index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rapidfuzz import fuzz, process

from articles.extraction.types import ActorRef, PersonRef, Reference


@dataclass(frozen=True)
class ActorMention:
    start: int  # offsets into the searched text
    end: int
    actor: str
    kind: str  # "name", "alias" or "adjective"


# Words, with abbreviations kept whole ("U.S.") and a possessive "'s" as a word of its own.
_TOKEN = re.compile(r"[A-Za-z0-9]+(?:\.[A-Za-z0-9]+)*\.?|['’]s\b")


def _norm(word: str) -> str:
    word = word.replace("’", "'")
    # A sentence's full stop is not part of the word; an abbreviation's dots are ("U.S.").
    return word[:-1] if word.endswith(".") and "." not in word[:-1] else word


def _ngrams(text: str, exact_table: dict[tuple[str, ...], Any], folded_table: dict[tuple[str, ...], Any],
            exact_prefixes: set[tuple[str, ...]], folded_prefixes: set[tuple[str, ...]],
            longest: int) -> list[Any]:
    """Leftmost-longest, non-overlapping phrase matches of text's words in two tables."""
    words = []
    for match in _TOKEN.finditer(text):
        word = _norm(match.group())
        words.append((match.start(), match.start() + len(word), word))
    found = []
    position = 0
    count = len(words)
    while position < count:
        best = None
        exact: tuple[str, ...] = ()
        folded: tuple[str, ...] = ()
        live_exact = bool(exact_prefixes)
        live_folded = True
        for size in range(1, min(longest, count - position) + 1):
            word = words[position + size - 1][2]
            if live_exact:
                exact = (*exact, word)
                live_exact = exact in exact_prefixes
            if live_folded:
                folded = (*folded, word.lower())
                live_folded = folded in folded_prefixes
            if not (live_exact or live_folded):
                break
            hit = (exact_table.get(exact) if live_exact else None) or (
                folded_table.get(folded) if live_folded else None)
            if hit:
                start, end = words[position][0], words[position + size - 1][1]
                glued = (start > 0 and text[start - 1] == "-") or text[end:end + 1] == "-"
                if not glued:
                    best = (size, hit)
        if best is None:
            position += 1
            continue
        size, hit = best
        found.append((words[position][0], words[position + size - 1][1], hit))
        position += size
    return found


_CACHE_SIZE = 4096


def _remember(cache: dict[str, Any], text: str, found: tuple[Any, ...]) -> None:
    """Keep a lookup's result, forgetting everything once the cache is full (bounded memory
    in a long-lived worker)."""
    if len(cache) >= _CACHE_SIZE:
        cache.clear()
    cache[text] = found


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower().replace("-", " ")).strip()


class ActorIndex:
    """Look up actors and people of one negotiation in text."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.actors: dict[str, ActorRef] = {actor.name: actor for actor in reference.actors}
        # Actor phrases as word n-grams: short capitals ("US", "PIJ") keep their case, so
        # "us" is not America; everything else is folded.
        self._exact_phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        self._folded_phrases: dict[tuple[str, ...], tuple[str, str]] = {}
        for actor in reference.actors:
            phrases = [(actor.name, "name")]
            if actor.short_name:
                phrases.append((actor.short_name, "alias"))
            phrases += [(alias, "alias") for alias in actor.aliases]
            phrases += [(adjective, "adjective") for adjective in actor.adjectives]
            for phrase, kind in phrases:
                key = tuple(_norm(m.group()) for m in _TOKEN.finditer(phrase))
                if not key:
                    continue
                if phrase.isupper() and len(phrase.replace(".", "")) <= 4:
                    self._exact_phrases.setdefault(key, (actor.name, kind))
                else:
                    folded = tuple(word.lower() for word in key)
                    self._folded_phrases.setdefault(folded, (actor.name, kind))
        self._exact_prefixes = {k[:n] for k in self._exact_phrases for n in range(1, len(k) + 1)}
        self._folded_prefixes = {k[:n] for k in self._folded_phrases for n in range(1, len(k) + 1)}
        self._longest = max((len(k) for k in (*self._exact_phrases, *self._folded_phrases)),
                            default=1)
        self.people: tuple[PersonRef, ...] = reference.people
        self._fuzzy_keys: list[str] = []
        self._fuzzy_people: list[PersonRef] = []
        for person in reference.people:
            for name in (person.name, *person.aliases):
                self._fuzzy_keys.append(_fold(name))
                self._fuzzy_people.append(person)
        # Names as folded word n-grams, looked up in one pass like actor phrases.
        self._people_phrases: dict[tuple[str, ...], PersonRef] = {}
        for person in reference.people:
            for name in (person.name, *person.aliases):
                key = tuple(_norm(m.group()).lower() for m in _TOKEN.finditer(name))
                if key:
                    self._people_phrases.setdefault(key, person)
        self._people_prefixes = {k[:n] for k in self._people_phrases for n in range(1, len(k) + 1)}
        self._people_longest = max((len(k) for k in self._people_phrases), default=1)
        # The same phrases ("the group", a speaker's name) are looked up again and again.
        self._actor_cache: dict[str, tuple[ActorMention, ...]] = {}
        self._person_cache: dict[str, tuple[tuple[int, int, PersonRef], ...]] = {}

    def actor(self, name: str) -> ActorRef | None:
        return self.actors.get(name)

    def is_state(self, name: str) -> bool:
        """A state ("the government", "the country") rather than a group ("the movement")."""
        actor = self.actors.get(name)
        if actor is None:
            return False
        if actor.kind:
            return actor.kind.lower() in ("state", "country", "government")
        # Without a kind: a state has a national adjective that differs from its name
        # ("Israeli", "Egyptian"); a movement's adjective is its name ("Hamas").
        return any(adjective.lower() not in (actor.name.lower(), actor.short_name.lower())
                   for adjective in actor.adjectives)

    def actor_mentions(self, text: str) -> list[ActorMention]:
        """Non-overlapping actor mentions in text, in reading order (longest phrase first).

        Words are looked up as n-grams in two tables (short capitals such as "US" keep their
        case; everything else is folded), one pass over the text; a name glued to a hyphen
        ("Hamas-run") is not a mention.
        """
        found = self._actor_cache.get(text)
        if found is None:
            found = tuple(ActorMention(start, end, name, kind) for start, end, (name, kind) in _ngrams(
                text, self._exact_phrases, self._folded_phrases, self._exact_prefixes,
                self._folded_prefixes, self._longest))
            _remember(self._actor_cache, text, found)
        return list(found)

    def person_mentions(self, text: str) -> list[tuple[int, int, PersonRef]]:
        """Known people named in text, in reading order, by full name or alias (folded)."""
        found = self._person_cache.get(text)
        if found is None:
            found = tuple(_ngrams(text, {}, self._people_phrases, set(), self._people_prefixes,
                                  self._people_longest))
            _remember(self._person_cache, text, found)
        return list(found)

    def fuzzy_person(self, name: str, *, cutoff: float = 90) -> PersonRef | None:
        """The known person a spelled-differently name refers to ("Khalil Al Hayya")."""
        key = _fold(name)
        if not key or not self._fuzzy_keys:
            return None
        best = process.extractOne(key, self._fuzzy_keys, scorer=fuzz.ratio, score_cutoff=cutoff)
        return self._fuzzy_people[best[2]] if best else None


@lru_cache(maxsize=16)
def actor_index(reference: Reference) -> ActorIndex:
    return ActorIndex(reference)
