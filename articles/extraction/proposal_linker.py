"""The learned proposal linker: which proposal a drafted statement is about, chosen by a
linear model over the rules' reading of the article (``proposal_features.py``).

Each candidate proposal of a statement gets a probability of being the one it is about
(a binary logistic regression over (statement, candidate) pairs, ``learning/linear.py``); the
most probable candidate is linked when its probability reaches the model's threshold, and
the statement links to nothing otherwise (the "none" decision). The threshold is chosen on
inner folds of the training articles, as the lowest that keeps the out-of-fold precision at
``PRECISION`` or above; the link's confidence is the probability.

The model is JSON (``data/proposal_linker.json``, written by ``manage.py
train_proposal_linker``): the linear model's parameters, the threshold and how it was made.
Without it, the rules of ``proposals.py`` link alone.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from articles.extraction import proposals as rules
from articles.extraction.learning.linear import Linear, fit
from articles.extraction.proposal_features import (
    LinkContext,
    StatementView,
    evidence_words,
    link_context,
    statement_features,
)
from articles.extraction.proposals import ProposalLink, _clauses
from articles.extraction.types import ArticleMeta, Draft, Reference

SHIPPED = Path(__file__).resolve().parent / "data" / "proposal_linker.json"
# The out-of-fold precision the threshold is chosen to keep.
PRECISION = 0.9
# ... while finding at least this share of the labelled links (a linker that reaches the
# precision only by linking a fifth of them is no use: the rules find a third); when no
# threshold does both, the threshold of the best F0.5 is taken.
SUPPORT = 0.4
POSITIVE = "yes"


@dataclass(frozen=True)
class LinkerModel:
    """A trained linker: the pair model, the threshold below which nothing links, and how
    it was made (training data, figures)."""

    linear: Linear
    threshold: float
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    # Whether the best candidate is the statement's proposal (None: the pair probability).
    decide: Linear | None = None

    def to_json(self) -> str:
        return json.dumps({"kind": "proposal-linker", "threshold": round(self.threshold, 4),
                           "meta": self.meta, "params": self.linear.to_params(),
                           "decide": self.decide.to_params() if self.decide else None},
                          ensure_ascii=False, indent=1, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> LinkerModel:
        """Read a model written by ``to_json``.

        Raises:
            ValueError: the text is not a proposal linker.
        """
        data = json.loads(text)
        if not isinstance(data, dict) or data.get("kind") != "proposal-linker":
            raise ValueError("not a proposal linker model")
        decide = Linear.from_params(data["decide"]) if data.get("decide") else None
        return cls(Linear.from_params(data["params"]), float(data["threshold"]), data.get("meta") or {},
                   decide)

    def probability(self, features: Sequence[str]) -> float:
        return self.linear.probabilities(features).get(POSITIVE, 0.0)


@cache
def shipped_linker() -> LinkerModel | None:
    """The linker shipped with the code, read once per process; None if absent."""
    try:
        return LinkerModel.from_json(SHIPPED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


@dataclass(frozen=True)
class Scored:
    """A statement's best candidate and its probability (None without candidates)."""

    key: str | None
    probability: float


def score_statement(context: LinkContext, statement: StatementView, model: LinkerModel) -> Scored:
    found, rows, _, _ = statement_features(context, statement)
    return _best(model, [p.key for p in found], rows, evidence_words(context, statement))


def learned_link(context: LinkContext, statement: StatementView, model: LinkerModel) -> ProposalLink | None:
    """The proposal a statement is about by the model, or None below its threshold.

    Raises:
        Nothing.
    """
    best = score_statement(context, statement, model)
    if best.key is None or best.probability < model.threshold:
        return None
    proposal = context.article.index.proposals[best.key]
    return ProposalLink(best.key, _clauses(proposal, statement.issues), round(best.probability, 3))


def link_drafts(body: str, meta: ArticleMeta, reference: Reference, drafts: Sequence[Draft],
                model: LinkerModel | None = None) -> list[Draft]:
    """The drafts with the proposal each is about, by the learned linker (the shipped one
    by default; by the rules alone when there is none).

    Raises:
        Nothing.
    """
    if not reference.proposals or not drafts:
        return list(drafts)  # nothing to link: the model is not even read
    model = model or shipped_linker()
    if model is None:
        return rules.link_drafts(body, meta, reference, drafts)
    context = link_context(body, meta, reference)
    linked = []
    for draft in drafts:
        view = StatementView(draft.spans, draft.issues, draft.actor, draft.stance, draft.stated_on)
        link = learned_link(context, view, model)
        linked.append(draft if link is None else replace(
            draft, proposal=link.proposal, clauses=link.clauses, proposal_confidence=link.confidence))
    return linked


