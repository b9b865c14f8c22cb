"""Refresh the README's screenshots from the demo, as a new user sees it after `make run`.

Builds a throwaway SQLite demo (eager tasks) exactly as `make run` does (load_demo
ingests and reviews the demo articles; some stay drafts for the review page), serves it
on a free loopback port and photographs the main pages with Debian's chromium through
Playwright. Writes docs/screenshots/*.png.

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "docs" / "screenshots"
CHROMIUM = os.environ.get("PARLEY_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]

PREPARE = """
import django
django.setup()
from django.contrib.auth.models import User
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("load_demo", verbosity=0)  # the demo articles, reviewed as its editor decided
for name in ("editor", "researcher"):
    user = User.objects.get(username=name)
    user.set_password("demo-screenshots")
    user.save()
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def main() -> None:
    from playwright.sync_api import sync_playwright

    workdir = tempfile.mkdtemp(prefix="parley-shots-")
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{workdir}/demo.sqlite3",
           "DJANGO_SETTINGS_MODULE": "config.settings"}
    for name in ("CELERY_BROKER_URL", "CELERY_TASK_ALWAYS_EAGER"):
        env.pop(name, None)
    subprocess.run([sys.executable, "-c", PREPARE], cwd=ROOT, env=env, check=True)
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        time.sleep(3)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
            for username, pages in (
                ("researcher", [("overview", "/"), ("side-by-side", "/negotiations/gaza-ceasefire/"),
                                ("timeline", None),
                                ("changes", "/negotiations/gaza-ceasefire/changes/"),
                                ("search", "/search/?q=ceasefire"),
                                ("api-docs", "/api/docs")]),
                ("editor", [("review", None)]),
            ):
                page = browser.new_page(viewport={"width": 1280, "height": 900})
                page.goto(f"{base}/accounts/login/")
                page.fill("input[name=username]", username)
                page.fill("input[name=password]", "demo-screenshots")
                page.click("button[type=submit]")
                page.wait_for_load_state("networkidle")
                for name, path in pages:
                    if name == "timeline":
                        page.goto(base + "/")
                        page.locator("a[href^='/actors/']", has_text="Hamas").first.click()
                    elif name == "review":
                        page.goto(f"{base}/articles/queue/")
                        page.locator("a[href*='/review/']").first.click()
                    else:
                        page.goto(base + path)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(OUT / f"{name}.png"), full_page=False)
                    print(f"wrote docs/screenshots/{name}.png ({page.url})")
                page.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
