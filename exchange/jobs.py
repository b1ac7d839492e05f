"""Running an import job: store the upload, check it, save it, report progress on the row.

A confirmed job is queued as a task (``exchange.tasks.run_import``) on the task queue
(``jobs.queue``: a database queue run by ``manage.py db_worker``; the immediate backend under
tests). The worker claims it once (queued → checking), so a task delivered twice imports
once. Checking the rows updates ``done``/``total`` as it goes; saving and marking it done are
one transaction, so the page shows "saving" until it is complete, and a failure mid-way
leaves nothing half-imported (an unexpected one is retried a few times).
"""

from __future__ import annotations

import datetime
import logging

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from . import importing, reading
from .models import ImportJob, JobStatus

log = logging.getLogger(__name__)
KEEP = datetime.timedelta(days=1)
STALLED = datetime.timedelta(minutes=15)


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
    working = job.status in (JobStatus.CHECKING, JobStatus.SAVING)
    return working and job.updated_at < timezone.now() - STALLED


def _update(job: ImportJob, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


class Retry(Exception):
    """An unexpected failure that the task should try again."""


def run(job: ImportJob, *, may_retry: bool = False) -> ImportJob:
    """Check and save the job's file; the outcome (or the reason it failed) goes on the row.

    With ``may_retry`` an unexpected error raises :class:`Retry` instead of failing the job.
    """

    def checking(done: int, total: int) -> None:
        _update(job, done=done, total=total)

    try:
        result = plan(job, progress=checking)
        _update(job, status=JobStatus.SAVING, total=result.work, done=0)
        with transaction.atomic():
            outcome = importing.apply_plan(
                result,
                job.neighbourhood,
                user=job.created_by,
                file_name=job.file_name,
                valid_only=job.valid_only,
            )
            _update(
                job, status=JobStatus.DONE, done=job.total, result=outcome.as_dict(), message=""
            )
    except reading.Refused as refused:
        _update(job, status=JobStatus.FAILED, message=refused.message)
    except Exception as error:
        log.exception("Import job %s failed (attempt %s)", job.pk, job.attempts)
        if may_retry:
            raise Retry from error
        _update(
            job,
            status=JobStatus.FAILED,
            message=_(
                "Something went wrong while importing; nothing was imported. Try again, or "
                "upload the file again."
            ),
        )
    else:
        discard(job)
    return job


def start(job: ImportJob, *, valid_only: bool, feature: str) -> None:
    """Mark the job as waiting for a worker and queue it (in the caller's transaction)."""
    from . import tasks

    _update(
        job,
        status=JobStatus.QUEUED,
        valid_only=valid_only,
        feature=feature,
        done=0,
        total=0,
        attempts=0,
        message="",
    )
    tasks.queue_import(job)


def retry(job: ImportJob) -> bool:
    """Queue a failed (or stalled) job again; False when there is nothing to retry."""
    from . import tasks

    if not (job.status == JobStatus.FAILED or stalled(job)):
        return False
    if not read_ok(job):
        return False
    updated = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=JobStatus.QUEUED, attempts=0, message="", done=0, updated_at=timezone.now()
    )
    if updated:
        job.status = JobStatus.QUEUED
        tasks.queue_import(job)
    return bool(updated)


def read_ok(job: ImportJob) -> bool:
    return bool(job.stored_name) and default_storage.exists(job.stored_name)
