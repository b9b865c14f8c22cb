"""Who a speaker is and which actor they speak for, within one article.

The article keeps a small memory: people named so far (known from the reference, or new
people tied to an actor by their title), the last person and the last organisation that
spoke. Pronouns and descriptions ("he", "the group", "the official") are bound to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx
from articles.extraction.actors import ActorIndex
from articles.extraction.grammar import phrase_text
from articles.extraction.types import PersonRef

if TYPE_CHECKING:
    from spacy.tokens import Token

_PERSON_PRONOUNS = {"he", "she", "him", "her"}
_GROUP_PRONOUNS = {"it", "they", "we"}
_GROUP_NOUNS = {"group", "movement", "militants", "organisation", "organization", "faction",
                "government", "administration", "side", "cabinet", "office", "ministry",
                "country", "state", "army", "military"}
_MOVEMENT_NOUNS = {"group", "movement", "militants", "faction", "organisation", "organization",
                   "groups", "movements", "factions"}
_STATE_NOUNS = {"government", "country", "state", "administration", "cabinet"}
_ROLE_NOUNS = {"official", "officials", "spokesman", "spokeswoman", "spokesperson", "source",
               "sources", "minister", "leader", "envoy", "negotiator", "adviser", "advisor",
               "diplomat", "diplomats", "president", "chief", "aide", "statement", "premier",
               "representative", "member", "commander", "officer", "mediator", "mediators"}
_DETERMINERS = {"the", "a", "an", "this", "that", "its", "their", "his", "her"}


@dataclass
class Speaker:
    text: str
    actor: str = ""
    person: str = ""
    # "named", "known", "title", "alias", "pronoun", "description" or "none"; a sentence that
    # only names a side gives "mention-" and how it names it ("mention-adjective").
    kind: str = "named"


@dataclass
class ArticleMemory:
    """What the article has said about people and groups so far."""

    # name key -> (fullest name, actor, reference person)
    people: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    last_person: Speaker | None = None
    last_group: Speaker | None = None
    last_role: dict[str, Speaker] = field(default_factory=dict)
    last_pair: list[Speaker] = field(default_factory=list)
    last_speaker: Speaker | None = None
    # Known people in the order the article names them, latest last.
    recent_people: list[PersonRef] = field(default_factory=list)
    # How recently each actor was named anywhere (higher is later).
    recency: dict[str, int] = field(default_factory=dict)
    clock: int = 0

    def mentioned(self, actor: str) -> None:
        self.clock += 1
        self.recency[actor] = self.clock

    def met(self, person: PersonRef) -> None:
        if person in self.recent_people:
            self.recent_people.remove(person)
        self.recent_people.append(person)

    def titled(self, words: list[str]) -> PersonRef | None:
        """The latest known person whose title has these words ("the prime minister")."""
        for person in reversed(self.recent_people):
            title = person.title.lower()
            if words and all(word in title for word in words):
                return person
        return None

    def latest(self, index: ActorIndex, *, state: bool) -> str:
        """The actor of the wanted sort named last."""
        ranked = sorted(self.recency.items(), key=lambda item: -item[1])
        return next((actor for actor, _ in ranked if index.is_state(actor) == state), "")

    def remember_person(self, full: str, actor: str, person: str = "") -> None:
        parts = full.replace("’s", "").replace("'s", "").split()
        keys = {full.lower()}
        if len(parts) > 1:
            keys.add(parts[-1].lower())
            if parts[-2].lower() in ("al", "el", "abu", "bin", "ben", "van", "de"):
                keys.add(" ".join(parts[-2:]).lower())
        for key in keys:
            previous = self.people.get(key)
            if previous is None or len(full) > len(previous[0]):
                self.people[key] = (full, actor, person)

    def lookup(self, name: str) -> tuple[str, str, str] | None:
        key = name.lower()
        if key in self.people:
            return self.people[key]
        last = key.split()[-1] if key.split() else key
        if last in self.people:
            return self.people[last]
        # A single name that is part of exactly one name seen before ("Mohammed").
        matches = {value for value in self.people.values()
                   if last in value[0].lower().replace("-", " ").split()}
        return matches.pop() if len(matches) == 1 else None


def _person_entities(tokens: list[Token]) -> list[str]:
    names: list[str] = []
    current: list[Token] = []
    for token in tokens:
        if token.ent_type_ == "PERSON" and token.lower_ not in ("'s", "’s"):
            if current and token.ent_iob_ == "B":
                names.append(phrase_text(current))
                current = []
            current.append(token)
        elif current:
            names.append(phrase_text(current))
            current = []
    if current:
        names.append(phrase_text(current))
    return names


def _clean(text: str) -> str:
    words = text.split()
    while words and words[0].lower() in ("but", "and", "meanwhile", "however"):
        words = words[1:]
    return " ".join(words)


_PAIR = re.compile(r"^(?:the\s+)?(?:two|both)(?:\s+(?:groups|sides|movements|countries|mediators|"
                   r"parties|governments|ministries|factions|leaders))?$", re.IGNORECASE)


def resolve_speakers(tokens: list[Token], index: ActorIndex, memory: ArticleMemory,
                     titles: list[Token] | None = None) -> list[Speaker]:
    """Like ``resolve_speaker``, but a plural speaker naming several actors ("the envoys of
    Egypt and the United States", "the two groups", "both") gives one speaker each."""
    text = _clean(phrase_text(tokens))
    if _PAIR.match(text) and memory.last_pair:
        return [Speaker(s.text, s.actor, s.person, "description") for s in memory.last_pair]
    head = _head(tokens)
    if head is not None and head.tag_ in ("NNS", "NNPS"):
        actors = list(dict.fromkeys(m.actor for m in index.actor_mentions(text)))
        if len(actors) >= 2:
            speakers = [Speaker(text, actor, "", "alias") for actor in actors]
            memory.last_pair = speakers
            return speakers
    speaker = resolve_speaker(tokens, index, memory)
    if not speaker.actor and titles:
        # "Jihad Taha, a Hamas spokesman": the apposition ties a new name to a side.
        mentions = index.actor_mentions(phrase_text(titles))
        words = {t.lower_ for t in titles}
        if mentions and not words & lx.NON_PARTY:
            actor = mentions[0].actor
            names = _person_entities(tokens)
            speaker = Speaker(speaker.text or phrase_text(titles), actor, "", "title")
            if names:
                memory.remember_person(names[-1], actor)
                memory.last_person = speaker
    return [speaker]


def _head(tokens: list[Token]) -> Token | None:
    ids = {t.i for t in tokens}
    return next((t for t in tokens if t.head.i not in ids or t.head.i == t.i), None)


def resolve_speaker(tokens: list[Token], index: ActorIndex, memory: ArticleMemory) -> Speaker:
    """Resolve the speaker tokens of an attribution to a speaker and actor.

    Args:
        tokens: the speaker's noun phrase.
        index: actors and people of the negotiation.
        memory: the article's memory, updated with what this speaker teaches.

    Raises:
        Nothing.
    """
    text = _clean(phrase_text(tokens))
    if not tokens:
        return Speaker("", kind="none")
    lowers = [t.lower_ for t in tokens]
    head = _head(tokens) or tokens[-1]
    head_lower = head.lower_

    # Pronouns bind to the article's memory.
    if len(tokens) == 1 and lowers[0] in _PERSON_PRONOUNS:
        return _copy(memory.last_person, "pronoun")
    if len(tokens) == 1 and lowers[0] in _GROUP_PRONOUNS:
        return _copy(memory.last_group or memory.last_person, "pronoun")

    # Known people by name or alias.
    people = index.person_mentions(text)
    names = _person_entities(tokens)
    if people:
        _, _, person = people[-1]
        full = next((n for n in names if person.name.split()[-1].lower() in n.lower()), "")
        remembered = memory.lookup(full or person.name)
        display = text if len(text.split()) <= 8 else (full or person.name)
        if remembered and len(remembered[0]) > len(display) and (
                not full or full.lower() in remembered[0].lower()):
            display = remembered[0]
        speaker = Speaker(display, person.actor, person.name, "known")
        memory.met(person)
        memory.remember_person(full or display, person.actor, person.name)
        memory.last_person = speaker
        _note_group(text, index, memory, person.actor)
        _note_role(tokens, speaker, memory)
        return speaker

    mentions = index.actor_mentions(text)
    if not mentions and lowers[0] in ("his", "her", "its", "their") and len(tokens) <= 4:
        # "his office said", "its foreign ministry said": whose, from the sentence or memory.
        sentence = tokens[0].sent
        ids = {t.i for t in tokens}
        around = "".join(t.text_with_ws for t in sentence if t.i not in ids)
        people = index.person_mentions(around) if lowers[0] in ("his", "her") else []
        groups = index.actor_mentions(around) if lowers[0] in ("its", "their") else []
        if people:
            person = people[0][2]
            remembered = memory.lookup(person.name)
            return Speaker(remembered[0] if remembered else person.name, person.actor,
                           person.name, "description")
        if groups:
            return Speaker(index.actors[groups[0].actor].name, groups[0].actor, "", "description")
        source = memory.last_person if lowers[0] in ("his", "her") else memory.last_group
        return _copy(source, "description")
    if not mentions:
        # Bare descriptions ("the group", "the official") bind to the article's memory.
        content = [t for t in tokens if t.lower_ not in _DETERMINERS and not t.is_punct]
        if content and lowers[0] in ("the", "this", "that") and not names:
            word = head_lower
            if word.rstrip("s") in memory.last_role:
                return _copy(memory.last_role[word.rstrip("s")], "description")
            if word in ("statement", "report", "letter", "communique", "announcement"):
                return _copy(memory.last_speaker, "description")
            if word in _MOVEMENT_NOUNS or word in _STATE_NOUNS:
                # "the group" is the movement named last; "the government" the state.
                actor = memory.latest(index, state=word in _STATE_NOUNS)
                if actor:
                    return Speaker(index.actors[actor].name, actor, "", "description")
            if word in _GROUP_NOUNS:
                return _copy(memory.last_group, "description")
            if word in _ROLE_NOUNS or word.rstrip("s") in _ROLE_NOUNS:
                described = [t.lower_ for t in content if t.pos_ in ("NOUN", "ADJ", "PROPN")]
                titled = memory.titled(described) if word not in ("official", "officials",
                                                                  "source", "sources") else None
                if titled is not None:
                    # "the prime minister" is the latest person with that title.
                    remembered = memory.lookup(titled.name)
                    return Speaker(remembered[0] if remembered else titled.name, titled.actor,
                                   titled.name, "description")
                return _copy(memory.last_role.get(word.rstrip("s")) or memory.last_person, "description")
    if head_lower in lx.NON_PARTY or (any(w in lx.NON_PARTY for w in lowers) and not mentions):
        return Speaker(text, kind="none")

    for name in names:
        fuzzy = index.fuzzy_person(name)
        if fuzzy is not None:
            speaker = Speaker(text if len(text.split()) <= 8 else name, fuzzy.actor, fuzzy.name,
                              "known")
            memory.remember_person(name, fuzzy.actor, fuzzy.name)
            memory.last_person = speaker
            return speaker
        remembered = memory.lookup(name)
        if remembered and not mentions:
            speaker = Speaker(remembered[0], remembered[1], remembered[2], "known")
            memory.last_person = speaker
            return speaker

    if mentions:
        # The first side the phrase names, in reading order, is the speaker's: "an official
        # from Egypt", "Egypt's foreign ministry". (A phrase naming a known person, such as
        # "Haniyeh's adviser", was resolved above through that person.)
        actor = mentions[0].actor
        if names:
            kind = "title"
            memory.remember_person(names[-1], actor)
        elif head.pos_ == "PROPN" or head.ent_type_ in ("ORG", "GPE", "NORP"):
            kind = "alias"
        else:
            kind = "description"
        speaker = Speaker(text, actor, "", kind)
        _note_group(text, index, memory, actor)
        _note_role(tokens, speaker, memory)
        if names:
            memory.last_person = speaker
        elif kind == "alias" or head_lower in _GROUP_NOUNS:
            memory.last_group = speaker
        else:
            memory.last_role[head_lower.rstrip("s")] = speaker
            if head_lower.rstrip("s") in ("official", "source", "spokesman", "spokesperson",
                                          "spokeswoman", "minister", "envoy", "negotiator"):
                memory.last_person = speaker
        return speaker

    if names:
        remembered = memory.lookup(names[-1])
        if remembered:
            return Speaker(remembered[0], remembered[1], remembered[2], "known")
        speaker = Speaker(text, "", "", "named")
        memory.last_person = speaker
        return speaker
    return Speaker(text, kind="none")


def _note_role(tokens: list[Token], speaker: Speaker, memory: ArticleMemory) -> None:
    """"Netanyahu's office said ... The office said": remember the speaker by its head noun."""
    for token in tokens:
        word = token.lower_.rstrip("s") if token.lower_ not in ("press",) else token.lower_
        if token.pos_ == "NOUN" and (word in _ROLE_NOUNS or token.lower_ in _ROLE_NOUNS
                                     or token.lower_ in _GROUP_NOUNS):
            memory.last_role[token.lower_.rstrip("s")] = speaker
    memory.last_speaker = speaker


def _note_group(text: str, index: ActorIndex, memory: ArticleMemory, actor: str) -> None:
    """"Hamas negotiator X said ...; the group said ...": the group is the one named."""
    if any(m.actor == actor for m in index.actor_mentions(text)):
        memory.last_group = Speaker(actor, actor, "", "alias")


def _copy(speaker: Speaker | None, kind: str) -> Speaker:
    if speaker is None:
        return Speaker("", kind="none")
    return Speaker(speaker.text, speaker.actor, speaker.person, kind)


def observe(tokens: list[Token], index: ActorIndex, memory: ArticleMemory,
            mentions: list[str] | None = None) -> None:
    """Remember people and groups a sentence names even when it attributes nothing.

    ``mentions`` are the actors the sentence names, in order, when the caller found them
    already (once per paragraph is cheaper than once per sentence).
    """
    if mentions is None and tokens:
        mentions = [mention.actor for mention in index.actor_mentions(phrase_text(tokens))]
    for actor in mentions or ():
        memory.mentioned(actor)
    if tokens:
        for _, _, person in index.person_mentions(phrase_text(tokens)):
            memory.met(person)
    for token in tokens:
        if token.dep_ in ("nsubj", "nsubjpass") and any(c.dep_ == "conj" for c in token.children):
            group = [token, *token.conjuncts]
            actors = [m.actor for t in group
                      for m in index.actor_mentions(phrase_text(speaker_subtree(t)))[:1]]
            if len(set(actors)) >= 2:
                memory.last_pair = [Speaker(index.actors[a].name, a, "", "alias")
                                    for a in dict.fromkeys(actors)]
        if token.dep_ == "nsubj" and token.ent_type_ == "PERSON" and token.head.pos_ in (
                "VERB", "AUX") and token.head.dep_ == "ROOT":
            # The person a sentence is about is who "he" or "she" means next.
            name = phrase_text([t for t in token.subtree if t.ent_type_ == "PERSON"] or [token])
            phrase = phrase_text(sorted((t for t in token.subtree if t.dep_ in ("compound", "nsubj")
                                   or t.i == token.i), key=lambda t: t.i))
            known = index.person_mentions(phrase) or index.person_mentions(name)
            if known:
                person = known[-1][2]
                if memory.last_person is not None and memory.last_person.person == person.name:
                    continue
                remembered = memory.lookup(person.name)
                memory.last_person = Speaker(remembered[0] if remembered else name,
                                             person.actor, person.name, "known")
            else:
                remembered = memory.lookup(name)
                memory.last_person = (Speaker(*remembered, "known") if remembered
                                      else Speaker(name, "", "", "named"))
        if token.dep_ in ("nsubj", "nsubjpass") and token.ent_type_ in ("ORG", "GPE", "NORP"):
            named = index.actor_mentions(token.text)
            if named and token.pos_ == "PROPN":
                memory.last_group = Speaker(phrase_text(speaker_subtree(token)), named[0].actor,
                                            "", "alias")


def speaker_subtree(token: Token) -> list[Token]:
    return sorted((t for t in token.subtree if t.dep_ not in ("relcl", "acl", "punct")),
                  key=lambda t: t.i)
