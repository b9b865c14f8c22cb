"""`manage.py extract`: print draft statements for text files without saving anything.

The output format is a contract scripts depend on (DESIGN.md, "The extract command").
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from articles.extraction import extract
from articles.extraction.frontmatter import FrontMatterError, split_front_matter
from articles.extraction.learning import Weights, shipped_weights
from articles.extraction.types import Draft
from articles.extraction_models import active_weights
from articles.models import ExtractionModel
from articles.reference import best_reference, references_for_extract
from positions.models import Negotiation


def draft_record(
    path: str, body: str, draft: Draft, *, negotiation: str | None = None
) -> dict[str, Any]:
    """One JSONL record of ``--format jsonl`` (DESIGN.md, "The extract command")."""
    record: dict[str, Any] = {
        "file": path,
        "speaker": draft.speaker,
        "actor": draft.actor,
        "issues": list(draft.issues),
        "stance": draft.stance,
        "summary": draft.summary,
        "evidence": draft.evidence(body),
        "spans": [list(span) for span in draft.spans],
        "quote_type": draft.quote_type,
        "date": draft.stated_on.isoformat() if draft.stated_on else None,
        "date_basis": draft.date_basis or None,
        "via": draft.via or None,
        "conditions": draft.conditions or None,
        "confidence": round(draft.confidence, 3),
        "proposal": draft.proposal or None,
        "clauses": list(draft.clauses),
        "proposal_confidence": (
            round(draft.proposal_confidence, 3) if draft.proposal_confidence is not None else None
        ),
    }
    if negotiation:
        record["negotiation"] = negotiation
    return record


def _weights(version: str | None) -> Weights | None:
    """The model to extract with: a stored version, a model file, the shipped one, or by
    default the active model (the shipped one when none is active or there is no database)."""
    if version == "shipped":
        return shipped_weights()
    if version is not None and version.endswith(".json"):  # a file train_extractor --write made
        try:
            return Weights.from_json(Path(version).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"{version}: {error}") from None
    try:
        if version is None:
            return active_weights()
        text = ExtractionModel.objects.filter(version=version).values_list("weights", flat=True).first()
    except DatabaseError:
        if version is None:
            return shipped_weights()
        raise CommandError(f"No database to read model {version!r} from") from None
    if text is None:
        raise CommandError(f"No stored model {version!r}")
    return Weights.from_json(text)


class Command(BaseCommand):
    help = "Extract draft statements from text files (optional YAML front matter) and print them."
    # Reading files and printing needs no URL, admin or template checks; skipping them keeps
    # the command usable while another part of the project is broken mid-edit.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="+", metavar="FILE")
        parser.add_argument("--format", choices=["jsonl", "table"], default="table")
        parser.add_argument("--negotiation", metavar="SLUG", default=None)
        parser.add_argument(
            "--model", metavar="VERSION", default=None,
            help="a stored model's version, a model file (.json), or 'shipped' "
                 "(default: the active model, else the shipped one)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            choices = references_for_extract(options["negotiation"])
        except Negotiation.DoesNotExist as error:
            raise CommandError(str(error)) from None
        self.stderr.write("reference data: " + ", ".join(f"{c.source} ({c.slug})" for c in choices))
        weights = _weights(options["model"])
        self.stderr.write(f"model: {weights.version if weights else 'none (rules alone)'}")
        for name in options["files"]:
            path = Path(name)
            try:
                parsed = split_front_matter(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, FrontMatterError) as error:
                raise CommandError(f"{name}: {error}") from None
            chosen = best_reference(f"{parsed.meta.title}\n{parsed.body}", choices)
            if len(choices) > 1:
                self.stderr.write(f"{name}: negotiation {chosen.slug}")
            for draft in extract(parsed.body, parsed.meta, chosen.reference, weights=weights):
                record = draft_record(name, parsed.body, draft, negotiation=chosen.slug)
                if options["format"] == "jsonl":
                    self.stdout.write(json.dumps(record, ensure_ascii=False))
                else:
                    self._write_row(record)

    def _write_row(self, record: dict[str, Any]) -> None:
        issues = ",".join(record["issues"])
        self.stdout.write(
            f"{record['date'] or '—':10}  {record['actor'][:16]:16}  {record['stance']:9}  "
            f"{issues[:32]:32}  {record['speaker'][:30]}"
        )
        for text in record["evidence"]:
            self.stdout.write(f"    “{text[:150]}”")
