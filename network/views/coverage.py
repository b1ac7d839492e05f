"""Coverage: per street, who we know and talked to; the neighbourhood's street list.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import NeighbourhoodRequest, posted, render_page
from neighbourhoods.models import Role

from .. import coverage as cov
from ..forms import (
    StreetForm,
)
from ..models import (
    Street,
)


@require(Role.BUILDER)
@require_GET
def coverage(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    report = cov.coverage(request.neighbourhood)
    context = {
        "report": report,
        "street_form": StreetForm(),
        "can_manage_streets": request.membership.is_coordinator,
        "streets": Street.objects.in_neighbourhood(request.neighbourhood),
    }
    return render_page(request, "network/coverage.html", context)


@require(Role.COORDINATOR)
def street_add(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = StreetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        added = 0
        for name in form.cleaned_data["names"]:
            street = Street(neighbourhood=request.neighbourhood, name=name)
            try:
                with transaction.atomic():
                    street.save()
                    added += 1
            except IntegrityError:
                continue
        messages.success(request, _("%(count)s street(s) added to the list.") % {"count": added})
        return redirect(reverse("network:coverage", args=[slug]) + "#streets")
    context = {
        "report": cov.coverage(request.neighbourhood),
        "street_form": form,
        "can_manage_streets": True,
        "streets": Street.objects.in_neighbourhood(request.neighbourhood),
    }
    status = 422 if request.method == "POST" else 200
    return render_page(request, "network/coverage.html", context, status=status)


@require(Role.COORDINATOR)
def street_delete(request: NeighbourhoodRequest, slug: str, street_id: int) -> HttpResponse:
    street = get_in_neighbourhood(Street, request.neighbourhood, pk=street_id)
    if request.method == "POST":
        street.delete()
        messages.success(request, _("%(name)s was taken off the list.") % {"name": street.name})
        return redirect(reverse("network:coverage", args=[slug]) + "#streets")
    return render_page(request, "network/street_delete.html", {"street": street})
