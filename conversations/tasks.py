"""Follow-up reminders as a task of the task queue (see ``jobs.queue``), never in a request."""

from __future__ import annotations

import datetime

from django.tasks import task

from . import digest


@task()
def send_digests(day: str = "") -> int:
    """Send the follow-up digests due on ``day`` (ISO date; today when empty)."""
    return digest.send_due_digests(datetime.date.fromisoformat(day) if day else None)
