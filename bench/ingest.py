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
   with the pipeline loaded before the clock starts; measured before and after 2., and the
   ratio taken to the mean, as other load on a shared machine changes over a run;
2. the real path: ``article_create`` for every article in one transaction (as a .zip
   batch is saved), so that all are enqueued when it commits; a Celery worker with
   ``--workers`` pool processes claims, extracts and saves drafts. Timed from the commit
   that enqueues the first article to the moment the last one was marked done or failed
   (its ``processed_at``, so polling, twice a second, adds no delay). The save before it is
   the upload's cost, not ingestion's: it is printed apart. The worker is warmed up first
   with a few articles, so starting it and loading spaCy are not counted on either side;
   then the database is analysed, as autovacuum would have done (see ``_analyze``).

Figures printed: articles per minute of each, their ratio (the cost of the queue and the
database; target >= 0.8), and where the CPU went in each timed window (from /proc: the
processes of each side, PostgreSQL, Redis, this script, everything else on the machine,
and what stayed idle), with the CPU per article of all of each side's processes. Other
load on the machine lowers both sides, not always equally: run it on a quiet machine and
read the "other processes" lines.
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
POLL_SECONDS = 0.5
TICK = os.sysconf("SC_CLK_TCK")


def corpus(count: int, seed: int) -> list[str]:
    from extract import article  # bench/extract.py's generator

    rng = random.Random(seed)
    published = date(2024, 3, 14)
    return [
        f"---\ntitle: Bench report {n}\npublished: {published - timedelta(days=n % 30)}\n---\n"
        f"Bench report {n}.\n\n{article(rng)}"
        for n in range(count)
    ]


# --- Where the CPU goes: /proc, per process group ---------------------------------------------


def _stat(pid: int) -> tuple[float, float, int] | None:
    """CPU seconds of the process, of its reaped children, and its parent's pid."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # gone
        return None
    own = (int(fields[11]) + int(fields[12])) / TICK
    return own, (int(fields[13]) + int(fields[14])) / TICK, int(fields[1])


def _machine_busy() -> tuple[float, float]:
    """CPU seconds the whole machine spent busy and in total, all cores."""
    values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = values[3] + values[4]  # idle, iowait
    total = sum(values[:8])  # guest time is already counted in user
    return (total - idle) / TICK, total / TICK


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


class CpuMeter:
    """CPU seconds per group of processes between ``start()`` and ``stop()``.

    ``groups`` maps a label to a function returning the group's live processes as (pid,
    part): "self", or "reaped" for the CPU of the children it reaped, or "all" for both.
    Call ``sample()`` now and then: a process that exits between samples is counted up to
    its last one, and taken off its reaper's group (``reaped_by``), which counts its whole
    life. Groups in ``apart`` are shown but not counted as the side's own.
    """

    def __init__(self, groups: dict[str, object], reaped_by: dict[str, str] | None = None,
                 apart: tuple[str, ...] = ()) -> None:
        self.groups = groups
        self.reaped_by = reaped_by or {}
        self.apart = apart

    def _read(self) -> dict[str, dict[int, float]]:
        found: dict[str, dict[int, float]] = {}
        for label, find in self.groups.items():
            found[label] = {}
            for pid, part in find():
                stat = _stat(pid)
                if stat is not None:
                    found[label][pid] = {"self": stat[0], "reaped": stat[1], "all": stat[0] + stat[1]}[part]
        return found

    def start(self) -> None:
        self.first = self._read()
        self.last = {label: dict(pids) for label, pids in self.first.items()}
        self.machine = _machine_busy()
        self.started = time.perf_counter()

    def sample(self) -> None:
        for label, pids in self._read().items():
            for pid, cpu in pids.items():
                self.first[label].setdefault(pid, 0.0)  # born since the start
                self.last[label][pid] = cpu

    def stop(self) -> None:
        self.seconds = time.perf_counter() - self.started
        alive = self._read()
        self.sample()
        busy, total = _machine_busy()
        self.machine = (busy - self.machine[0], total - self.machine[1])
        self.used = {
            label: sum(self.last[label][pid] - self.first[label][pid] for pid in self.last[label])
            for label in self.groups
        }
        for label, reaper in self.reaped_by.items():
            for pid, cpu in self.last[label].items():
                if pid not in alive[label]:
                    self.used[reaper] -= cpu

    @property
    def own(self) -> float:
        """CPU seconds of the side's own processes."""
        return sum(used for label, used in self.used.items() if label not in self.apart)

    def report(self, articles: int) -> list[str]:
        busy, total = self.machine
        lines = [f"  CPU while measured ({total / self.seconds:.1f} cores x {self.seconds:.1f} s"
                 f" = {total:.1f} s):"]
        for label, used in self.used.items():
            lines.append(f"  {label:<52}{used:7.1f} s  {used / articles * 1000:6.1f} ms/article")
        lines.append(f"  {'other processes on the machine (with those apart)':<52}{busy - self.own:7.1f} s")
        lines.append(f"  {'idle':<52}{total - busy:7.1f} s")
        return lines


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
    extract("Hamas said on Monday it would not accept a truce.", ArticleMeta(), _reference, pipeline=model)


