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
    return download(_job(request, job_token))


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
