"""Linear classifiers over sparse binary features: fitted with scikit-learn, applied with
plain dictionaries, stored as JSON.

Inference reads only the weights of the features present (a few dozen per decision), so a
worker needs neither scikit-learn nor a pickle file: the parameters are lists of numbers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any


class Linear:
    """A multinomial (or, with two classes, binary) logistic regression."""

    def __init__(self, classes: Sequence[str], weights: dict[str, list[float]],
                 bias: Sequence[float]) -> None:
        self.classes = list(classes)
        self.weights = weights
        self.bias = list(bias)

    def scores(self, features: Iterable[str]) -> list[float]:
        weights = self.weights
        if len(self.bias) == 1:  # binary: one weight per feature, summed without an inner loop
            score = self.bias[0]
            for row in map(weights.get, set(features)):
                if row is not None:
                    score += row[0]
            return [score]
        total = list(self.bias)
        for name in set(features):
            row = weights.get(name)
            if row is not None:
                for j, value in enumerate(row):
                    total[j] += value
        return total

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        if len(self.classes) == 1:
            return {self.classes[0]: 1.0}
        scores = self.scores(features)
        if len(self.classes) == 2 and len(scores) == 1:
            p = 1.0 / (1.0 + math.exp(-scores[0]))
            return {self.classes[0]: 1.0 - p, self.classes[1]: p}
        top = max(scores)
        exps = [math.exp(s - top) for s in scores]
        total = sum(exps)
        return {c: e / total for c, e in zip(self.classes, exps, strict=True)}

    def best(self, features: Iterable[str]) -> tuple[str, float]:
        probabilities = self.probabilities(features)
        label = max(probabilities, key=probabilities.__getitem__)
        return label, probabilities[label]

    def to_params(self) -> dict[str, Any]:
        return {"classes": self.classes, "bias": [round(b, 5) for b in self.bias],
                "weights": {k: [round(v, 5) for v in row] for k, row in self.weights.items()
                            if any(abs(v) >= 1e-5 for v in row)}}

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> Linear:
        return cls(params["classes"], params["weights"], params["bias"])


def fit(rows: Sequence[Sequence[str]], labels: Sequence[str], *, c: float = 1.0,
        min_count: int = 1, class_weight: str | None = None) -> Linear:
    """Fit a logistic regression on feature-name rows (scikit-learn, L2; liblinear for two
    classes, lbfgs for more).

    Args:
        rows: each example's feature names.
        labels: each example's class.
        c: inverse regularisation strength.
        min_count: features seen in fewer examples are dropped.
        class_weight: ``"balanced"`` to weigh rare classes up.

    Raises:
        ValueError: no examples.
    """
    from collections import Counter

    import numpy as np
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = Counter(name for row in rows for name in set(row))
    names = sorted(name for name, n in counts.items() if n >= min_count)
    index = {name: j for j, name in enumerate(names)}
    indptr, indices = [0], []
    for row in rows:
        cols = sorted({index[name] for name in row if name in index})
        indices.extend(cols)
        indptr.append(len(indices))
    matrix = csr_matrix((np.ones(len(indices)), indices, indptr), shape=(len(rows), len(names)))
    classes = sorted(set(labels))
    if not classes:
        raise ValueError("nothing to learn from")
    if len(classes) == 1:
        return Linear(classes, {}, [0.0])  # one answer seen: give it
    # liblinear is the fastest exact solver for sparse binary problems; lbfgs for several classes.
    solver = "liblinear" if len(classes) == 2 else "lbfgs"
    model = LogisticRegression(C=c, max_iter=2000, class_weight=class_weight, solver=solver)
    model.fit(matrix, list(labels))
    coef = model.coef_  # (1, n) for two classes, (k, n) otherwise
    weights = {name: coef[:, j].tolist() for name, j in index.items()}
    return Linear([str(c) for c in model.classes_], weights, model.intercept_.tolist())
