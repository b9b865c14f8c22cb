"""Integration fixtures: the real PostgreSQL, Redis and a Celery worker process.

A test here fails, never skips, when a service is missing: CI must provide them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection

from config.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def broker_url() -> str:
    url = settings.CELERY_BROKER_URL
    assert url.startswith("redis://"), "Integration tests need CELERY_BROKER_URL=redis://…"
    redis.Redis.from_url(url, socket_connect_timeout=3).ping()  # fails loudly when Redis is down
    return url


@pytest.fixture
def worker_queue(transactional_db, broker_url) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """A Celery worker process on a queue of its own, using this test's database."""
    assert connection.vendor == "postgresql", "Integration tests run on PostgreSQL"
    queue = f"test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}",
        "CELERY_BROKER_URL": broker_url,
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "-Q", queue,
         "--concurrency=1", "--pool=prefork", "--without-gossip", "--without-mingle",
         "--without-heartbeat", "--loglevel=INFO", f"--hostname={queue}@%h"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    previous = celery_app.conf.task_default_queue
    celery_app.conf.task_default_queue = queue
    try:
        _wait_until_ready(queue, worker)
        yield queue
    finally:
        celery_app.conf.task_default_queue = previous
        worker.terminate()
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()


def _wait_until_ready(queue: str, worker: subprocess.Popen[str], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert worker.poll() is None, f"worker exited: {worker.stdout.read() if worker.stdout else ''}"
        replies = celery_app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
        if replies:
            return
    raise AssertionError("the Celery worker did not start in time")


def wait_for(predicate, timeout: float = 90, interval: float = 0.25):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")
