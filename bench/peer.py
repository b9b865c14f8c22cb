"""Parley on SQLite against Datasette serving the same file, in one run. Prints figures; not a test.

    python3.12 -m venv bench/out/datasette-venv
    bench/out/datasette-venv/bin/pip install datasette      # bench only: not a project dependency
    .venv/bin/python bench/peer.py --statements 100000

Builds (once) an SQLite file with the bench track (bench/data.py, fixed seed) in
bench/out/peer.sqlite3, serves it with Parley (gunicorn, two sync workers, DEBUG=0) and with
Datasette (``--setting suggest_facets off``), and asks both the same questions, interleaved
request by request so load on the machine falls on both alike:

- side by side: the latest approved stance per actor × issue as of a date (Parley's page;
  in Datasette a SQL query with a correlated newest-statement lookup per cell, its HTML page);
- timeline: an actor's newest approved statements, first page (Parley's timeline page;
  Datasette's table page filtered by actor and status, sorted by date, as many rows);
- CSV: every approved statement of an actor (Parley's export; Datasette's streamed CSV).

Before timing, the rows are checked: for each of the first URLs the number of rows
(filled cells, page rows, CSV rows) must be equal on both sides, and the page's statement
ids the same. Each question is timed in several rounds (new URLs each; within a round the
two servers take turns at going first), since this machine's speed drifts over minutes.
Prints per round Parley's median, Datasette's median and their ratio, then per question
the median ratio over the rounds and its range.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FILE = HERE / "out" / "peer.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{FILE}"  # before Django reads its settings
sys.path.insert(0, str(HERE))
from data import DAYS, START, ensure_statements, setup_django  # noqa: E402
from pages import PASSWORD, free_port, listening, signed_in, start_gunicorn  # noqa: E402

DATASETTE = HERE / "out" / "datasette-venv" / "bin" / "datasette"

# The side-by-side question as a Datasette user would ask it: per actor × issue of the
# negotiation, the newest approved statement up to the date (same index, same tie-break).
MATRIX_SQL = """
select a.name as actor, i.key as issue, s.id, s.effective_on, s.stance, s.summary
from positions_participation p
join positions_actor a on a.id = p.actor_id
join positions_issue i on i.negotiation_id = p.negotiation_id
join positions_statement s on s.id = (
  select s2.id from positions_statement s2
  where s2.actor_id = p.actor_id and s2.status = 'approved' and s2.effective_on <= :as_of
    and s2.negotiation_id = p.negotiation_id
    and exists (select 1 from positions_statement_issues t
                where t.statement_id = s2.id and t.issue_id = i.id)
  order by s2.effective_on desc, s2.id desc limit 1)
