"""Integration fixtures: the real PostgreSQL, Redis and Celery worker processes.

A test here fails, never skips, when a service is missing: CI must provide them.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


def wait_for(predicate: Callable[[], object], timeout: float = 90, interval: float = 0.2) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout} s")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def broker_url() -> str:
    url = settings.CELERY_BROKER_URL
    assert url.startswith("redis://"), "Integration tests need CELERY_BROKER_URL=redis://…"
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # fails loudly when Redis is down
    return url


@pytest.fixture
def app_env(transactional_db, broker_url) -> dict[str, str]:
    """Environment for a process of the app that uses this test's database."""
    assert connection.vendor == "postgresql", "Integration tests run on PostgreSQL"
    db = connection.settings_dict
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }


class Worker:
    """A `celery worker` process in its own session, so the whole group can be killed."""

    def __init__(self, queue: str, env: dict[str, str], log: Path) -> None:
        self.queue = queue
        self.env = {**env, "CELERY_TASK_DEFAULT_QUEUE": queue}
        self.log = log
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
             "--concurrency=1", "--pool=prefork", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "--loglevel=INFO", f"--hostname={uuid.uuid4().hex[:8]}@{queue}"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> Worker:
        """Wait for the worker's own "ready." line (a ping would go to the default broker)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.process.poll() is None, f"worker exited:\n{self.output()}"
            if f"@{self.queue} ready." in self.output():
                return self
            time.sleep(0.2)
        self.kill_all()
        raise AssertionError(f"worker not ready:\n{self.output()}")

    def pool_children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def kill_pool_child(self) -> None:
        children = self.pool_children()
        assert children, "the worker has no pool process"
        os.kill(children[0], signal.SIGKILL)

    def kill_all(self) -> None:
        """SIGKILL the worker and its pool at once, as a machine losing power would."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill_all()

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@pytest.fixture
def start_worker(app_env, tmp_path) -> Iterator[Callable[..., Worker]]:
    """Start workers on a queue of this test's own; tasks sent from here go to that queue.

    Celery stamps the producer's time limits on each message: a test that gives a worker
    other limits must enqueue from a process with the same settings (``run_app``).
    """
    queue = f"test-{uuid.uuid4().hex[:8]}"
    workers: list[Worker] = []
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue

    def start(**env: str) -> Worker:
        log = tmp_path / f"worker-{len(workers)}.log"
        worker = Worker(queue, {**app_env, **env}, log).wait_ready()
        workers.append(worker)
        return worker

    try:
        yield start
    finally:
        celery_app.conf.task_default_queue = previous
        for worker in workers:
            worker.stop()
        redis.Redis.from_url(app_env["CELERY_BROKER_URL"]).delete(queue)


def run_app(script: str, env: dict[str, str], stdin: str = "") -> str:
    """Run Python code in a process of the app with the given environment; its last line."""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
        input=stdin, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


UPLOAD_SCRIPT = """
import django, sys
django.setup()
from articles.services import article_create
from articles.sources import read_text
from positions.models import Negotiation
article, _ = article_create(document=read_text(sys.stdin.read()),
                            negotiation=Negotiation.objects.get(), uploaded_by=None)
print(article.pk)
"""


def upload_as(env: dict[str, str], body: str) -> int:
    """Upload an article from a process with these settings (its producer's time limits)."""
    return int(run_app(UPLOAD_SCRIPT, env, stdin=body))
