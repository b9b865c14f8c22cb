"""Stance of a statement from the speaker's own predicate and its complement.

A cue word somewhere in the sentence is not enough: a refusal inside a clause about someone
else is not the speaker's refusal. We read the cue verb first; a neutral cue ("said") hands
over to the main predicates of what was said (the complement clause or the quote).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx

if TYPE_CHECKING:
    from spacy.tokens import Token

PRIORITY = {"reject": 0, "accept": 1, "demand": 2, "propose": 3, "intent": 4, "assess": 5}
_NEGATIONS = {"not", "n't", "never", "no", "nor", "cannot"}


def negated(token: Token) -> bool:
    if any(child.dep_ == "neg" or child.lower_ in ("never",) for child in token.children):
        return True
    # "will not be able to accept", "refuses to accept": negation sits on the governing verb.
    head = token.head
    if token.dep_ == "xcomp" and head is not token:
        if head.lemma_ in ("refuse", "decline", "fail"):
            return True
        return any(child.dep_ == "neg" for child in head.children) and head.lemma_ in (
            "be", "want", "intend", "plan", "able", "willing", "ready", "prepare")
    return False


def particle(token: Token) -> str:
    for child in token.children:
        if child.dep_ in ("prt", "advmod") and child.lower_ in (
                "out", "down", "aside", "off", "away", "forward", "up"):
            return child.lower_
    return ""


def verb_stance(token: Token) -> str | None:
    """The stance a single predicate carries by itself, with its negation."""
    lemma = token.lemma_.lower()
    prt = particle(token)
    neg = negated(token)
    if (lemma, prt) in lx.REJECT_PHRASAL or lemma in lx.REJECT:
        return "assess" if neg else "reject"
    if lemma in lx.ACCEPT:
        return "reject" if neg else "accept"
    if (lemma, prt) in lx.PROPOSE_PHRASAL or lemma in lx.PROPOSE:
        return None if neg else "propose"
    if lemma == "call" and not any(c.lower_ in ("for", "on") for c in token.children):
        return None
    if lemma in lx.DEMAND:
        return None if neg else "demand"
    if lemma in ("refuse", "decline"):
        return "reject"
    if lemma in lx.INTENT:
        return None if neg else "intent"
    return None


def _modal_stance(token: Token) -> str | None:
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    neg = negated(token)
    if lowers & {"must", "should", "ought"}:
        return "demand"
    if token.lemma_ in ("have", "need") and any(c.dep_ == "xcomp" for c in token.children):
        return "demand"
    if lowers & lx.INTENT_MODALS or any(a.lemma_ in ("will", "shall") for a in auxes):
        if neg and token.lemma_ in ("accept", "agree", "allow", "approve", "sign"):
            return "reject"
        return "intent" if not neg else "reject" if token.lemma_ in (
            "accept", "agree", "negotiate", "discuss", "return", "allow", "release", "stop",
            "end", "withdraw", "give", "compromise", "engage") else "intent"
    if lowers & {"can", "could"} and neg:
        return "reject"
    return None


def _word_stance(tokens: Iterable[Token]) -> str | None:
    best: str | None = None
    for token in tokens:
        lower = token.lower_
        found = None
        if lower in lx.REJECT_WORDS:
            found = "reject"
        elif lower in lx.ACCEPT_WORDS and token.dep_ in ("dobj", "pobj", "attr"):
            found = "accept"
        elif lower in lx.DEMAND_WORDS and token.dep_ in ("dobj", "attr", "acomp", "amod"):
            found = "demand"
        elif lower in lx.INTENT_WORDS and token.dep_ in ("dobj", "acomp", "attr", "amod"):
            found = "intent"
        if found and (best is None or PRIORITY[found] < PRIORITY[best]):
            best = found
    return best


def main_predicates(region: list[Token]) -> list[Token]:
    """Predicates at the top of a region: its roots and their conjoined or open complements."""
    inside = {token.i for token in region}
    roots = [t for t in region if t.head.i not in inside or t.head is t]
    out: list[Token] = []
    stack = [t for t in roots if t.pos_ in ("VERB", "AUX", "ADJ", "NOUN")]
    while stack:
        token = stack.pop(0)
        if token in out:
            continue
        out.append(token)
        stack.extend(c for c in token.children if c.i in inside and c.dep_ in (
            "conj", "xcomp", "ccomp") and c.pos_ in ("VERB", "AUX", "ADJ"))
    return out


def condition_in(tokens: list[Token]) -> tuple[str, int] | None:
    """The condition text in a region when contingency is its point, with the marker index."""
    if not tokens:
        return None
    doc = tokens[0].doc
    start, end = tokens[0].i, tokens[-1].i + 1
    text = doc[start:end].text.lower()
    has_negation = any(t.lower_ in _NEGATIONS or t.dep_ == "neg" for t in tokens)
    for marker in lx.CONDITION_MARKERS:
        match = re.search(rf"\b{re.escape(marker)}\b", text)
        if not match:
            continue
        if marker in ("until", "as soon as", "not before") and not has_negation and not re.search(
                r"\bonly\b", text):
            continue
        return _clause_after(doc, start, match.start()), match.start()
    if has_negation:
        match = re.search(r"\bwhile\b", text)
        if match:
            return _clause_after(doc, start, match.start()), match.start()
    return None


def _clause_after(doc, start: int, char_offset: int) -> str:  # type: ignore[no-untyped-def]
    base = doc[start].idx + char_offset
    first = next((t for t in doc[start:] if t.idx >= base), None)
    if first is None:
        return ""
    head = first.head if first.dep_ in ("mark", "prep", "advmod", "cc") else first
    tokens = sorted(head.subtree, key=lambda t: t.i)
    pieces = [t for t in tokens if t.i >= first.i]
    text = doc[pieces[0].i:pieces[-1].i + 1].text if pieces else ""
    return text.strip(" ,.;:\"'“”‘’")


def classify(
    cue: Token, region: list[Token], *, speaker_is_subject: bool = True
) -> tuple[str, str]:
    """Return (stance, conditions) for a statement.

    Args:
        cue: the attribution predicate ("said", "rejected", "urged").
        region: tokens of what was said (complement clause or quotation), possibly empty.
        speaker_is_subject: False when the cue is not the speaker's own act ("according to").

    Raises:
        Nothing.
    """
    condition = condition_in(region) if region else None
    if condition:
        return "condition", condition[0]
    own = verb_stance(cue) if speaker_is_subject else None
    if own in ("reject", "accept"):
        return own, ""
    found: list[str] = [own] if own and own != "assess" else []
    if own is None or own == "assess":
        word = _word_stance(c for c in cue.children if c.dep_ in ("dobj", "attr", "acomp"))
        if word:
            found.append(word)
        for token in main_predicates(region):
            stance = verb_stance(token) or _modal_stance(token)
            if token.pos_ in ("ADJ", "NOUN") or token.lemma_ == "be":
                stance = stance or _word_stance([token, *token.children])
            if stance:
                found.append(stance)
        if own == "assess" and not found:
            return "assess", ""
    if not found:
        return "assess", ""
    return min(found, key=PRIORITY.__getitem__), ""
