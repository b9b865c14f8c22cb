"""Smoke test of the embedded default (the `make run` path): SQLite, eager tasks, demo data.

Migrates a fresh SQLite database, loads the demo, then signs in as each demo role and
follows every same-site link from the overview page, failing on any server error. Last,
it downloads a CSV export. Run by `.ci/run` so the embedded path cannot rot.
"""

from __future__ import annotations

import os
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
workdir = tempfile.mkdtemp(prefix="parley-smoke-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/smoke.sqlite3"
for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
    os.environ.pop(name, None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from positions.models import Statement  # noqa: E402

MAX_PAGES = 150


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def crawl(client: Client, start: str = "/") -> int:
    seen: set[str] = set()
    todo = [start]
    while todo and len(seen) < MAX_PAGES:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        assert response.status_code < 500, f"{url}: {response.status_code}"
        if "text/html" not in response.get("Content-Type", "") or response.streaming:
            continue
        parser = Links()
        parser.feed(response.content.decode())
        for href in parser.hrefs:
            href = urldefrag(href).url
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/"):
                continue
            if href.startswith(("/admin/", "/accounts/logout")):
                continue
            todo.append(href)
    return len(seen)


def main() -> None:
    setup_test_environment()
    call_command("migrate", verbosity=0)
    call_command("load_demo")
    call_command("load_demo")  # idempotent: a second run changes nothing but passwords
    drafts = Statement.objects.filter(status=Statement.Status.DRAFT).count()
    assert drafts > 0, "the demo article produced no drafts"
    print(f"demo drafts: {drafts}")
    for username in ("editor", "researcher"):
        client = Client()
        client.force_login(User.objects.get(username=username))
        print(f"{username}: {crawl(client)} pages without a server error")
    client = Client()
    client.force_login(User.objects.get(username="researcher"))
    response = client.get(reverse("positions:export"))
    assert response.status_code == 200, response.status_code
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    print(f"csv export: {len(body.splitlines())} lines")
    anonymous = Client().get("/")
    assert anonymous.status_code == 302, "anonymous visitors must be sent to the login page"
    print("smoke: ok")


if __name__ == "__main__":
    main()
