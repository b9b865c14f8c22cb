"""The Celery app: settings from Django's under the CELERY_ namespace, tasks autodiscovered.

A worker keeps its database connection from one task to the next (``CELERY_DB_REUSE_MAX``
tasks, then a new one) instead of opening one per task: a new PostgreSQL backend for every
article cost more CPU than the article's queries. Two handlers keep that safe.
"""

import os

from celery import Celery, states
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("parley")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _eager(task: object) -> bool:
    """A task run eagerly runs in the caller's process, on the caller's connection."""
    return bool(getattr(getattr(task, "request", None), "is_eager", False))


@task_prerun.connect
def _drop_dead_connections(task: object = None, **_: object) -> None:
    """A connection kept from the last task may have died since (a database restart): check
    it with one round trip, as Django's CONN_HEALTH_CHECKS does for a request."""
    from django.db import connections

    if _eager(task):
        return
    for connection in connections.all(initialized_only=True):
        if connection.connection is not None and not connection.is_usable():
            connection.close()


@task_postrun.connect
def _keep_connections_only_after_success(
    task: object = None, state: str | None = None, **_: object
) -> None:
    """Keep a connection for the next task only when this one succeeded and left it clean.

    After a task that raised, retried or met a database error the connection may be in any
    state: the soft time limit strikes wherever the code is, a query included, and Django
    cannot always tell (why Celery stopped trusting ``close_if_unusable_or_obsolete``,
    celery/celery#9824). It is dropped, as Celery's default drops every connection.
    """
    from django.db import connections

    if _eager(task):
        return
    for connection in connections.all(initialized_only=True):
        if connection.connection is None:
            continue
        if (
            state != states.SUCCESS
            or connection.errors_occurred
            or connection.in_atomic_block
            or not connection.get_autocommit()
        ):
            connection.close()
