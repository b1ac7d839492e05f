"""Initiatives: the list, one initiative, its members, and confirming who knows whom.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from neighbourhoods import freshness
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.dashboard import panels_for
from neighbourhoods.fields import is_id
from neighbourhoods.http import NeighbourhoodRequest, paginate, posted, render_page
from neighbourhoods.models import Role
from residents.models import Gift, Person

from .. import initiatives as ini
from ..charts import line_chart
from ..forms import (
    ConfirmForm,
    GroupForm,
    InitiativeForm,
    MemberForm,
)
from ..models import (
    Connection,
    Initiative,
    InitiativeMember,
    InitiativeStatus,
)
from .connections import candidates


@require(Role.RESIDENT)
@require_GET
def initiative_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    today = timezone.localdate()
    status = request.GET.get("status", "")

    def rows() -> dict:
        initiatives = (
            Initiative.objects.in_neighbourhood(request.neighbourhood)
            .select_related("meeting_place")
            .annotate(
                member_count=Count(
                    "members",
                    filter=Q(members__joined__lte=today)
                    & (Q(members__left__isnull=True) | Q(members__left__gt=today)),
                )
            )
            .order_by("name", "pk")
        )
        if status in InitiativeStatus.values:
            initiatives = initiatives.filter(status=status)
        page = paginate(request, initiatives, 25)
        for initiative in page:
            initiative.potential = ini.fig.potential_relations(initiative.member_count)
        return {"page": page}

    # members count from the day they joined until the day they left: kept for one day
    results = freshness.partial(
        request, "initiatives", "network/initiatives.html#results", rows, per_day=True
    )
    context = {"results": results, "status": status, "statuses": InitiativeStatus.choices}
    return render_page(request, "network/initiatives.html", context, partial="results")


def _initiative(request: NeighbourhoodRequest, initiative_id: int) -> Initiative:
    return get_in_neighbourhood(
        Initiative.objects.select_related("meeting_place"), request.neighbourhood, pk=initiative_id
    )


@require(Role.RESIDENT)
@require_GET
def initiative_detail(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    membership = request.membership
    points = ini.growth(initiative)
    chart = line_chart(
        _("Relations in %(name)s by month") % {"name": initiative.name},
        [p.month.strftime("%m/%y") for p in points],
        [
            (_("potential"), "potential", [p.potential for p in points]),
            (_("confirmed"), "confirmed", [p.confirmed for p in points]),
        ],
    )
    gifts = (
        initiative.gifts.filter(pk__in=Gift.objects.visible_to(membership).values("pk"))
        .select_related("person")
        .order_by("title", "person__name")
    )
    context = {
        "initiative": initiative,
        "relations": ini.relations(initiative),
        "members": ini.member_rows(initiative, membership),
        "points": points,
        "chart": chart,
        "gifts": gifts,
        "can_edit": membership.is_builder,
        "panels": panels_for(request, "initiative", initiative=initiative),
    }
    if membership.is_builder:
        context["member_form"] = MemberForm(initiative=initiative)
        context["q"] = ""
        members = initiative.members.values("person_id")
        context["candidates"] = candidates(request, None, "", "people", members)
        current = _current_members(initiative)
        if len(current) >= 2:
            context["group_form"] = GroupForm(members=current, neighbourhood=request.neighbourhood)
    return render_page(request, "network/initiative.html", context)


def _initiative_form(request: HttpRequest, form: InitiativeForm, initiative) -> HttpResponse:
    status = 422 if request.method == "POST" else 200
    return render_page(
        request,
        "network/initiative_form.html",
        {"form": form, "initiative": initiative},
        status=status,
    )


@require(Role.BUILDER)
def initiative_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = InitiativeForm(posted(request), neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        initiative = form.save(commit=False)
        initiative.neighbourhood = request.neighbourhood
        initiative.created_by = initiative.updated_by = request.user
        initiative.save()
        form.save_m2m()
        messages.success(
            request, _("%(name)s was added. Now add its members.") % {"name": initiative.name}
        )
        return redirect(initiative.get_absolute_url() + "#members")
    return _initiative_form(request, form, None)


@require(Role.BUILDER)
def initiative_edit(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    form = InitiativeForm(posted(request), instance=initiative, neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        initiative = form.save(commit=False)
        initiative.updated_by = request.user
        initiative.save()
        form.save_m2m()
        messages.success(request, _("Your changes were saved."))
        return redirect(initiative.get_absolute_url())
    return _initiative_form(request, form, initiative)


@require(Role.BUILDER)
def initiative_delete(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    if request.method == "POST":
        name = initiative.name
        initiative.delete()
        messages.success(
            request,
            _("%(name)s was deleted; the connections made in it are kept.") % {"name": name},
        )
        return redirect("network:initiatives", slug)
    return render_page(request, "network/initiative_delete.html", {"initiative": initiative})


@require(Role.BUILDER)
def member_add(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    initiative = _initiative(request, initiative_id)
    query = request.GET.get("q", "").strip()[:100]
    form = MemberForm(posted(request), initiative=initiative)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                member = form.save()
        except IntegrityError:
            form.add_error(None, _("This person is a member already."))
        else:
            messages.success(
                request,
                _("%(person)s joined %(initiative)s.")
                % {"person": member.person.name, "initiative": initiative.name},
            )
            return redirect(initiative.get_absolute_url() + "#members")
    context = {
        "initiative": initiative,
        "member_form": form,
        "q": query,
        "candidates": candidates(
            request, None, query, "people", initiative.members.values("person_id")
        ),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/member_form.html", context, status=status)


def _member(
    request: NeighbourhoodRequest, initiative_id: int, initiative_member_id: int
) -> InitiativeMember:
    return get_in_neighbourhood(
        InitiativeMember.objects.select_related("initiative", "person").filter(
            initiative_id=initiative_id
        ),
        request.neighbourhood,
        pk=initiative_member_id,
    )


@require(Role.BUILDER)
def member_edit(
    request: NeighbourhoodRequest, slug: str, initiative_id: int, initiative_member_id: int
) -> HttpResponse:
    member = _member(request, initiative_id, initiative_member_id)
    form = MemberForm(posted(request), instance=member, initiative=member.initiative)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your changes were saved."))
        return redirect(member.initiative.get_absolute_url() + "#members")
    context = {"initiative": member.initiative, "member": member, "member_form": form}
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/member_form.html", context, status=status)


@require(Role.BUILDER)
def member_remove(
    request: NeighbourhoodRequest, slug: str, initiative_id: int, initiative_member_id: int
) -> HttpResponse:
    member = _member(request, initiative_id, initiative_member_id)
    if request.method == "POST":
        member.delete()
        messages.success(
            request,
            _("%(person)s is no longer listed in %(initiative)s; their connections are kept.")
            % {"person": member.person.name, "initiative": member.initiative.name},
        )
        return redirect(member.initiative.get_absolute_url() + "#members")
    return render_page(request, "network/member_remove.html", {"member": member})


@require(Role.BUILDER)
def confirm_relations(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    """A builder ticks which fellow members one member knows: "met in an initiative"."""
    initiative = _initiative(request, initiative_id)
    today = timezone.localdate()
    members = [
        m.person
        for m in initiative.members.current_on(today)
        .select_related("person")
        .order_by("person__name", "pk")
    ]
    chosen = request.POST.get("person") or request.GET.get("person") or ""
    form = ConfirmForm(
        posted(request),
        members=members,
        neighbourhood=request.neighbourhood,
        initial={"person": chosen},
    )
    by_pk = {p.pk: p for p in members}
    person = by_pk.get(int(chosen)) if is_id(chosen) else None
    if request.method == "POST" and form.is_valid():
        person = by_pk[form.cleaned_data["person"]]
        others = [by_pk[pk] for pk in form.cleaned_data["others"]]
        try:
            made, skipped = ini.confirm(
                initiative, person, others, form.cleaned_data["since"], request.user
            )
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            if made:
                messages.success(
                    request,
                    _("Recorded: %(person)s knows %(names)s.")
                    % {
                        "person": person.name,
                        "names": ", ".join(p.name for p in made_others(made, person)),
                    },
                )
            if skipped:
                messages.info(
                    request,
                    _("Already connected, left as they were: %(names)s.")
                    % {"names": ", ".join(p.name for p in skipped)},
                )
            url = reverse("network:confirm", args=[slug, initiative.pk])
            return redirect(f"{url}?person={person.pk}")
    context = {
        "initiative": initiative,
        "form": form,
        "members": members,
        "person": person,
        "pairs": ini.pairs_for(initiative, person) if person else [],
        "checked": request.POST.getlist("others"),
        "relations": ini.relations(initiative),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/confirm.html", context, status=status)


@require(Role.BUILDER)
def confirm_group(request: NeighbourhoodRequest, slug: str, initiative_id: int) -> HttpResponse:
    """ "These members know each other since <date>": all pairs among them in one action."""
    initiative = _initiative(request, initiative_id)
    members = _current_members(initiative)
    form = GroupForm(posted(request), members=members, neighbourhood=request.neighbourhood)
    if request.method == "POST" and form.is_valid():
        people = [form.members[pk] for pk in form.cleaned_data["people"]]
        try:
            result = ini.confirm_group(initiative, people, form.cleaned_data["since"], request.user)
        except ValidationError as error:
            form.add_error(None, error.messages[0])
        else:
            messages.success(
                request,
                _(
                    "Recorded: %(members)s members know each other since %(date)s: "
                    "%(pairs)s relations, %(made)s of them new (%(existing)s were known already)."
                )
                % {
                    "members": result.members,
                    "date": date_format(form.cleaned_data["since"], "j F Y"),
                    "pairs": result.pairs,
                    "made": result.made,
                    "existing": result.existing,
                },
            )
            return redirect(initiative)
    context = {
        "initiative": initiative,
        "group_form": form,
        "relations": ini.relations(initiative),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/confirm_group.html", context, status=status)


def _current_members(initiative) -> list[Person]:
    return [
        m.person
        for m in initiative.members.current_on(timezone.localdate())
        .select_related("person")
        .order_by("person__name", "pk")
    ]


def made_others(made: list[Connection], person: Person) -> list[Person]:
    return [c.other_end(person) for c in made]
