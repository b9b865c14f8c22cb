"""Actors and known people from the reference data, found in text.

The index is built once per ``Reference`` (the reference is frozen, so it can key a cache);
an editor's new alias or person arrives as a new ``Reference`` and so a new index.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from articles.extraction.types import ActorRef, PersonRef, Reference


@dataclass(frozen=True)
class ActorMention:
    start: int  # offsets into the searched text
    end: int
    actor: str
    kind: str  # "name", "alias" or "adjective"


def _pattern(phrase: str) -> re.Pattern[str]:
    escaped = re.escape(phrase).replace(r"\ ", r"\s+")
    # Short all-capital aliases ("US", "PIJ") must keep their case, or "us" becomes America.
    flags = 0 if (phrase.isupper() and len(phrase.replace(".", "")) <= 4) else re.IGNORECASE
    return re.compile(rf"(?<![\w-]){escaped}(?![\w-])", flags)


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]+", "", text.lower().replace("-", " ")).strip()


class ActorIndex:
    """Look up actors and people of one negotiation in text."""

    def __init__(self, reference: Reference) -> None:
        self.reference = reference
        self.actors: dict[str, ActorRef] = {actor.name: actor for actor in reference.actors}
        entries: list[tuple[re.Pattern[str], str, str, int]] = []
        for actor in reference.actors:
            phrases = [(actor.name, "name")]
            if actor.short_name:
                phrases.append((actor.short_name, "alias"))
            phrases += [(alias, "alias") for alias in actor.aliases]
            phrases += [(adjective, "adjective") for adjective in actor.adjectives]
            for phrase, kind in phrases:
                entries.append((_pattern(phrase), actor.name, kind, len(phrase)))
        # Longer phrases first, so "Palestinian Islamic Jihad" wins over "Islamic Jihad".
        entries.sort(key=lambda entry: -entry[3])
        self._actor_patterns = [(pattern, name, kind) for pattern, name, kind, _ in entries]
        # The same as two alternations (case-sensitive short capitals, the rest folded) for
        # one pass over the text each.
        self._actor_by_phrase: dict[str, tuple[str, str]] = {}
        exact: list[str] = []
        folded: list[str] = []
        for pattern, name, kind, _ in entries:
            phrase = pattern.pattern
            key = phrase if pattern.flags & re.IGNORECASE == 0 else phrase.lower()
            if key in self._actor_by_phrase:
                continue
            self._actor_by_phrase[key] = (name, kind)
            (folded if pattern.flags & re.IGNORECASE else exact).append(phrase)
        self._actor_exact = re.compile("|".join(f"({p})" for p in exact)) if exact else None
        self._actor_folded = re.compile("|".join(f"({p})" for p in folded),
                                        re.IGNORECASE) if folded else None
        self._exact_keys = exact
        self._folded_keys = folded

        self.people: tuple[PersonRef, ...] = reference.people
        people_entries: list[tuple[re.Pattern[str], PersonRef, int]] = []
        self._fuzzy_keys: list[str] = []
        self._fuzzy_people: list[PersonRef] = []
        for person in reference.people:
            for name in (person.name, *person.aliases):
                people_entries.append((_pattern(name), person, len(name)))
                self._fuzzy_keys.append(_fold(name))
                self._fuzzy_people.append(person)
        people_entries.sort(key=lambda entry: -entry[2])
        self._people_patterns = [(pattern, person) for pattern, person, _ in people_entries]
        # One pass over the text for all names (longest first, so a full name wins over a
        # surname at the same place), instead of one search per name.
        self._people_by_name: dict[str, PersonRef] = {}
        names: list[str] = []
        for person in reference.people:
            for name in (person.name, *person.aliases):
                key = _fold(name)
                if key and key not in self._people_by_name:
                    self._people_by_name[key] = person
                    names.append(name)
        names.sort(key=len, reverse=True)
        self._people_regex = re.compile(
            "|".join(rf"(?<![\w-]){re.escape(n).replace(chr(92) + ' ', r'\s+')}(?![\w-])"
                     for n in names), re.IGNORECASE) if names else None

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

    def is_party(self, name: str) -> bool:
        actor = self.actors.get(name)
        return actor is not None and actor.role == "party"

    def actor_mentions(self, text: str) -> list[ActorMention]:
        """Non-overlapping actor mentions in text, in reading order (longest phrase wins)."""
        candidates: list[ActorMention] = []
        for regex, keys, fold in ((self._actor_exact, self._exact_keys, False),
                                  (self._actor_folded, self._folded_keys, True)):
            if regex is None:
                continue
            for match in regex.finditer(text):
                phrase = keys[match.lastindex - 1] if match.lastindex else ""
                name, kind = self._actor_by_phrase[phrase.lower() if fold else phrase]
                candidates.append(ActorMention(match.start(), match.end(), name, kind))
        candidates.sort(key=lambda m: (-(m.end - m.start), m.start))
        found: list[ActorMention] = []
        for mention in candidates:
            if not any(mention.start < other.end and other.start < mention.end for other in found):
                found.append(mention)
        found.sort(key=lambda mention: mention.start)
        return found

    def person_mentions(self, text: str) -> list[tuple[int, int, PersonRef]]:
        """Known people named in text, in reading order, by full name or alias."""
        if self._people_regex is None:
            return []
        found: list[tuple[int, int, PersonRef]] = []
        for match in self._people_regex.finditer(text):
            person = self._people_by_name.get(_fold(match.group()))
            if person is not None:
                found.append((match.start(), match.end(), person))
        return found

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
