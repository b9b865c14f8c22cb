"""Golden files: whole articles we wrote, with the drafts we expect, field by field.

Regenerate after an intended change with ``PARLEY_UPDATE_GOLDEN=1 pytest tests/extraction``
and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from articles.extraction import extract
from articles.extraction.frontmatter import split_front_matter

GOLDEN = Path(__file__).resolve().parent / "golden"


def records(path: Path, reference) -> list[dict[str, Any]]:
    parsed = split_front_matter(path.read_text(encoding="utf-8"))
    return [
        {"speaker": c.speaker, "actor": c.actor, "stance": c.stance, "issues": list(c.issues),
         "date": c.stated_on.isoformat() if c.stated_on else None, "via": c.via,
         "conditions": c.conditions, "quote_type": c.quote_type, "evidence": c.evidence(parsed.body)}
        for c in extract(parsed.body, parsed.meta, reference)
    ]


@pytest.mark.parametrize("article", sorted(GOLDEN.glob("*.txt")), ids=lambda p: p.stem)
def test_article_gives_its_golden_drafts(article: Path, reference):
    expected_file = article.with_suffix(".jsonl")
    got = records(article, reference)
    if os.environ.get("PARLEY_UPDATE_GOLDEN"):
        expected_file.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in got),
                                 encoding="utf-8")
    expected = [json.loads(line) for line in expected_file.read_text(encoding="utf-8").splitlines()]
    assert got == expected
