"""Synthetic statements for the benchmarks: a fixed seed, realistic shares, idempotent.

Used by bench/pages.py and bench/export.py; not a test and not shipped data.
"""

from __future__ import annotations

import hashlib
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SLUG = "bench-track"
WORDS = [
    "ceasefire", "hostages", "prisoners", "withdrawal", "offensive", "guarantees", "truce",
    "release", "exchange", "aid", "trucks", "crossing", "mediators", "proposal", "framework",
    "phase", "permanent", "temporary", "pause", "talks", "Cairo", "Doha", "delegation",
    "security", "corridor", "return", "displaced", "reconstruction", "governance", "border",
    "deal", "conditions", "timetable", "negotiators", "agreement", "refuse", "insist",
    "accept", "demand",
]
OUTLETS = ["Reuters", "AP", "AFP", "Al Jazeera", "BBC", "Times of Israel", "Ahram Online",
           "The National"]
STANCES = ["demand"] * 5 + ["reject"] * 4 + ["accept"] * 2 + ["propose"] * 2 + \
    ["condition"] * 3 + ["intent"] * 2 + ["assess"] * 2
START = date(2023, 10, 7)
DAYS = 730


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def ensure_statements(total: int, *, seed: int = 7) -> int:
    """Create the bench negotiation with ``total`` statements (if it has fewer); its id."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from positions.demo import demo_data, negotiation_load
    from positions.models import Article, Evidence, Negotiation, Outlet, Person, Statement

    data = {**demo_data(), "negotiation": {**demo_data()["negotiation"], "slug": SLUG,
                                          "name": "Benchmark track"}}
    negotiation = negotiation_load(data=data)
    have = Statement.objects.filter(negotiation=negotiation).count()
    if have >= total:
        return negotiation.pk
    rng = random.Random(seed + have)
    started = time.perf_counter()
    actors = list(negotiation.actors.all())
    people = {a.pk: list(Person.objects.filter(actor=a)) for a in actors}
    issues = list(negotiation.issues.all())
    outlets = [Outlet.objects.get_or_create(name=name)[0] for name in OUTLETS]
    through = Statement.issues.through
    approved_ids = list(
        Statement.objects.filter(negotiation=negotiation, status="approved").values_list("pk", flat=True)
    )
    batch = 5000
    made = have
    while made < total:
        size = min(batch, total - made)
        articles = []
        for i in range(size // 5 + 1):
            published = START + timedelta(days=rng.randrange(DAYS))
            body = " ".join(rng.choice(WORDS) for _ in range(60)) + f" #{made}-{i}-{seed}"
            articles.append(Article(
                negotiation=negotiation, title=" ".join(rng.choice(WORDS) for _ in range(6)),
                outlet=rng.choice(outlets), url=f"https://bench.invalid/{made}/{i}",
                published_on=published, body=body, status="done",
                content_hash=hashlib.sha256(body.encode()).hexdigest(),
            ))
        articles = Article.objects.bulk_create(articles)
        statements = []
        for i in range(size):
            article = articles[i // 5]
            actor = rng.choice(actors)
            person = rng.choice(people[actor.pk]) if people[actor.pk] and rng.random() < .6 else None
            roll = rng.random()
            status = ("approved" if roll < .90 else "duplicate" if roll < .94 and approved_ids
                      else "draft" if roll < .98 else "rejected")
            stated = None if rng.random() < .04 else article.published_on - timedelta(days=rng.randrange(3))
            statements.append(Statement(
                negotiation=negotiation, actor=actor, person=person,
                speaker=person.name if person else f"a senior {actor.name} official",
                stance=rng.choice(STANCES), status=status,
                summary=" ".join(rng.choice(WORDS) for _ in range(12)),
                conditions=" ".join(rng.choice(WORDS) for _ in range(6)) if rng.random() < .3 else "",
                stated_on=stated, date_basis="explicit" if stated else "",
                effective_on=stated or article.published_on,
                via=rng.choice(["", "", "Reuters", "AFP > Al Jazeera"]), article=article,
                duplicate_of_id=rng.choice(approved_ids) if status == "duplicate" else None,
                confidence=round(rng.random(), 2),
            ))
        statements = Statement.objects.bulk_create(statements)
        links, spans = [], []
        for s in statements:
            for issue in rng.sample(issues, 1 if rng.random() < .6 else 2):
                links.append(through(statement_id=s.pk, issue_id=issue.pk))
            text = s.article.body[:80]
            spans.append(Evidence(statement_id=s.pk, start=0, end=len(text), text=text))
            if s.status == "approved":
                approved_ids.append(s.pk)
        through.objects.bulk_create(links)
        Evidence.objects.bulk_create(spans)
        made += size
        print(f"  generated {made:,} statements ({time.perf_counter() - started:.0f} s)", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        # As autovacuum leaves a table after bulk inserts: statistics, and a visibility map
        # that lets index-only scans skip the heap.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return Negotiation.objects.get(slug=SLUG).pk


PROPOSAL_SHARE = 0.05  # of the statements: about a proposal (some of them about clauses)


def ensure_proposals(negotiation_id: int, *, seed: int = 7, roots: int = 12) -> int:
    """Give the bench negotiation proposals (``roots`` plans, most revised once or twice:
    about 30 in all, 3–8 clauses each) and point ``PROPOSAL_SHARE`` of its statements at
    one of the proposals put forward by then, a third of those at a few of its clauses.
    Idempotent: a negotiation that has proposals keeps them. Returns how many statements
    are about a proposal."""
    from positions.models import Actor, Clause, Issue, Proposal, Statement

    linked = Statement.objects.filter(negotiation_id=negotiation_id, proposal__isnull=False)
    if Proposal.objects.filter(negotiation_id=negotiation_id).exists():
        return linked.count()
    rng = random.Random(seed)
    started = time.perf_counter()
    actors = list(Actor.objects.filter(negotiations=negotiation_id))
    issues = list(Issue.objects.filter(negotiation_id=negotiation_id))
    made: list[Proposal] = []
    for n in range(roots):
        day = START + timedelta(days=rng.randrange(DAYS - 60))
        parent = None
        for version in range(rng.choice([1, 2, 2, 3, 3, 4])):
            proposal = Proposal.objects.create(
                negotiation_id=negotiation_id, key=f"plan-{n}-{version}",
                name=f"Plan {n + 1}" + (f", text {version + 1}" if version else ""),
                aliases=[f"the {rng.choice(WORDS)} paper"], proposed_on=day, parent=parent,
                summary=" ".join(rng.choice(WORDS) for _ in range(25)),
            )
            proposal.proposed_by.set(rng.sample(actors, rng.choice([1, 1, 2])))
            Clause.objects.bulk_create([
                Clause(proposal=proposal, key=f"clause-{c}", issue=rng.choice(issues), position=c,
                       text=" ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 30))))
                for c in range(rng.randrange(3, 9))
            ])
            made.append(proposal)
            parent, day = proposal, day + timedelta(days=rng.randrange(7, 30))
    made.sort(key=lambda p: p.proposed_on or START)
    clauses: dict[int, list[int]] = {}
    for clause_id, proposal_id in Clause.objects.filter(proposal__in=made).values_list("pk", "proposal_id"):
        clauses.setdefault(proposal_id, []).append(clause_id)
    chosen = []
    for pk, effective in Statement.objects.filter(negotiation_id=negotiation_id).values_list(
        "pk", "effective_on"
    ).order_by("pk").iterator():
        if rng.random() >= PROPOSAL_SHARE or effective is None:
            continue
        known = [p for p in made if p.proposed_on and p.proposed_on <= effective]
        if known:  # one of the newest few put forward by then
            chosen.append((pk, rng.choice(known[-4:])))
    Statement.objects.bulk_update(
        [Statement(pk=pk, proposal=proposal) for pk, proposal in chosen], ["proposal"],
        batch_size=2000,
    )
    through = Statement.clauses.through
    through.objects.bulk_create([
        through(statement_id=pk, clause_id=clause)
        for pk, proposal in chosen if rng.random() < 1 / 3
        for clause in rng.sample(clauses[proposal.pk], rng.choice([1, 1, 2]))
    ])
    print(f"  {len(made)} proposals, {len(chosen):,} statements about them "
          f"({time.perf_counter() - started:.0f} s)", flush=True)
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return len(chosen)
