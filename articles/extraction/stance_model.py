"""A trained stance classifier beside the rules, behind one switch.

``PARLEY_STANCE_MODEL`` (read here and nowhere else) chooses who decides a statement's stance:

- ``hybrid`` (the default) — the rules, except where the model is confident (probability >=
  ``threshold`` in the model file, also for the rules' fallback "assess": a lower bar there
  made things worse on the development articles);
- ``rules`` — the rules of ``stance.py`` alone;
- ``model`` — a linear classifier (multinomial logistic regression) over features of the
  statement's own parse, the rules' answer among them.

Measured stance accuracy on matched statements (development / held-out articles): rules
0.793 / 0.518, model 0.702 / 0.589, hybrid 0.814 / 0.536. The model alone generalises better
to the held-out articles but is worse on the development ones; hybrid is a little better on
both (a few statements), which is why it is the default.

The model is the JSON file ``data/stance_model.json`` shipped with the code and built by
``scripts/train_stance.py`` from sentences written for Parley (``data/stance_train.jsonl``). It
is read once per process and never downloaded; if it is missing the rules decide. Only a
statement the rules read as one act is revised: separate acts (an acceptance and a demand)
stay as the rules split them.

The features (``features``) are computed the same way at training and at extraction time:
the attribution predicate (lemma, particle, negation, auxiliaries, what it governs), the main
predicates of what was said (lemma, negation, modals, whether their subject is the speaker's
own side), condition markers, the stance word lists, and a bag of lemmas and lemma pairs with
negation marked, in which names and numbers are masked so that the topic does not count.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from articles.extraction import lexicon as lx
from articles.extraction.grammar import NEGATIONS, OwnSide, negated, particle, subject_of
from articles.extraction.stance import main_predicates

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

ENVIRONMENT = "PARLEY_STANCE_MODEL"
MODES = ("rules", "model", "hybrid")
DEFAULT_MODE = "hybrid"
MODEL_PATH = Path(__file__).resolve().parent / "data" / "stance_model.json"

_LEXICON = (("REJECT", lx.REJECT), ("ACCEPT", lx.ACCEPT), ("PROPOSE", lx.PROPOSE),
            ("DEMAND", lx.DEMAND), ("INTENT", lx.INTENT), ("NEGOTIATION", lx.NEGOTIATION_ACTS))
_WORDS = (("REJECT_W", lx.REJECT_WORDS), ("ACCEPT_W", lx.ACCEPT_WORDS),
          ("DEMAND_W", lx.DEMAND_WORDS), ("INTENT_W", lx.INTENT_WORDS),
          ("PROPOSE_W", lx.PROPOSE_WORDS))
_MODALS = {"will", "would", "shall", "'ll", "wo", "must", "should", "ought", "can", "could",
           "may", "might", "ca", "need", "going", "to", "have", "has", "had"}
_CONDITION_WORDS = (*lx.CONDITION_MARKERS, "if", "once", "when", "before", "while", "or")
# Kinds of features: the rules' answer, the parse of the cue and of what was said, condition
# markers and stance words, and a bag of words over the statement's sentences ("bag") or over
# the cue and what was said only ("bag_region").
GROUPS = ("rule", "parse", "words", "bag")
_MASKED_ENTITIES = {"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC", "DATE", "TIME", "CARDINAL",
                    "MONEY", "PERCENT", "QUANTITY", "ORDINAL"}


def configured_mode() -> str:
    """The stance mode this process runs with (``PARLEY_STANCE_MODEL``; default hybrid)."""
    mode = os.environ.get(ENVIRONMENT, DEFAULT_MODE).strip().lower() or DEFAULT_MODE
    return mode if mode in MODES else DEFAULT_MODE


class StanceModel:
    """Weights of a linear classifier over sparse binary features."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.classes: list[str] = list(data["classes"])
        self.bias = np.asarray(data["bias"], dtype=float)
        names = list(data["weights"])
        self.index: dict[str, int] = {name: j for j, name in enumerate(names)}
        self.matrix = np.asarray([data["weights"][name] for name in names], dtype=float).reshape(
            len(names), len(self.classes))
        self.threshold: float = float(data.get("threshold", 0.9))
        # Probability the model needs to replace a fallback "assess" of the rules.
        self.assess_threshold: float = float(data.get("assess_threshold", 0.0))
        self.groups: tuple[str, ...] = tuple(data.get("groups", GROUPS))

    @property
    def weights(self) -> dict[str, list[float]]:
        return {name: self.matrix[j].tolist() for name, j in self.index.items()}

    def probabilities(self, names: Iterable[str]) -> dict[str, float]:
        index = self.index
        rows = sorted({index[name] for name in names if name in index})
        scores = self.bias + self.matrix[rows].sum(axis=0)
        exps = np.exp(scores - scores.max())
        exps /= exps.sum()
        return dict(zip(self.classes, exps.tolist(), strict=True))


@cache
def load_model(path: Path = MODEL_PATH) -> StanceModel | None:
    """The shipped model, read once per process; None when the file is absent."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    return StanceModel(json.loads(text))


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
    elif "bag_region" in chosen:
        out += _bag(sorted({t.i: t for t in (cue, *region)}.values(), key=lambda t: t.i))
    return out


def _statement_features(statement: Any, own: OwnSide, rule: str, acts: int,
                        groups: Iterable[str] = GROUPS) -> list[str]:
    region = list(statement.region)
    for extra in getattr(statement, "extra_regions", []):
        region.extend(extra)
    return features(statement.cue, region, statement.sentences, own=own,
                    speaker_is_subject=statement.speaker_is_subject, rule=rule, acts=acts,
                    groups=groups)


def decide(rule: str, probabilities: dict[str, float], mode: str, threshold: float,
           assess_threshold: float = 0.0) -> str:
    """The stance a mode gives, from the rules' answer and the model's probabilities."""
    best = max(probabilities, key=probabilities.__getitem__)
    if mode == "model":
        return best
    if mode == "hybrid":
        if rule == "assess" and probabilities[best] >= assess_threshold:
            return best
        if probabilities[best] >= threshold:
            return best
    return rule


def revise(acts: list[tuple[str, str]], statement: Any, own: OwnSide) -> list[tuple[str, str]]:
    """The statement's acts as the configured mode decides them.

    Args:
        acts: (stance, conditions) per act, as ``stance.classify_acts`` returned them.
        statement: the extractor's ``Statement`` (cue, region, extra_regions, sentences,
            speaker_is_subject).
        own: whether a subject token is the speaker's own side.

    Raises:
        Nothing: without a model file the rules' acts are returned unchanged.
    """
    mode = configured_mode()
    if mode == "rules" or len(acts) != 1:
        return acts
    model = load_model()
    if model is None:
        return acts
    rule, conditions = acts[0]
    probabilities = model.probabilities(
        _statement_features(statement, own, rule, len(acts), model.groups))
    stance = decide(rule, probabilities, mode, model.threshold, model.assess_threshold)
    if stance == rule:
        return acts
    return [(stance, conditions if stance == "condition" else "")]
