"""A neighbourhood's background jobs (``/n/<slug>/jobs/<job_token>/``): state, retry, download.

Jobs of a neighbourhood carry the scope ``neighbourhood:<id>``; its coordinators see them,
everybody else gets what ``neighbourhoods.access.require`` gives (404 or 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from neighbourhoods.access import require
from neighbourhoods.http import NeighbourhoodRequest, render_page
from neighbourhoods.models import Neighbourhood, Role

from . import tasks
from .models import Job
from .signals import file_downloaded


def scope_of(neighbourhood: Neighbourhood) -> str:
    return f"neighbourhood:{neighbourhood.pk}"


def _job(request: NeighbourhoodRequest, job_token: str) -> Job:
    return get_object_or_404(Job, scope=scope_of(request.neighbourhood), token=job_token)


@require(Role.COORDINATOR)
@require_GET
def job(request: NeighbourhoodRequest, slug: str, job_token: str) -> HttpResponse:
    return render_page(
        request, "jobs/job.html", {"job": _job(request, job_token)}, partial="status"
    )


@require(Role.COORDINATOR)
@require_POST
def job_retry(request: NeighbourhoodRequest, slug: str, job_token: str) -> HttpResponse:
    found = _job(request, job_token)
    if not tasks.retry(found):
        messages.info(request, _("This job is not failed; there is nothing to try again."))
    return redirect("jobs:job", slug, job_token)


@require(Role.COORDINATOR)
@require_GET
def job_download(request: NeighbourhoodRequest, slug: str, job_token: str) -> FileResponse:
    found = _job(request, job_token)
    response = download(found)
    record_download(request.user, found, request.neighbourhood, role=request.membership.role)
    return response


def download(job: Job) -> FileResponse:
    """The file a finished job made, as an attachment; 404 until there is one."""
    if not job.file or not default_storage.exists(job.file):
        raise Http404("Not ready.")
    return FileResponse(
        default_storage.open(job.file, "rb"),
        as_attachment=True,
        filename=job.file_name,
        content_type=job.content_type,
    )


def record_download(
    user, job: Job, neighbourhood: Neighbourhood | None, *, role: str = "", operator_id=None
) -> None:
    """Tell the access log a job's file was downloaded, like every other export: who, what
    (the handler's fixed description, see ``tasks.describe_download``), when, how many
    records. No names, no person ids, not the job's title or file name."""
    described = job.params.get("download") or {}
    file_downloaded.send(
        sender=Job,
        job=job,
        user=user,
        neighbourhood=neighbourhood,
        role=role,
        operator_id=operator_id,
        what=described.get("what") or f"{job.kind} (file)",
        records=described.get("records", 0),
    )
