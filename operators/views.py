"""Organisation pages under ``/o/<slug>/`` (every view: ``require_operator_admin``) and the
public invitation page ``/invite/<token>/`` (shows nothing without a valid token)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit import access
from audit.forms import AccessFilters
from audit.models import AccessEntry
from jobs import tasks as job_tasks
from jobs import views as job_views
from jobs.models import Job
from neighbourhoods.http import paginate, render_page
from neighbourhoods.models import LastCoordinatorError, Membership, Role

from . import reports, services
from .access import OperatorRequest, operators_for, require_operator_admin
from .forms import AcceptForm, InviteForm, NeighbourhoodForm, PeriodForm
from .models import Invitation, OperatorNeighbourhood
from .rollup import rollup

PROBLEMS = {
    "unknown": gettext_lazy("This invitation link is not valid."),
    "used": gettext_lazy("This invitation has been used already."),
    "revoked": gettext_lazy("This invitation was withdrawn."),
    "expired": gettext_lazy("This invitation has expired; ask for a new one."),
}


@login_required
@require_GET
def operator_list(request: HttpRequest) -> HttpResponse:
    return render(request, "operators/list.html", {"operators": operators_for(request.user)})


@require_operator_admin
@require_GET
def dashboard(request: OperatorRequest, slug: str) -> HttpResponse:
    period = PeriodForm(request.GET or None)
    start, end = period.period()
    result = rollup(request.operator, start, end)
    jobs = Job.objects.filter(scope=request.operator.scope, created_by=request.user)[:5]
    query = f"start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"
    context = {
        "operator": request.operator,
        "period": period,
        "result": result,
        "jobs": jobs,
        "query": query,
        "start": start,
        "end": end,
    }
    return render_page(request, "operators/dashboard.html", context, partial="table")


@require_operator_admin
@require_GET
def export(request: OperatorRequest, slug: str, fmt: str) -> FileResponse:
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format.")
    start, end = PeriodForm(request.GET or None).period()
    result = rollup(request.operator, start, end)
    if fmt == "csv":
        content, kind = reports.as_csv(result), "text/csv; charset=utf-8"
    else:
        content = reports.as_xlsx(result)
        kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    access.record(
        request.user,
        access.AccessAction.REPORT,
        None,
        len(result.rows),
        what=f"organisation report ({fmt})",
        role=access.ORGANISATION_ADMIN if not request.user.is_staff else access.STAFF,
        operator_id=request.operator.pk,
    )
    return FileResponse(
        iter([content]),
        as_attachment=True,
        filename=f"{reports.file_stem(result)}.{fmt}",
        content_type=kind,
    )


@require_operator_admin
@require_POST
def report_pdf(request: OperatorRequest, slug: str) -> HttpResponse:
    start, end = PeriodForm(request.POST).period()
    operator = request.operator
    with transaction.atomic():
        job = job_tasks.start(
            Job(
                kind=reports.PDF_KIND,
                scope=operator.scope,
                title=_("Report %(start)s – %(end)s") % {"start": start, "end": end},
                params={
                    "operator": operator.pk,
                    "start": start.isoformat(),
                    "end": end.isoformat(),
                },
                created_by=request.user,
            )
        )
    return redirect("operators:job", slug, job.token)


def _job(request: OperatorRequest, token: str) -> Job:
    return get_object_or_404(Job, scope=request.operator.scope, token=token)


@require_operator_admin
@require_GET
def job(request: OperatorRequest, slug: str, token: str) -> HttpResponse:
    context = {"operator": request.operator, "job": _job(request, token)}
    return render_page(request, "operators/job.html", context, partial="status")


@require_operator_admin
@require_POST
def job_retry(request: OperatorRequest, slug: str, token: str) -> HttpResponse:
    found = _job(request, token)
    if not job_tasks.retry(found):
        messages.info(request, _("This job is not failed; there is nothing to try again."))
    return redirect("operators:job", slug, token)


@require_operator_admin
@require_GET
def access_log(request: OperatorRequest, slug: str) -> HttpResponse:
    """The access log of the organisation's neighbourhoods and of its own reports."""
    operator = request.operator
    entries = AccessEntry.objects.filter(
        Q(neighbourhood__operator_link__operator=operator) | Q(operator_id=operator.pk)
    )
    actor_ids = entries.exclude(actor=None).order_by().values_list("actor_id", flat=True)
    filters = AccessFilters(request.GET or None, actor_ids=actor_ids.distinct())
    page = paginate(request, filters.apply(entries).select_related("actor", "neighbourhood"), 50)
    context = {
        "operator": operator,
        "page": page,
        "filters": filters,
        "retention_days": settings.ACCESS_LOG_DAYS,
    }
    return render_page(request, "operators/access_log.html", context, partial="rows")


@require_operator_admin
@require_GET
def job_download(request: OperatorRequest, slug: str, token: str) -> FileResponse:
    job = _job(request, token)
    response = job_views.download(job)
    job_views.record_download(
        request.user,
        job,
        None,
        role=access.ORGANISATION_ADMIN if not request.user.is_staff else access.STAFF,
        operator_id=request.operator.pk,
    )
    return response


