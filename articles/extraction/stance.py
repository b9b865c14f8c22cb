"""Stance of a statement from the speaker's own predicate and its complement.

A cue word somewhere in the sentence is not enough: a refusal inside a clause about someone
else is not the speaker's refusal, and "the accord would stop the shelling" is no intent of
the speaker's. We read the cue verb first; a neutral cue ("said") hands over to the main
predicates of what was said (the reported clause or the quotation), and a future or
readiness reads as intent only when its subject is the speaker's own side.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from articles.extraction import lexicon as lx
from articles.extraction.conditions import condition_in
from articles.extraction.grammar import (
    FUTURE_AUX,
    OwnSide,
    always,
    names_requirement,
    negated,
    particle,
    subject_of,
    ultimatum,
)

if TYPE_CHECKING:
    from spacy.tokens import Token

PRIORITY = {"condition": -1, "reject": 0, "accept": 1, "demand": 2, "propose": 3, "intent": 4,
            "assess": 5}
_COPULAS = {"be", "remain", "stay", "seem", "appear", "become", "look", "sound"}
# Objects that make a commitment an acceptance: committing to a proposal accepts it, while
# committing to an agreement already made is an intent to keep it.
_PROPOSAL_NOUNS = {"proposal", "plan", "framework", "offer", "text", "outline", "initiative",
                   "draft", "roadmap", "bid"}


def _has_object(token: Token) -> bool:
    return any(c.dep_ in ("dobj", "dative", "ccomp", "xcomp") or (
        c.dep_ == "prep" and c.lower_ in ("for", "on")) for c in token.children)


def _commitment(token: Token) -> str:
    """accept or intent for a commitment, by what it is a commitment to."""
    for child in token.subtree:
        if child.dep_ == "pobj" and child.head.lower_ == "to":
            return "accept" if child.lemma_.lower() in _PROPOSAL_NOUNS else "intent"
    return "intent"


def _object_is_proposal(token: Token) -> bool:
    return any(c.dep_ == "dobj" and (c.lemma_.lower() in _PROPOSAL_NOUNS or c.lemma_.lower() in (
        "response", "reply", "deal", "agreement", "ceasefire", "truce", "counterproposal"))
        for c in token.children)


# Military acts: opposing one asks the side that would carry it out to refrain (a demand);
# opposing a proposal or a deal rejects it.
_ACTIONS = {"operation", "offensive", "invasion", "assault", "attack", "strike", "incursion",
            "escalation", "occupation", "annexation", "expansion", "displacement", "bombardment",
            "campaign", "raid", "siege", "blockade"}


def _opposes_action(token: Token) -> bool:
    """The thing opposed ("oppose X", "opposition to X") is a military act."""
    objects = [c for c in token.children if c.dep_ == "dobj"] + [
        g for c in token.children if c.dep_ == "prep" and c.lower_ == "to"
        for g in c.children if g.dep_ == "pobj"]
    return any(o.lemma_.lower() in _ACTIONS for o in objects)


_NEGATING_CUES = {"deny", "refute", "contradict"}
_CLAIMS = {"report", "claim", "allegation", "accusation", "speculation", "rumour", "rumor",
           "suggestion", "account", "story"}
REJECTABLE_CLAIMS_VERBS = {"dismiss", "reject", "deny", "rebuff", "slam", "denounce"}


def _document_subject(token: Token) -> bool:
    subject = subject_of(token)
    return subject is not None and subject.lemma_.lower() in lx.DOCUMENTS


def _judges_short(token: Token) -> bool:
    """"fell short of its demands", "did not meet our conditions": the proposal judged."""
    lemma = token.lemma_.lower()
    if lemma == "fall" and any(c.lower_ == "short" for c in token.children):
        return True
    return lemma in ("meet", "satisfy", "fulfil", "fulfill", "address") and negated(token) and any(
        c.dep_ == "dobj" and c.lemma_.lower() in ("demand", "condition", "requirement",
                                                   "expectation", "need", "minimum")
        for c in token.children)


def verb_stance(token: Token, own: OwnSide = always) -> str | None:
    """The stance a single predicate carries by itself, with its negation."""
    lemma = lx.lemma(token)
    prt = particle(token)
    neg = negated(token)
    if lemma == "deny":
        return "assess"
    if lemma == "oppose" and not neg and _opposes_action(token):
        return "demand"  # opposing another side's offensive asks it not to go ahead
    if (lemma, prt) in lx.REJECT_PHRASAL or lemma in lx.REJECT:
        if lemma in REJECTABLE_CLAIMS_VERBS and any(
                c.dep_ == "dobj" and c.lemma_.lower() in _CLAIMS for c in token.children):
            return "assess"
        return "assess" if neg else "reject"
    if (lemma == "commit" and any(c.dep_ == "prep" and c.lower_ == "to" for c in token.children)) or (
            lemma in ("reaffirm", "reiterate", "renew", "commit") and any(
                c.lower_ in ("commitment", "committed") for c in token.subtree)):
        return None if neg else _commitment(token)
    if lemma in ("call", "describe", "brand", "label", "term", "dub", "characterise",
                 "characterize", "denounce", "condemn"):
        judged = _judgement(token)
        if judged:
            return judged
    if lemma in lx.NEGOTIATION_ACTS and not neg:
        passive = any(c.dep_ in ("auxpass", "nsubjpass") for c in token.children)
        if passive or not own(subject_of(token)):
            return None
        if lemma in ("hand", "deliver", "submit", "send") and _object_is_proposal(token):
            return "propose"
        return "intent"
    if lemma == "say" and any((c.lower_ in ("yes", "no") and c.i == token.i + 1) or (
            c.dep_ == "prep" and c.lower_ == "to" and token.i + 1 < len(token.doc)
            and token.nbor(1).lower_ in ("yes", "no")) for c in token.children):
        return "accept" if token.nbor(1).lower_ == "yes" else "reject"
    if lemma in ("include", "contain", "envisage", "envision", "provide", "call", "outline") and (
            _document_subject(token)):
        # "Hamas's response included a demand for ...", "the Egyptian plan calls for ...".
        return _word_stance(t for c in token.children if c.dep_ == "dobj"
                            for t in (c, *c.children)) or "propose"
    if lemma in ("make", "set", "give") and (names_requirement(token) or ultimatum(token)):
        return "demand"
    if lemma in REJECTABLE_CLAIMS_VERBS and any(
            c.dep_ == "dobj" and c.lemma_.lower() in _CLAIMS for c in token.children):
        return "assess"  # dismissing reports or claims is a denial, not a rejection
    if (lemma == "vote" and prt == "against") or (lemma == "vote" and any(
            c.lower_ == "against" for c in token.children)):
        return "reject"
    if lemma in ("respond", "react", "reply") and any(
            c.lower_ in ("positively", "favourably", "favorably") for c in token.children):
        return "intent"  # a positive answer short of acceptance
    if lemma in ("support", "back", "favour", "favor") and _object_is_proposal(token):
        return "reject" if neg else "accept"
    if lemma in ("study", "review", "examine", "consider") and _object_is_proposal(token) and (
            own(subject_of(token))):
        return "intent"
    if lemma == "give" and any(c.dep_ == "dobj" and c.lower_ == "light" and any(
            g.lower_ == "green" for g in c.children) for c in token.children):
        return "accept"  # "gave the green light"
    if lemma in ("hail", "praise") and not _object_is_proposal(token):
        return None
    if lemma in lx.ACCEPT:
        if lemma == "welcome" and not any(c.dep_ == "dobj" for c in token.children):
            return None
        return "reject" if neg else "accept"
    if lemma == "confirm" and any(c.dep_ == "dobj" and c.pos_ == "NOUN" for c in token.children):
        return "accept"
    if (lemma, prt) in lx.PROPOSE_PHRASAL or lemma in lx.PROPOSE:
        return None if neg else "propose"
    if lemma in ("refuse", "decline"):
        return "reject"
    if lemma == "call" and not any(c.lower_ in ("for", "on") for c in token.children):
        return None
    if lemma in ("push", "press") and not _has_object(token):
        return None if neg else ("intent" if own(subject_of(token)) else None)
    if lemma == "need" and not any(c.dep_ == "xcomp" for c in token.children):
        return None
    if lemma == "seek" and not any(c.dep_ == "dobj" for c in token.children):
        return "intent" if own(subject_of(token)) else None
    if lemma in ("hope", "wish") and _has_object(token):
        return "demand"
    if lemma == "like" and any(c.lower_ in ("would", "'d") for c in token.children):
        return "demand"
    if lemma in lx.DEMAND:
        return None if neg else "demand"
    if lemma in _DIRECTIVES and any(c.dep_ in ("dobj", "dative") and c.lemma_.lower() not in _CIVILIANS
                                    for c in token.children) and any(
            c.dep_ == "xcomp" and any(g.dep_ == "aux" and g.lower_ == "to" for g in c.children)
            for c in token.children):
        return "demand"  # "told Hamas to accept", "warned Israel not to enter Rafah"
    if lemma in ("work", "try", "strive", "head", "travel", "continue", "keep") and (
            any(c.dep_ in ("xcomp", "prep") for c in token.children)) and own(subject_of(token)):
        return "intent"
    if lemma in ("retain", "reserve", "keep", "have") and any(
            c.dep_ == "dobj" and c.lower_ == "right" for c in token.children):
        return "intent"
    if lemma in lx.INTENT:
        return None if neg else ("intent" if own(subject_of(token)) else None)
    return None


_DIRECTIVES = {"tell", "warn", "ask", "expect", "challenge", "dare", "invite", "instruct", "order",
               "advise", "encourage", "pressure", "direct", "implore", "beg"}
_CIVILIANS = {"people", "resident", "civilian", "family", "citizen", "inhabitant", "population",
              "reporter", "journalist"}
_NEGATIVE_JUDGEMENTS = {"reckless", "surrender", "capitulation", "disaster", "catastrophe",
                        "dangerous", "bad", "terrible", "shameful", "unacceptable", "mistake",
                        "folly", "absurd", "delusional", "nonstarter", "non-starter", "trap",
                        "ploy", "manoeuvre", "maneuver", "deception", "sham", "unrealistic",
                        "meaningless", "worthless", "farce", "ridiculous", "insufficient",
                        "inadequate", "unworkable", "impossible", "illusion", "fantasy"}


def _rejects_by_judgement(token: Token, own: OwnSide) -> bool:
    """"The proposal is unacceptable", "their demands are delusional": judging a proposal
    or demand of the other side rejects it."""
    subject = subject_of(token)
    if subject is None or (own(subject) and subject.lower_ not in ("it", "this", "that")):
        return False
    judged = {t.lower_ for c in token.children if c.dep_ in ("acomp", "attr")
              for t in c.subtree}
    return bool(judged & _NEGATIVE_JUDGEMENTS) or bool(
        judged & {"serious"} and any(c.dep_ == "neg" for c in token.children))


def _refuses_by_phrase(token: Token) -> bool:
    """"was not interested in a partial deal", "had no intention of ending the war"."""
    lemma = token.lemma_.lower()
    if lemma in _COPULAS and negated(token) and any(
            c.dep_ == "acomp" and c.lower_ in ("interested", "willing", "prepared", "ready")
            for c in token.children):
        return True
    return lemma == "have" and any(
        c.dep_ == "dobj" and c.lower_ in ("intention", "plan", "plans", "interest")
        and any(g.lower_ == "no" for g in c.children) for c in token.children)


def _judgement(token: Token) -> str | None:
    """Stance of calling something X: "called the deal a surrender" rejects it; "described
    the withdrawal as a red line" demands."""
    words: list[Token] = []
    for child in token.children:
        if child.dep_ in ("oprd", "attr", "xcomp", "ccomp", "acomp", "dobj"):
            words.extend(child.subtree)
        if child.dep_ == "prep" and child.lower_ == "as":
            words.extend(child.subtree)
    lowers = {t.lower_ for t in words}
    if ("red" in lowers and "line" in lowers) or lowers & {"non-negotiable", "prerequisite"}:
        return "demand"
    if lowers & _NEGATIVE_JUDGEMENTS:
        return "reject"
    return None


