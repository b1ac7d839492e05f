"""Imports as tasks of the task queue (see ``jobs.queue``); no thread of the web process."""

from __future__ import annotations

from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from jobs import queue

from . import jobs
from .models import ImportJob, JobStatus


def queue_import(job: ImportJob, delay=None) -> None:
    language = translation.get_language() or ""
    queue.enqueue(run_import, job.pk, language, delay=delay)


@task()
def run_import(job_id: int, language: str = "") -> str:
    """Claim the job (queued → checking) and import it; a second delivery finds it claimed."""
    claimed = ImportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.CHECKING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"
    job = ImportJob.objects.select_related("neighbourhood", "created_by").get(pk=job_id)
    with translation.override(language or None):
        try:
            jobs.run(job, may_retry=True)
        except jobs.Retry:
            if queue.should_retry(job.attempts):
                jobs._update(job, status=JobStatus.QUEUED, message=_("Trying again shortly…"))
                queue_import(job, delay=queue.RETRY_AFTER)
                return "retrying"
            jobs._update(
                job,
                status=JobStatus.FAILED,
                message=_(
                    "Something went wrong while importing, also after %(n)s tries; nothing was "
                    "imported. Try again later; if it keeps failing, tell your administrator."
                )
                % {"n": job.attempts},
            )
            return "failed"
    return job.status
