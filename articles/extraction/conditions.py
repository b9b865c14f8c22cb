"""Conditional positions: "won't … until …", "only if", "unless", "not … while", "provided".

Contingency counts only when it is the point of the statement and hangs on the speaker's own
act (or on a deal as such): "the truce would last as long as talks went on" describes terms.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx
from articles.extraction.grammar import (
    FUTURE_AUX,
    NEGATIONS,
    OwnSide,
    always,
    clause_verb,
    negated,
    subject_of,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

_ALWAYS_CONDITION = {"unless", "provided", "providing", "contingent", "conditional",
                     "conditioned", "condition"}
_MARKERS_AFTER_ONLY = {"if", "when", "after", "once", "until", "as", "in", "with", "by"}
_ONLY_ACTS = {"accept", "agree", "approve", "sign", "negotiate", "discuss", "resume", "return",
              "release", "consider", "engage", "talk", "stop", "end", "withdraw", "stay", "remain"}
_TEMPORAL = {"until", "till", "before", "once", "after", "while", "when", "without"}


def _contingent_act(governor: Token, own: OwnSide) -> bool:
    """A condition is on the speaker's own act ("we will accept ... as long as"), or on a deal
    as such ("there will be no deal unless"); "the truce would last as long as talks went
    on" describes terms."""
    governor = clause_verb(governor, 3)
    for level in range(2):
        subject = subject_of(governor)
        if subject is None or subject.dep_ == "expl" or subject.lower_ == "there":
            return True
        if own(subject) or _governor_negated(governor):
            return True
        if level == 0 and governor.dep_ in ("advcl", "ccomp", "xcomp") and (
                governor.head.i != governor.i):
            governor = governor.head  # the parser hung the condition one clause too low
        else:
            break
    return False


_HALTS = {"suspend", "halt", "stop", "freeze", "pause", "postpone", "withhold", "delay", "block"}


def _governor_negated(token: Token) -> bool:
    if token.lemma_ in _HALTS or negated(token):
        return True
    return any(c.lower_ in NEGATIONS for c in token.children) or any(
        c.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and any(g.lower_ == "no" for g in c.children)
        for c in token.children) or any(c.lower_ == "only" for c in token.subtree
                                         if c.head.i == token.i or c.head.head.i == token.i)


def condition_in(tokens: list[Token], own: OwnSide = always,
                 governors: set[int] | None = None) -> str | None:
    """The condition text when contingency is the point of the region ("won't X until Y").

    ``governors``, when given, are the predicates a temporal or "if" condition may hang on:
    the main predicates of what was said, not a clause inside one of its nouns.
    """
    inside = {t.i for t in tokens}
    for token in tokens:
        lower = token.lower_
        clause: Token | None = None
        if lower in _ALWAYS_CONDITION and token.dep_ in ("mark", "prep", "advmod", "amod",
                                                          "acomp", "pobj", "advcl", "dep",
                                                          "acl", "conj"):
            clause = token
            governor = token.head.head if token.dep_ == "mark" else token.head
            if lower == "condition" and (token.head.lower_ != "on" or any(
                    c.lower_ in ("anonymity", "anonymous") for c in token.subtree)):
                continue
            if not _contingent_act(governor, own):
                continue
        elif lower in ("as", "so") and token.i + 2 < len(token.doc) and token.nbor(1).lower_ == (
                "long") and token.nbor(2).lower_ == "as":
            clause = token.head
            governor = clause.head
            if not _contingent_act(governor, own):
                continue
        elif lower == "if" and token.dep_ == "mark":
            before = token.nbor(-1).lower_ if token.i > 0 else ""
            if before in ("even", "as"):
                continue
            clause = token.head
            governor = clause.head
            modal = {c.lower_ for c in governor.children if c.dep_ == "aux"}
            if governor.dep_ == "xcomp" and lx.lemma(governor.head) in (
                    "threaten", "vow", "pledge", "promise", "plan", "intend", "decide"):
                modal.add("will")  # "threatened to quit if ...": a future act
            # "We will go ahead if Israel does": our act hangs on the other side's. "If we
            # need to, we will" is a threat, not a condition.
            if before != "only" and not (modal & (FUTURE_AUX | {"can", "could", "might"})
                                         and own(subject_of(governor))
                                         and not own(subject_of(clause))):
                continue
            if governors is not None and governor.i not in governors and before != "only":
                continue
        elif lower == "only" and token.head.lemma_ in _ONLY_ACTS and own(subject_of(
                token.head)) and token.nbor(1).lower_ not in _MARKERS_AFTER_ONLY:
            # "would only sign an accord that stops the fighting": acceptance on a condition.
            clause = next((c for c in token.head.children if c.dep_ in ("dobj", "prep", "advcl")),
                          None)
            governor = token.head
            if clause is None:
                continue
        elif lower in _TEMPORAL and token.dep_ in ("mark", "prep"):
            clause = token.head if token.dep_ == "mark" else token
            governor = clause.head if token.dep_ == "mark" else token.head
            only = token.i > 0 and token.nbor(-1).lower_ == "only"
            future = lower == "once" and own(subject_of(governor)) and any(
                c.dep_ == "aux" and c.lower_ in FUTURE_AUX for c in governor.children)
            ready = future or (lower in ("after", "once", "when") and (
                governor.lower_ in lx.INTENT_WORDS or any(
                    c.dep_ == "acomp" and c.lower_ in lx.INTENT_WORDS for c in governor.children)))
            # Halting something "while" others act describes terms; "not ... while" refuses.
            halted = _governor_negated(governor) if lower != "while" else (
                negated(governor) or any(c.lower_ in NEGATIONS for c in governor.children))
            if not (only or ready or halted):
                continue
            if governors is not None and clause_verb(governor, 10).i not in governors:
                continue
        else:
            continue
        words = sorted((t for t in clause.subtree if t.i in inside), key=lambda t: t.i)
        if token.dep_ == "mark" or token.i < (words[0].i if words else token.i):
            words = [t for t in words if t.i >= token.i]
        if len(words) < 4:
            # A marker the parser left dangling ("provided Israel committed to ..."): the
            # condition runs on to the end of the clause.
            words = [t for t in tokens if t.i >= token.i]
            stop = next((n for n, t in enumerate(words) if n and t.text in (";", ".")), len(words))
            words = words[:stop]
        text = "".join(t.text_with_ws for t in words).strip(" ,.;:\"'“”‘’")
        if text:
            return text
    return None
