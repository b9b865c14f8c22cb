"""`manage.py train_proposal_linker`: train the learned proposal linker on the tune half of a
labelled set, report its figures cross-validated by article, and write it as JSON (by
default the shipped ``articles/extraction/data/proposal_linker.json``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.extraction.proposal_eval import link_articles, read_labels
from articles.extraction.proposal_linker import PRECISION, SHIPPED, nested_figures, prepare, train_linker
from articles.management.commands.score_proposal_links import LABELS
from articles.reference import references_for_extract
from positions.models import Negotiation


class Command(BaseCommand):
    help = ("Train the proposal linker on the tune half of a set's labelled statements (never "
            "the check half), print its nested cross-validated figures, write it as JSON.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--set", dest="set_dir", default="../shared/train/gaza", metavar="PATH")
        parser.add_argument("--negotiation", metavar="SLUG", default="gaza-ceasefire")
        parser.add_argument("--labels", metavar="PATH", type=Path, default=None,
                            help="tune labels (default: the shipped NAME-tune.json)")
        parser.add_argument("--folds", type=int, default=5)
        parser.add_argument("--c", type=float, default=0.03, help="pair model regularisation")
        parser.add_argument("--decide-c", type=float, default=0.1, help="decision model regularisation")
        parser.add_argument("--precision", type=float, default=PRECISION,
                            help="out-of-fold precision the threshold keeps")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--no-cross-validate", action="store_true")
        parser.add_argument("--write", type=Path, default=SHIPPED, metavar="PATH")

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["set_dir"])
        labels_path = options["labels"] or LABELS / f"{folder.name}-tune.json"
        if not (folder / "gold.jsonl").is_file():
            raise CommandError(f"{folder}: no gold.jsonl there")
        if options["folds"] < 2:
            raise CommandError("--folds needs at least 2")
        try:
            labels = read_labels([labels_path])
            [chosen] = references_for_extract(options["negotiation"])
        except (OSError, ValueError, Negotiation.DoesNotExist) as error:
            raise CommandError(str(error)) from None
        articles = prepare(link_articles(folder, chosen.reference, labels, half="tune"))
        settings = {"c": options["c"], "decide_c": options["decide_c"], "folds": options["folds"],
                    "seed": options["seed"], "precision": options["precision"]}
        try:
            cv = {} if options["no_cross_validate"] else nested_figures(articles, **settings)
            model = train_linker(articles, **settings, meta={
                "trained_on": f"{folder.name} tune half, {labels_path.name}",
                "reference": f"{chosen.slug} ({chosen.source}, {len(chosen.reference.proposals)} proposals)",
                **({"cross_validated": cv} if cv else {})})
        except ValueError as error:
            raise CommandError(f"Cannot train: {error}") from None
        if cv:
            self.stdout.write("Nested cross-validation on the tune half: " + json.dumps(cv))
        self.stdout.write(f"Threshold {model.threshold:.3f}; inner folds: "
                          + json.dumps(model.meta["inner_folds"]))
        options["write"].parent.mkdir(parents=True, exist_ok=True)
        options["write"].write_text(model.to_json() + "\n", encoding="utf-8")
        self.stdout.write(f"Wrote {options['write']}")
