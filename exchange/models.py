"""Import jobs: an uploaded file waiting for its preview and confirm, and its progress.

The file itself is kept in the media storage under ``imports/<random>/`` between the upload
and the confirm (never in memory or the session); the job row is what the progress element
polls. Jobs and their files are removed a day after they were made.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from neighbourhoods.models import NeighbourhoodScoped


class What(models.TextChoices):
    """What a file holds; ``auto`` lets the importer decide from the columns or contents."""

    AUTO = "auto", _("decide from the file")
    PEOPLE = "people", _("people and their gifts")
    ORGANISATIONS = "organisations", _("organisations")
    PLACES = "places", _("places")
    BOUNDARY = "boundary", _("neighbourhood boundary (GeoJSON)")


class JobStatus(models.TextChoices):
    PREVIEW = "preview", _("waiting for confirmation")
    QUEUED = "queued", _("waiting for a worker")
    CHECKING = "checking", _("checking the rows")
    SAVING = "saving", _("saving")
    DONE = "done", _("imported")
    FAILED = "failed", _("not imported")
    CANCELLED = "cancelled", _("cancelled")


def new_token() -> str:
    return secrets.token_urlsafe(18)


class ImportJob(NeighbourhoodScoped):
    token = models.CharField(max_length=40, unique=True, default=new_token, editable=False)
    file_name = models.CharField(_("file name"), max_length=255)
    stored_name = models.CharField(max_length=300)
    size = models.PositiveBigIntegerField(default=0)
    what = models.CharField(_("what the file holds"), max_length=20, choices=What.choices)
    feature = models.CharField(
        _("boundary feature"),
        max_length=60,
        blank=True,
        help_text=_("For a file of several boundaries: the buurtcode to use."),
    )
    valid_only = models.BooleanField(_("import only the valid rows"), default=False)
    status = models.CharField(max_length=20, choices=JobStatus.choices, default=JobStatus.PREVIEW)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.file_name} · {self.get_status_display()}"

    def get_absolute_url(self) -> str:
        return reverse("exchange:import_job", args=[self.neighbourhood.slug, self.token])

    @property
    def running(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.CHECKING, JobStatus.SAVING)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0
