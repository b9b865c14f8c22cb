"""`manage.py score_proposal_links`: how well extraction links annotated statements to the
proposals they are about (precision, recall and F1 per half of the set)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.extraction.proposal_eval import HALVES, LinkCase, link_cases, link_score, read_labels
from articles.extraction.proposal_linker import SHIPPED, shipped_linker
from articles.reference import references_for_extract
from positions.models import Negotiation

LABELS = Path(__file__).resolve().parents[2] / "extraction" / "data" / "proposal_links"


class Command(BaseCommand):
    help = ("Score the proposal links of a set's gold statements against labels: precision, "
            "recall, F1, and P(any), the share of links made on statements that refer to some "
            "proposal; -v 2 lists the misses.")
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--set", dest="set_dir", default="../shared/train/gaza", metavar="PATH",
                            help="a set folder in the eval format (default ../shared/train/gaza)")
        parser.add_argument("--negotiation", metavar="SLUG", default="gaza-ceasefire")
        parser.add_argument("--half", choices=[*HALVES, "all"], default="all")
        parser.add_argument("--rules", action="store_true",
                            help="score the rules alone, not the learned linker")
        parser.add_argument(
            "--labels", metavar="PATH", action="append", default=None,
            help="label files, {statement id: proposal key or null} (default: the shipped "
                 "NAME-tune.json and NAME.json, NAME the set's folder)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["set_dir"])
        if not (folder / "gold.jsonl").is_file():
            raise CommandError(f"{folder}: no gold.jsonl there")
        paths = [Path(p) for p in options["labels"]] if options["labels"] else [
            path for path in (LABELS / f"{folder.name}-tune.json", LABELS / f"{folder.name}.json")
            if path.is_file()]
        if not paths:
            raise CommandError(f"No label files for {folder.name} in {LABELS}")
        try:
            labels = read_labels(paths)
            [chosen] = references_for_extract(options["negotiation"])
        except (OSError, ValueError) as error:
            raise CommandError(str(error)) from None
        except Negotiation.DoesNotExist as error:
            raise CommandError(str(error)) from None
        if not chosen.reference.proposals:
            raise CommandError(f"{chosen.slug} ({chosen.source}) lists no proposals")
        self.stdout.write(f"reference: {chosen.source} ({chosen.slug}), "
                          f"{len(chosen.reference.proposals)} proposals; labels: "
                          + ", ".join(p.name for p in paths))
        model = None if options["rules"] else shipped_linker()
        self.stdout.write("linker: " + ("rules alone" if model is None else
                                        f"learned ({SHIPPED.name}, threshold {model.threshold:.3f})"))
        halves = [*HALVES, "all"] if options["half"] == "all" else [options["half"]]
        self.stdout.write(f"{'half':6} {'statements':>10} {'gold':>5} {'linked':>6} {'right':>5}"
                          f" {'P':>6} {'R':>6} {'F1':>6} {'P(any)':>6}")
        misses: list[LinkCase] = []
        for half in halves:
            cases = link_cases(folder, chosen.reference, labels, half=half, model=model)
            score = link_score(cases)
            self.stdout.write(
                f"{half:6} {score.statements:>10} {score.gold_links:>5} {score.predicted_links:>6}"
                f" {score.correct:>5} {score.precision:>6.3f} {score.recall:>6.3f} {score.f1:>6.3f}"
                f" {score.meant_precision:>6.3f}")
            if half == halves[-1]:
                misses = [case for case in cases if case.predicted != case.gold]
        if options["verbosity"] >= 2:
            for case in misses:
                confidence = f" ({case.confidence:.2f})" if case.confidence is not None else ""
                self.stdout.write(f"{case.statement}: gold {case.gold or '-'}, "
                                  f"linked {case.predicted or '-'}{confidence}")
                for text in case.evidence:
                    self.stdout.write(f"    “{text[:200]}”")
