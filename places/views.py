"""Views of places; every view is wrapped in neighbourhoods.access.require."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_safe

from neighbourhoods import freshness
from neighbourhoods.access import get_in_neighbourhood, require
from neighbourhoods.http import (
    NeighbourhoodRequest,
    enable_live_validation,
    is_validation_request,
    paginate,
    render_page,
    row_url,
)
from neighbourhoods.images import serve_image
from neighbourhoods.models import Role
from neighbourhoods.text import shorten
from residents import disclosure as visibility

from .forms import PhotoUploadForm, PlaceFilterForm, PlaceForm
from .models import Place, PlacePhoto
from .photos import add_photos

PER_PAGE = 24
COORDINATES_FEEDBACK = "coordinates-feedback"


@require(Role.RESIDENT)
@require_GET
def place_list(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    filters = PlaceFilterForm(request.GET)

    def rows() -> dict:
        first = PlacePhoto.objects.filter(place=OuterRef("pk")).order_by("created_at", "pk")
        places = filters.filter(
            Place.objects.in_neighbourhood(request.neighbourhood)
            .select_related("managed_by_organisation")
            .annotate(
                photo_count=Count("photos"),
                first_photo_id=Subquery(first.values("pk")[:1]),
            )
        )
        page = paginate(request, places, PER_PAGE)
        page.object_list = list(page.object_list)
        for place in page.object_list:
            _row_texts(place, request.neighbourhood.slug)
        return {"filters": filters, "page": page}

    results = freshness.partial(request, "places", "places/list.html#results", rows)
    context = {"filters": filters, "results": results}
    return render_page(request, "places/list.html", context, partial="results")


def _row_texts(place: Any, slug: str) -> None:  # annotated with its photos
    """A row's links and words, made here rather than by two ``{% url %}``, a
    ``{% blocktranslate count %}`` and ``truncatechars`` a row in the template (issue #19)."""
    place.link = row_url("places:detail", slug, place.pk)
    place.thumbnail = (
        row_url("places:photo_thumbnail", slug, place.pk, place.first_photo_id)
        if place.first_photo_id
        else ""
    )
    place.availability_short = shorten(place.availability, 120)
    count = place.photo_count
    photos = ngettext("%(counter)s photo", "%(counter)s photos", count) % {"counter": count}
    place.photos_text = photos if count else ""


def _place_form(request: NeighbourhoodRequest, place: Place | None) -> PlaceForm:
    form = PlaceForm(
        request.POST if request.method == "POST" else None,
        instance=place,
        neighbourhood=request.neighbourhood,
    )
    enable_live_validation(
        form,
        request.path,
        targets={"latitude": COORDINATES_FEEDBACK, "longitude": COORDINATES_FEEDBACK},
    )
    return form


def _saved(request: HttpRequest, form: PlaceForm, message: str) -> HttpResponse:
    place = form.save(user=request.user)
    messages.success(request, message % {"name": place.name})
    for warning in form.warnings:
        messages.warning(request, warning)
    return redirect(place.get_absolute_url())


def _form_response(request: HttpRequest, form: PlaceForm, place: Place | None) -> HttpResponse:
    context = {"form": form, "place": place, "coordinates_feedback": COORDINATES_FEEDBACK}
    if request.method == "POST":
        form.is_valid()
        status = 200 if is_validation_request(request) else 422
        return render_page(request, "places/form.html", context, partial="form", status=status)
    return render_page(request, "places/form.html", context)


@require(Role.BUILDER)
def place_new(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = _place_form(request, None)
    if request.method == "POST" and not is_validation_request(request) and form.is_valid():
        return _saved(request, form, _("%(name)s was added."))
    return _form_response(request, form, None)


@require(Role.BUILDER)
def place_edit(request: NeighbourhoodRequest, slug: str, place_id: int) -> HttpResponse:
    place = get_in_neighbourhood(Place, request.neighbourhood, pk=place_id)
    form = _place_form(request, place)
    if request.method == "POST" and not is_validation_request(request) and form.is_valid():
        return _saved(request, form, _("Your changes to %(name)s were saved."))
    return _form_response(request, form, place)


@require(Role.RESIDENT)
@require_GET
def place_detail(request: NeighbourhoodRequest, slug: str, place_id: int) -> HttpResponse:
    place = get_in_neighbourhood(
        Place.objects.select_related("managed_by_organisation", "managed_by_person"),
        request.neighbourhood,
        pk=place_id,
    )
    manager = place.managed_by_person
    context = {
        "place": place,
        "photos": list(place.photos.all()),
        "meeting_here": place.organisations_meeting_here.order_by("name", "pk"),
        "manager_name": (
            manager.name
            if manager is not None and visibility.can_see(manager, request.membership, "name")
            else None
        ),
        "manager_hidden": manager is not None
        and not visibility.can_see(manager, request.membership, "name"),
    }
    if request.membership.is_builder:
        context["upload_form"] = PhotoUploadForm(place=place)
    return render_page(request, "places/detail.html", context)


@require(Role.BUILDER)
def place_delete(request: NeighbourhoodRequest, slug: str, place_id: int) -> HttpResponse:
    place = get_in_neighbourhood(Place, request.neighbourhood, pk=place_id)
    if request.method == "POST":
        name = place.name
        place.delete()  # photo files go when the deletion commits (places.signals)
        messages.success(request, _("%(name)s was deleted.") % {"name": name})
        return redirect("places:list", slug)
    context = {"place": place, "photo_count": place.photos.count()}
    return render_page(request, "places/delete.html", context)


@require(Role.BUILDER)
def photo_add(request: NeighbourhoodRequest, slug: str, place_id: int) -> HttpResponse:
    place = get_in_neighbourhood(Place, request.neighbourhood, pk=place_id)
    form = PhotoUploadForm(
        request.POST if request.method == "POST" else None, request.FILES or None, place=place
    )
    if request.method == "POST":
        if form.is_valid():
            photos = add_photos(
                place, form.cleaned_data["photos"], form.cleaned_data["caption"], request.user
            )
            count = len(photos)
            messages.success(
                request,
                ngettext("%(count)s photo added.", "%(count)s photos added.", count)
                % {"count": count},
            )
            return redirect(reverse("places:detail", args=[slug, place.pk]) + "#photos")
        return render_page(
            request, "places/photo_form.html", {"place": place, "form": form}, status=422
        )
    return render_page(request, "places/photo_form.html", {"place": place, "form": form})


def _photo(request: NeighbourhoodRequest, place_id: int, photo_id: int) -> PlacePhoto:
    return get_in_neighbourhood(
        PlacePhoto.objects.select_related("place").filter(place_id=place_id),
        request.neighbourhood,
        pk=photo_id,
    )


@require(Role.RESIDENT)
@require_safe
def photo(request: NeighbourhoodRequest, slug: str, place_id: int, photo_id: int) -> FileResponse:
    return serve_image(_photo(request, place_id, photo_id).image)


@require(Role.RESIDENT)
@require_safe
def photo_thumbnail(
    request: NeighbourhoodRequest, slug: str, place_id: int, photo_id: int
) -> FileResponse:
    item = _photo(request, place_id, photo_id)
    return serve_image(item.thumbnail if item.thumbnail else item.image)


@require(Role.BUILDER)
def photo_delete(
    request: NeighbourhoodRequest, slug: str, place_id: int, photo_id: int
) -> HttpResponse:
    item = _photo(request, place_id, photo_id)
    if request.method == "POST":
        item.delete()  # files go when the deletion commits (places.signals)
        messages.success(request, _("The photo was deleted."))
        return redirect(reverse("places:detail", args=[slug, place_id]) + "#photos")
    return render_page(request, "places/photo_delete.html", {"photo": item, "place": item.place})