def _modal_stance(token: Token, own: OwnSide) -> str | None:
    auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxes}
    neg = negated(token)
    if lowers & {"must", "should", "ought"}:
        return "demand"
    if token.lemma_ in ("have", "need") and any(c.dep_ == "xcomp" for c in token.children) and (
            token.lemma_ == "need" or not any(c.lower_ == "right" for c in token.subtree)) and not (
            lowers & {"would", "could", "might", "may"}):
        return "demand"
    future = bool(lowers & FUTURE_AUX) or any(
        a.lower_ in ("going",) for a in auxes) or (token.lemma_ == "go" and any(
            c.dep_ == "xcomp" for c in token.children))
    if future and own(subject_of(token)):
        if neg and token.lemma_ in ("accept", "agree", "allow", "approve", "sign", "negotiate",
                                    "discuss", "return", "release", "stop", "end", "withdraw",
                                    "give", "compromise", "engage", "vote", "back", "support",
                                    "hand", "surrender", "disarm", "recognise", "recognize"):
            return "reject"
        return "intent"
    if lowers & {"can", "could"} and neg and own(subject_of(token)) and token.lemma_ in (
            "accept", "agree", "allow", "approve", "tolerate", "support"):
        return "reject"
    return None


def _word_stance(tokens: Iterable[Token]) -> str | None:
    best: str | None = None
    for token in tokens:
        lower = token.lower_
        found = None
        if lower == "opposition" and _opposes_action(token):
            found = "demand"  # "its opposition to an offensive" asks the other side not to
        elif lower in lx.REJECT_WORDS or (lower in ("far", "short") and any(
                c.lower_ in ("from", "of") for c in token.children)):
            found = "reject"
        elif lower in ("commitment", "committed"):
            found = _commitment(token)
        elif lower in lx.ACCEPT_WORDS and token.dep_ in ("dobj", "attr"):
            found = "accept"
        elif lower in lx.DEMAND_WORDS and token.dep_ in ("dobj", "attr", "acomp", "amod", "nsubj"):
            found = "demand"
        elif lower in lx.INTENT_WORDS and token.dep_ in ("dobj", "acomp", "attr", "amod"):
            found = "intent"
        if found and (best is None or PRIORITY[found] < PRIORITY[best]):
            best = found
    return best


