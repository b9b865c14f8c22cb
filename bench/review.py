"""Benchmark of review: a scripted editor in Chromium brings each article of an annotated set
to its gold statements, and the actions it took are counted. Prints figures; not a test.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/parley_review_bench \\
        .venv/bin/python bench/review.py [../shared/eval/dev] [--articles 000,001]

The database is the benchmark's own: it is emptied, migrated and given the demo negotiation.
Each article (its ``key: value`` header read as uploads read it) is saved and extracted in
this process with the current extractor, then gunicorn serves the app to Chromium.

The editor works on each article's review page as a person would with the keyboard map:
the drafts in text order; a draft that the scorer (``score.py``: evidence token F1 >= 0.4,
best first, one to one) pairs with a gold statement is approved (``a``) when its actor,
stance, issues and date are right, else edited (``e``, one action per changed field,
Shift+Enter saves and approves); a draft paired with nothing is rejected (``R``); a gold statement
no draft found is created from a selection of its evidence in the article (select, "New
statement from selection", one action per field that differs from what the form prefilled
from the selection, "Approve it now", Save). Moving
between cards with ``j``/``k`` counts when needed (a decision moves on by itself).

One action is a key press or click that triggers a command, or one edited field. A gold
statement counts as reached when an approved statement of its article pairs with it and has
its actor, stance, issues (``ceasefire/permanent`` or ``/temporary`` where the gold says so)
and date (``score.py``'s rule) right. Printed per article: gold statements, reached, actions,
actions per gold statement, server seconds (request sent to first byte, over the article's
requests); then the totals. Interface and extraction gains are told apart by running this
with another extractor (check out its commit) on the same set: the editor is the same.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

PASSWORD = "review bench password"
CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")


def _score_module(set_dir: Path) -> Any:
    """The scorer beside the set (its pairing and date rule are the definition of a match)."""
    path = set_dir.parent / "score.py"
    spec = importlib.util.spec_from_file_location("parley_score", path)
    assert spec and spec.loader, f"no scorer at {path}"
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@dataclass
class Tally:
    gold: int = 0
    reached: int = 0
    actions: int = 0
    server: float = 0.0
    kinds: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def _create_database(url: str) -> None:
    """The benchmark's database, created when missing (its tables are dropped anyway)."""
    from urllib.parse import urlsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database of the benchmark's own.")
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["CELERY_TASK_ALWAYS_EAGER"] = "1"  # extraction runs here, before the clock
    # Playwright's sync API runs an event loop in this thread; the ORM reads between
    # browser steps are plain synchronous code (as in tests/browser).
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    import django

    django.setup()


def _prepare(set_dir: Path, names: list[str]) -> tuple[Any, dict[str, int]]:
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.db import connection

    from articles.services import article_create
    from articles.sources import read_text
    from positions.demo import demo_data, negotiation_load

    with connection.cursor() as cursor:  # the benchmark's own database: start it afresh
        cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
    call_command("migrate", verbosity=0)
    negotiation = negotiation_load(data=demo_data())
    user = User.objects.create_user("bench-editor", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="editor")[0])
    articles = {}
    for name in names:
        document = read_text((set_dir / "articles" / f"{name}.txt").read_bytes())
        article, _ = article_create(document=document, negotiation=negotiation, uploaded_by=user)
        articles[name] = article.pk
    return negotiation, articles


def _issue_keys(gold: dict[str, Any]) -> set[str]:
    keys = set()
    for issue in gold["issues"]:
        kind = gold.get("ceasefire_type")
        keys.add(f"ceasefire/{kind}" if issue == "ceasefire" and kind in ("permanent", "temporary")
                 else issue)
    return keys