def _plain_extract(job: tuple[str, str]) -> int:
    from articles.extraction import extract
    from articles.sources import read_text

    text, model = job
    document = read_text(text)  # the same body and metadata the worker's article has
    return len(extract(document.body, document.meta, _reference, pipeline=model))


def plain(texts: list[str], workers: int, model: str) -> tuple[float, CpuMeter]:
    """Seconds for ``workers`` plain processes to extract every text, and where the CPU went."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers, initializer=_plain_init, initargs=(model,)) as pool:
        # Every process has loaded the pipeline once these return.
        pool.map(time.sleep, [0.5] * workers)
        processes = [process.pid for process in pool._pool]
        meter = CpuMeter({
            f"{workers} extraction processes": lambda: [(pid, "self") for pid in processes],
            "this script (hands out the texts)": lambda: [(os.getpid(), "self")],
        })
        meter.start()
        started = time.perf_counter()
        pool.map(_plain_extract, [(text, model) for text in texts], chunksize=1)
        seconds = time.perf_counter() - started
        meter.stop()
        return seconds, meter


# --- 2. the real path: save, queue, worker, database ---------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _prepare() -> object:
    from django.core.management import call_command
    from django.db import connection

    from positions.demo import demo_data, negotiation_load

    with connection.cursor() as cursor:  # the benchmark's own database: start it afresh
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    return negotiation_load(data=demo_data())


PG_OURS = "PostgreSQL: this database (backends, autovacuum)"
PG_SERVER = "PostgreSQL: the server's own processes"
PG_EXITED = "(apart: PostgreSQL processes exited, any db, whole life)"


def _postgres_groups() -> dict[str, object]:
    """This database's backends and autovacuum workers; the server's own processes (writers,
    checkpointer: shared with other databases, counted as ours all the same); and what
    processes that exited unseen used in their whole lives, of any database: apart, as it
    may be other load (it holds the per-task backends of a worker that does not keep its
    connection, and a long-lived backend of another database that happened to exit)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        postmaster = _stat(cursor.fetchone()[0])[2]
    name = connection.settings_dict["NAME"]

    def titles() -> list[tuple[int, list[str]]]:
        found = []
        for pid in _children(postmaster):
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            found.append((pid, title.split()))
        return found

    def ours() -> list[tuple[int, str]]:
        return [(pid, "self") for pid, words in titles() if name in words]

    def server() -> list[tuple[int, str]]:
        return [(postmaster, "self")] + [
            (pid, "self") for pid, words in titles()
            if not any("(" in word or word == "[local]" for word in words) and words[-2:-1] != ["worker"]
        ]

    return {PG_OURS: ours, PG_SERVER: server, PG_EXITED: lambda: [(postmaster, "reaped")]}


