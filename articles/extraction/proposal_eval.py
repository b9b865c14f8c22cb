"""How well the proposal resolver links annotated statements: plain Python, read by
``manage.py score_proposal_links``.

Each gold statement of a set folder (``articles/NNN.txt`` and ``gold.jsonl``, the eval format)
is treated as a draft: its evidence, issues and article (title, date, body) go to the
resolver, and its link is compared with a label file's (``{statement id: proposal key or
null}``; keys starting with ``_`` are notes, not labels).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from articles.extraction.learning.data import gold_issues, read_article
from articles.extraction.proposal_features import StatementView, link_context
from articles.extraction.proposal_linker import LinkArticle, LinkerModel, learned_link
from articles.extraction.proposals import article_proposals, link_statement
from articles.extraction.types import Reference

# Article numbers of the two halves of a set: tune on the first, check on the second.
HALVES = {"tune": (100, 403), "check": (404, 683)}


@dataclass(frozen=True)
class LinkCase:
    """One labelled statement: what the label says, what the resolver says."""

    statement: str
    article: str
    gold: str | None
    predicted: str | None
    confidence: float | None
    evidence: tuple[str, ...]


@dataclass(frozen=True)
class LinkScore:
    statements: int
    gold_links: int
    predicted_links: int
    correct: int
    # Links made where the label has one too, right proposal or not: whether a plan is meant.
    meant: int = 0

    @property
    def precision(self) -> float:
        return self.correct / self.predicted_links if self.predicted_links else 0.0

    @property
    def recall(self) -> float:
        return self.correct / self.gold_links if self.gold_links else 0.0

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    @property
    def meant_precision(self) -> float:
        """Of the links made, how many are on statements that refer to some proposal."""
        return self.meant / self.predicted_links if self.predicted_links else 0.0


def read_labels(paths: Iterable[Path]) -> dict[str, str | None]:
    """Every label of the files, later files winning on the same statement.

    Raises:
        OSError: a file cannot be read.
        ValueError: a file is not a JSON object of statement ids to keys or null.
    """
    labels: dict[str, str | None] = {}
    for path in paths:
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict):
            raise ValueError(f"{path}: not a JSON object of statement ids to proposal keys")
        for key, value in data.items():
            if key.startswith("_"):
                continue
            if value is not None and not isinstance(value, str):
                raise ValueError(f"{path}: {key}: a proposal key or null, not {value!r}")
            labels[key] = value or None
    return labels


def in_half(article: str, half: str) -> bool:
    """Whether an article number belongs to the half ("all": to any)."""
    if not article.isdigit():
        return half == "all"
    number = int(article)
    ranges = HALVES.values() if half == "all" else [HALVES[half]]
    return any(low <= number <= high for low, high in ranges)


def _labelled_gold(
    folder: Path, labels: Mapping[str, str | None], half: str
) -> dict[str, list[dict[str, Any]]]:
    """The set's gold statements that have a label, in the half, by article id."""
    rows: dict[str, list[dict[str, Any]]] = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            if row.get("id") in labels and in_half(str(row["article"]), half):
                rows.setdefault(str(row["article"]), []).append(row)
    return rows


def _evidence(row: dict[str, Any], body: str) -> tuple[list[str], tuple[tuple[int, int], ...]]:
    """A gold statement's evidence and where each span is in the article (spans not found
    verbatim are left out)."""
    evidence = row["evidence"] if isinstance(row["evidence"], list) else [row["evidence"]]
    return evidence, tuple((start, start + len(text)) for text in evidence
                           if (start := body.find(text)) >= 0)


def _view(row: dict[str, Any], spans: Sequence[tuple[int, int]]) -> StatementView:
    """A gold row as the linker sees a draft: evidence, issues, side, stance, date."""
    try:
        stated_on = date.fromisoformat(str(row.get("date") or "")[:10])
    except ValueError:
        stated_on = None
    return StatementView(tuple(spans), gold_issues(row), str(row.get("party") or ""),
                         str(row.get("stance") or ""), stated_on)


def link_cases(folder: Path, reference: Reference, labels: Mapping[str, str | None],
               *, half: str = "all", model: LinkerModel | None = None) -> list[LinkCase]:
    """The resolver's link for every labelled gold statement of the set in the half.

    Args:
        folder: the set folder (``articles/``, ``gold.jsonl``).
        reference: the negotiation, with its proposals.
        labels: statement id -> proposal key or None.
        half: "tune", "check" or "all".
        model: the learned linker to link with (its statement's side and stance are the
            gold row's); the rules alone without one.

    Raises:
        OSError: the folder cannot be read.
    """
    rows = _labelled_gold(folder, labels, half)
    cases = []
    for article_id, statements in sorted(rows.items()):
        meta, body = read_article(folder / "articles" / f"{article_id}.txt")
        article = article_proposals(body, meta, reference)
        context = link_context(body, meta, reference) if model is not None else None
        for row in statements:
            evidence, spans = _evidence(row, body)
            if context is not None and model is not None:
                link = learned_link(context, _view(row, spans), model)
            else:
                link = link_statement(article, spans, gold_issues(row))
            cases.append(LinkCase(
                statement=row["id"], article=article_id, gold=labels[row["id"]],
                predicted=link.proposal if link else None,
                confidence=link.confidence if link else None, evidence=tuple(evidence)))
    return cases


def link_score(cases: Sequence[LinkCase]) -> LinkScore:
    """Precision over the links made, recall over the labelled links (a wrong proposal
    counts against both)."""
    return LinkScore(
        statements=len(cases),
        gold_links=sum(1 for case in cases if case.gold),
        predicted_links=sum(1 for case in cases if case.predicted),
        correct=sum(1 for case in cases if case.predicted and case.predicted == case.gold),
        meant=sum(1 for case in cases if case.predicted and case.gold),
    )


def link_articles(folder: Path, reference: Reference, labels: Mapping[str, str | None],
                  *, half: str = "all") -> list[LinkArticle]:
    """The labelled statements of the set in the half, by article, as the learned linker
    trains on them (evidence, issues, side, stance and the label).

    Raises:
        OSError: the folder cannot be read.
    """
    rows = _labelled_gold(folder, labels, half)
    found = []
    for article_id, statements in sorted(rows.items()):
        meta, body = read_article(folder / "articles" / f"{article_id}.txt")
        views = []
        for row in statements:
            views.append((_view(row, _evidence(row, body)[1]), labels[row["id"]]))
        found.append(LinkArticle(f"{folder.name}/{article_id}", body, meta, reference, tuple(views)))
    return found
