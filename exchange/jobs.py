"""Running an import job: store the upload, check it, save it, report progress on the row.

A confirmed job runs in a background thread (so the page can poll its progress) unless
``EXCHANGE_IMPORT_IN_BACKGROUND`` is off — by default it is off under tests, where the job
runs within the request. Checking the rows updates ``done``/``total`` as it goes; saving is
one transaction, so the page shows "saving" until it is complete.
"""

from __future__ import annotations

import datetime
import logging
import threading

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import close_old_connections, connection, transaction
from django.utils import timezone, translation
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from . import importing, reading
from .models import ImportJob, JobStatus

log = logging.getLogger(__name__)
KEEP = datetime.timedelta(days=1)
STALLED = datetime.timedelta(minutes=15)


def in_background() -> bool:
    return bool(getattr(settings, "EXCHANGE_IMPORT_IN_BACKGROUND", True))


def store(job: ImportJob, upload) -> ImportJob:
    """Save the uploaded file under ``imports/<token>/`` and the job row."""
    name = get_valid_filename(upload.name.rsplit("/", 1)[-1].rsplit("\\", 1)[-1]) or "upload"
    job.file_name = upload.name[:255]
    job.size = upload.size
    job.stored_name = default_storage.save(f"imports/{job.token}/{name[-100:]}", upload)
    job.save()
    return job


def read(job: ImportJob) -> bytes:
    try:
        with default_storage.open(job.stored_name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError) as error:
        raise reading.Refused(
            _("The uploaded file is no longer there; upload it again.")
        ) from error


def plan(job: ImportJob, progress=importing._no_progress, feature: str | None = None):
    data = read(job)
    return importing.build_plan(
        job.file_name,
        data,
        job.neighbourhood,
        what=job.what,
        feature=job.feature if feature is None else feature,
        progress=progress,
    )


def discard(job: ImportJob) -> None:
    name = job.stored_name

    def delete() -> None:
        if name and default_storage.exists(name):
            default_storage.delete(name)

    transaction.on_commit(delete)


def purge_old(now: datetime.datetime | None = None) -> int:
    """Remove jobs (and their files) older than a day."""
    cutoff = (now or timezone.now()) - KEEP
    old = list(ImportJob.objects.filter(created_at__lt=cutoff))
    for job in old:
        discard(job)
    ImportJob.objects.filter(pk__in=[j.pk for j in old]).delete()
    return len(old)


def stalled(job: ImportJob) -> bool:
    return job.running and job.updated_at < timezone.now() - STALLED


def _update(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def run(job: ImportJob) -> ImportJob:
    """Check and save the job's file; the outcome (or the reason it failed) goes on the row."""

    def checking(done: int, total: int) -> None:
        _update(job, done=done, total=total)

    try:
        result = plan(job, progress=checking)
        _update(job, status=JobStatus.SAVING, total=result.work, done=0)
        outcome = importing.apply_plan(
            result,
            job.neighbourhood,
            user=job.created_by,
            file_name=job.file_name,
            valid_only=job.valid_only,
        )
        _update(job, status=JobStatus.DONE, done=job.total, result=outcome.as_dict(), message="")
    except reading.Refused as refused:
        _update(job, status=JobStatus.FAILED, message=refused.message)
    except Exception:
        log.exception("Import job %s failed", job.pk)
        _update(
            job,
            status=JobStatus.FAILED,
            message=_("Something went wrong while importing; nothing was imported."),
        )
    else:
        discard(job)
    return job


def _run_in_thread(job_id: int, language: str) -> None:
    close_old_connections()
    try:
        with translation.override(language):
            job = ImportJob.objects.select_related("neighbourhood", "created_by").get(pk=job_id)
            run(job)
    finally:
        connection.close()


def start(job: ImportJob, *, valid_only: bool, feature: str) -> None:
    """Mark the job as started and run it (in the background when configured)."""
    _update(
        job,
        status=JobStatus.CHECKING,
        valid_only=valid_only,
        feature=feature,
        done=0,
        total=0,
        message="",
    )
    if in_background():
        language = translation.get_language() or settings.LANGUAGE_CODE
        thread = threading.Thread(
            target=_run_in_thread, args=(job.pk, language), name=f"import-{job.pk}", daemon=True
        )
        transaction.on_commit(thread.start)
    else:
        run(job)
