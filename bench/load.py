"""Load: concurrent editors and researchers against gunicorn + a Celery worker + PostgreSQL.
Prints figures and exits non-zero on a server error or a lost update; not a test, not in CI.

    .venv/bin/python bench/load.py                       # 20 users for 60 s
    .venv/bin/python bench/load.py --users 20 --duration 60 --hot 6

Loopback only, and it stops by itself. It recreates the database named by --database on the
local PostgreSQL (default parley_load), migrates it, loads the demo negotiation, a few
hundred approved statements and a small "hot" set of drafts, then starts gunicorn (gthread)
and one Celery worker on a queue of its own, and runs the users as threads:

- editors read a hot statement's version and approve or edit it at that version (so they
  collide on purpose: 409 conflicts are the expected answer), and now and then upload an
  article that the worker must ingest;
- researchers open timelines, the side by side as of a date, search, and export CSV.

No lost update: every successful write reports the version it produced; at the end each hot
statement's versions 2..N must each have been produced by exactly one acknowledged write, N
must equal 1 + the writes, the history must hold one record per write, and each edit's
summary must be the one stored at its version. Every uploaded article must reach "done".
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "load-password-not-secret"
HOST = "127.0.0.1"
WORDS = ["ceasefire", "hostages", "withdrawal", "aid", "truce", "prisoners", "talks", "Cairo"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_port(port: int, process: subprocess.Popen[bytes], what: str) -> None:
    for _ in range(200):
        if process.poll() is not None:
            raise SystemExit(f"{what} exited with {process.returncode}")
        try:
            socket.create_connection((HOST, port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start")


def recreate_database(name: str) -> str:
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"postgres://postgres@{HOST}:5432/postgres", autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgres://postgres@{HOST}:5432/{name}"


def seed(users: int, hot: int, background: int) -> dict[str, Any]:
    """Demo negotiation, users, background approved statements and the hot drafts."""
    import django

    django.setup()
    from django.contrib.auth.models import Group, User

    from positions.demo import demo_data, negotiation_load
    from positions.models import Article, Evidence, Statement

    negotiation = negotiation_load(data=demo_data())
    actors = list(negotiation.actors.all())
    issues = list(negotiation.issues.all())
    rng = random.Random(5)
    body = "The envoy said on Monday that the talks would resume. " * 4
    articles = []
    for n in range(10):
        text = f"Report {n}. {body}"
        articles.append(Article.objects.create(
            negotiation=negotiation, title=f"Load report {n}", body=text,
            content_hash=uuid.uuid4().hex, published_on=date(2024, 1, 1) + timedelta(days=n * 9),
            status=Article.Status.DONE,
        ))

    def statement(article: Any, status: str, n: int) -> Statement:
        s = Statement.objects.create(
            negotiation=negotiation, article=article, actor=rng.choice(actors),
            speaker="A spokesman", stance=rng.choice(Statement.Stance.values),
            summary=f"Position {n} on {rng.choice(WORDS)} and {rng.choice(WORDS)}",
            stated_on=article.published_on, effective_on=article.published_on,
            date_basis=Statement.DateBasis.EXPLICIT,
            status=status, confidence=0.7,
        )
        s.issues.set(rng.sample(issues, 2))
        Evidence.objects.create(statement=s, start=0, end=9, text=article.body[:9])
        return s

    for n in range(background):
        statement(articles[n % len(articles)], Statement.Status.APPROVED, n)
    hot_ids = [statement(articles[n % 3], Statement.Status.DRAFT, n).pk for n in range(hot)]
    editor_group = Group.objects.get_or_create(name="editor")[0]
    researcher_group = Group.objects.get_or_create(name="researcher")[0]
    names = []
    for n in range(users):
        role = "editor" if n % 2 == 0 else "researcher"
        user = User.objects.create_user(f"{role}{n}", password=PASSWORD)
        user.groups.add(editor_group if role == "editor" else researcher_group)
        names.append((user.username, role))
    return {
        "slug": negotiation.slug, "negotiation": negotiation.pk, "hot": hot_ids,
        "actors": [a.pk for a in actors], "issues": [i.pk for i in issues], "users": names,
    }


@dataclass
class Results:
    lock: threading.Lock = field(default_factory=threading.Lock)
    latency: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    # statement id -> [(version produced, kind, summary sent)]
    writes: dict[int, list[tuple[int, str, str]]] = field(default_factory=lambda: defaultdict(list))
    uploads: list[str] = field(default_factory=list)

    def record(self, kind: str, started: float, response: Any) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            self.latency[kind].append(elapsed)
            self.statuses[(kind, response.status_code)] += 1
            if response.status_code >= 500:
                self.errors.append(f"{kind} {response.request.url} -> {response.status_code}")


def sign_in(client: Any, username: str) -> None:
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    response = client.post("/accounts/login/", data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token,
    })
    assert response.status_code == 302, (username, response.status_code)


def csrf(client: Any) -> str:
    return client.cookies.get("csrftoken") or ""


def editor_loop(
    client: Any, world: dict[str, Any], results: Results, stop: float, rng: random.Random
) -> None:
    htmx = {"HX-Request": "true", "X-CSRFToken": csrf(client)}
    while time.monotonic() < stop:
        pk = rng.choice(world["hot"])
        started = time.perf_counter()
        page = client.get(f"/articles/statements/{pk}/")
        results.record("editor: open statement", started, page)
        found = re.search(rf"#{pk} · v(\d+)", page.text)
        if not found:
            results.errors.append(f"statement {pk}: no version on its page ({page.status_code})")
            continue
        version = int(found[1])
        roll = rng.random()
        if roll < 0.05:
            text = f"Upload {uuid.uuid4().hex}. Hamas said on Monday it rejected the proposal for a truce."
            started = time.perf_counter()
            response = client.post("/articles/upload/", data={
                "negotiation": world["negotiation"], "text": text, "title": text[:40],
            }, headers={"X-CSRFToken": csrf(client)})
            results.record("editor: upload", started, response)
            if response.status_code == 302:
                with results.lock:
                    results.uploads.append(text[:40])
            continue
        if roll < 0.55:
            kind, summary = "approve", ""
            data = {"version": version}
            url = f"/articles/statements/{pk}/approve/"
        else:
            kind = "edit"
            summary = f"Edited by {threading.current_thread().name} at v{version} {uuid.uuid4().hex[:6]}"
            data = {
                "version": version, "actor": rng.choice(world["actors"]), "speaker": "A spokesman",
                "issues": rng.sample(world["issues"], 2), "stance": "demand", "summary": summary,
                "conditions": "", "via": "", "stated_on": "2024-01-05",
            }
            url = f"/articles/statements/{pk}/edit/"
        started = time.perf_counter()
        response = client.post(url, data=data, headers=htmx)
        results.record(f"editor: {kind}", started, response)
        if response.status_code == 200:
            produced = re.search(rf"#{pk} · v(\d+)", response.text)
            if not produced:
                results.errors.append(f"{kind} {pk}: 200 without a version")
                continue
            with results.lock:
                results.writes[pk].append((int(produced[1]), kind, summary))
        elif response.status_code not in (409,):
            results.errors.append(f"{kind} {pk} at v{version}: {response.status_code}")


def researcher_loop(
    client: Any, world: dict[str, Any], results: Results, stop: float, rng: random.Random
) -> None:
    slug = world["slug"]
    while time.monotonic() < stop:
        day = (date(2024, 1, 1) + timedelta(days=rng.randrange(100))).isoformat()
        kind, url = rng.choice([
            ("researcher: timeline", f"/actors/{rng.choice(world['actors'])}/"),
            ("researcher: side by side", f"/negotiations/{slug}/?as_of={day}"),
            ("researcher: search", f"/search/?q={rng.choice(WORDS)}"),
            ("researcher: what changed", f"/negotiations/{slug}/changes/?date_from=2024-01-01&date_to={day}"),
            ("researcher: export CSV", f"/export/?negotiation={slug}"),
        ])
        started = time.perf_counter()
        response = client.get(url)
        results.record(kind, started, response)
        if response.status_code != 200:
            results.errors.append(f"{url}: {response.status_code}")
        elif kind.endswith("CSV") and "id,date" not in response.text:
            results.errors.append("CSV export without its header row")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(int(len(ordered) * share + 0.5) - 1, 0)]


def verify(world: dict[str, Any], results: Results) -> list[str]:
    """No lost update: every version of every hot statement is one acknowledged write."""
    from positions.models import Statement

    problems = []
    for pk in world["hot"]:
        statement = Statement.objects.get(pk=pk)
        writes = sorted(results.writes.get(pk, []))
        produced = [version for version, _, _ in writes]
        if produced != list(range(2, statement.version + 1)):
            problems.append(f"#{pk}: at v{statement.version}, acknowledged versions {produced}")
        # One history version per write (an edit also records its issues, under the same version).
        versions = statement.history.filter(version__gte=2).values("version").distinct().count()
        if versions != len(writes):
            problems.append(f"#{pk}: {versions} versions in the history for {len(writes)} writes")
        for version, kind, summary in writes:
            if kind != "edit":
                continue
            stored = statement.history.filter(version=version).order_by("-history_id").first()
            if stored is None or stored.summary != summary:
                problems.append(f"#{pk} v{version}: the edit's summary is not what was stored")
    return problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="half editors, half researchers")
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--hot", type=int, default=6, help="draft statements editors fight over")
    parser.add_argument("--background", type=int, default=400, help="approved statements")
    parser.add_argument("--database", default="parley_load")
    parser.add_argument("--broker", default=f"redis://{HOST}:6379/11")
    parser.add_argument("--gunicorn-workers", type=int, default=4)
    parser.add_argument("--gunicorn-threads", type=int, default=4)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()

    database_url = recreate_database(args.database)
    queue = f"load-{uuid.uuid4().hex[:6]}"
    static = tempfile.mkdtemp(prefix="parley-load-static-")
    env = {
        **os.environ, "DATABASE_URL": database_url, "CELERY_BROKER_URL": args.broker,
        "CELERY_TASK_ALWAYS_EAGER": "0", "CELERY_TASK_DEFAULT_QUEUE": queue,
        "DEBUG": "0", "SECRET_KEY": "load-only-" + "y" * 50, "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0", "SECURE_HSTS_SECONDS": "0",
        "STATIC_ROOT": static, "DJANGO_SETTINGS_MODULE": "config.settings", "LOG_LEVEL": "WARNING",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_SETTINGS_MODULE",
                                           "CELERY_TASK_ALWAYS_EAGER", "CELERY_TASK_DEFAULT_QUEUE",
                                           "LOG_LEVEL")})
    sys.path.insert(0, str(ROOT))
    for command in (["migrate", "--noinput", "-v0"], ["collectstatic", "--noinput", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    world = seed(args.users, args.hot, args.background)
    print(f"database {args.database}: {args.background} approved statements, {args.hot} hot drafts; "
          f"{args.users} users ({args.users - args.users // 2} editors); {args.duration:.0f} s")

    bin_dir = Path(sys.executable).parent
    port = free_port()
    logs = Path(tempfile.mkdtemp(prefix="parley-load-logs-"))
    server = subprocess.Popen(
        [str(bin_dir / "gunicorn"), "config.wsgi", "-k", "gthread", "-w", str(args.gunicorn_workers),
         "--threads", str(args.gunicorn_threads), "-b", f"{HOST}:{port}", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=(logs / "gunicorn.log").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = subprocess.Popen(
        [str(bin_dir / "celery"), "-A", "config", "worker", "-Q", queue, "--concurrency=2",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING",
         f"--hostname=load-{queue}@%h"],
        cwd=ROOT, env=env, stdout=(logs / "worker.log").open("w"), stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    results = Results()
    try:
        wait_port(port, server, "gunicorn")
        import logging

        import httpx

        logging.getLogger("httpx").setLevel(logging.WARNING)
        clients = []
        for username, role in world["users"]:
            client = httpx.Client(base_url=f"http://{HOST}:{port}", timeout=30)
            sign_in(client, username)
            clients.append((client, role))
        stop = time.monotonic() + args.duration
        threads = [
            threading.Thread(
                target=editor_loop if role == "editor" else researcher_loop,
                args=(client, world, results, stop, random.Random(args.seed * 100 + n)),
                name=f"{role}-{n}",
            )
            for n, (client, role) in enumerate(clients)
        ]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(args.duration + 60)
        elapsed = time.monotonic() - started

        from positions.models import Article

        deadline = time.monotonic() + 90
        titles = list(results.uploads)
        while time.monotonic() < deadline:
            done = Article.objects.filter(title__in=titles, status=Article.Status.DONE).count()
            if done == len(titles):
                break
            time.sleep(1)
        done = Article.objects.filter(title__in=titles, status=Article.Status.DONE).count()
    finally:
        for process in (server, worker):
            if process.poll() is None:
                os.killpg(process.pid, 15)
        for process in (server, worker):
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, 9)

    everything = [v for values in results.latency.values() for v in values]
    total = len(everything)
    print(f"{total} requests in {elapsed:.1f} s ({total / elapsed:.0f}/s)")
    print(f"{'request':<28}{'count':>7}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}  statuses")
    for kind in sorted(results.latency):
        values = results.latency[kind]
        codes = ", ".join(f"{code}×{n}" for (k, code), n in sorted(results.statuses.items()) if k == kind)
        print(f"{kind:<28}{len(values):>7}{statistics.median(values):>9.1f}"
              f"{percentile(values, .95):>9.1f}{max(values):>9.1f}  {codes}")
    print(f"{'all':<28}{total:>7}{statistics.median(everything):>9.1f}{percentile(everything, .95):>9.1f}"
          f"{max(everything):>9.1f}")
    server_errors = sum(n for (_, code), n in results.statuses.items() if code >= 500)
    writes = sum(len(w) for w in results.writes.values())
    conflicts = sum(n for (k, code), n in results.statuses.items() if code == 409)
    lost = verify(world, results)
    print(f"server errors: {server_errors}")
    print(f"writes acknowledged: {writes}; conflicts (409, expected): {conflicts}")
    print(f"lost updates: {len(lost)}" + ("".join(f"\n  {p}" for p in lost)))
    print(f"uploads ingested by the worker: {done}/{len(titles)}")
    other = [e for e in results.errors if "->" not in e]
    if other:
        print("other problems:\n  " + "\n  ".join(other[:20]))
    print(f"logs: {logs}")
    failed = server_errors or lost or done != len(titles) or other
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
