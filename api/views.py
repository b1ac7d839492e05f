"""The HSDS 3 API views: anonymous, read-only, rate-limited, open to other sites (CORS).

Public by design (see ``api/urls.py``): a slug without a published page answers 404, as does
an id that is not among the published records.
"""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from exchange import hsds as mapping

from . import hsds

OPENAPI = Path(__file__).parent / "data" / "openapi.json"
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def _json(data, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status: int) -> JsonResponse:
    return _json({"detail": message}, status=status)


def _client(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _over_limit(request: HttpRequest) -> bool:
    """Cache-based: at most HSDS_API_RATE_PER_MINUTE requests per client and minute."""
    limit = settings.HSDS_API_RATE_PER_MINUTE
    if limit <= 0:
        return False
    key = f"hsds-api:{_client(request)}:{int(time.time() // 60)}"
    if cache.add(key, 1, timeout=70):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, timeout=70)
        return False
    return count > limit


def endpoint(view: Callable) -> Callable:
    """Preflight, methods, rate limit, the published neighbourhood, CORS on every answer."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs) -> HttpResponse:
        response = _answer(request, slug, kwargs)
        for header, value in CORS.items():
            response[header] = value
        return response

    def _answer(request: HttpRequest, slug: str, kwargs: dict) -> HttpResponse:
        if request.method == "OPTIONS":
            return HttpResponse(status=204)
        if _over_limit(request):
            response = _error(_("Too many requests; try again in a minute."), 429)
            response["Retry-After"] = "60"
            return response
        found = hsds.published(slug)
        if found is None:
            return _error(_("Not found."), 404)
        if request.method not in ("GET", "HEAD"):
            response = _error(_("This API is read-only."), 405)
            response["Allow"] = "GET, HEAD, OPTIONS"
            return response
        try:
            return view(request, *found, **kwargs)
        except hsds.BadQuery as bad:
            return _error(bad.message, 400)

    return wrapper


# --- the views --------------------------------------------------------------------------


@endpoint
def index(request, neighbourhood, settings_row) -> HttpResponse:
    url = request.build_absolute_uri(reverse("api:openapi", args=[neighbourhood.slug]))
    return _json({"version": hsds.VERSION, "profile": hsds.PROFILE, "openapi_url": url})


@endpoint
def openapi(request, neighbourhood, settings_row) -> HttpResponse:
    description = json.loads(OPENAPI.read_text(encoding="utf-8"))
    base = request.build_absolute_uri(reverse("api:index", args=[neighbourhood.slug]))
    description["info"] = {
        "title": _("HSDS API of %(name)s") % {"name": neighbourhood.name},
        "version": "1.0",
        "summary": _("What %(name)s publishes, as Open Referral HSDS 3.0.")
        % {"name": neighbourhood.name},
        "description": _(
            "Organisations, places and initiatives that the neighbourhood chose to publish; "
            "never personal data. Read-only, no login."
        ),
        "license": {
            "name": "CC BY-SA 4.0 (HSDS); the data: as published by the neighbourhood",
            "url": "https://creativecommons.org/licenses/by-sa/4.0/",
        },
    }
    description["servers"] = [{"url": base.rstrip("/")}]
    organization_ref = description["paths"]["/organizations/{id}"]["get"]["responses"]["200"]
    location_schema = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
    description["paths"]["/locations"] = {
        "get": {
            "summary": "Paginated listing of locations.",
            "operationId": "getPaginatedListOfLocations",
            "parameters": [
                {"$ref": f"#/components/parameters/{name}"}
                for name in ("search", "page", "per_page", "taxonomy_term_id", "modified_after")
            ],
            "responses": {
                "200": {
                    "description": "Paginated listing of locations.",
                    "content": {
                        "application/json": {
                            "schema": {
                                "properties": {
                                    "contents": {
                                        "type": "array",
                                        "items": {"$ref": f"{location_schema}location.json"},
                                    }
                                },
                                "allOf": [{"$ref": "#/components/schemas/Page"}],
                            }
                        }
                    },
                }
            },
        }
    }
    description["paths"]["/locations/{id}"] = {
        "parameters": [
            {"in": "path", "name": "id", "required": True, "schema": {"type": "string"}}
        ],
        "get": {
            "summary": "A location with its addresses.",
            "operationId": "getLocationById",
            "responses": {
                "200": {
                    "description": organization_ref["description"].replace(
                        "organization", "location"
                    ),
                    "content": {
                        "application/json": {"schema": {"$ref": f"{location_schema}location.json"}}
                    },
                }
            },
        },
    }
    return _json(description)


def _list(request, items: list[dict], modified: dict[str, str] | None = None) -> HttpResponse:
    query = hsds.read_query(request.GET)
    return _json(hsds.page(hsds.filtered(items, query, modified), query))


@endpoint
def services(request, neighbourhood, settings_row) -> HttpResponse:
    found = hsds.collection(neighbourhood, settings_row)
    items = [hsds.service_detail(found, s) for s in found.services.values()]
    return _list(request, items, found.modified)


@endpoint
def service(request, neighbourhood, settings_row, hsds_service: str) -> HttpResponse:
    found = hsds.collection(neighbourhood, settings_row)
    item = found.services.get(hsds_service)
    if item is None:
        return _error(_("Not found."), 404)
    return _json(hsds.service_detail(found, item))


def _all_of(request, neighbourhood, settings_row, part: str) -> HttpResponse:
    """A page of one part of the published collection ("organizations", "locations")."""
    found = hsds.collection(neighbourhood, settings_row)
    return _list(request, list(getattr(found, part).values()), found.modified)


def _one_of(neighbourhood, settings_row, part: str, item_id: str) -> HttpResponse:
    """One item of a part of the published collection, or 404."""
    item = getattr(hsds.collection(neighbourhood, settings_row), part).get(item_id)
    return _json(item) if item else _error(_("Not found."), 404)


@endpoint
def organizations(request, neighbourhood, settings_row) -> HttpResponse:
    return _all_of(request, neighbourhood, settings_row, "organizations")


@endpoint
def organization(request, neighbourhood, settings_row, hsds_organization: str) -> HttpResponse:
    return _one_of(neighbourhood, settings_row, "organizations", hsds_organization)


@endpoint
def locations(request, neighbourhood, settings_row) -> HttpResponse:
    return _all_of(request, neighbourhood, settings_row, "locations")


@endpoint
def location(request, neighbourhood, settings_row, hsds_location: str) -> HttpResponse:
    return _one_of(neighbourhood, settings_row, "locations", hsds_location)


@endpoint
def service_at_locations(request, neighbourhood, settings_row) -> HttpResponse:
    found = hsds.collection(neighbourhood, settings_row)
    items = []
    for link in found.service_at_locations.values():
        service = found.services.get(link.get("service_id", ""), {})
        items.append(link | {"organization_id": service.get("organization_id", "")})
    query = hsds.read_query(request.GET)
    chosen = hsds.filtered(items, query, found.modified)
    for item in chosen:
        item.pop("organization_id", None)  # not a field of service_at_location
    return _json(hsds.page(chosen, query))


@endpoint
def service_at_location(
    request, neighbourhood, settings_row, hsds_service_at_location: str
) -> HttpResponse:
    found = hsds.collection(neighbourhood, settings_row)
    link = found.service_at_locations.get(hsds_service_at_location)
    if link is None:
        return _error(_("Not found."), 404)
    service = found.services.get(link.get("service_id", ""))
    # The OpenAPI description answers with the service, nested down to this location.
    if service is None:
        return _error(_("Not found."), 404)
    return _json(hsds.service_detail(found, service) | {"service_at_locations": [link]})


@endpoint
def taxonomies(request, neighbourhood, settings_row) -> HttpResponse:
    return _list(request, [mapping.taxonomy()])


@endpoint
def taxonomy(request, neighbourhood, settings_row, hsds_taxonomy: str) -> HttpResponse:
    item = mapping.taxonomy()
    return _json(item) if item["id"] == hsds_taxonomy else _error(_("Not found."), 404)


@endpoint
def taxonomy_terms(request, neighbourhood, settings_row) -> HttpResponse:
    return _list(request, mapping.taxonomy_terms())


@endpoint
def taxonomy_term(request, neighbourhood, settings_row, hsds_taxonomy_term: str) -> HttpResponse:
    item = next((t for t in mapping.taxonomy_terms() if t["id"] == hsds_taxonomy_term), None)
    return _json(item) if item else _error(_("Not found."), 404)