def _analyze() -> None:
    """Give the fresh database's tables statistics, as autovacuum does in any deployment.

    Without them (autovacuum is off on some development servers) a worker's connection,
    kept from task to task, keeps the plans it made for foreign-key checks while the tables
    were empty: a scan of all statements for every evidence row and issue, 60 per article
    and growing with the table. ANALYZE makes PostgreSQL plan them again.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _save(texts: list[str], negotiation: object) -> list[int]:
    from articles.services import article_create
    from articles.sources import read_text

    ids = []
    for text in texts:
        article, _ = article_create(document=read_text(text), negotiation=negotiation, uploaded_by=None)
        ids.append(article.pk)
    return ids


def _wait(ids: list[int], timeout: float, meter: CpuMeter | None = None) -> tuple[float, int]:
    """Wait until every article is final; when the last one was marked so (epoch seconds),
    and how many failed. Polls twice a second with one indexed query."""
    from django.db.models import Max

    from positions.models import Article

    articles = Article.objects.filter(pk__gte=min(ids), pk__lte=max(ids))
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not articles.exclude(status__in=Article.FINAL).exists():
            last = articles.aggregate(last=Max("processed_at"))["last"]
            return last.timestamp(), articles.filter(status=Article.Status.FAILED).count()
        time.sleep(POLL_SECONDS)
        if meter is not None:
            meter.sample()
    raise SystemExit(f"gave up: articles still pending after {timeout:.0f} s")


def queued(texts: list[str], workers: int) -> tuple[float, int, float, CpuMeter]:
    """Seconds from the first enqueue until every article is final, how many failed, the
    seconds the save before it took, and where the CPU went."""
    import redis
    from django.conf import settings
    from django.db import transaction

    negotiation = _prepare()
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-c", str(workers),
         "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        cwd=ROOT, start_new_session=True,
    )
    redis_pid = redis.Redis.from_url(settings.CELERY_BROKER_URL).info()["process_id"]
    pool_label = f"worker: {workers} pool processes"
    meter = CpuMeter({
        pool_label: lambda: [(pid, "self") for pid in _children(worker.pid)],
        "worker: main process": lambda: [(worker.pid, "all")],
        **_postgres_groups(),
        "Redis": lambda: [(redis_pid, "self")],
        "this script (enqueues, polls)": lambda: [(os.getpid(), "self")],
    }, reaped_by={pool_label: "worker: main process", PG_OURS: PG_EXITED}, apart=(PG_EXITED,))
    try:
        warm = _save(texts[:WARM_UP], negotiation)
        _wait(warm, timeout=300)
        _analyze()
        saving = time.perf_counter()
        with transaction.atomic():  # every article is enqueued when this commits
            ids = _save(texts[WARM_UP:], negotiation)
            saved = time.perf_counter() - saving
            meter.start()
            started = time.time()
        finished, failed = _wait(ids, timeout=3600, meter=meter)
        meter.stop()
        return finished - started, failed, saved, meter
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

    print(f"load average before: {os.getloadavg()[0]:.2f}")

    def alone(when: str) -> tuple[float, CpuMeter]:
        seconds, meter = plain(timed, args.workers, settings.PARLEY_SPACY_MODEL)
        print(f"extraction alone ({args.workers} plain processes, {when}): "
              f"{len(timed) / seconds * 60:7.0f} articles/min ({seconds:.1f} s)")
        print("\n".join(meter.report(len(timed))))
        return seconds, meter

    before, before_meter = alone("before")
    queued_seconds, failed, saved, queued_meter = queued(texts, args.workers)
    queued_rate = len(timed) / queued_seconds * 60
    print(f"through Redis, Celery and PostgreSQL ({args.workers} worker processes): "
          f"{queued_rate:7.0f} articles/min ({queued_seconds:.1f} s, {failed} failed; "
          f"saving them before, not timed: {saved:.1f} s)")
    print("\n".join(queued_meter.report(len(timed))))
    after, after_meter = alone("after")

    # Other load on the machine changes over a run: extraction alone is measured on both
    # sides of the queued run, and the ratio is to their mean.
    plain_rate = len(timed) / ((before + after) / 2) * 60
    print(f"ratio queued/alone: {queued_rate / plain_rate:.2f}  (target >= 0.8; alone: mean of "
          f"{plain_rate:.0f} articles/min)")
    plain_cpu = (before_meter.own + after_meter.own) / 2
    queued_cpu = queued_meter.own
    print(f"CPU per article, each side's own processes: alone {plain_cpu / len(timed) * 1000:.1f} ms, "
          f"queued {queued_cpu / len(timed) * 1000:.1f} ms; their ratio {plain_cpu / queued_cpu:.2f} "
          f"(the ratio on an otherwise idle machine whose cores they keep busy)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