# Training -------------------------------------------------------------------------------

@dataclass(frozen=True)
class LinkArticle:
    """One labelled article: its text and its statements with the proposal each is about."""

    key: str
    body: str
    meta: ArticleMeta
    reference: Reference
    statements: tuple[tuple[StatementView, str | None], ...]


@dataclass(frozen=True)
class Prepared:
    """An article's statements as the linker sees them: gold key, candidates' keys and
    features (computed once; training and cross-validation only refit)."""

    key: str
    # (gold key, candidates' keys, each one's features, the statement's own words)
    statements: tuple[tuple[str | None, tuple[str, ...], tuple[tuple[str, ...], ...], tuple[str, ...]], ...]


def prepare(articles: Sequence[LinkArticle]) -> list[Prepared]:
    """Every statement's candidates and features."""
    prepared = []
    for article in articles:
        context = link_context(article.body, article.meta, article.reference)
        statements = []
        for statement, gold in article.statements:
            found, rows, _, _ = statement_features(context, statement)
            statements.append((gold, tuple(p.key for p in found), tuple(tuple(r) for r in rows),
                               tuple(evidence_words(context, statement))))
        prepared.append(Prepared(article.key, tuple(statements)))
    return prepared


def _fit(articles: Sequence[Prepared], c: float) -> Linear:
    rows: list[tuple[str, ...]] = []
    labels: list[str] = []
    for article in articles:
        for gold, keys, features, _ in article.statements:
            for key, row in zip(keys, features, strict=True):
                rows.append(row)
                labels.append(POSITIVE if key == gold else "no")
    return fit(rows, labels, c=c, min_count=2)


def _top(pair: Linear, keys: Sequence[str], rows: Sequence[Sequence[str]],
         words: Sequence[str]) -> tuple[str | None, float, list[str]]:
    """The pair model's best candidate, its probability, and what the decision reads."""
    if not keys:
        return None, 0.0, []
    ranked = sorted(((pair.probabilities(row).get(POSITIVE, 0.0), -rank, key, row)
                     for rank, (key, row) in enumerate(zip(keys, rows, strict=True))), reverse=True)
    probability, _, key, row = ranked[0]
    second = ranked[1][0] if len(ranked) > 1 else 0.0
    share = probability / (sum(r[0] for r in ranked) or 1.0)
    features = [*words, *(f"top:{name}" for name in row if "|" not in name),
                f"p={min(int(probability * 10), 9)}", f"margin={min(int((probability - second) * 10), 9)}",
                f"share={min(int(share * 5), 4)}"]
    return key, probability, features


def _best(model: LinkerModel, keys: Sequence[str], rows: Sequence[Sequence[str]],
          words: Sequence[str] = ()) -> Scored:
    key, probability, features = _top(model.linear, keys, rows, words)
    if key is not None and model.decide is not None:
        probability = model.decide.probabilities(features).get(POSITIVE, 0.0)
    return Scored(key, probability)


def _folds(articles: Sequence[Prepared], folds: int, seed: int) -> list[list[Prepared]]:
    if len(articles) < folds:
        raise ValueError(f"{len(articles)} articles cannot make {folds} folds")
    order = sorted(articles, key=lambda a: a.key)
    random.Random(seed).shuffle(order)
    return [order[i::folds] for i in range(folds)]


def _rest(articles: Sequence[Prepared], held: Sequence[Prepared]) -> list[Prepared]:
    out = {a.key for a in held}
    return [a for a in articles if a.key not in out]


def out_of_fold(articles: Sequence[Prepared], *, folds: int, c: float,
                seed: int = 0) -> list[tuple[str | None, Scored]]:
    """Each statement's gold key and best candidate from a model trained without its
    article (folds by article).

    Raises:
        ValueError: fewer articles than folds.
    """
    results: list[tuple[str | None, Scored]] = []
    for held in _folds(articles, folds, seed):
        model = LinkerModel(_fit(_rest(articles, held), c), 0.0)
        for article in held:
            for gold, keys, rows, words in article.statements:
                results.append((gold, _best(model, keys, rows, words)))
    return results