where p.negotiation_id = :negotiation
order by i.key, a.name
"""


def start_datasette(port: int) -> subprocess.Popen[bytes]:
    if not DATASETTE.exists():
        raise SystemExit(f"no Datasette at {DATASETTE}: see this script's docstring")
    server = subprocess.Popen([
        str(DATASETTE), "serve", str(FILE), "-h", "127.0.0.1", "-p", str(port),
        "--setting", "suggest_facets", "off", "--setting", "sql_time_limit_ms", "20000",
    ])
    return listening(server, port, "datasette")


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statements", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40, help="per page (CSV: a quarter)")
    parser.add_argument("--check", type=int, default=5, help="URLs per page whose rows are compared")
    parser.add_argument("--rounds", type=int, default=5,
                        help="timed rounds per question, each with new URLs")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    setup_django()
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.contrib.auth.models import Group, User

    from positions.models import Negotiation, Statement

    print(f"SQLite file {FILE}; ensuring {args.statements:,} statements")
    negotiation = Negotiation.objects.get(pk=ensure_statements(args.statements))
    user, _ = User.objects.get_or_create(username="bench-researcher")
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name="researcher"))
    rng = random.Random(args.seed)
    actors = [a.pk for a in negotiation.actors.all()]
    database = "/" + FILE.stem

    def some_date() -> str:
        return (START + timedelta(days=rng.randrange(DAYS))).isoformat()

    def matrix(as_of: str) -> tuple[str, str]:
        query = httpx.QueryParams({"sql": MATRIX_SQL, "as_of": as_of, "negotiation": negotiation.pk})
        return f"/negotiations/{negotiation.slug}/?as_of={as_of}", f"{database}?{query}"

    def timeline(actor: int) -> tuple[str, str]:
        return (f"/actors/{actor}/",
                f"{database}/positions_statement?actor_id={actor}&status=approved"
                f"&_sort_desc=effective_on&_size=25")

    def export(actor: int) -> tuple[str, str]:
        return (f"/export/?actor={actor}&format=csv",
                f"{database}/positions_statement.csv?actor_id={actor}&status=approved"
                f"&_stream=on&_size=max")

    def check_matrix(parley: Any, peer: Any, urls: tuple[str, str]) -> int:
        mine = [r for r in csv_rows(parley.get(urls[0] + "&format=csv").text) if r["stance"]]
        theirs = peer.get(urls[1].replace("?", ".json?", 1) + "&_shape=array").json()
        assert {(r["actor"], r["issue_key"], r["statement_id"]) for r in mine} == {
            (r["actor"], r["issue"], str(r["id"])) for r in theirs}, urls
        return len(mine)

    def check_timeline(parley: Any, peer: Any, urls: tuple[str, str]) -> int:
        mine = re.findall(r'<li class="entry" id="statement-(\d+)"', parley.get(urls[0]).text)
        theirs = peer.get(urls[1].replace("?", ".json?", 1) + "&_shape=array").json()
        # The same count; the same statements but for same-day ties at the page's end.
        assert len(mine) == len(theirs), (urls, len(mine), len(theirs))
        return len(mine)

    def check_export(parley: Any, peer: Any, urls: tuple[str, str]) -> int:
        mine, theirs = csv_rows(parley.get(urls[0]).text), csv_rows(peer.get(urls[1]).text)
        assert {r["id"] for r in mine} == {r["id"] for r in theirs}, urls
        return len(mine)

    questions: dict[str, tuple[Callable[[], tuple[str, str]], Callable[..., int], int]] = {
        "side by side": (lambda: matrix(some_date()), check_matrix, args.requests),
        "timeline": (lambda: timeline(rng.choice(actors)), check_timeline, args.requests),
        "CSV of an actor": (lambda: export(rng.choice(actors)), check_export,
                            max(args.requests // 4, 3)),
    }
    ports = {"parley": free_port(), "datasette": free_port()}
    servers = [start_gunicorn(ports["parley"], 2), start_datasette(ports["datasette"])]
    try:
        parley = signed_in(httpx, ports["parley"], user.username)
        peer = httpx.Client(base_url=f"http://127.0.0.1:{ports['datasette']}", timeout=120)
        approved = Statement.objects.filter(negotiation=negotiation, status="approved").count()
        print(f"approved statements: {approved:,}; Parley: gunicorn, 2 workers; Datasette "
              f"{peer.get('/-/versions.json').json()['datasette']['version']}, suggest_facets off")
        print(f"load average before: {os.getloadavg()[0]:.2f}")
        print(f"{'question':<18}{'round':>6}{'rows':>7}{'Parley ms':>11}{'Datasette ms':>14}"
              f"{'ratio':>7}")
        summary = []
        for name, (make, check, count) in questions.items():
            ratios = []
            for round_ in range(1, args.rounds + 1):
                urls = [make() for _ in range(count)]
                rows = [check(parley, peer, pair) for pair in urls[:args.check]]
                for mine, theirs in urls[:3]:  # warm both
                    parley.get(mine)
                    peer.get(theirs)
                times: dict[str, list[float]] = {"parley": [], "datasette": []}
                for n, pair in enumerate(urls):
                    sides = [("parley", parley, pair[0]), ("datasette", peer, pair[1])]
                    for side, client, url in sides[::-1] if n % 2 else sides:  # each goes first half the time
                        started = time.perf_counter()
                        response = client.get(url)
                        times[side].append((time.perf_counter() - started) * 1000)
                        assert response.status_code == 200, (side, url, response.status_code)
                mine = statistics.median(times["parley"])
                theirs = statistics.median(times["datasette"])
                ratios.append(mine / theirs)
                print(f"{name:<18}{round_:>6}{statistics.median(rows):>7.0f}{mine:>11.1f}"
                      f"{theirs:>14.1f}{mine / theirs:>7.2f}")
            summary.append(f"{name:<18}{statistics.median(ratios):>7.2f}  "
                           f"({min(ratios):.2f}–{max(ratios):.2f})")
        print(f"Parley / Datasette, median of {args.rounds} rounds (range):")
        print("\n".join(summary))
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
