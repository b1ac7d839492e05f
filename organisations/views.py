"""Views of organisations; every view is wrapped in neighbourhoods.access.require."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from neighbourhoods import freshness
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.fields import is_id
from neighbourhoods.http import (
    NeighbourhoodRequest,
    enable_live_validation,
    is_validation_request,
    paginate,
    render_page,
    row_url,
)
from neighbourhoods.models import Role
from neighbourhoods.text import shorten
from residents.models import Person

from .forms import ROLE_SUGGESTIONS, MemberForm, OrganisationFilterForm, OrganisationForm
from .members import member_rows
from .models import Organisation, OrganisationMember

PER_PAGE = 25
CANDIDATES = 100  # people offered in the "add member" list at once


@require(Role.RESIDENT)
@require_GET
def organisation_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    filters = OrganisationFilterForm(request.GET)

    def rows() -> dict:
        organisations = filters.filter(
            Organisation.objects.in_neighbourhood(request.neighbourhood)
            .select_related("usual_place")
            .annotate(member_count=Count("memberships"))
        )
        page = paginate(request, organisations, PER_PAGE)
        page.object_list = list(page.object_list)
        for organisation in page.object_list:
            _row_texts(organisation, request.neighbourhood.slug)
        return {"filters": filters, "page": page}

    results = freshness.partial(request, "organisations", "organisations/list.html#results", rows)
    context = {"filters": filters, "results": results}
    return render_page(request, "organisations/list.html", context, partial="results")


def _row_texts(organisation: Any, slug: str) -> None:  # annotated with member_count
    """A row's link and words, made here rather than by a ``{% url %}``, a
    ``{% blocktranslate count %}`` and ``truncatechars`` a row in the template (issue #19)."""
    organisation.link = row_url("organisations:detail", slug, organisation.pk)
    organisation.summary = shorten(organisation.description, 160)
    count = organisation.member_count
    organisation.members_text = ngettext("%(counter)s member", "%(counter)s members", count) % {
        "counter": count
    }


def _form_response(
    request: HttpRequest, form: OrganisationForm, organisation: Organisation | None
) -> HttpResponse:
    context = {"form": form, "organisation": organisation}
    if request.method == "POST":
        form.is_valid()
        status = 200 if is_validation_request(request) else 422
        return render_page(
            request, "organisations/form.html", context, partial="form", status=status
        )
    return render_page(request, "organisations/form.html", context)


@require(Role.BUILDER)
def organisation_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = OrganisationForm(
        request.POST if request.method == "POST" else None, neighbourhood=request.neighbourhood
    )
    enable_live_validation(form, request.path)
    if request.method == "POST" and not is_validation_request(request) and form.is_valid():
        organisation = form.save(user=request.user)
        messages.success(request, _("%(name)s was added.") % {"name": organisation.name})
        return redirect(organisation.get_absolute_url())
    return _form_response(request, form, None)


@require(Role.BUILDER)
def organisation_edit(
    request: NeighbourhoodRequest, slug: str, organisation_id: int
) -> HttpResponse:
    organisation = get_in_neighbourhood(Organisation, request.neighbourhood, pk=organisation_id)
    form = OrganisationForm(
        request.POST if request.method == "POST" else None,
        instance=organisation,
        neighbourhood=request.neighbourhood,
    )
    enable_live_validation(form, request.path)
    if request.method == "POST" and not is_validation_request(request) and form.is_valid():
        organisation = form.save(user=request.user)
        messages.success(request, _("Your changes were saved."))
        return redirect(organisation.get_absolute_url())
    return _form_response(request, form, organisation)


def _candidates(
    request: NeighbourhoodRequest, organisation: Organisation, query: str
) -> list[Person]:
    """People of this neighbourhood who are not members yet, matching ``query``."""
    people = (
        Person.objects.in_neighbourhood(request.neighbourhood)
        .exclude(organisation_memberships__organisation=organisation)
        .only("pk", "name", "street")
        .order_by("name", "pk")
    )
    query = query.strip()[:100]
    if query:
        people = people.filter(Q(name__icontains=query) | Q(street__icontains=query))
    return list(people[:CANDIDATES])


@require(Role.RESIDENT)
@require_GET
def organisation_detail(
    request: NeighbourhoodRequest, slug: str, organisation_id: int
) -> HttpResponse:
    organisation = get_in_neighbourhood(
        Organisation.objects.select_related("usual_place", "created_by", "updated_by"),
        request.neighbourhood,
        pk=organisation_id,
    )
    query = request.GET.get("person_q", "")
    context: dict = {"organisation": organisation, "person_q": query}
    if request.membership.is_builder:
        context["candidates"] = _candidates(request, organisation, query)
        context["candidate_limit"] = CANDIDATES
        context["roles"] = ROLE_SUGGESTIONS
        if request.GET.get("person_q") is not None and request.htmx:
            return render_page(
                request, "organisations/_member_add.html", context, partial="person-choices"
            )
    context["members"] = member_rows(organisation, request.membership)
    context["managed_places"] = organisation.managed_places.order_by("name", "pk")
    return render_page(request, "organisations/detail.html", context)


@require(Role.BUILDER)
def organisation_delete(
    request: NeighbourhoodRequest, slug: str, organisation_id: int
) -> HttpResponse:
    organisation = get_in_neighbourhood(Organisation, request.neighbourhood, pk=organisation_id)
    if request.method == "POST":
        name = organisation.name
        organisation.delete()
        messages.success(request, _("%(name)s was deleted.") % {"name": name})
        return redirect("organisations:list", slug)
    context = {
        "organisation": organisation,
        "member_count": organisation.memberships.count(),
        "place_count": organisation.managed_places.count(),
    }
    return render_page(request, "organisations/delete.html", context)


@require(Role.BUILDER)
@require_POST
def member_add(request: NeighbourhoodRequest, slug: str, organisation_id: int) -> HttpResponse:
    organisation = get_in_neighbourhood(Organisation, request.neighbourhood, pk=organisation_id)
    form = MemberForm(request.POST, neighbourhood=request.neighbourhood, organisation=organisation)
    if form.is_valid():
        with transaction.atomic():
            member = form.save()
        messages.success(
            request,
            _("%(person)s is now listed as a member of %(organisation)s.")
            % {"person": member.person.name, "organisation": organisation.name},
        )
        return redirect(reverse("organisations:detail", args=[slug, organisation.pk]) + "#members")
    context = {
        "organisation": organisation,
        "form": form,
        "candidates": _candidates(request, organisation, ""),
        "candidate_limit": CANDIDATES,
        "roles": ROLE_SUGGESTIONS,
    }
    return render_page(request, "organisations/member_form.html", context, status=422)


@require(Role.BUILDER)
def member_remove(
    request: NeighbourhoodRequest, slug: str, organisation_id: int, member_id: int
) -> HttpResponse:
    member = get_in_neighbourhood(
        OrganisationMember.objects.select_related("organisation", "person").filter(
            organisation_id=organisation_id
        ),
        request.neighbourhood,
        pk=member_id,
    )
    organisation = member.organisation
    if request.method == "POST":
        member.delete()
        messages.success(
            request,
            _("%(person)s is no longer listed as a member of %(organisation)s.")
            % {"person": member.person.name, "organisation": organisation.name},
        )
        return redirect(reverse("organisations:detail", args=[slug, organisation.pk]) + "#members")
    return render_page(
        request,
        "organisations/member_remove.html",
        {"member": member, "organisation": organisation},
    )


@require(Role.BUILDER)
@require_GET
def person_options(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """``<option>``s of people of this neighbourhood matching ``?q=``, for person selects."""
    query = request.GET.get("q", "").strip()[:100]
    selected = request.GET.get("selected", "")
    people = Person.objects.in_neighbourhood(request.neighbourhood).only("pk", "name", "street")
    if query:
        people = people.filter(Q(name__icontains=query) | Q(street__icontains=query))
    candidates = list(people.order_by("name", "pk")[:CANDIDATES])
    current = None
    if is_id(selected) and all(str(p.pk) != selected for p in candidates):
        current = (
            Person.objects.in_neighbourhood(request.neighbourhood)
            .only("pk", "name", "street")
            .filter(pk=selected)
            .first()
        )
    context = {
        "people": candidates,
        "current": current,
        "selected": selected,
        "empty_label": request.GET.get("empty") == "1",
    }
    return render_page(request, "organisations/person_options.html", context)
