"""Relayed positions: one speaker reporting what a party accepted, rejected or wants.

Per the annotation rules the position belongs to the party named in the reported clause; the
speaker who relays it becomes a link in ``via``. A party's own demand on another party
("Hamas said Israel must withdraw") is not a relay, nor is a mediator announcing what both
sides agreed ("Israel and Hamas have agreed", said Qatar).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articles.extraction.actors import ActorIndex
from articles.extraction.attribution import speaker_tokens
from articles.extraction.lexicon import words
from articles.extraction.speakers import ArticleMemory, Speaker, resolve_speaker

if TYPE_CHECKING:
    from spacy.tokens import Token

POSITION_VERBS = words("""
accept agree approve endorse reject refuse decline want demand request ask insist propose
offer commit reaffirm confirm tell inform assure pledge promise vow rule turn
oppose seek
""")
_MUTUAL = words("agree reach conclude sign finalise finalize strike")
READY_WORDS = words("""
ready willing prepared open committed determined keen
""")
_PRONOUNS = words("""
it he she they we i you this that
""")


def reported_predicate(cue: Token) -> Token | None:
    """The main predicate of the clause the cue reports ("said [Hamas had accepted]")."""
    for child in cue.children:
        if child.dep_ == "ccomp":
            return child
    # "X, two sources said": the parser often hangs the cue off the reported clause.
    if cue.dep_ in ("parataxis", "advcl", "ccomp") and cue.head.pos_ in ("VERB", "AUX"):
        return cue.head
    return None


def _subject(predicate: Token) -> Token | None:
    for child in predicate.children:
        if child.dep_ in ("nsubj", "nsubjpass"):
            return child
    if predicate.dep_ in ("xcomp", "conj"):
        return _subject(predicate.head)
    return None


def _is_position(predicate: Token, speaker_has_side: bool) -> bool:
    lemma = predicate.lemma_.lower()
    if lemma in POSITION_VERBS:
        return True
    if lemma == "be" and any(c.dep_ == "acomp" and c.lower_ in READY_WORDS
                             for c in predicate.children):
        return True
    if any(c.dep_ == "xcomp" and c.lemma_ in POSITION_VERBS for c in predicate.children):
        return True
    # A source tied to no side reporting what a party will do: the plan is the party's.
    if not speaker_has_side:
        aux = {c.lower_ for c in predicate.children if c.dep_ == "aux"}
        return bool(aux & {"would", "will", "wo", "'ll"})
    return False


def relay(cue: Token, quote_type: str, speaker: Speaker, index: ActorIndex,
          memory: ArticleMemory) -> tuple[list[Speaker], Token] | None:
    """The position holders and predicate when the statement relays other parties' positions.

    Args:
        cue: the speaker's attribution predicate.
        quote_type: "direct" statements quote the speaker's own words and are never relays.
        speaker: the resolved speaker.
        index: actors and people.
        memory: the article's memory.

    Raises:
        Nothing.
    """
    if quote_type == "direct":
        return None
    predicate = reported_predicate(cue)
    if predicate is None:
        return None
    subject = _subject(predicate)
    if subject is None or subject.lower_ in _PRONOUNS:
        return None
    if subject.conjuncts and predicate.lemma_ in _MUTUAL:
        return None  # a mediator announcing what both sides agreed speaks for itself
    if any(c.dep_ == "aux" and c.lower_ in ("must", "should") for c in predicate.children):
        return None
    speaker_has_side = bool(speaker.actor)
    if not _is_position(predicate, speaker_has_side):
        return None
    holders: list[Speaker] = []
    heads = [subject]
    for conjunct in subject.conjuncts:
        # "Hamas and its partner, Islamic Jihad": the name may sit in an apposition.
        heads.append(conjunct)
        heads.extend(c for c in conjunct.children if c.dep_ == "appos")
    for head in heads:
        # The party must be the subject itself ("Hamas", "Israel's government"), not a place
        # or time inside it ("the coming week in Doha").
        core = [head, *(c for c in head.children if c.dep_ in ("compound", "amod", "poss", "nmod"))]
        core_text = " ".join(t.text for t in sorted(core, key=lambda t: t.i))
        if not index.actor_mentions(core_text) and not index.person_mentions(core_text) and (
                head.ent_type_ != "PERSON"):
            continue
        # Naming the holder must not change who "he" is: that is still the speaker.
        person, group = memory.last_person, memory.last_group
        holder = resolve_speaker(speaker_tokens(head), index, memory)
        memory.last_person, memory.last_group = person, group
        if holder.actor and holder.actor != speaker.actor and holder.actor not in {
                h.actor for h in holders}:
            holders.append(holder)
    if not holders:
        return None
    if len(holders) >= 2:
        memory.last_pair = holders
    return holders, predicate
