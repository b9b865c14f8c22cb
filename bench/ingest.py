"""Benchmark of ingestion: articles through Redis and Celery workers against extraction alone.

Not a test; prints figures. It needs PostgreSQL and Redis, and a database of its own: it
drops what it holds, migrates it and loads the demo negotiation. Run from the project root:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_ingest_bench \\
    CELERY_BROKER_URL=redis://127.0.0.1:6379/12 \\
    .venv/bin/python bench/ingest.py [--articles 1000] [--workers 2] [--seed 7]

The corpus is bench/extract.py's (our own sentences, a fixed seed), each article made
unique by a numbered first line, with front matter (title, publication date) read the same
way on both sides. In the same run:

1. extraction alone: ``extract()`` over the corpus in ``--workers`` plain processes, each
   with the pipeline loaded before the clock starts;
2. the real path: ``article_create`` for every article (saved, enqueued on commit), a
   Celery worker with ``--workers`` pool processes claiming, extracting and saving drafts,
   timed from the first save until every article is done or failed. The worker is warmed
   up first with a few articles, so loading spaCy is not counted on either side.

Figures printed: articles per minute of each, and their ratio (the cost of the queue and
the database; target >= 0.8).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

WARM_UP = 6


def corpus(count: int, seed: int) -> list[str]:
    from extract import article  # bench/extract.py's generator

    rng = random.Random(seed)
    published = date(2024, 3, 14)
    return [
        f"---\ntitle: Bench report {n}\npublished: {published - timedelta(days=n % 30)}\n---\n"
        f"Bench report {n}.\n\n{article(rng)}"
        for n in range(count)
    ]


# --- 1. extraction alone in plain processes --------------------------------------------------

_reference = None


def _plain_init(model: str) -> None:
    global _reference
    import yaml

    from articles.extraction import extract, load_pipeline
    from articles.extraction.reference import reference_from_mapping
    from articles.extraction.types import ArticleMeta

    with (ROOT / "positions" / "demo" / "gaza.yaml").open(encoding="utf-8") as handle:
        _reference = reference_from_mapping(yaml.safe_load(handle))
    load_pipeline(model)
    extract("Hamas said on Monday it would not accept a truce.", ArticleMeta(), _reference, model=model)


def _plain_extract(job: tuple[str, str]) -> int:
    from articles.extraction import extract
    from articles.sources import read_text

    text, model = job
    document = read_text(text)  # the same body and metadata the worker's article has
    return len(extract(document.body, document.meta, _reference, model=model))


def plain(texts: list[str], workers: int, model: str) -> float:
    """Seconds for ``workers`` plain processes to extract every text."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_plain_init, initargs=(model,)) as pool:
        # Every process has loaded the pipeline once these return.
        pool.map(time.sleep, [0.5] * workers)
        started = time.perf_counter()
        pool.map(_plain_extract, [(text, model) for text in texts], chunksize=1)
        return time.perf_counter() - started


# --- 2. the real path: save, queue, worker, database ---------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _prepare() -> object:
    from django.core.management import call_command
    from django.db import connection

    from positions.demo import negotiation_load
    from positions.reference import demo_data

    with connection.cursor() as cursor:  # the benchmark's own database: start it afresh
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    return negotiation_load(data=demo_data())


def _save(texts: list[str], negotiation: object) -> list[int]:
    from articles.services import article_create
    from articles.sources import read_text

    ids = []
    for text in texts:
        article, _ = article_create(document=read_text(text), negotiation=negotiation, uploaded_by=None)
        ids.append(article.pk)
    return ids


def _wait(ids: list[int], timeout: float) -> tuple[float, int]:
    """Wait until every article is final; the moment that happened and how many failed."""
    from articles.models import Article

    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        pending = Article.objects.filter(pk__in=ids).exclude(status__in=Article.FINAL).count()
        if pending == 0:
            return time.perf_counter(), Article.objects.filter(pk__in=ids, status="failed").count()
        time.sleep(0.2)
    raise SystemExit(f"gave up: articles still pending after {timeout:.0f} s")


def queued(texts: list[str], workers: int) -> tuple[float, int]:
    """Seconds from the first save until every article is final, and how many failed."""
    negotiation = _prepare()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", str(workers),
         "--loglevel=WARNING", "--without-gossip", "--without-mingle"],
        cwd=ROOT, start_new_session=True,
    )
    try:
        warm = _save(texts[:WARM_UP], negotiation)
        _wait(warm, timeout=300)
        started = time.perf_counter()
        ids = _save(texts[WARM_UP:], negotiation)
        finished, failed = _wait(ids, timeout=3600)
        return finished - started, failed
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if not os.getenv("DATABASE_URL", "").startswith("postgres") or not os.getenv("CELERY_BROKER_URL"):
        raise SystemExit("set DATABASE_URL (PostgreSQL, a database of its own) and CELERY_BROKER_URL")
    _django()
    from django.conf import settings

    texts = corpus(args.articles + WARM_UP, args.seed)
    timed = texts[WARM_UP:]
    words = sum(len(text.split()) for text in timed)
    print(f"corpus: {len(timed)} articles, {words / len(timed):.0f} words each (seed {args.seed}); "
          f"{args.workers} processes each side")

    plain_seconds = plain(timed, args.workers, settings.PARLEY_SPACY_MODEL)
    plain_rate = len(timed) / plain_seconds * 60
    print(f"extraction alone ({args.workers} plain processes): {plain_rate:7.0f} articles/min "
          f"({plain_seconds:.1f} s)")

    queued_seconds, failed = queued(texts, args.workers)
    queued_rate = len(timed) / queued_seconds * 60
    print(f"through Redis, Celery and PostgreSQL ({args.workers} worker processes): "
          f"{queued_rate:7.0f} articles/min ({queued_seconds:.1f} s, {failed} failed)")
    print(f"ratio queued/alone: {queued_rate / plain_rate:.2f}  (target >= 0.8)")


if __name__ == "__main__":
    main()
