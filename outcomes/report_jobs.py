"""The outcomes report as PDF for a long period: made by a background job, not in the request.

``report_pdf`` answers a period of more than ``LARGE_PERIOD_DAYS`` with a page that offers
to make the PDF in the background; the job re-checks that its maker still coordinates the
neighbourhood, builds the same context as the page (panels included) and renders it.
"""

from __future__ import annotations

import datetime
from types import SimpleNamespace
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jobs import tasks as job_tasks
from jobs.models import Job
from jobs.tasks import JobRefused, handler
from jobs.views import scope_of
from neighbourhoods.access import membership_for, require
from neighbourhoods.dashboard import panels_for
from neighbourhoods.http import NeighbourhoodRequest
from neighbourhoods.models import Neighbourhood, Role

from . import report as reports
from .forms import ReportForm
from .prices import index_years

KIND = "outcomes-report-pdf"
LARGE_PERIOD_DAYS = 400


def is_large(start: datetime.date, end: datetime.date) -> bool:
    return (end - start).days > LARGE_PERIOD_DAYS


def offer(request: HttpRequest, start, end, audience: str, year: int | None) -> HttpResponse:
    context = {"start": start, "end": end, "audience": audience, "year": year}
    return render(request, "outcomes/report_pdf_job.html", context)


@require(Role.COORDINATOR)
@require_POST
def report_pdf_job(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = ReportForm(request.POST, index_years=index_years())
    start, end = form.period()
    audience = form.audience_value()
    year = form.price_year(end)
    job = job_tasks.start(
        Job(
            kind=KIND,
            scope=scope_of(request.neighbourhood),
            title=_("Outcomes report %(start)s – %(end)s") % {"start": start, "end": end},
            params={
                "neighbourhood": request.neighbourhood.pk,
                "start": start.isoformat(),
                "end": end.isoformat(),
                "audience": audience,
                "year": year,
            },
            created_by=request.user,
        )
    )
    return redirect("jobs:job", slug, job.token)


@handler(KIND)
def make_pdf(job: Job, progress):
    neighbourhood = Neighbourhood.objects.filter(pk=job.params.get("neighbourhood")).first()
    membership = (
        membership_for(job.created_by, neighbourhood) if neighbourhood and job.created_by else None
    )
    if neighbourhood is None or membership is None or not membership.is_coordinator:
        raise JobRefused(_("Only a coordinator of the neighbourhood can make this report."))
    start = datetime.date.fromisoformat(job.params["start"])
    end = datetime.date.fromisoformat(job.params["end"])
    audience = job.params["audience"]
    progress(0, 2)
    context = reports.report_context(neighbourhood, start, end, audience, job.params.get("year"))
    # Panels read only these three of a request (no request exists in a job).
    stand_in = SimpleNamespace(
        membership=membership, user=job.created_by, neighbourhood=neighbourhood
    )
    context["panels"] = panels_for(
        cast("HttpRequest", stand_in), "report", start=start, end=end, audience=audience
    )
    progress(1, 2)
    content = reports.render_pdf(context)
    records = sum(len(section.entries) for section in context["sections"])
    job_tasks.describe_download(job, reports.access_description(audience), records)
    progress(2, 2)
    name = f"report-{neighbourhood.slug}-{start:%Y%m%d}-{end:%Y%m%d}.pdf"
    return content, name, "application/pdf"
