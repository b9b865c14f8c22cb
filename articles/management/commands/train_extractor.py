"""`manage.py train_extractor`: train an extraction model from annotated set folders and/or
editors' decisions in the database, store it (optionally active), write it as JSON, and
cross-validate by article.

The shipped default (articles/extraction/data/model.json) is written by this command; see
the README's "Training the extractor".
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.extraction.learning import Example, Weights, read_set
from articles.management.commands.extract import draft_record
from articles.reference import references_for_extract
from articles.training import oof_figures
from positions.models import Negotiation

DEFAULT_SLUG = "gaza-ceasefire"


@dataclasses.dataclass
class SetSpec:
    """One ``--set PATH[:SLUG]`` with the ``--articles`` that followed it."""

    path: Path
    slug: str = DEFAULT_SLUG
    articles: set[str] | None = None

    def __str__(self) -> str:
        chosen = f" articles {','.join(sorted(self.articles))}" if self.articles is not None else ""
        return f"{self.path}:{self.slug}{chosen}"


def parse_articles(text: str) -> set[str]:
    """``000-013,015`` -> {"000", ..., "013", "015"}: zero-padded like the set's file names.

    Raises:
        ValueError: not a list of numbers and ranges.
    """
    chosen: set[str] = set()
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            raise ValueError(f"not an article range: {part!r}")
        width = len(first)
        chosen.update(str(n).zfill(width) for n in range(int(first), int(last or first) + 1))
    return chosen


class _SetAction(argparse.Action):
    def __call__(
        self, parser: argparse.ArgumentParser, namespace: Any, value: Any, option: Any = None,
    ) -> None:
        path, _, slug = str(value).partition(":")
        specs = getattr(namespace, self.dest) or []
        specs.append(SetSpec(Path(path), slug or DEFAULT_SLUG))
        setattr(namespace, self.dest, specs)


class _ArticlesAction(argparse.Action):
    def __call__(
        self, parser: argparse.ArgumentParser, namespace: Any, value: Any, option: Any = None,
    ) -> None:
        specs: list[Any] | None = getattr(namespace, "sets", None)
        if not specs:
            parser.error("--articles filters the --set given before it")
        try:
            specs[-1].articles = parse_articles(str(value))
        except ValueError as error:
            parser.error(str(error))


class Command(BaseCommand):
    help = "Train an extraction model from set folders and/or editors' decisions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--set", dest="sets", action=_SetAction, metavar="PATH[:SLUG]", default=None,
            help=f"a set folder in the eval format annotated for negotiation SLUG "
                 f"(default {DEFAULT_SLUG}); repeatable",
        )
        parser.add_argument(
            "--articles", action=_ArticlesAction, metavar="RANGES",
            help="only these articles of the --set before it, e.g. 000-013",
        )
        parser.add_argument("--from-database", action="store_true",
                            help="add every fully reviewed article in the database")
        parser.add_argument("--negotiation", metavar="SLUG",
                            help="with --from-database: only this negotiation's articles")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--model-version", dest="model_version", metavar="NAME",
                            help="the model's version (default: the trainer's)")
        parser.add_argument("--write", type=Path, metavar="PATH", help="write the model as JSON")
        parser.add_argument("--no-store", action="store_true", help="do not store it in the database")
        parser.add_argument("--activate", action="store_true", help="make the stored model active")
        parser.add_argument("--cross-validate", type=int, metavar="K",
                            help="K-fold by article; write the out-of-fold predictions to --out")
        parser.add_argument("--out", type=Path, metavar="FILE.jsonl")
        parser.add_argument("--skip-training", action="store_true",
                            help="with --cross-validate: only the out-of-fold predictions")

    def handle(self, *args: Any, **options: Any) -> None:
        self._check(options)
        try:
            from articles.extraction.learning import training
        except ImportError as error:
            raise CommandError(f"The trainer is not available: {error}") from None
        examples, files = self._examples(options)
        if not examples:
            raise CommandError("No training examples: name a --set or use --from-database.")
        records = sum(len(example.records) for example in examples)
        self.stderr.write(f"{len(examples)} articles, {records} statements")
        figures: dict[str, Any] = {}
        if options["cross_validate"]:
            try:
                predictions = training.cross_validate(
                    examples, options["cross_validate"], seed=options["seed"]
                )
            except ValueError as error:
                raise CommandError(f"Cannot cross-validate: {error}") from None
            self._write_predictions(options["out"], examples, files, predictions)
            figures = {"folds": options["cross_validate"], **oof_figures(examples, predictions)}
            confusion = figures["stance_confusion"]
            self.stdout.write("Out of fold: " + ", ".join(
                f"{k} {v}" for k, v in figures.items() if k != "stance_confusion"))
            self.stdout.write("Wrong stances, gold>drafted: " + (", ".join(
                f"{pair} {n}" for pair, n in confusion.items()) or "none"))
        if options["skip_training"]:
            return
        try:
            weights = training.train(examples, seed=options["seed"], figures=figures or None)
        except ValueError as error:  # too few examples to learn a decision
            raise CommandError(f"Cannot train: {error}") from None
        weights = self._described(weights, examples, options)
        if options["write"]:
            options["write"].parent.mkdir(parents=True, exist_ok=True)
            options["write"].write_text(weights.to_json() + "\n", encoding="utf-8")
            self.stdout.write(f"Wrote model {weights.version} to {options['write']}")
        if not options["no_store"]:
            self._store(weights, activate=options["activate"])

    def _check(self, options: dict[str, Any]) -> None:
        if options["cross_validate"] is not None:
            if options["cross_validate"] < 2:
                raise CommandError("--cross-validate needs at least 2 folds.")
            if not options["out"]:
                raise CommandError("--cross-validate needs --out FILE.jsonl.")
        elif options["skip_training"] or options["out"]:
            raise CommandError("--out and --skip-training go with --cross-validate.")
        if options["activate"] and options["no_store"]:
            raise CommandError("--activate stores the model: drop --no-store.")
        if options["negotiation"] and not options["from_database"]:
            raise CommandError("--negotiation selects database articles: add --from-database.")

    def _examples(self, options: dict[str, Any]) -> tuple[list[Example], dict[str, tuple[str, str]]]:
        """The examples, and per example key the file name and negotiation its records get."""
        examples: list[Example] = []
        files: dict[str, tuple[str, str]] = {}
        for spec in options["sets"] or []:
            try:
                reference = references_for_extract(spec.slug)[0].reference
                found = read_set(spec.path, reference, articles=spec.articles)
            except Negotiation.DoesNotExist as error:
                raise CommandError(str(error)) from None
            except (OSError, ValueError) as error:
                raise CommandError(f"{spec.path}: {error}") from None
            self.stderr.write(f"{spec}: {len(found)} articles")
            for example in found:
                stem = example.key.rpartition("/")[2]
                files[example.key] = (str(spec.path / "articles" / f"{stem}.txt"), spec.slug)
            examples.extend(found)
        if options["from_database"]:
            examples.extend(self._database_examples(options["negotiation"], files))
        keys = [example.key for example in examples]
        if len(set(keys)) != len(keys):
            raise CommandError("Two sets give the same article keys: name each set folder once.")
        return examples, files

    def _database_examples(self, slug: str | None, files: dict[str, tuple[str, str]]) -> list[Example]:
        from articles.training import examples_from_database
        from positions.models import Article

        negotiation = None
        if slug:
            negotiation = Negotiation.objects.filter(slug=slug).first()
            if negotiation is None:
                raise CommandError(f"No negotiation with slug {slug!r} in the database")
        found = examples_from_database(negotiation=negotiation)
        slugs = dict(
            Article.objects.filter(pk__in=[int(e.key.partition("/")[2]) for e in found])
            .values_list("pk", "negotiation__slug")
        )
        for example in found:
            pk = int(example.key.partition("/")[2])
            files[example.key] = (f"db/{pk}.txt", slugs[pk])
        self.stderr.write(f"database: {len(found)} reviewed articles")
        return found

    def _write_predictions(
        self, out: Path, examples: Sequence[Example], files: dict[str, tuple[str, str]],
        predictions: dict[str, list[Any]],
    ) -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        count = 0
        with out.open("w", encoding="utf-8") as handle:
            for example in examples:
                name, slug = files[example.key]
                for draft in predictions.get(example.key, []):
                    record = draft_record(name, example.body, draft, negotiation=slug)
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
                    count += 1
        self.stdout.write(f"Wrote {count} out-of-fold predictions to {out}")

    def _described(self, weights: Weights, examples: Sequence[Example], options: dict[str, Any]) -> Weights:
        """The trained weights with what they were trained on (the trainer records the rest:
        data digest, date, library versions, figures) and the version asked for."""
        trained_on = [str(spec) for spec in options["sets"] or []]
        if options["from_database"]:
            trained_on.append("database" + (f":{options['negotiation']}" if options["negotiation"] else ""))
        meta = {**weights.meta, "trained_on": trained_on}
        return dataclasses.replace(weights, version=options["model_version"] or weights.version, meta=meta)

    def _store(self, weights: Weights, *, activate: bool) -> None:
        from articles.extraction_models import ModelVersionTaken, extraction_model_create

        try:
            stored = extraction_model_create(weights=weights, activate=activate)
        except (ModelVersionTaken, ValueError) as error:
            raise CommandError(str(error)) from None
        state = "active" if stored.is_active else "stored, not active"
        self.stdout.write(f"Model {stored.version}: {state}")
