"""The proposal-link labels shipped in articles/extraction/data/proposal_links/ are well formed:
each file maps gold statement ids to a key of the demo negotiation's proposals or to null, and
holds nothing else (no text of the articles) beside an optional `_meta` entry."""

import json
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
LINKS = ROOT / "articles" / "extraction" / "data" / "proposal_links"
DEMO = ROOT / "positions" / "demo" / "gaza.yaml"
STATEMENT_ID = re.compile(r"^(\d{3})-\d{3}$")


def _proposal_keys() -> set[str]:
    data = yaml.safe_load(DEMO.read_text(encoding="utf-8"))
    return {item["key"] for item in data.get("proposals", ())}


def _labels(name: str) -> dict[str, str | None]:
    """The labels of one file, without its optional `_meta` entry (provenance, counts)."""
    labels = json.loads((LINKS / name).read_text(encoding="utf-8"))
    assert isinstance(labels, dict)
    labels.pop("_meta", None)
    return labels


@pytest.mark.parametrize("name", sorted(p.name for p in LINKS.glob("*.json")))
def test_every_label_is_a_statement_id_and_a_catalogue_key_or_null(name: str) -> None:
    keys = _proposal_keys()
    labels = _labels(name)
    assert labels, f"{name} is empty"
    bad_ids = [i for i in labels if not STATEMENT_ID.match(i)]
    unknown = sorted({v for v in labels.values() if v is not None and v not in keys})
    assert bad_ids == []
    assert unknown == [], f"{name} names proposals the catalogue lacks: {unknown}"


def test_tune_labels_cover_only_the_tune_half_and_link_a_good_share() -> None:
    labels = _labels("gaza-tune.json")
    articles = {int(i.split("-")[0]) for i in labels}
    assert min(articles) >= 100 and max(articles) <= 403
    linked = [v for v in labels.values() if v is not None]
    # Both kinds occur: statements about a plan and general demands with no plan in view.
    assert 0.2 < len(linked) / len(labels) < 0.8
    assert len(set(linked)) >= 10
