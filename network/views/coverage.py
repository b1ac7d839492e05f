"""Coverage: per street, who we know and talked to; the neighbourhood's street list.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import NeighbourhoodRequest, paginate, posted, render_page
from neighbourhoods.models import Role
from residents.disclosure import see_people
from residents.models import Person, normalise

from .. import coverage as cov
from .. import streets as street_files
from ..forms import StreetFileForm, StreetForm
from ..models import Connection, Street


@require(Role.BUILDER)
@require_GET
def coverage(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    return render_page(request, "network/coverage.html", _context(request))


def _context(request: NeighbourhoodRequest, **forms) -> dict:
    return {
        "report": cov.coverage(request.neighbourhood),
        "street_form": forms.get("street_form") or StreetForm(),
        "file_form": forms.get("file_form") or StreetFileForm(),
        "can_manage_streets": request.membership.is_coordinator,
        "streets": Street.objects.in_neighbourhood(request.neighbourhood),
    }


@require(Role.BUILDER)
@require_GET
def street_people(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """The residents of one street with no connection yet: whom to visit next. Shown as the
    disclosure policy allows (builders and coordinators see the fields they may see)."""
    street = " ".join(request.GET.get("street", "").split())[:120]
    key = normalise(street)
    today = timezone.localdate()
    active = Connection.objects.active_on(today)
    alone = (
        Person.objects.in_neighbourhood(request.neighbourhood)
        .exclude(Exists(active.filter(person=OuterRef("pk"))))
        .exclude(Exists(active.filter(other_person=OuterRef("pk"))))
    )
    # Streets match ignoring case and accents, as on the coverage page.
    ids = [pk for pk, name in alone.values_list("pk", "street") if normalise(name) == key]
    page = paginate(
        request, Person.objects.filter(pk__in=ids).order_by("house_number", "name", "pk"), 50
    )
    context = {
        "street": street,
        "page": page,
        "people": see_people(page.object_list, request.membership),
    }
    return render_page(request, "network/street_people.html", context)


@require(Role.COORDINATOR)
def street_import(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """A street list from a CSV or an OpenStreetMap GeoJSON file (inside the boundary)."""
    form = StreetFileForm(posted(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            found = street_files.read_file(form.cleaned_data["file"].read(), request.neighbourhood)
        except ValidationError as exc:
            form.add_error("file", exc.messages[0])
        else:
            added = street_files.add_streets(request.neighbourhood, found.names)
            message = _("%(found)s streets in the file, %(added)s of them new on the list.") % {
                "found": len(found.names),
                "added": added,
            }
            if found.outside:
                message += " " + _(
                    "%(count)s streets lie outside the neighbourhood's boundary and were left out."
                ) % {"count": found.outside}
            messages.success(request, message)
            return redirect(reverse("network:coverage", args=[slug]) + "#streets")
    status = 422 if request.method == "POST" else 200
    return render_page(
        request, "network/coverage.html", _context(request, file_form=form), status=status
    )


@require(Role.COORDINATOR)
def street_add(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = StreetForm(posted(request))
    if request.method == "POST" and form.is_valid():
        added = street_files.add_streets(request.neighbourhood, form.cleaned_data["names"])
        messages.success(request, _("%(count)s street(s) added to the list.") % {"count": added})
        return redirect(reverse("network:coverage", args=[slug]) + "#streets")
    status = 422 if request.method == "POST" else 200
    return render_page(
        request, "network/coverage.html", _context(request, street_form=form), status=status
    )


@require(Role.COORDINATOR)
def street_delete(request: NeighbourhoodRequest, slug: str, street_id: int) -> HttpResponse:
    street = get_in_neighbourhood(Street, request.neighbourhood, pk=street_id)
    if request.method == "POST":
        street.delete()
        messages.success(request, _("%(name)s was taken off the list.") % {"name": street.name})
        return redirect(reverse("network:coverage", args=[slug]) + "#streets")
    return render_page(request, "network/street_delete.html", {"street": street})
