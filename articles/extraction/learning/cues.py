"""Cue features of a statement for the learned stance: the attribution predicate and the main
predicates of what was said (lemma, negation, modals, particles, whether their subject is the
speaker's own side), condition markers, stance word lists, and a bag of lemmas with names and
numbers masked, so that the topic does not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx
from articles.extraction.grammar import NEGATIONS, OwnSide, negated, particle, subject_of
from articles.extraction.stance import main_predicates

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

_LEXICON = (("REJECT", lx.REJECT), ("ACCEPT", lx.ACCEPT), ("PROPOSE", lx.PROPOSE),
            ("DEMAND", lx.DEMAND), ("INTENT", lx.INTENT), ("NEGOTIATION", lx.NEGOTIATION_ACTS))
_WORDS = (("REJECT_W", lx.REJECT_WORDS), ("ACCEPT_W", lx.ACCEPT_WORDS),
          ("DEMAND_W", lx.DEMAND_WORDS), ("INTENT_W", lx.INTENT_WORDS),
          ("PROPOSE_W", lx.PROPOSE_WORDS))
_MODALS = {"will", "would", "shall", "'ll", "wo", "must", "should", "ought", "can", "could",
           "may", "might", "ca", "need", "going", "to", "have", "has", "had"}
_CONDITION_WORDS = (*lx.CONDITION_MARKERS, "if", "once", "when", "before", "while", "or")
# Kinds of features: the rules' answer, the parse of the cue and of what was said, condition
# markers and stance words, and a bag of words over the statement's sentences.
GROUPS = ("rule", "parse", "words", "bag")
_MASKED_ENTITIES = {"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "DATE", "TIME", "CARDINAL",
                    "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}


def _lexicon_classes(lemma: str) -> list[str]:
    return [name for name, members in _LEXICON if lemma in members]


def _predicate_features(prefix: str, token: Token, own: OwnSide | None) -> list[str]:
    """Features of one predicate; ``own`` None for the cue, whose subject is the speaker."""
    lemma = lx.lemma(token)
    neg = negated(token)
    out = [f"{prefix}={lemma}"]
    side = "own" if own is None or own(subject_of(token)) else "other"
    out.append(f"{prefix}_subj={side}")
    if neg:
        out += [f"{prefix}_neg", f"{prefix}_neg={lemma}"]
    prt = particle(token)
    if prt:
        out.append(f"{prefix}_prt={lemma}_{prt}")
    auxes = [c.lower_ for c in token.children if c.dep_ in ("aux", "auxpass") and c.lower_ in _MODALS]
    for aux in auxes:
        out += [f"{prefix}_aux={aux}", f"{prefix}_aux_{side}={aux}"]
        if neg:
            out.append(f"{prefix}_aux_neg={aux}")
    for name in _lexicon_classes(lemma):
        out += [f"{prefix}_lex={name}", f"{prefix}_lex_{side}={name}"]
        if neg:
            out.append(f"{prefix}_lex_neg={name}")
        if auxes:
            out.append(f"{prefix}_lex_modal={name}")
    for child in token.children:
        if child.dep_ in ("dobj", "xcomp", "ccomp", "acomp", "attr", "oprd", "dative"):
            out.append(f"{prefix}_{child.dep_}={child.lemma_.lower()}")
        elif child.dep_ == "prep":
            out.append(f"{prefix}_prep={child.lower_}")
            out += [f"{prefix}_prep_{child.lower_}={g.lemma_.lower()}"
                    for g in child.children if g.dep_ == "pobj"]
    return out


def _bag(tokens: Sequence[Token]) -> list[str]:
    """Lemmas and lemma pairs; names, numbers and dates masked; words after a negation marked."""
    sequence: list[str] = []
    scope = 0
    for token in tokens:
        if token.is_space:
            continue
        if token.is_punct:
            scope = 0
            if token.lower_ in (":", ";", "?"):
                sequence.append(token.lower_)
            continue
        lower = token.lower_
        if lower in NEGATIONS or lower in ("n't", "never", "no"):
            sequence.append("NEG")
            scope = 3
            continue
        if token.pos_ == "PROPN" or token.ent_type_ in _MASKED_ENTITIES or token.like_num:
            word = "ENT"
        else:
            word = token.lemma_.lower()
        if scope:
            word = "NOT_" + word
            scope -= 1
        sequence.append(word)
    out = [f"w={w}" for w in sequence]
    out += [f"b={a}_{b}" for a, b in pairwise(sequence)]
    return out


def features(cue: Token, region: Sequence[Token], sentences: Sequence[Span], *, own: OwnSide,
             speaker_is_subject: bool, rule: str, acts: int = 1,
             groups: Iterable[str] = GROUPS) -> list[str]:
    """Feature names of one statement (the same at training and at extraction time).

    Args:
        cue: the attribution predicate.
        region: what was said (complement clause or quotation).
        sentences: every sentence of the statement.
        own: whether a subject token is the speaker's own side.
        speaker_is_subject: False for "according to X".
        rule: the stance the rules gave.
        acts: how many acts the rules found.
        groups: which kinds of features (``GROUPS``); the model file names those it was
            trained with.

    Raises:
        Nothing.
    """
    chosen = set(groups)
    out = [f"rule={rule}", f"acts={min(acts, 3)}"] if "rule" in chosen else []
    if not speaker_is_subject:
        out.append("according")
    predicates = [t for t in main_predicates(list(region)) if t.i != cue.i][:4]
    if "parse" in chosen:
        out += _predicate_features("cue", cue, None if speaker_is_subject else own)
        if not predicates:
            out.append("no_predicate")
        for token in predicates:
            out += _predicate_features("pred", token, own)
    text = " ".join(s.text.lower() for s in sentences)
    if "words" in chosen:
        padded = f" {text} "
        for marker in _CONDITION_WORDS:
            if f" {marker} " in padded or f" {marker}," in padded:
                out.append(f"cond={marker}")
        if '"' in text or "“" in text:
            out.append("quoted")
        words = {t.lower_ for s in sentences for t in s}
        for name, members in _WORDS:
            if words & members:
                out.append(f"lexw={name}")
    if "bag" in chosen:
        out += _bag([t for s in sentences for t in s])
    return out