class Editor:
    """The scripted editor: every command goes through ``act`` so that it is counted."""

    def __init__(self, page: Any, base: str, score: Any) -> None:
        self.page, self.base, self.score = page, base, score
        self.tally = Tally()
        self.timings: list[float] = []
        page.on("requestfinished", self._timed)

    def _timed(self, request: Any) -> None:
        if "/static/" in request.url:
            return
        timing = request.timing
        if timing.get("responseStart", -1) >= 0 and timing.get("requestStart", -1) >= 0:
            self.timings.append((timing["responseStart"] - timing["requestStart"]) / 1000)

    def act(self, kind: str, count: int = 1) -> None:
        self.tally.actions += count
        self.tally.kinds[kind] += count

    def key(self, key: str, kind: str) -> None:
        self.act(kind)
        self.page.keyboard.press(key)

    def card(self, pk: int) -> Any:
        return self.page.locator(f"#statement-{pk}")

    def go_to(self, pk: int) -> None:
        """Make the card current with j/k, as few presses as the distance."""
        from playwright.sync_api import expect

        ids = [int(x) for x in self.page.eval_on_selector_all(
            ".statement-card[data-statement]", "els => els.map(e => e.dataset.statement)")]
        current = self.page.eval_on_selector(
            "body", "() => { const c = document.querySelector('.statement-card.current');"
            " return c ? Number(c.dataset.statement) : null; }")
        if current == pk:
            return
        if current is None:
            self.key("j", "move")
            current = ids[0]
        step = 1 if ids.index(pk) > ids.index(current) else -1
        for _ in range(abs(ids.index(pk) - ids.index(current))):
            self.key("j" if step > 0 else "k", "move")
        expect(self.card(pk)).to_have_class(_has("current"))

    def approve(self, pk: int) -> None:
        from playwright.sync_api import expect

        self.go_to(pk)
        self.key("a", "approve")
        expect(self.card(pk)).to_have_class(_has("status-approved"))

    def reject(self, pk: int) -> None:
        from playwright.sync_api import expect

        self.go_to(pk)
        self.key("R", "reject")  # at once, without a reason
        expect(self.card(pk)).to_have_class(_has("status-rejected"))

    def edit_and_approve(self, pk: int, fields: dict[str, Any]) -> None:
        from playwright.sync_api import expect

        self.go_to(pk)
        self.key("e", "edit")
        form = self.page.locator(f"form#statement-{pk}")
        expect(form).to_be_visible()
        _fill(self, form, fields)
        self.act("edit")
        form.locator("#id_speaker").press("Shift+Enter")  # save and approve
        expect(self.page.locator(f"article#statement-{pk}")).to_have_class(_has("status-approved"))

    def create(self, article_pk: int, evidence: str, start: int, target: dict[str, Any]) -> None:
        from playwright.sync_api import expect

        # A selection in the article fills this form (one drag): set what the drag sets.
        self.act("create")
        self.page.fill("#selection-text", evidence)
        self.page.evaluate("(s) => { document.getElementById('selection-start').value = s; }", str(start))
        self.act("create")
        self.page.locator("#from-selection button[type=submit]").click()
        # The card opens in the page with a quick guess; the worker's reading then fills it.
        card = self.page.locator("#new-statement-card.statement-new-card")
        expect(card).to_be_visible()
        expect(card.locator(".reading-wait")).to_have_count(0, timeout=40_000)
        form = card.locator("#new-statement-form")
        # The form comes prefilled from the reading: change only what differs.
        shown = {
            "actor": int(form.locator("#id_actor").input_value()),
            "stance": form.locator("#id_stance").input_value(),
            "issues": {int(v) for v in form.locator("input[name=issues]:checked").evaluate_all(
                "els => els.map(e => e.value)")},
            "stated_on": form.locator("#id_stated_on").input_value() or None,
        }
        changes: dict[str, Any] = {}
        if target["actor"] and target["actor"] != shown["actor"]:
            changes["actor"] = target["actor"]
        if target["stance"] != shown["stance"]:
            changes["stance"] = target["stance"]
        if target["issues"] != shown["issues"]:
            changes["toggle"] = sorted(target["issues"] ^ shown["issues"])
        if not self.score.date_ok(shown["stated_on"], target["gold"]):
            changes["stated_on"] = target["gold"].get("date")
        _fill(self, form, changes)
        self.act("create")
        form.locator("#id_approve").check()
        self.act("create")
        form.locator("button[type=submit]").click()
        expect(self.page.locator("#new-statement-card.statement-new-saved")).to_be_visible()
        self.page.goto(f"{self.base}/articles/{article_pk}/review/")


