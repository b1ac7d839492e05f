"""Putting work on the task queue, and the retry rule every job follows.

``enqueue`` sends a task to the backend named by ``ASSETMAP_TASK_BACKEND`` (``default``:
the database queue in production, the immediate backend under tests). With the database
backend the task row is written in the caller's transaction, so a job and its task are
committed together or not at all, and a worker started later still finds it.

A job is claimed with one conditional UPDATE (waiting → running), so a task delivered twice,
or a retry racing a late worker, runs the work once.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.tasks import Task, task_backends
from django.utils import timezone

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
RETRY_AFTER = datetime.timedelta(seconds=5)


def backend_alias() -> str:
    return getattr(settings, "ASSETMAP_TASK_BACKEND", "default")


def enqueue(task: Task, *args, delay: datetime.timedelta | None = None, **kwargs):
    """Queue ``task`` on the configured backend (after ``delay`` when the backend can wait)."""
    alias = backend_alias()
    run_after = None  # None: as soon as possible
    if delay and task_backends[alias].supports_defer:
        run_after = timezone.now() + delay
    return task.using(backend=alias, run_after=run_after).enqueue(*args, **kwargs)


def should_retry(attempts: int) -> bool:
    return attempts < MAX_ATTEMPTS
