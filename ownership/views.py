"""Pages of ownership: who carries each initiative, its activity log, builders' reflections.

Everything here is for community builders and coordinators; residents see only the history
sentence and the activity summary on an initiative's page (the "initiative" panel).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from neighbourhoods import freshness
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import NeighbourhoodRequest, next_url, paginate, posted, render_page
from neighbourhoods.models import Role
from network.models import Initiative

from . import reflections as refl
from . import services
from .forms import ActivityForm, CarriersForm, ReflectionForm, StartForm
from .models import Activity, CarrierPeriod, InitiativeStart, Reflection, ReflectionKind

BALANCE_MONTHS = 6


def _initiative(request: NeighbourhoodRequest, initiative_id: int) -> Initiative:
    return get_in_neighbourhood(
        Initiative.objects.select_related("neighbourhood"), request.neighbourhood, pk=initiative_id
    )


def _on_page(initiative: Initiative, anchor: str) -> str:
    return f"{initiative.get_absolute_url()}#{anchor}"


# -- overview ------------------------------------------------------------------------------


@require(Role.BUILDER)
@require_GET
def overview(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    initiatives = Initiative.objects.in_neighbourhood(request.neighbourhood).order_by("name", "pk")
    items = services.overview(initiatives)
    context = {
        "groups": services.grouped(items),
        "count": len(items),
        "stall_weeks": services.stall_weeks(),
    }
    return render_page(request, "ownership/overview.html", context)


# -- who carries it ------------------------------------------------------------------------


def _carriers_page(
    request: HttpRequest,
    initiative: Initiative,
    form: CarriersForm,
    start_form: StartForm,
    status: int = 200,
) -> HttpResponse:
    context = {
        "initiative": initiative,
        "ownership": services.of_initiative(initiative),
        "form": form,
        "start_form": start_form,
        "stall_weeks": services.stall_weeks(),
    }
    return render_page(request, "ownership/carriers.html", context, status=status)


def _start_form(initiative: Initiative, data=None) -> StartForm:
    existing = InitiativeStart.objects.filter(initiative=initiative).first()
    return StartForm(data, instance=existing, initiative=initiative)


@require(Role.BUILDER)
def carriers(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    form = CarriersForm(posted(request), initiative=initiative)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_carriers(
                initiative,
                data["since"],
                [] if data["nobody"] else data["people"],
                [] if data["nobody"] else data["organisations"],
                note=data["note"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Saved who carries it from %(date)s.") % {"date": date_format(data["since"])},
            )
            return redirect("ownership:carriers", slug, initiative.pk)
    status = 422 if request.method == "POST" else 200
    return _carriers_page(request, initiative, form, _start_form(initiative), status)


@require(Role.BUILDER)
@require_POST
def start(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    start_form = _start_form(initiative, request.POST)
    if start_form.is_valid():
        data = start_form.cleaned_data
        try:
            services.set_start(
                initiative, data["started_by"], data["organisation"], by=request.user
            )
        except ValidationError as error:
            start_form.add_error(None, error)
        else:
            messages.success(request, _("Saved who started it."))
            return redirect("ownership:carriers", slug, initiative.pk)
    form = CarriersForm(initiative=initiative)
    return _carriers_page(request, initiative, form, start_form, 422)


@require(Role.BUILDER)
def period_delete(request: NeighbourhoodRequest, slug: str, initiative_id: int, period_id: int):
    """Asks first (a page that works without JavaScript), removes on the confirming post."""
    initiative = _initiative(request, initiative_id)
    period = get_in_neighbourhood(
        CarrierPeriod.objects.filter(initiative=initiative), request.neighbourhood, pk=period_id
    )
    if request.method == "POST":
        period.delete()
        messages.success(request, _("Removed that change of who carries it."))
        return redirect("ownership:carriers", slug, initiative.pk)
    context = {"initiative": initiative, "period": period}
    return render_page(request, "ownership/period_delete.html", context)


# -- activity log --------------------------------------------------------------------------


@require(Role.BUILDER)
def activities(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    """The whole log, and the form to add a meeting (also posted from the initiative page)."""
    initiative = _initiative(request, initiative_id)
    form = ActivityForm(posted(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.log_activity(
                initiative, data["held_on"], data["present"], data["note"], by=request.user
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Meeting logged."))
            return redirect(next_url(request, _on_page(initiative, "ownership-activity")))
    log = Activity.objects.in_neighbourhood(request.neighbourhood).filter(initiative=initiative)
    context = {
        "initiative": initiative,
        "form": form,
        "page": paginate(request, log.select_related("recorded_by"), 25),
        "next": next_url(request, ""),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "ownership/activities.html", context, status=status)


@require(Role.BUILDER)
@require_POST
def activity_delete(request: NeighbourhoodRequest, slug: str, initiative_id: int, activity_id: int):
    initiative = _initiative(request, initiative_id)
    activity = get_in_neighbourhood(
        Activity.objects.filter(initiative=initiative), request.neighbourhood, pk=activity_id
    )
    activity.delete()
    messages.success(request, _("Removed that meeting from the log."))
    return redirect(next_url(request, reverse("ownership:activities", args=[slug, initiative.pk])))


# -- reflections ---------------------------------------------------------------------------


@require(Role.BUILDER)
@require_GET
def reflection_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Coordinators: everyone's reflections and the balance per builder and month.
    Builders: their own."""
    membership = request.membership
    scoped = Reflection.objects.in_neighbourhood(request.neighbourhood).visible_to(membership)
    if not membership.is_coordinator:
        scoped = scoped.filter(author=request.user)
    kind = request.GET.get("kind", "")
    listed = scoped.filter(kind=kind) if kind in ReflectionKind.values else scoped
    today = timezone.localdate()
    months = refl.month_starts(today, BALANCE_MONTHS)

    def rows() -> dict:
        return {"page": paginate(request, refl.with_subjects(listed), 25)}

    # Kept per user (what they may remove) and the builders' work (a conversation's date);
    # the forms' CSRF token is put in per answer.
    template = "ownership/reflections.html"
    kept = freshness.partial(
        request, "reflections", f"{template}#list", rows, per_user=True, work=True
    )
    # The balance of the last months: the same for every kind and page of the list, kept per
    # user (a builder's own) and day (the months up to today).
    balance = freshness.partial(
        request,
        "reflections-balance",
        "ownership/_balance_table.html",
        lambda: {"balance": refl.balance(scoped, months), "everyone": membership.is_coordinator},
        per_query=False,
        per_user=True,
        per_day=True,
    )
    context = {
        "balance": balance,
        "list": kept,
        "kind": kind if kind in ReflectionKind.values else "",
        "kinds": ReflectionKind.choices,
        "everyone": membership.is_coordinator,
    }
    return render_page(request, template, context, partial="list")