def _fill(editor: Editor, form: Any, fields: dict[str, Any]) -> None:
    if "actor" in fields:
        editor.act("field")
        form.locator("#id_actor").select_option(str(fields["actor"]))
    if "stance" in fields:
        editor.act("field")
        form.locator("#id_stance").select_option(fields["stance"])
    for issue in fields.get("toggle", ()):
        editor.act("field")
        form.locator(f"input[name=issues][value='{issue}']").click()
    if "stated_on" in fields:
        editor.act("field")
        form.locator("#id_stated_on").fill(fields["stated_on"] or "")


def _has(name: str) -> Any:
    import re

    return re.compile(rf"(^|\s){re.escape(name)}(\s|$)")


def _review_article(editor: Editor, article_pk: int, gold: list[dict[str, Any]]) -> None:
    from positions.models import Actor, Article, Issue, Statement

    score = editor.score
    article = Article.objects.get(pk=article_pk)
    actors = {score.canon_actor(a.name): a.pk for a in Actor.objects.all()}
    issues = {i.key: i.pk for i in Issue.objects.filter(negotiation=article.negotiation_id)}
    drafts = list(
        Statement.objects.filter(article=article, status=Statement.Status.DRAFT)
        .prefetch_related("evidence", "issues").order_by("effective_on", "pk")
    )
    order = sorted(drafts, key=lambda s: min((e.start for e in s.evidence.all()), default=0))
    text = {s.pk: " ".join(e.text for e in s.evidence.all()) for s in drafts}
    # Two gold statements on one sentence (two actors) tie: the draft's own actor first.
    actor_of = {s.pk: s.actor_id for s in drafts}
    pairs = sorted(
        ((score.token_f1(text[s.pk], score.evidence_text(g["evidence"])),
          actors.get(score.canon_actor(g["party"])) == actor_of[s.pk], s.pk, j)
         for s in drafts for j, g in enumerate(gold)), reverse=True)
    paired: dict[int, int] = {}
    used: set[int] = set()
    for similarity, _, pk, j in pairs:
        if similarity >= 0.4 and pk not in paired and j not in used:
            paired[pk] = j
            used.add(j)
    editor.page.goto(f"{editor.base}/articles/{article_pk}/review/?sort=position")
    for statement in order:
        if statement.pk not in paired:
            editor.reject(statement.pk)
            continue
        target = gold[paired[statement.pk]]
        changes: dict[str, Any] = {}
        actor = actors.get(score.canon_actor(target["party"]))
        if actor and actor != statement.actor_id:
            changes["actor"] = actor
        if target["stance"] != statement.stance:
            changes["stance"] = target["stance"]
        wanted = {issues[k] for k in _issue_keys(target) if k in issues}
        have = {i.pk for i in statement.issues.all()}
        if wanted != have:
            changes["toggle"] = sorted(wanted ^ have)
        stated = statement.stated_on.isoformat() if statement.stated_on else None
        if not score.date_ok(stated, target):
            changes["stated_on"] = target.get("date")
        if changes:
            editor.edit_and_approve(statement.pk, changes)
        else:
            editor.approve(statement.pk)
    for j, target in enumerate(gold):
        if j in used:
            continue
        pieces = target["evidence"] if isinstance(target["evidence"], list) else [target["evidence"]]
        evidence = max(pieces, key=len)  # one selection: the longest sentence of the evidence
        start = article.body.find(evidence)
        if start < 0:
            print(f"  gold {target['id']}: evidence not found in the stored body", file=sys.stderr)
            continue
        wanted = {
            "actor": actors.get(score.canon_actor(target["party"])), "stance": target["stance"],
            "issues": {issues[k] for k in _issue_keys(target) if k in issues}, "gold": target,
        }
        editor.create(article_pk, evidence, start, wanted)


