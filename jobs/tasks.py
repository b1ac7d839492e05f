"""The one task that runs a :class:`jobs.models.Job`: claim it, run its kind's handler, record.

Handlers register with :func:`handler` (``@handler("operator-report-pdf")``); they get the job
and a ``progress(done, total)`` callable and return ``(content, file_name, content_type)`` or
``None``. An unexpected error is retried (``queue.MAX_ATTEMPTS`` in all, a few seconds apart)
and then reported on the job with a readable message; the user may retry it from the page.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from functools import partial

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import F
from django.tasks import task
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from . import queue
from .models import Job, State

log = logging.getLogger(__name__)

Handler = Callable[[Job, Callable[[int, int], None]], tuple[bytes, str, str] | None]
HANDLERS: dict[str, Handler] = {}


class JobRefused(Exception):
    """A failure the user can act on: its message is shown as is, and it is not retried."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        HANDLERS[kind] = func
        return func

    return register


def _update(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields, updated_at=timezone.now())


def describe_download(job: Job, what: str, records: int) -> None:
    """What the job's file holds, for the access log when someone downloads it: a fixed
    description ("outcomes report (pdf, internal)", never user text or names) and how many
    records it includes. Handlers call it before they return the file."""
    download = {"what": str(what)[:100], "records": max(0, int(records))}
    _update(job, params={**job.params, "download": download})


KEEP = datetime.timedelta(days=7)


def purge_old(now: datetime.datetime | None = None) -> int:
    """Remove jobs, and the files they made, older than a week."""
    old = list(Job.objects.filter(created_at__lt=(now or timezone.now()) - KEEP))
    for job in old:
        name = job.file
        if name:
            transaction.on_commit(partial(default_storage.delete, name))
    Job.objects.filter(pk__in=[job.pk for job in old]).delete()
    return len(old)


def start(job: Job) -> Job:
    """Save a new job and queue it (in the caller's transaction); old jobs are removed."""
    purge_old()
    job.state = State.WAITING
    job.language = job.language or translation.get_language() or ""
    job.save()
    queue.enqueue(run_job, job.pk)
    return job


def retry(job: Job) -> bool:
    """Queue a failed job again (the user's retry); False when it is not failed."""
    if not Job.objects.filter(pk=job.pk, state=State.FAILED).update(
        state=State.WAITING, attempts=0, message="", done=0, updated_at=timezone.now()
    ):
        return False
    queue.enqueue(run_job, job.pk)
    return True


@task()
def run_job(job_id: int) -> str:
    claimed = Job.objects.filter(pk=job_id, state=State.WAITING).update(
        state=State.RUNNING, attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    if not claimed:
        return "skipped"  # done, failed, or run by another worker already
    job = Job.objects.get(pk=job_id)
    work = HANDLERS.get(job.kind)
    with translation.override(job.language or None):
        try:
            if work is None:
                raise JobRefused(_("This kind of job is not known (any more)."))
            result = work(job, lambda done, total: _update(job, done=done, total=total))
        except JobRefused as refused:
            _update(job, state=State.FAILED, message=refused.message)
            return "failed"
        except Exception:
            log.exception("Job %s (%s) failed, attempt %s", job.pk, job.kind, job.attempts)
            if queue.should_retry(job.attempts):
                _update(job, state=State.WAITING, message=_("Trying again shortly…"))
                queue.enqueue(run_job, job.pk, delay=queue.RETRY_AFTER)
                return "retrying"
            _update(
                job,
                state=State.FAILED,
                message=_(
                    "This did not work, also after %(n)s tries. Try again later; if it keeps "
                    "failing, tell your administrator."
                )
                % {"n": job.attempts},
            )
            return "failed"
        fields = {"state": State.DONE, "message": "", "done": job.total or job.done}
        if result is not None:
            content, file_name, content_type = result
            fields["file"] = default_storage.save(
                f"jobs/{job.token}/{file_name}", ContentFile(content)
            )
            fields |= {"file_name": file_name, "content_type": content_type}
        _update(job, **fields)
        return "done"
