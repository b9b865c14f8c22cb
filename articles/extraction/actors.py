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

    def actor(self, name: str) -> ActorRef | None:
        return self.actors.get(name)

    def is_party(self, name: str) -> bool:
        actor = self.actors.get(name)
        return actor is not None and actor.role == "party"

    def actor_mentions(self, text: str) -> list[ActorMention]:
        """Non-overlapping actor mentions in text, in reading order."""
        taken: list[tuple[int, int]] = []
        found: list[ActorMention] = []
        for pattern, name, kind in self._actor_patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                found.append(ActorMention(start, end, name, kind))
        found.sort(key=lambda mention: mention.start)
        return found

    def person_mentions(self, text: str) -> list[tuple[int, int, PersonRef]]:
        taken: list[tuple[int, int]] = []
        found: list[tuple[int, int, PersonRef]] = []
        for pattern, person in self._people_patterns:
            for match in pattern.finditer(text):
                start, end = match.span()
                if any(start < b and a < end for a, b in taken):
                    continue
                taken.append((start, end))
                found.append((start, end, person))
        found.sort(key=lambda item: item[0])
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