@require_operator_admin
@require_http_methods(["GET", "POST"])
def neighbourhood_new(request: OperatorRequest, slug: str) -> HttpResponse:
    form = NeighbourhoodForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            neighbourhood = services.create_neighbourhood(
                request.operator,
                by=request.user,
                name=data["name"].strip(),
                area=data["area"],
                boundary=data["boundary_file"],
                municipality=data["municipality"].strip(),
                streets=form.street_list,
                coordinator=data["coordinator"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("%(name)s is ready. Invite the people who work there.")
                % {"name": neighbourhood.name},
            )
            return redirect("operators:people", slug)
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "operators/neighbourhood_form.html",
        {"operator": request.operator, "form": form},
        status=status,
    )


def _people_context(request: OperatorRequest, form: InviteForm) -> dict:
    operator = request.operator
    memberships = (
        Membership.objects.filter(neighbourhood__operator_link__operator=operator)
        .exclude(role=Role.RESIDENT)  # residents are people of the neighbourhood, not staff
        .select_related("user", "neighbourhood")
        .defer("neighbourhood__boundary")
        .order_by("neighbourhood__name", "user__username")
    )
    links = (
        OperatorNeighbourhood.objects.filter(operator=operator)
        .select_related("neighbourhood")
        .defer("neighbourhood__boundary")
    )
    return {
        "operator": operator,
        "memberships": memberships,
        "links": links,
        "invitations": Invitation.objects.filter(
            operator=operator, accepted_at__isnull=True, revoked_at__isnull=True
        ).prefetch_related("neighbourhoods"),
        "form": form,
    }


@require_operator_admin
@require_http_methods(["GET", "POST"])
def people(request: OperatorRequest, slug: str) -> HttpResponse:
    form = InviteForm(request.POST or None, operator=request.operator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invited = services.invite(
                request.operator,
                by=request.user,
                email=data["email"],
                role=data["role"],
                neighbourhoods=data["neighbourhoods"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            link = request.build_absolute_uri(
                reverse("operators_public:accept", args=[invited.token])
            )
            send_mail(
                _("Invitation to Assetmap from %(name)s") % {"name": request.operator.name},
                _(
                    "%(name)s invites you to work with Assetmap in %(where)s.\n\n"
                    "Open this link within 14 days to accept (it works once):\n%(link)s\n"
                )
                % {
                    "name": request.operator.name,
                    "where": ", ".join(n.name for n in data["neighbourhoods"]),
                    "link": link,
                },
                None,
                [data["email"]],
            )
            messages.success(
                request,
                _("The invitation was sent to %(email)s. The link, to pass on yourself: %(link)s")
                % {"email": data["email"], "link": link},
            )
            return redirect("operators:people", slug)
    status = 422 if request.method == "POST" else 200
    return render(request, "operators/people.html", _people_context(request, form), status=status)


@require_operator_admin
@require_POST
def member_remove(request: OperatorRequest, slug: str, membership_id: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.select_related("user", "neighbourhood"),
        pk=membership_id,
        neighbourhood__operator_link__operator=request.operator,
    )
    try:
        services.remove(request.operator, membership, by=request.user)
    except LastCoordinatorError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("%(user)s no longer has a role in %(name)s.")
            % {"user": membership.user.get_username(), "name": membership.neighbourhood.name},
        )
    return redirect("operators:people", slug)


@require_operator_admin
@require_POST
def invitation_revoke(request: OperatorRequest, slug: str, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation, pk=invitation_id, operator=request.operator)
    services.revoke(invitation)
    messages.info(request, _("The invitation was withdrawn."))
    return redirect("operators:people", slug)


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    """Public by design: without a valid token it shows only why the link does not work."""
    try:
        invitation = services.find_invitation(token)
    except services.InvitationProblem as problem:
        status = 410 if problem.reason in ("used", "expired", "revoked") else 404
        return render(
            request, "operators/accept.html", {"problem": PROBLEMS[problem.reason]}, status=status
        )
    # No form for a signed-in user: the invitation goes to that account.
    form = None if request.user.is_authenticated else AcceptForm(request.POST or None)
    if request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is None:
                user = services.accept(token, user=request.user)
            else:
                user = services.accept(
                    token,
                    username=form.cleaned_data["username"],
                    password=form.cleaned_data["password1"],
                )
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        except services.InvitationProblem as problem:
            return render(
                request, "operators/accept.html", {"problem": PROBLEMS[problem.reason]}, status=410
            )
        messages.success(request, _("Welcome! You now have a role in your neighbourhoods."))
        return redirect("home")
    context = {
        "invitation": invitation,
        "neighbourhoods": invitation.neighbourhoods.all(),
        "form": form,
    }
    return render(
        request, "operators/accept.html", context, status=422 if request.method == "POST" else 200
    )