@require(Role.BUILDER)
def reflection_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    chosen = request.POST.get("subject") or request.GET.get("subject") or ""
    form = ReflectionForm(posted(request), membership=request.membership, chosen=chosen)
    if request.method == "POST" and form.is_valid():
        kind, subject = form.cleaned_data["subject"]
        Reflection.objects.create(
            neighbourhood=request.neighbourhood,
            author=request.user,
            kind=form.cleaned_data["kind"],
            why=form.cleaned_data["why"],
            **{kind: subject},
        )
        messages.success(
            request, _("Your reflection is saved. Only builders and coordinators see it.")
        )
        return redirect(next_url(request, reverse("ownership:reflections", args=[slug])))
    context = {"form": form, "next": next_url(request, "")}
    status = 422 if request.method == "POST" else 200
    return render_page(request, "ownership/reflection_form.html", context, status=status)


@require(Role.BUILDER)
@require_POST
def reflection_delete(request: NeighbourhoodRequest, slug: str, reflection_id: int) -> HttpResponse:
    reflection = get_in_neighbourhood(Reflection, request.neighbourhood, pk=reflection_id)
    if reflection.author_id != request.user.pk and not request.membership.is_coordinator:
        raise PermissionDenied
    reflection.delete()
    messages.success(request, _("Reflection removed."))
    return redirect(next_url(request, reverse("ownership:reflections", args=[slug])))