def _reached(score: Any, article_pk: int, gold: list[dict[str, Any]]) -> int:
    """Gold statements an approved statement of the article pairs with and gets right."""
    from positions.models import Statement

    approved = list(
        Statement.objects.filter(article_id=article_pk, status=Statement.Status.APPROVED)
        .select_related("actor").prefetch_related("evidence", "issues")
    )
    def is_right(s: Statement, g: dict[str, Any]) -> bool:
        stated = s.stated_on.isoformat() if s.stated_on else None
        return bool(score.canon_actor(s.actor.name) == score.canon_actor(g["party"])
                    and s.stance == g["stance"]
                    and {x.key for x in s.issues.all()} == _issue_keys(g)
                    and score.date_ok(stated, g))

    # score.py's pairing (evidence F1 >= 0.4, best first, one to one); equal similarities
    # (two gold statements on one sentence) are paired the way that makes them right.
    pairs = sorted(
        ((score.token_f1(" ".join(e.text for e in s.evidence.all()),
                         score.evidence_text(g["evidence"])), is_right(s, g), i, j)
         for i, s in enumerate(approved) for j, g in enumerate(gold)), reverse=True)
    used_s: set[int] = set()
    used_g: set[int] = set()
    right = 0
    for similarity, ok, i, j in pairs:
        if similarity < 0.4 or i in used_s or j in used_g:
            continue
        used_s.add(i)
        used_g.add(j)
        right += ok
    return right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", default=str(ROOT.parent / "shared" / "eval" / "dev"))
    parser.add_argument("--articles", default="", help="comma-separated names (default: all)")
    args = parser.parse_args()
    set_dir = Path(args.set).resolve()
    score = _score_module(set_dir)
    gold: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for line in (set_dir / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            record = json.loads(line)
            gold[record["article"]].append(record)
    names = sorted(p.stem for p in (set_dir / "articles").glob("*.txt"))
    if args.articles:
        names = [n for n in names if n in args.articles.split(",")]

    _create_database(os.environ.get("DATABASE_URL", ""))
    _django()
    from pages import free_port, start_gunicorn  # bench/pages.py

    from articles.extraction import EXTRACTOR_VERSION

    started = time.perf_counter()
    _, articles = _prepare(set_dir, names)
    print(f"extractor {EXTRACTOR_VERSION}: {len(names)} articles saved and extracted in "
          f"{time.perf_counter() - started:.0f} s")
    port = free_port()
    server = start_gunicorn(port, 2)
    base = f"http://127.0.0.1:{port}"
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=20_000)
    totals = Tally()
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            page.goto(f"{base}/accounts/login/")
            page.fill("#id_username", "bench-editor")
            page.fill("#id_password", PASSWORD)
            page.click("button[type=submit].primary")
            page.wait_for_load_state("load")
            print(f"{'article':>8} {'gold':>5} {'reached':>8} {'actions':>8} {'per gold':>9} {'server s':>9}")
            for name in names:
                editor = Editor(page, base, score)
                _review_article(editor, articles[name], gold[name])
                tally = editor.tally
                tally.gold = len(gold[name])
                tally.reached = _reached(score, articles[name], gold[name])
                tally.server = sum(editor.timings)
                page.remove_listener("requestfinished", editor._timed)
                per = tally.actions / tally.gold if tally.gold else 0.0
                print(f"{name:>8} {tally.gold:>5} {tally.reached:>8} {tally.actions:>8} "
                      f"{per:>9.2f} {tally.server:>9.2f}", flush=True)
                totals.gold += tally.gold
                totals.reached += tally.reached
                totals.actions += tally.actions
                totals.server += tally.server
                for kind, count in tally.kinds.items():
                    totals.kinds[kind] += count
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    per = totals.actions / totals.gold if totals.gold else 0.0
    print(f"{'all':>8} {totals.gold:>5} {totals.reached:>8} {totals.actions:>8} {per:>9.2f} "
          f"{totals.server:>9.2f}")
    print("actions by kind: " + ", ".join(f"{k} {v}" for k, v in sorted(totals.kinds.items())))
    print(f"actions per gold statement: {per:.2f} (target <= 4); reached "
          f"{totals.reached}/{totals.gold}; server seconds per article "
          f"{totals.server / max(len(names), 1):.2f}")


if __name__ == "__main__":
    main()
