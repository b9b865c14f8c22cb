"""A trained model as plain JSON: version, parameters, metadata."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "model.json"


@dataclass(frozen=True)
class Weights:
    """One trained extraction model.

    ``version`` names it everywhere (drafts record it); ``params`` holds each component's
    parameters; ``meta`` says how it was made (training-data digest, date, library versions,
    cross-validated figures).
    """

    version: str
    params: dict[str, Any] = field(hash=False, compare=False)
    meta: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)

    def to_json(self) -> str:
        return json.dumps({"version": self.version, "meta": self.meta, "params": self.params},
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Weights:
        """Read a model written by ``to_json``.

        Raises:
            ValueError: the text is not such a model.
        """
        data = json.loads(text)
        if not isinstance(data, dict) or not {"version", "params"} <= data.keys():
            raise ValueError("not an extraction model")
        return cls(version=str(data["version"]), params=data["params"], meta=data.get("meta") or {})


@cache
def shipped_weights() -> Weights | None:
    """The default model shipped with the code, read once per process; None if absent."""
    try:
        return Weights.from_json(SHIPPED.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
