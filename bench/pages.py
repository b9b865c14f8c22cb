"""Page latency of the research views over HTTP against gunicorn. Prints figures; not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_bench \\
        .venv/bin/python bench/pages.py --statements 100000 --requests 200

Generates the statements once (bench/data.py, fixed seed), starts gunicorn with two sync
workers on a free port (DEBUG=0), signs in as a researcher, then requests each page with
varied parameters from a fixed seed (random actor, filters, page depth, date, search word)
and prints the median, 95th percentile and maximum per page.

``--baseline REV`` also serves commit REV (``git archive`` into a temporary folder, the
same virtualenv and database) on a second gunicorn, requests every URL from both in turn
(interleaved, so load on the machine falls on both alike) and prints each page's median
for both and their ratio (this / baseline). A page the baseline does not have (a 404 there,
e.g. the proposal pages at a commit before them) is listed without figures.

What is measured: the full response of each page as a browser without JavaScript gets it,
rendered from the database on every request; nothing caches pages or query results
(PostgreSQL's buffer cache is warm after the first requests). The search page's total
and facet counts are a second request the page makes once shown (htmx, hx-trigger=load):
"search counts" measures that request on its own.
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
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from data import DAYS, ROOT, START, WORDS, ensure_proposals, ensure_statements, setup_django

PASSWORD = "bench-password-not-secret"


# The search page asks for its counts as htmx does: the fragment that replaces the loader.
COUNTS = {"HX-Request": "true", "HX-Target": "search-counts"}


def _with_headers(planned: str | tuple[str, dict[str, str]]) -> tuple[str, dict[str, str]]:
    return planned if isinstance(planned, tuple) else (planned, {})


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def checkout(rev: str) -> Path:
    """The tree of commit ``rev`` in a temporary folder (no worktree, no checkout)."""
    folder = Path(tempfile.mkdtemp(prefix="parley-bench-baseline-"))
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, check=True, capture_output=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)
    return folder


def start_gunicorn(port: int, workers: int, root: Path = ROOT) -> subprocess.Popen[bytes]:
    static = tempfile.mkdtemp(prefix="parley-bench-static-")
    env = {
        **os.environ, "DEBUG": "0", "SECRET_KEY": "bench-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1", "SECURE_SSL_REDIRECT": "0", "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0", "STATIC_ROOT": static, "DATABASE_CONN_MAX_AGE": "600",
    }
    # The tree's own modules first: an editable install may point at another checkout.
    env["PYTHONPATH"] = str(root)
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=root, env=env, check=True)
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "config.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}",
         "--chdir", str(root), "--log-level", "warning"], cwd=root, env=env,
    )
    return listening(server, port, "gunicorn")


def listening(server: subprocess.Popen[bytes], port: int, name: str) -> subprocess.Popen[bytes]:
    """The server once it accepts connections on the port (10 s at the most)."""
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.kill()
    raise SystemExit(f"{name} did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=200, help="per page")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--baseline", metavar="REV", help="also serve this commit and compare")
    parser.add_argument("--only", metavar="WORDS", default="",
                        help="only the pages whose name contains one of these comma-separated "
                        "words (e.g. proposal,side)")
    args = parser.parse_args()

    setup_django()
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.contrib.auth.models import Group, User
    from django.db import connection

    from positions.models import Negotiation, Proposal, Statement
    from positions.selectors import (
        StatementFilters,
        approved_statements,
        encode_cursor,
        shifts_between,
    )

    print(f"database: {connection.vendor}; ensuring {args.statements:,} statements")
    negotiation = Negotiation.objects.get(pk=ensure_statements(args.statements))
    about = ensure_proposals(negotiation.pk)
    user, _ = User.objects.get_or_create(username="bench-researcher")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="researcher"))
    rng = random.Random(args.seed)
    actors = list(negotiation.actors.all())
    issues = list(negotiation.issues.all())
    counts = {a.pk: approved_statements(StatementFilters(actor_id=a.pk)).count() for a in actors}

    def deep_cursor(actor_id: int) -> str:
        offset = rng.randrange(max(counts[actor_id] - 30, 1))
        row = approved_statements(StatementFilters(actor_id=actor_id)).order_by(
            "-effective", "-pk")[offset]
        return encode_cursor(row)

    def some_date() -> str:
        return (START + timedelta(days=rng.randrange(DAYS))).isoformat()

    slug = negotiation.slug
    plans: dict[str, Callable[[], str | tuple[str, dict[str, str]]]] = {
        "timeline, first page": lambda: f"/actors/{rng.choice(actors).pk}/",
        "timeline, filtered": lambda: f"/actors/{rng.choice(actors).pk}/?issue="
        f"{rng.choice(issues).pk}&stance={rng.choice(['demand', 'reject', 'accept'])}",
        "timeline, deep page": lambda: (lambda a: f"/actors/{a}/?after={deep_cursor(a)}")(
            rng.choice(actors).pk),
        "side by side": lambda: f"/negotiations/{slug}/?as_of={some_date()}",
        "side by side, compare": lambda: f"/negotiations/{slug}/?as_of={some_date()}"
        f"&compare={(START + timedelta(days=rng.randrange(DAYS // 2))).isoformat()}",
        "search": lambda: f"/search/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}",
        "search with facet": lambda: f"/search/?q={rng.choice(WORDS)}&actor={rng.choice(actors).pk}",
    }
    plans["search counts (2nd req)"] = lambda: (
        f"/search/counts/?q={rng.choice(WORDS)}+{rng.choice(WORDS)}", COUNTS)
    plans["what changed, 30 days"] = lambda: (
        lambda d: f"/negotiations/{slug}/changes/?date_from={d.isoformat()}"
        f"&date_to={(d + timedelta(days=30)).isoformat()}"
    )(START + timedelta(days=rng.randrange(DAYS - 30)))

    def changes_page_two() -> str:
        start = START + timedelta(days=rng.randrange(DAYS - 30))
        end = start + timedelta(days=30)
        after = shifts_between(negotiation=negotiation, start=start, end=end).next_cursor
        return (f"/negotiations/{slug}/changes/?date_from={start.isoformat()}"
                f"&date_to={end.isoformat()}&after={after or ''}")

    plans["what changed, page 2"] = changes_page_two
    proposal_ids = list(Proposal.objects.filter(negotiation=negotiation).values_list("pk", flat=True))
    plans["proposals matrix"] = lambda: f"/negotiations/{slug}/proposals/?as_of={some_date()}"
    plans["proposals matrix, compare"] = lambda: (
        f"/negotiations/{slug}/proposals/?as_of={some_date()}"
        f"&compare={(START + timedelta(days=rng.randrange(DAYS // 2))).isoformat()}")
    plans["proposal page"] = lambda: f"/proposals/{rng.choice(proposal_ids)}/"

    only = [word for word in args.only.split(",") if word] or [""]
    plans = {name: make for name, make in plans.items() if any(w in name for w in only)}
    servers = {"this": start_gunicorn(free_port_ := free_port(), args.workers)}
    ports = {"this": free_port_}
    if args.baseline:
        ports["baseline"] = free_port()
        servers["baseline"] = start_gunicorn(ports["baseline"], args.workers, checkout(args.baseline))
    try:
        clients = {name: signed_in(httpx, port, user.username) for name, port in ports.items()}
        print(f"gunicorn: {args.workers} workers each; {args.requests} requests per page, "
              f"seed {args.seed}; approved statements: "
              f"{Statement.objects.filter(negotiation=negotiation, status='approved').count():,}; "
              f"{len(proposal_ids)} proposals, {about:,} statements about them")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        if args.baseline:
            print(f"{'page':<24}{'this ms':>9}{'baseline ms':>13}{'ratio':>7}"
                  f"   (medians; baseline {args.baseline})")
        else:
            print(f"{'page':<24}{'median ms':>10}{'p95 ms':>9}{'max ms':>9}{'bytes':>9}")
        for name, make in plans.items():
            urls = [_with_headers(make()) for _ in range(args.requests)]
            times: dict[str, list[float]] = {server: [] for server in clients}
            size = 0
            if "baseline" in clients and clients["baseline"].get(
                    urls[0][0], headers=urls[0][1]).status_code == 404:
                print(f"{name:<24}{'':>9}{'—':>13}   (a page the baseline does not have)")
                continue
            for client in clients.values():
                for url, headers in urls[:5]:  # warm the workers and PostgreSQL's buffers
                    client.get(url, headers=headers)
            for url, headers in urls:
                for server, client in clients.items():  # interleaved
                    started = time.perf_counter()
                    response = client.get(url, headers=headers)
                    times[server].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (server, url, response.status_code)
                    if server == "this":
                        size = len(response.content)
            this = sorted(times["this"])
            if args.baseline:
                base = statistics.median(times["baseline"])
                print(f"{name:<24}{statistics.median(this):>9.1f}{base:>13.1f}"
                      f"{statistics.median(this) / base:>7.2f}")
            else:
                print(f"{name:<24}{statistics.median(this):>10.1f}"
                      f"{this[int(len(this) * .95) - 1]:>9.1f}{this[-1]:>9.1f}{size:>9}")
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        for server in servers.values():
            server.terminate()
            server.wait(10)


def signed_in(httpx: Any, port: int, username: str) -> Any:
    """A client signed in as the bench researcher on the server at ``port``."""
    client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    signed = client.post("/accounts/login/", data={
        "username": username, "password": PASSWORD, "csrfmiddlewaretoken": token,
    }, headers={"Referer": f"http://127.0.0.1:{port}/accounts/login/"})
    assert signed.status_code == 302, signed.status_code
    return client


if __name__ == "__main__":
    main()
