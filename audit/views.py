"""Coordinators read a person's history; every view is wrapped in access.require."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import NeighbourhoodRequest, paginate
from neighbourhoods.models import Role
from residents.models import Person

from .models import AuditEntry

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
    return render(request, "audit/person_history.html", {"subject": person, "page": page})