def figures(results: Sequence[tuple[str | None, Scored]], threshold: float) -> dict[str, float | int]:
    """Precision, recall and F1 of the links at a threshold (a wrong proposal counts
    against both)."""
    made = [(gold, s) for gold, s in results if s.key is not None and s.probability >= threshold]
    right = sum(1 for gold, s in made if s.key == gold)
    gold_links = sum(1 for gold, _ in results if gold)
    precision = right / len(made) if made else 0.0
    recall = right / gold_links if gold_links else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"statements": len(results), "gold": gold_links, "linked": len(made), "right": right,
            "precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3)}


def choose_threshold(results: Sequence[tuple[str | None, Scored]], precision: float = PRECISION,
                     support: float = SUPPORT) -> float:
    """The lowest threshold at which the links made keep at least ``precision`` while
    finding at least ``support`` of the labelled links; when no threshold does, the one of
    the best F0.5 (precision weighted twice recall)."""
    ranked = sorted(((s.probability, s.key == gold) for gold, s in results if s.key is not None),
                    reverse=True)
    gold_links = sum(1 for gold, _ in results if gold) or 1
    chosen: float | None = None
    best = (-1.0, 0.5)
    right = 0
    for made, (probability, correct) in enumerate(ranked, 1):
        right += correct
        p, r = right / made, right / gold_links
        if p >= precision and r >= support:
            chosen = probability
        f = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
        if f > best[0]:
            best = (f, probability)
    return chosen if chosen is not None else best[1]


def _decisions(articles: Sequence[Prepared], folds: list[list[Prepared]], c: float
               ) -> list[tuple[int, str | None, str | None, list[str]]]:
    """For every statement, from a pair model trained without its article: its fold, gold
    key, best candidate and the decision's features."""
    found = []
    for number, held in enumerate(folds):
        pair = _fit(_rest(articles, held), c)
        for article in held:
            for gold, keys, rows, words in article.statements:
                key, _, features = _top(pair, keys, rows, words)
                found.append((number, gold, key, features))
    return found


def _fit_decide(rows: Sequence[tuple[int, str | None, str | None, list[str]]], c: float) -> Linear:
    return fit([r[3] for r in rows], [POSITIVE if r[2] is not None and r[2] == r[1] else "no" for r in rows],
               c=c, min_count=2)


def train_linker(articles: Sequence[Prepared], *, c: float = 0.03, decide_c: float = 0.1,
                 folds: int = 5, seed: int = 0, precision: float = PRECISION,
                 meta: dict[str, Any] | None = None) -> LinkerModel:
    """A linker trained on all the articles: the pair model, then the decision (trained on
    the pair model's out-of-fold picks), its threshold chosen on the same inner folds.

    Raises:
        ValueError: too few articles for the folds, or nothing to learn from.
    """
    split = _folds(articles, folds, seed)
    rows = _decisions(articles, split, c)
    results: list[tuple[str | None, Scored]] = []
    for number in range(len(split)):
        decide = _fit_decide([r for r in rows if r[0] != number], decide_c)
        for _, gold, key, features in (r for r in rows if r[0] == number):
            if key is not None:
                results.append((gold, Scored(key, decide.probabilities(features).get(POSITIVE, 0.0))))
    threshold = choose_threshold(results, precision)
    return LinkerModel(_fit(articles, c), threshold, {
        "c": c, "decide_c": decide_c, "folds": folds, "seed": seed, "precision_target": precision,
        "articles": len(articles), "statements": sum(len(a.statements) for a in articles),
        "inner_folds": figures(results, threshold), **(meta or {})}, _fit_decide(rows, decide_c))


def nested_figures(articles: Sequence[Prepared], *, folds: int = 5, c: float = 0.03, decide_c: float = 0.1,
                   seed: int = 0, precision: float = PRECISION) -> dict[str, float | int]:
    """Cross-validated figures of the whole procedure: for each outer fold of articles, a
    linker trained on the others with its threshold from their inner folds, applied to the
    held-out articles.

    Raises:
        ValueError: too few articles for the folds.
    """
    results: list[tuple[str | None, Scored]] = []
    for held in _folds(articles, folds, seed):
        model = train_linker(_rest(articles, held), c=c, decide_c=decide_c, folds=folds, seed=seed,
                             precision=precision)
        for article in held:
            for gold, keys, rows, words in article.statements:
                scored = _best(model, keys, rows, words)
                if scored.probability < model.threshold:
                    scored = Scored(None, scored.probability)
                results.append((gold, scored))
    return figures(results, 0.0)
