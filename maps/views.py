"""The neighbourhood on a map: people, gifts, organisations and places a viewer may see.

Every view is wrapped in ``neighbourhoods.access.require``; what a viewer may see comes from
``residents.disclosure`` through :mod:`maps.mapdata`.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from neighbourhoods import freshness
from neighbourhoods.access import require
from neighbourhoods.http import NeighbourhoodRequest, render_page
from neighbourhoods.models import Role
from residents.disclosure import tags_offered

from . import mapdata


def tile_attribution() -> str:
    url = settings.MAP_TILE_URL or ""
    if "openstreetmap" in url:
        return '© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>'
    return ""


def _map_filter(request: NeighbourhoodRequest) -> mapdata.MapFilter:
    membership = request.membership
    offered = tags_offered(membership.neighbourhood, membership)
    tags = [(normalised, name) for _pk, name, normalised in offered]
    return mapdata.MapFilter(request.GET if request.GET else None, tags=tags)


def _rows(items: list[mapdata.MapItem]) -> SafeString:
    """The list's rows, written here: a template loop cost about 250 Python calls a row, and
    a map lists every place and organisation (issue #19)."""
    unlocated = format_html('<span class="badge">{}</span>', _("no location known"))
    return format_html_join(
        "\n",
        '<li class="map-item map-item-{}" data-id="{}"><a href="{}">{}</a>'
        ' <span class="muted">· {}{}</span>{}</li>',
        (
            (
                item.layer,
                item.key,
                item.url,
                item.name,
                item.kind_label,
                f" · {item.detail}" if item.detail else "",
                "" if item.located else unlocated,
            )
            for item in items
        ),
    )


@require(Role.RESIDENT)
@require_GET
def map_page(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    filters = _map_filter(request)

    def listed() -> dict:
        items = mapdata.map_items(request.membership, filters)
        groups = [
            (key, label, items[key], _rows(items[key]))
            for key, label in mapdata.LAYERS
            if key in items  # the chosen layers, in a fixed order
        ]
        return {
            "groups": groups,
            "query": request.GET.urlencode(),
            "has_boundary": bool(request.neighbourhood.boundary),  # (an import touches it)
        }

    context = {
        "filters": filters,
        "results": freshness.partial(request, "map", "maps/map.html#results", listed),
        "tile_url": settings.MAP_TILE_URL,
        "attribution": tile_attribution(),
    }
    return render_page(request, "maps/map.html", context, partial="results")


@require(Role.RESIDENT)
@require_GET
def map_data(request: NeighbourhoodRequest, slug: str) -> JsonResponse:
    filters = _map_filter(request)
    items = mapdata.map_items(request.membership, filters)
    response = JsonResponse(mapdata.feature_collection(request.membership, items))
    response["Cache-Control"] = "private, no-store"
    return response


@require(Role.RESIDENT)
@require_GET
def boundary(request: NeighbourhoodRequest, slug: str) -> JsonResponse:
    """The boundary and map settings, for the location picker of the place form."""
    nb = request.neighbourhood
    centre = None
    if nb.centre_lat is not None and nb.centre_lon is not None:
        centre = [nb.centre_lat, nb.centre_lon]
    return JsonResponse(
        {
            "boundary": nb.boundary or None,
            "centre": centre,
            "tile_url": settings.MAP_TILE_URL,
            "attribution": tile_attribution(),
            "messages": {
                "map": _("Map: click to set the location"),
                "outside": _(
                    "This point lies outside the boundary of %(neighbourhood)s. That is allowed; "
                    "check that the coordinates are right."
                )
                % {"neighbourhood": nb.name},
            },
        }
    )
