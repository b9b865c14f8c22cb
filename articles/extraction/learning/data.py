"""Annotated articles as training examples: the eval format read into offsets."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from articles.extraction.types import ArticleMeta, Reference


@dataclass(frozen=True)
class GoldRecord:
    """One annotated statement; ``spans`` are code-point offsets of its evidence in the body."""

    actor: str
    speaker: str
    issues: tuple[str, ...]  # sub-issues as "ceasefire/permanent"
    stance: str
    spans: tuple[tuple[int, int], ...]
    quote_type: str = "reported"
    date: date | None = None
    date_basis: str = ""
    via: str = ""
    conditions: str = ""


@dataclass(frozen=True)
class Example:
    """One article with its statements, and the spans of drafts editors rejected."""

    key: str
    body: str
    meta: ArticleMeta
    reference: Reference
    records: tuple[GoldRecord, ...]
    rejected: tuple[tuple[tuple[int, int], ...], ...] = ()


def read_article(path: Path) -> tuple[ArticleMeta, str]:
    """An eval-format article file: its header (title, outlet, published, source) and body.

    Raises:
        OSError: the file cannot be read.
    """
    head, _, body = path.read_text(encoding="utf-8").partition("\n\n")
    fields: dict[str, str] = {}
    for line in head.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip().lower()] = value.strip()
    try:
        published = date.fromisoformat(fields.get("published", "")[:10])
    except ValueError:
        published = None
    url = fields.get("source", "") if fields.get("source", "").startswith("http") else ""
    return ArticleMeta(title=fields.get("title", ""), outlet=fields.get("outlet", ""), url=url,
                       published=published), body


def gold_issues(row: dict[str, Any]) -> tuple[str, ...]:
    """A gold row's issue keys, the ceasefire as its sub-issue when the row names its type."""
    kind = row.get("ceasefire_type")
    return tuple(f"ceasefire/{kind}" if key == "ceasefire" and kind in ("permanent", "temporary")
                 else key for key in row.get("issues") or ())


def read_set(folder: Path, reference: Reference, *, articles: set[str] | None = None) -> list[Example]:
    """The examples of a set folder in the eval format (``articles/NNN.txt``, ``gold.jsonl``).

    Args:
        folder: the set folder.
        reference: the negotiation's reference data the set is annotated against.
        articles: only these article ids (e.g. dev 000–013), default all.

    Raises:
        OSError: the folder cannot be read.
        ValueError: a gold evidence text is not in its article's body.
    """
    gold: dict[str, list[dict[str, Any]]] = {}
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            gold.setdefault(str(row["article"]), []).append(row)
    examples = []
    for path in sorted((folder / "articles").glob("*.txt")):
        if articles is not None and path.stem not in articles:
            continue
        meta, body = read_article(path)
        records = []
        for row in gold.get(path.stem, []):
            evidence = row["evidence"] if isinstance(row["evidence"], list) else [row["evidence"]]
            spans = []
            for text in evidence:
                start = body.find(text)
                if start < 0:
                    raise ValueError(f"{path.name}: evidence not in the body: {text[:60]!r}")
                spans.append((start, start + len(text)))
            records.append(GoldRecord(
                actor=row["party"], speaker=row.get("speaker") or "", issues=gold_issues(row),
                stance=row["stance"], spans=tuple(spans), quote_type=row.get("quote_type") or "reported",
                date=date.fromisoformat(row["date"]) if row.get("date") else None,
                date_basis=row.get("date_basis") or "", via=row.get("via") or "",
                conditions=row.get("conditions") or ""))
        examples.append(Example(key=f"{folder.name}/{path.stem}", body=body, meta=meta,
                                reference=reference, records=tuple(records)))
    return examples
