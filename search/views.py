"""The neighbourhood's search page: one box, results grouped by type, live over HTMX."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from neighbourhoods import freshness
from neighbourhoods.access import require
from neighbourhoods.http import NeighbourhoodRequest
from neighbourhoods.models import Role

from . import engine

MAX_QUERY = 200
GROUP_LIMIT = 10
SINGLE_GROUP_LIMIT = 100


@require(Role.RESIDENT)
@require_GET
def search(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    query = request.GET.get("q", "")[:MAX_QUERY].strip()
    only = request.GET.get("type") if request.GET.get("type") in engine.SEARCHERS else None
    limit = SINGLE_GROUP_LIMIT if only else GROUP_LIMIT
    context = {"query": query, "only": only}

    def results() -> dict:
        groups = engine.search(request.membership, query, limit=limit, only=only) if query else []
        found = any(group.hits for group in groups)
        return {**context, "groups": groups, "found": found}

    template = "search/search.html#results"
    if query:
        # the same words, type, viewer and data: the same results (live search repeats
        # itself). Builders also find conversations: their own drafts (per builder and
        # their work) and a coordinator others' older than 14 days (per day).
        builder = request.membership.is_builder
        context["results"] = freshness.partial(
            request, "search", template, results, per_user=builder, per_day=builder, work=builder
        )
    else:
        context["results"] = render_to_string(template, results(), request)
    htmx = request.htmx
    if htmx and not htmx.history_restore_request and htmx.target == "results":
        response = HttpResponse(context["results"])
    else:
        response = render(request, "search/search.html", context)
    patch_vary_headers(response, ["HX-Request", "HX-Target"])
    return response
