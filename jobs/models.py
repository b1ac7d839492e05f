"""A piece of slow work a user asked for (a PDF report, an export), and what became of it.

The work itself runs as a task of Django's task framework (``jobs.tasks.run_job``) on the
configured backend: by default the database queue of ``django-tasks-db``, run by
``manage.py db_worker``. This row is what the user sees: waiting, running with progress,
done (with its file), or failed with a readable message and a retry.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    WAITING = "waiting", _("waiting for a worker")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


def new_token() -> str:
    return secrets.token_urlsafe(18)


class Job(models.Model):
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    kind = models.CharField(_("kind"), max_length=40)
    # Who the job belongs to, e.g. "operator:12"; the feature's views filter on it (404 else).
    scope = models.CharField(max_length=60, db_index=True)
    title = models.CharField(_("title"), max_length=200)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    attempts = models.PositiveSmallIntegerField(default=0)
    message = models.TextField(blank=True)
    file = models.CharField(max_length=300, blank=True)  # stored name in the default storage
    file_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("job")
        verbose_name_plural = _("jobs")

    def __str__(self) -> str:
        return f"{self.title} · {self.get_state_display()}"

    @property
    def running(self) -> bool:
        return self.state in (State.WAITING, State.RUNNING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


class Figure(models.Model):
    """A heavy figure of a neighbourhood, computed by a task when its data changed.

    ``data_version`` is the neighbourhood's ``data_version`` the figure was computed from
    (see ``neighbourhoods.freshness``): lower than the neighbourhood's own means newer data
    is waiting for the task, and pages say how old what they show is.
    """

    neighbourhood = models.ForeignKey(
        "neighbourhoods.Neighbourhood", on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(max_length=60)
    data_version = models.PositiveBigIntegerField()
    computed_at = models.DateTimeField()
    payload = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["neighbourhood", "name"], name="one_figure_per_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} @ {self.data_version}"
