"""Views of exchange (import, export); every view is wrapped in neighbourhoods.access.require."""

from __future__ import annotations

import contextlib
import io
from typing import TYPE_CHECKING

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from audit import access
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import NeighbourhoodRequest
from neighbourhoods.models import Role

from . import exporting, jobs, reading
from .columns import INVENTORIES, INVENTORY_LABELS, Column
from .forms import ConfirmForm, SizeLimit, UploadForm
from .importing import SECTION_LABELS
from .models import ImportJob, JobStatus

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PREVIEW_ROWS = 10
ERRORS_SHOWN = 200


# --- import ----------------------------------------------------------------------------


@require(Role.COORDINATOR)
@csrf_exempt  # checked below, once the upload size is known (csrf_protect on _upload)
def import_start(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    if request.method == "POST":
        limit = reading.max_bytes() + 64 * 1024  # room for the form's other fields
        # When something read the body already, the form's own size check still runs.
        with contextlib.suppress(AttributeError):
            request.upload_handlers.insert(0, SizeLimit(request, limit))
        request.POST  # noqa: B018  (parse now; a too large body is not read at all)
        refused = getattr(request, "upload_refused", None)
        if refused:
            try:
                reading.check_size(refused)
            except reading.Refused as error:
                return _upload_page(request, UploadForm(), status=422, error=error.message)
    return _upload(request, slug)


def _upload_page(request, form, status=200, error: str = "") -> HttpResponse:
    recent = ImportJob.objects.in_neighbourhood(request.neighbourhood).select_related("created_by")[
        :5
    ]
    context = {
        "form": form,
        "recent": recent,
        "columns": _column_help(),
        "limit": reading.max_bytes(),
        "error": error,
    }
    return render(request, "exchange/import.html", context, status=status)


def _column_help() -> list[tuple[StrOrPromise, tuple[Column, ...]]]:
    from .columns import COLUMNS

    return [(INVENTORY_LABELS[i], COLUMNS[i]) for i in INVENTORIES]


@csrf_protect
def _upload(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    if request.method != "POST":
        return _upload_page(request, UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _upload_page(request, form, status=422)
    jobs.purge_old()
    job = ImportJob(
        neighbourhood=request.neighbourhood,
        created_by=request.user,
        what=form.cleaned_data["what"],
    )
    jobs.store(job, form.cleaned_data["file"])
    return redirect(job)


def _job(request: NeighbourhoodRequest, token: str) -> ImportJob:
    return get_in_neighbourhood(
        ImportJob.objects.select_related("neighbourhood", "created_by"),
        request.neighbourhood,
        token=token,
    )


def _display(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list):  # gifts: [(kind, title), …]
        return " | ".join(f"{kind}: {title}" for kind, title in value)
    return str(value)


def _preview_context(job: ImportJob, feature: str) -> dict:
    try:
        plan = jobs.plan(job, feature=feature)
    except reading.Refused as refused:
        return {"refused": refused.message}
    sections = []
    for section in plan.sections:
        rows = [
            (row, [_display(row.values.get(c)) for c in section.columns])
            for row in section.rows[:PREVIEW_ROWS]
        ]
        sections.append(
            {
                "section": section,
                "rows": rows,
                "create": section.count("create"),
                "update": section.count("update"),
                "unchanged": section.count("unchanged"),
            }
        )
    bad = plan.bad_rows
    return {
        "plan": plan,
        "sections": sections,
        "bad_rows": bad[:ERRORS_SHOWN],
        "bad_hidden": max(0, len(bad) - ERRORS_SHOWN),
        "warned_rows": [r for r in plan.rows if r.warnings and not r.errors][:ERRORS_SHOWN],
        "confirm": ConfirmForm(initial={"feature": feature}),
    }


def _job_context(request: HttpRequest, job: ImportJob) -> dict:
    context = {"job": job, "stalled": jobs.stalled(job), "labels": SECTION_LABELS}
    if job.status == JobStatus.PREVIEW:
        feature = request.GET.get("feature", job.feature)[:60]
        context |= _preview_context(job, feature)
        context["feature"] = feature
    if job.status == JobStatus.DONE:
        counts = job.result.get("counts", {})
        context["counts"] = [(SECTION_LABELS.get(k, k), v) for k, v in counts.items()]
    return context


@require(Role.COORDINATOR)
@require_GET
def import_job(request: NeighbourhoodRequest, slug: str, token: str) -> HttpResponse:
    job = _job(request, token)
    return render(request, "exchange/import_job.html", _job_context(request, job))


@require(Role.COORDINATOR)
@require_GET
def import_progress(request: NeighbourhoodRequest, slug: str, token: str) -> HttpResponse:
    job = _job(request, token)
    if not getattr(request, "htmx", None):
        return redirect(job)
    response = render(request, "exchange/import_job.html#status", _job_context(request, job))
    patch_vary_headers(response, ["HX-Request"])
    return response


@require(Role.COORDINATOR)
@require_POST
def import_confirm(request: NeighbourhoodRequest, slug: str, token: str) -> HttpResponse:
    job = _job(request, token)
    if job.status != JobStatus.PREVIEW:
        return redirect(job)
    form = ConfirmForm(request.POST)
    form.is_valid()
    valid_only = form.cleaned_data.get("valid_only", False)
    feature = form.cleaned_data.get("feature", "")
    context = _job_context(request, job) | _preview_context(job, feature)
    plan = context.get("plan")
    if plan is None or (plan.has_errors and not valid_only) or plan.empty:
        if plan is not None and plan.has_errors:
            context["confirm_error"] = _(
                "Nothing was imported: some rows have problems. Correct the file and upload it "
                "again, or tick “Import only the valid rows”."
            )
        context["confirm"] = form
        return render(request, "exchange/import_job.html", context, status=422)
    jobs.start(job, valid_only=valid_only, feature=feature)
    return redirect(job)


@require(Role.COORDINATOR)
@require_POST
def import_cancel(request: NeighbourhoodRequest, slug: str, token: str) -> HttpResponse:
    job = _job(request, token)
    if job.status == JobStatus.PREVIEW:
        jobs.discard(job)
        job.status = JobStatus.CANCELLED
        job.save(update_fields=["status", "updated_at"])
        messages.info(request, _("The import was cancelled; nothing was imported."))
    return redirect("exchange:import", slug)


@require(Role.COORDINATOR)
@require_POST
def import_retry(request: NeighbourhoodRequest, slug: str, token: str) -> HttpResponse:
    job = _job(request, token)
    if not jobs.retry(job):
        messages.error(request, _("This import cannot be tried again; upload the file again."))
    return redirect(job)


# --- export ----------------------------------------------------------------------------


# Dutch Excel and LibreOffice open a comma-separated file in one column: the semicolon
# variant comes first for Dutch readers, the comma one first for everyone else.
DOWNLOADS = [
    (exporting.CSV_NL, "Excel (NL)"),
    (exporting.CSV, "CSV (comma)"),
    (exporting.XLSX, "Excel (XLSX)"),
]


@require(Role.COORDINATOR)
@require_GET
def export_page(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    url = reverse("exchange:export_download", args=[slug, "FORMAT"])
    downloads = DOWNLOADS if get_language() == "nl" else [DOWNLOADS[1], DOWNLOADS[0], DOWNLOADS[2]]
    tables = [
        (
            INVENTORY_LABELS[what],
            [(label, url.replace("FORMAT", fmt) + f"?what={what}") for fmt, label in downloads],
        )
        for what in INVENTORIES
    ]
    context = {
        "tables": tables,
        "geojson_url": url.replace("FORMAT", exporting.GEOJSON),
        "hsds_url": url.replace("FORMAT", exporting.HSDS),
        "hsds_json_url": url.replace("FORMAT", exporting.HSDS_JSON),
        "kumu_url": url.replace("FORMAT", exporting.KUMU),
        "kumu_json_url": url.replace("FORMAT", exporting.KUMU_JSON),
    }
    return render(request, "exchange/export.html", context)


@require(Role.COORDINATOR)
@require_GET
def export_download(request: NeighbourhoodRequest, slug: str, fmt: str) -> HttpResponseBase:
    if fmt not in exporting.FORMATS:
        raise Http404("No such format.")
    what = request.GET.get("what") or None
    try:
        result = exporting.export(request.membership, fmt, what)
    except exporting.ExportRefused as refused:
        messages.error(request, refused.message)
        return redirect("exchange:export", slug)
    access.record(
        request.user,
        access.AccessAction.EXPORT,
        request.neighbourhood,
        result.count,
        subjects=result.person_ids,
        what=result.what,
        role=request.membership.role,
    )
    response = FileResponse(
        io.BytesIO(result.content),
        as_attachment=True,
        filename=result.file_name,
        content_type=result.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
