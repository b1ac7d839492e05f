"""Coordinators read a person's history, the neighbourhood's change log and its access log;
every view is wrapped in access.require."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import NeighbourhoodRequest, paginate, render_page
from neighbourhoods.models import Role
from residents.models import Person

from . import readable
from .forms import AccessFilters, ChangeFilters
from .models import AccessEntry, AuditEntry
from .trail import TRACKED

PAGE_SIZE = 50


@require(Role.COORDINATOR)
def person_history(request: NeighbourhoodRequest, slug: str, person_id: int) -> HttpResponse:

    person = get_in_neighbourhood(Person, request.neighbourhood, pk=person_id)
    entries = (
        AuditEntry.objects.in_neighbourhood(request.neighbourhood)
        .about_person(person.pk)
        .select_related("actor")
    )
    page = paginate(request, entries, PAGE_SIZE)
    page.object_list = readable.attach(page.object_list)
    return render(request, "audit/person_history.html", {"subject": person, "page": page})


def _actor_ids(queryset) -> list[int]:
    return list(
        queryset.exclude(actor=None).order_by().values_list("actor_id", flat=True).distinct()
    )


@require(Role.COORDINATOR)
@require_GET
def changes(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Every change in the neighbourhood, newest first, by who, what kind and when."""
    entries = AuditEntry.objects.in_neighbourhood(request.neighbourhood)
    filters = ChangeFilters(
        request.GET or None, actor_ids=_actor_ids(entries), labels=list(TRACKED)
    )
    page = paginate(request, filters.apply(entries).select_related("actor"), PAGE_SIZE)
    page.object_list = readable.attach(page.object_list)
    context = {"page": page, "filters": filters}
    return render_page(request, "audit/changes.html", context, partial="rows")


@require(Role.COORDINATOR)
@require_GET
def access_log(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Who exported, downloaded or looked at whose data: who, what, when, how many."""
    entries = AccessEntry.objects.in_neighbourhood(request.neighbourhood)
    filters = AccessFilters(request.GET or None, actor_ids=_actor_ids(entries))
    page = paginate(request, filters.apply(entries).select_related("actor"), PAGE_SIZE)
    context = {"page": page, "filters": filters, "retention_days": settings.ACCESS_LOG_DAYS}
    return render_page(request, "audit/access_log.html", context, partial="rows")
