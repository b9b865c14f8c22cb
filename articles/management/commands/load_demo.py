"""`manage.py load_demo`: the demo negotiation, demo users and the demo article. Idempotent."""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.contrib.auth.models import Group, User
from django.core.management.base import BaseCommand

from articles.demo_articles import demo_articles_load
from articles.services import article_create
from articles.sources import read_text
from positions.access import EDITOR, RESEARCHER
from positions.demo import DEMO_FILE, demo_data, demo_negotiations, negotiation_load
from positions.models import Negotiation

DEMO_ARTICLE = DEMO_FILE.parent / "article.md"


class Command(BaseCommand):
    help = "Load the demo negotiation, create the demo users and ingest the demo article."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-users", action="store_true", help="Skip the demo accounts.")

    def handle(self, *args: Any, **options: Any) -> None:
        loaded = {}
        for slug, data in demo_negotiations().items():  # every shipped negotiation
            loaded[slug] = negotiation_load(data=data)
            self.stdout.write(f"Negotiation: {loaded[slug].name} ({loaded[slug].actors.count()} actors)")
        negotiation = loaded[demo_data()["negotiation"]["slug"]]  # the demo article's negotiation
        if not options["no_users"]:
            for name in (EDITOR, RESEARCHER):
                self._demo_user(name)
        document = read_text(Path(DEMO_ARTICLE).read_bytes(), source_format="markdown")
        article, created = article_create(document=document, negotiation=negotiation, uploaded_by=None)
        article.refresh_from_db()  # with eager tasks it was processed on commit
        state = "added" if created else "already there"
        self.stdout.write(
            f"Demo article {state}: {article.title} ({article.get_status_display().lower()}, "
            f"{article.statements.count()} statements)"
        )
        self._demo_articles()

    def _demo_articles(self) -> None:
        # Each negotiation's demo articles (positions/demo/articles/<slug>/), reviewed as the
        # demo's editor decided; a negotiation without such a folder is left alone.
        for negotiation in Negotiation.objects.order_by("slug"):
            result = demo_articles_load(negotiation=negotiation)
            if result.articles:
                self.stdout.write(
                    f"{negotiation.slug}: {result.articles} demo articles ({result.added} new), "
                    f"{result.approved} statements approved, {result.left_for_review} articles "
                    f"left for review" + (f", {result.pending} still processing" if result.pending else "")
                )
            for miss in result.unmatched:
                self.stdout.write(self.style.WARNING(f"Demo decision found no draft: {miss}"))

    def _demo_user(self, role: str) -> None:
        # A fresh password on every run, so whoever runs the demo can always sign in.
        user, _ = User.objects.get_or_create(username=role)
        user.groups.add(Group.objects.get_or_create(name=role)[0])
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Demo user {role!r} password: {password}"))
