"""Small facts about parsed tokens that attribution, stance and conditions all read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Token

NEGATIONS = {"not", "n't", "never", "no", "cannot", "nothing", "neither", "nor"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}

OwnSide = Callable[["Token | None"], bool]


def always(_: Token | None) -> bool:
    return True


def phrase_text(tokens: list[Token]) -> str:
    """The text from the first token to the last, without edge punctuation."""
    if not tokens:
        return ""
    doc = tokens[0].doc
    return doc[tokens[0].i:tokens[-1].i + 1].text.strip(" ,;:")


def clause_verb(token: Token, steps: int) -> Token:
    """The verb the token hangs on, climbing at most ``steps`` heads (the root if no verb
    comes first; where the steps run out, the token reached)."""
    for _ in range(steps):
        if token.pos_ in ("VERB", "AUX") or token.head.i == token.i:
            return token
        token = token.head
    return token


def negated(token: Token) -> bool:
    if any(child.dep_ == "neg" or child.lower_ in ("never",) for child in token.children):
        return True
    if any(child.dep_ in ("nsubj", "nsubjpass", "dobj") and child.lower_ in ("nothing", "no one")
           for child in token.children):
        return True
    head = token.head
    if token.dep_ == "xcomp" and head.i != token.i:
        if head.lemma_ in ("refuse", "decline", "fail"):
            return True
        return any(child.dep_ == "neg" for child in head.children)
    return False


def particle(token: Token) -> str:
    for child in token.children:
        if child.dep_ in ("prt", "advmod", "prep") and child.lower_ in (
                "out", "down", "aside", "off", "away", "forward", "up", "on", "against"):
            return child.lower_
    return ""


def subject_of(token: Token) -> Token | None:
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "expl"):
            return child
    if token.dep_ in ("xcomp", "conj", "advcl") and token.head.i != token.i:
        return subject_of(token.head)
    return None


def names_requirement(token: Token) -> bool:
    """What the predicate governs names a requirement ("made the withdrawal a condition",
    "set out its demands")."""
    return any(t.lower_ in lx.DEMAND_WORDS for c in token.children
               if c.dep_ in ("oprd", "ccomp", "xcomp", "dobj") for t in c.subtree)


def ultimatum(token: Token) -> bool:
    """A deadline set on someone: "gave Hamas until Saturday", "set a deadline"."""
    return any(c.dep_ == "prep" and c.lower_ == "until" for c in token.children) or any(
        c.dep_ == "dobj" and c.lemma_.lower() in ("deadline", "ultimatum") for c in token.children)
