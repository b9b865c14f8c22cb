"""Small facts about parsed tokens that stance and conditions both read."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token

NEGATIONS = {"not", "n't", "never", "no", "cannot", "nothing", "neither", "nor"}
FUTURE_AUX = {"will", "would", "shall", "'ll", "wo"}

OwnSide = Callable[["Token | None"], bool]


def always(_: Token | None) -> bool:
    return True


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
