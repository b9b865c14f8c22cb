"""Shared helpers for extraction tests: the demo reference data, parsed once, no database.

``run`` gives the rules' answer (the drafts and their rule readings, before any trained
model decides).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from articles.extraction.extractor import find_drafts, rules_only
from articles.extraction.reference import reference_from_mapping
from articles.extraction.types import ArticleMeta, Draft, Reference

DEMO = Path(__file__).resolve().parents[2] / "positions" / "demo" / "gaza.yaml"
# A Thursday; weekday arithmetic in the tests counts from it.
PUBLISHED = date(2024, 3, 14)


@pytest.fixture(scope="session")
def reference() -> Reference:
    with DEMO.open(encoding="utf-8") as handle:
        return reference_from_mapping(yaml.safe_load(handle))


@pytest.fixture(scope="session")
def run(reference: Reference):
    def _run(body: str, published: date | None = PUBLISHED,
             ref: Reference | None = None) -> list[Draft]:
        # The rules alone: these tests pin down how drafts are found and read; the
        # learned decisions on top are tested in test_learning.py.
        found = find_drafts(body, ArticleMeta(title="t", published=published), ref or reference)
        return rules_only(found)

    return _run
