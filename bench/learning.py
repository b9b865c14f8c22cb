"""Learning from editors, measured: does the next model draft better once editors have
approved more statements?

Not a test; prints a learning curve. It needs PostgreSQL and a database of its own (it drops
what it holds, migrates it and loads the shipped negotiations), and the annotated corpus in
../shared. Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_learning_bench \\
    .venv/bin/python bench/learning.py [--a ../shared/train/gaza] \\
        [--bc ../shared/train/russia-ukraine:russia-ukraine] [--c-share 0.4] [--steps 0,25,50,100]

- Part A (``--a``, repeatable, every article): the base model's training data, the
  annotated sets a new installation ships with. Default: the Gaza training corpus.
- Parts B and C: one set (``--bc``) split by article with a fixed seed; C (``--c-share`` of
  it) is never trained on and scores every step; B is what editors confirm. Default: the
  Russia-Ukraine training corpus, i.e. a second negotiation whose editors start approving.
  With ``--no-a``, A is carved from the ``--bc`` set too (``--a-share`` of it).
- Each step adds the next articles of B, up to 0, 25, 50, 100 % of it (nested), to the
  database as approved statements with their gold fields, as if editors had confirmed
  drafts in Parley; then ``train(A + examples_from_database())`` — the same path as
  ``manage.py train_extractor --set A --from-database`` — and ``extract()`` with the new
  weights on C, scored by ../shared/eval/score.py's own ``score`` function.

Printed per step: B articles and statements in the database, statement F1, strict F1 (actor,
stance and an issue right), stance and issue accuracy on matched statements, seconds to train.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import io
import json
import os
import random
import re
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _prepare() -> None:
    from django.core.management import call_command
    from django.db import connection

    from positions.demo import demo_negotiations, negotiation_load

    with connection.cursor() as cursor:  # the benchmark's own database: start it afresh
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    for data in demo_negotiations().values():
        negotiation_load(data=data)


def _split_spec(spec: str) -> tuple[Path, str]:
    path, _, slug = spec.partition(":")
    return Path(path), slug or "gaza-ceasefire"


def _scorer(path: Path) -> Any:
    spec = importlib.util.spec_from_file_location("score", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"score.py not found at {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _gold(folder: Path) -> dict[str, list[dict[str, Any]]]:
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            row["stance"] = row["stance"].lower()
            row["issues"] = [issue.lower() for issue in row["issues"]]
            gold[str(row["article"]).zfill(3)].append(row)
    return gold


def _approve(examples: list[Any], slug: str) -> int:
    """Save examples as articles whose statements editors approved; count the statements."""
    from articles.sources import content_hash
    from positions.models import Article, Evidence, Negotiation, Statement

    negotiation = Negotiation.objects.get(slug=slug)
    actors = {actor.name: actor for actor in negotiation.actors.all()}
    issues = {issue.key: issue for issue in negotiation.issues.all()}
    saved = 0
    for example in examples:
        article = Article.objects.create(
            negotiation=negotiation, title=example.meta.title[:300], url=example.meta.url,
            published_on=example.meta.published, body=example.body,
            content_hash=content_hash(example.body), status=Article.Status.DONE, language="en",
        )
        for record in example.records:
            if record.actor not in actors:
                continue
            statement = Statement(
                negotiation=negotiation, article=article, actor=actors[record.actor],
                speaker=record.speaker[:200] or record.actor, stance=record.stance,
                quote_type=record.quote_type, stated_on=record.date,
                date_basis=record.date_basis if record.date else "", via=record.via[:300],
                conditions=record.conditions, status=Statement.Status.APPROVED, confidence=1.0,
                extractor_version="bench",
            )
            statement.set_effective_on()
            statement.save()
            statement.issues.set([issues[key] for key in record.issues if key in issues])
            Evidence.objects.bulk_create(
                Evidence(statement=statement, start=start, end=end, text=example.body[start:end])
                for start, end in record.spans
            )
            saved += 1
    return saved


def _score(scorer: Any, examples: list[Any], folder: Path, weights: Any) -> dict[str, float]:
    from articles.extraction import extract
    from articles.management.commands.extract import draft_record

    preds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    bodies = {}
    for example in examples:
        stem = example.key.rpartition("/")[2]
        bodies[stem] = example.body
        for draft in extract(example.body, example.meta, example.reference, weights=weights):
            preds[stem].append(draft_record(f"{stem}.txt", example.body, draft))
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        scorer.score(sorted(bodies), preds, _gold(folder), bodies, False)
    text = printed.getvalue()

    def number(pattern: str) -> float:
        found = re.search(pattern, text)
        return float(found.group(1)) if found else float("nan")

    return {
        "statement_f1": number(r"statements\s+P [\d.]+\s+R [\d.]+\s+F1 ([\d.]+)"),
        "strict_f1": number(r"strict\s+P [\d.]+\s+R [\d.]+\s+F1 ([\d.]+)"),
        "stance": number(r"stance\s+accuracy on matched ([\d.]+)"),
        "issues": number(r"issues\s+micro F1 on matched ([\d.]+)"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--a", action="append", metavar="PATH[:SLUG]",
                        help=f"part A sets (default {SHARED / 'train' / 'gaza'})")
    parser.add_argument("--bc", default=f"{SHARED / 'train' / 'russia-ukraine'}:russia-ukraine",
                        metavar="PATH[:SLUG]")
    parser.add_argument("--c-share", type=float, default=0.4, help="share of --bc held out as C")
    parser.add_argument("--a-share", type=float, default=0.4,
                        help="with --no-a: share of --bc used as A")
    parser.add_argument("--no-a", action="store_true", help="A is carved from --bc (see --a-share)")
    parser.add_argument("--steps", default="0,25,50,100", help="percentages of B approved")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scorer", type=Path, default=SHARED / "eval" / "score.py")
    args = parser.parse_args()
    if not os.getenv("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("set DATABASE_URL to a PostgreSQL database of the benchmark's own")
    steps = [int(step) for step in args.steps.split(",")]
    scorer = _scorer(args.scorer)
    _django()
    _prepare()

    from articles.extraction.learning import read_set
    from articles.extraction.learning.training import train
    from articles.reference import reference_for
    from articles.training import examples_from_database
    from positions.models import Negotiation

    def examples_of(spec: str) -> tuple[list[Any], Path, str]:
        path, slug = _split_spec(spec)
        return read_set(path, reference_for(Negotiation.objects.get(slug=slug))), path, slug

    pool, bc_path, bc_slug = examples_of(args.bc)
    random.Random(args.seed).shuffle(pool)
    c_count = round(len(pool) * args.c_share)
    part_c, rest = pool[:c_count], pool[c_count:]
    part_a: list[Any] = []
    if args.no_a:
        a_count = round(len(pool) * args.a_share)
        part_a, rest = rest[:a_count], rest[a_count:]
    for spec in args.a or ([] if args.no_a else [str(SHARED / "train" / "gaza")]):
        part_a.extend(examples_of(spec)[0])
    part_b = rest
    print(f"A {len(part_a)} articles ({sum(len(e.records) for e in part_a)} statements), "
          f"B {len(part_b)} of {bc_path.name}, C {len(part_c)} of {bc_path.name} (seed {args.seed})")
    print(f"{'B approved':>10}  {'articles':>8}  {'statements':>10}  {'stmt F1':>7}  {'strict':>6}  "
          f"{'stance':>6}  {'issues':>6}  {'train s':>7}")
    in_database = 0
    statements = 0
    for step in steps:
        wanted = round(len(part_b) * step / 100)
        statements += _approve(part_b[in_database:wanted], bc_slug)
        in_database = wanted
        started = time.perf_counter()
        weights = train(part_a + examples_from_database(), seed=args.seed)
        seconds = time.perf_counter() - started
        figures = _score(scorer, part_c, bc_path, weights)
        print(f"{step:>9}%  {in_database:>8}  {statements:>10}  {figures['statement_f1']:>7.3f}  "
              f"{figures['strict_f1']:>6.3f}  {figures['stance']:>6.3f}  {figures['issues']:>6.3f}  "
              f"{seconds:>7.1f}", flush=True)


if __name__ == "__main__":
    main()
