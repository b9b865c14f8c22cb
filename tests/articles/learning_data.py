"""A small annotated set in the eval format, written for the tests (a fictional negotiation):
enough articles for the real trainer to learn every decision from."""

from __future__ import annotations

import json
from pathlib import Path

SLUG = "harbour-north"
REFERENCE = {
    "negotiation": {"slug": SLUG, "name": "Harbour talks (north)"},
    "actors": [
        {"name": "Northland", "role": "party", "adjectives": ["Northern"], "kind": "state"},
        {"name": "Southport", "role": "party", "adjectives": ["Southern"], "kind": "state"},
        {"name": "Mediatia", "role": "mediator", "adjectives": ["Mediatian"], "kind": "state"},
    ],
    "issues": [
        {"key": "ceasefire", "keywords": ["ceasefire", "truce"]},
        {"key": "ceasefire/permanent", "keywords": ["end the war", "permanent"]},
        {"key": "ceasefire/temporary", "keywords": ["pause", "temporary"]},
        {"key": "hostages", "keywords": ["hostage", "captives"]},
        {"key": "negotiations", "keywords": ["talks", "delegation"]},
    ],
}
# The base set: (sentence, actor, stance, issues), one statement each.
BASE = [
    ("Northland said on Monday it would send a delegation to the talks in the capital.",
     "Northland", "intent", ["negotiations"]),
    ("Southport rejected the proposed truce, calling it a trap.", "Southport", "reject", ["ceasefire"]),
    ("Mediatia urged both sides to free the hostages before the holiday.", "Mediatia", "demand", ["hostages"]),
    ("Northland accepted the plan for a temporary pause, its foreign minister said.",
     "Northland", "accept", ["ceasefire"]),
    ("Southport insisted that any deal must end the war for good.", "Southport", "demand", ["ceasefire"]),
    ("Mediatia said the talks had been constructive and would resume next week.",
     "Mediatia", "assess", ["negotiations"]),
]
ORDERS = [[0, 1, 2], [3, 4, 5], [1, 3, 5], [0, 2, 4], [5, 4, 0], [2, 1, 3], [4, 0, 1], [3, 5, 2]]
FILLER = "Heavy rain fell across the coast on the same day, and markets were calm."


def write_base_set(folder: Path) -> None:
    """Write the set (``articles/NNN.txt``, ``gold.jsonl``) into ``folder``."""
    (folder / "articles").mkdir(parents=True)
    gold = []
    for number, order in enumerate(ORDERS):
        parts = []
        for index in order:
            sentence, actor, stance, issues = BASE[index]
            parts += [sentence, FILLER]
            gold.append({"article": f"{number:03d}", "party": actor, "speaker": actor, "issues": issues,
                         "ceasefire_type": "unspecified" if "ceasefire" in issues else None,
                         "stance": stance, "evidence": [sentence], "date": "2024-03-04",
                         "date_basis": "publication"})
        text = "title: Talks\npublished: 2024-03-04\n\n" + "\n\n".join(parts)
        (folder / "articles" / f"{number:03d}.txt").write_text(text, encoding="utf-8")
    (folder / "gold.jsonl").write_text("\n".join(json.dumps(row) for row in gold), encoding="utf-8")