def main_predicates(region: list[Token]) -> list[Token]:
    """Predicates at the top of a region: its roots and their conjoined or open complements."""
    inside = {token.i for token in region}
    roots = [t for t in region if t.head.i not in inside or t.head.i == t.i]
    out: list[Token] = []
    stack = [t for t in roots if t.pos_ in ("VERB", "AUX", "ADJ", "NOUN")]
    while stack:
        token = stack.pop(0)
        if token in out:
            continue
        out.append(token)
        stack.extend(c for c in token.children if c.i in inside and c.dep_ in (
            "conj", "xcomp", "ccomp") and c.pos_ in ("VERB", "AUX", "ADJ"))
        if token.pos_ in ("VERB", "AUX"):
            # "remained determined that any deal must ...": the clause under the adjective.
            stack.extend(g for c in token.children if c.dep_ == "acomp" and c.i in inside
                         for g in c.children if g.dep_ in ("ccomp", "xcomp") and g.i in inside)
    return out


_NEED_NOUNS = {"need", "necessity", "importance", "urgency", "imperative"}
_NEED_ADJECTIVES = {"important", "essential", "necessary", "vital", "crucial", "imperative",
                    "incumbent", "critical", "urgent"}


def classify_acts(
    cue: Token, region: list[Token], *, speaker_is_subject: bool = True,
    own: OwnSide = always, more: Iterable[tuple[Token, list[Token]]] = (),
) -> list[tuple[str, str]]:
    """Return one (stance, conditions) per separate act of the utterance, strongest first.

    One utterance is one draft unless it holds clearly separate acts: an acceptance or a
    demand next to an act of another kind ("signed the first stage" and "will keep talking
    about the second"), or a list of demands on different subjects ("the army must leave,
    the crossings must open").

    Args:
        cue: the attribution predicate ("said", "rejected", "urged").
        region: tokens of what was said (complement clause or quotation), possibly empty.
        speaker_is_subject: False when the cue is not the speaker's own act ("according to").
        own: whether a subject token is the speaker's own side (we, the group, its name).
        more: further predicates of the same speaker in the sentence, with their regions.

    Raises:
        Nothing.
    """
    acts: list[tuple[str, str, tuple[int, int]]] = []
    groups = [(cue, region, speaker_is_subject), *((c, r, True) for c, r in more)]
    for number, (one_cue, one_region, subject) in enumerate(groups):
        acts.extend((stance, conditions, (number, branch)) for stance, conditions, branch in
                    _acts(one_cue, one_region, subject, own))
    conditions = [(stance, text) for stance, text, _ in acts if stance == "condition"]
    if conditions:
        return [conditions[0]]
    strong = sorted({stance for stance, _, _ in acts if stance != "assess"},
                    key=PRIORITY.__getitem__)
    if not strong:
        return [("assess", "")]
    demands = {key for stance, _, key in acts if stance == "demand" and key[1] >= 0}
    readings: list[tuple[str, str]] = []
    if len(strong) >= 2 and {"accept", "demand"} & set(strong):
        keys = {stance: {key for s, _, key in acts if s == stance} for stance in strong}
        if all(not (keys[a] & keys[b]) for a in strong for b in strong if a != b):
            readings = [(stance, "") for stance in strong]
    if not readings:
        readings = [(strong[0], "")]
    if readings[0][0] == "demand" and len(demands) >= 2:
        readings = [("demand", "")] * min(len(demands), 4) + readings[1:]
    return readings


