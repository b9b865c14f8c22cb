"""Learned extraction: the decisions of ``extract`` made by models trained from annotated
articles and from editors' decisions.

Public API (plain Python, no Django):

- ``Weights`` — one trained model: a version string, its JSON-able parameters and its metadata
  (training-data digest, date, library versions, cross-validated figures). Stored as JSON
  (never pickle); ``Weights.from_json(text)`` / ``weights.to_json()``.
- ``shipped_weights()`` — the default model shipped in ``articles/extraction/data/model.json``.
- ``Example`` / ``GoldRecord`` — one annotated article and its statements (the eval format's
  fields, with evidence as body offsets).
- ``read_set(folder, reference)`` — the examples of a set folder in the eval format
  (``articles/NNN.txt`` + ``gold.jsonl``).
- ``train(examples)`` — a new ``Weights``.
- ``cross_validate(examples, folds)`` — out-of-fold drafts per article.
"""

from articles.extraction.learning.data import Example, GoldRecord, read_set
from articles.extraction.learning.weights import Weights, shipped_weights

__all__ = ["Example", "GoldRecord", "Weights", "read_set", "shipped_weights"]