def _demanded_of_others(predicate: Token) -> set[int]:
    """Token ids of what a demanding predicate asks of someone else.

    "urged Hamas to accept": the acceptance is demanded of Hamas, not the speaker's own act.
    """
    if not any(c.dep_ in ("dobj", "dative") or (c.dep_ == "prep" and c.lower_ == "on")
               for c in predicate.children):
        return set()
    return {t.i for c in predicate.children if c.dep_ in ("xcomp", "ccomp") for t in c.subtree}


def _acts(cue: Token, region: list[Token], speaker_is_subject: bool,
          own: OwnSide) -> list[tuple[str, str, int]]:
    """(stance, conditions, branch) of each act in one predicate and what it governs."""
    governors = {t.i for t in main_predicates(region)} | {cue.i}
    governors |= {c.i for c in cue.children if c.dep_ in ("xcomp", "conj")}
    condition = condition_in(region, own, governors) if region else None
    if condition is None and speaker_is_subject:
        condition = condition_in([t for t in cue.subtree if t.dep_ != "punct"], own, governors)
    if condition:
        return [("condition", condition, -1)]
    own_stance = verb_stance(cue) if speaker_is_subject else None
    if speaker_is_subject and lx.lemma(cue) in _NEGATING_CUES:
        return [("assess", "", -1)]  # "denied that it had agreed": no act of its own
    if own_stance in ("reject", "accept"):
        return [(own_stance, "", -1)]
    found: list[tuple[str, str, int]] = []
    if own_stance and own_stance != "assess":
        found.append((own_stance, "", -1))
    word = _word_stance(t for c in cue.children if c.dep_ in ("dobj", "attr", "acomp")
                        for t in (c, *c.children)) if own_stance in (None, "assess") else None
    if word:
        found.append((word, "", -1))
    branches = _branches(region)
    demanded = _demanded_of_others(cue) if own_stance in ("demand", "propose") else set()
    for token in main_predicates(region):
        # The same inside what was said: "X said the US urged both sides to accept".
        if token.i not in demanded and verb_stance(token, own) in ("demand", "propose"):
            demanded |= _demanded_of_others(token)
    for token in main_predicates(region):
        if token.i in demanded:
            continue
        modal = _modal_stance(token, own)
        stance = "demand" if modal == "demand" else (verb_stance(token, own) or modal)
        if stance in ("accept", "reject", "propose") and not own(subject_of(token)):
            # "Israel and Hamas have agreed", said the mediator: a report of others' acts.
            stance = None
        if not stance and token.lemma_ in _COPULAS and _rejects_by_judgement(token, own):
            stance = "reject"
        if _judges_short(token) or _refuses_by_phrase(token):
            stance = "reject"
        if not stance and token.lemma_ in _COPULAS and any(
                c.dep_ == "attr" and c.lower_ == "time" for c in token.children):
            stance = "demand"  # "it is time for Israel to end the war"
        if not stance and token.lemma_ in _COPULAS and any(
                c.dep_ == "prep" and c.lower_ == "up" and any(g.lower_ == "to" for g in c.subtree)
                for c in token.children) and any(c.dep_ in ("xcomp", "ccomp") for c in token.children):
            stance = "demand"  # "it is up to Hamas to decide"
            demanded |= {t.i for c in token.children if c.dep_ in ("xcomp", "ccomp")
                         for t in c.subtree}
        if not stance and token.lemma_ in ("expect", "want", "need") and any(
                c.dep_ == "ccomp" and subject_of(c) is not None and not own(subject_of(c))
                for c in token.children):
            stance = "demand"  # "expected Hamas to accept" parsed as a clause
        if not stance:
            subject = subject_of(token)
            if subject is not None and subject.lower_ in ("conditions", "demands", "demand",
                                                          "condition", "prerequisites"):
                stance = "demand"  # "our conditions have not changed: ..."
        if not stance and (token.pos_ in ("ADJ", "NOUN") or token.lemma_ in _COPULAS):
            stance = _word_stance([token, *token.children])
        if stance:
            found.append((stance, "", branches.get(token.i, 0)))
    # "stressed the need for", "it is important that": a requirement, whatever the verb.
    for token in region:
        lower = token.lower_
        if lower in ("position", "stance", "insistence", "view", "demand", "demands") and any(
                c.dep_ in ("acl", "ccomp", "relcl") and any(
                    a.dep_ == "aux" and a.lower_ in ("must", "should") for a in c.children)
                for c in token.children):
            found.append(("demand", "", branches.get(token.i, 0)))  # "its position that X must"
        if (lower in _NEED_NOUNS and any((c.dep_ in ("prep", "acl", "relcl") and c.lower_ in (
                "for", "of", "to")) or c.dep_ == "acl" for c in token.children)) or (
                lower in _NEED_ADJECTIVES and token.dep_ in ("acomp", "attr") and any(
                    c.dep_ in ("ccomp", "xcomp", "csubj") for c in (*token.children,
                                                                     *token.head.children))):
            found.append(("demand", "", branches.get(token.i, 0)))
    # A refusal anywhere in the content by the speaker's own side ("terms that we can never
    # agree to") outranks the description around it.
    for token in region:
        if token.pos_ == "VERB" and token.lemma_ in ("accept", "agree", "tolerate") and (
                negated(token) or any(c.lower_ in ("cannot", "can't") for c in token.children)
        ) and own(subject_of(token)):
            found.append(("reject", "", branches.get(token.i, 0)))
    if own_stance == "assess" and not found:
        return [("assess", "", -1)]
    return found or [("assess", "", -1)]


def _branches(region: list[Token]) -> dict[int, int]:
    """Number each top-level coordinated clause of a region; a predicate belongs to one."""
    inside = {t.i for t in region}
    roots = [t for t in region if t.head.i not in inside or t.head.i == t.i]
    branch_of: dict[int, int] = {}
    number = 0
    for root in roots:
        heads = [root, *(c for c in root.conjuncts if c.i in inside)]
        for head in heads:
            for token in head.subtree:
                if token.i in inside and token.i not in branch_of:
                    branch_of[token.i] = number
            number += 1
    return branch_of
