"""The network page: the graph, its figures and the table of connections.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from neighbourhoods import freshness
from neighbourhoods.access import require
from neighbourhoods.http import (
    NeighbourhoodRequest,
    paginate,
    render_page,
)
from neighbourhoods.models import Role
from residents.disclosure import sees_everything, tie_q

from .. import graph
from ..forms import (
    NetworkFilterForm,
)
from ..models import (
    Connection,
)

TABLE_ROWS = 50


def _filter_form(request: NeighbourhoodRequest, *, page: bool = False) -> NetworkFilterForm:
    """The filters; the choices of the selects are only read for the page itself."""
    choices = graph.filter_choices(request.neighbourhood, request.membership) if page else None
    return NetworkFilterForm(request.GET or None, choices=choices)


def _figures_pair(request: NeighbourhoodRequest, filters: graph.Filters, *, bridges: bool) -> dict:
    """Figures then and now; the bridges when cached, cheap, or asked for (``bridges``)."""
    nb, membership = request.neighbourhood, request.membership
    version = freshness.version(nb)
    pair = graph.figures_then_now(nb, membership, filters, version=version)
    found = (
        graph.bridges(nb, membership, filters, version=version)
        if bridges
        else graph.cached_bridges(nb, membership, filters, version=version)
    )
    people = None
    if found is not None:
        people = [
            {
                "name": name,
                "score": score,
                "url": reverse("residents:person", args=[nb.slug, pk]),
            }
            for pk, name, score in found.people
        ]
    return {"now": pair.now, "then": pair.then, "bridges": people, "bridge_info": found}


@require(Role.RESIDENT)
@require_GET
def network(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    form = _filter_form(request, page=True)
    filters = form.filters()
    if not form.is_bound:
        form.initial.update({"then": filters.then, "now": filters.now})
    figures = _figures_pair(request, filters, bridges=request.GET.get("bridges") == "1")
    query = (form.cleaned_data.get("q") or "").strip() if hasattr(form, "cleaned_data") else ""
    table = _connection_table(request, filters, query)
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "figures": figures,
        "page": paginate(request, table, TABLE_ROWS),
        "query": query,
        "data_url": reverse("network:data", args=[slug])
        + (f"?{params.urlencode()}" if params else ""),
        "params": params.urlencode(),
        "kept_filters": [(k, v) for k, v in params.items() if k != "q"],
        "max_nodes": graph.MAX_NODES,
    }
    return render_page(request, "network/network.html", context, partial="table")


def _connection_table(request: NeighbourhoodRequest, filters: graph.Filters, query: str):
    """Connections active on ``filters.now`` among the filtered people, for the table."""
    nb, membership = request.neighbourhood, request.membership
    rows = (
        Connection.objects.in_neighbourhood(nb)
        .active_on(filters.now)
        .select_related("person", "other_person", "organisation", "initiative")
        .order_by("-since", "-pk")
    )
    if filters.active() or not sees_everything(membership):
        people = graph.filtered_people(nb, membership, filters).values("pk")
        rows = rows.filter(person__in=people).filter(
            Q(other_person__isnull=True) | Q(other_person__in=people)
        )
        rows = rows.filter(tie_q(membership))
    if filters.origin:
        rows = rows.filter(origin=filters.origin)
    if query:
        rows = rows.filter(
            Q(person__name__icontains=query)
            | Q(other_person__name__icontains=query)
            | Q(organisation__name__icontains=query)
        )
    return rows


@require(Role.RESIDENT)
@require_GET
def network_data(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    filters = _filter_form(request).filters()
    data = graph.graph_data(request.neighbourhood, request.membership, filters)
    data["labels"] = {
        "person": _("person"),
        "organisation": _("organisation"),
        "initiative": _("initiative"),
        "member": _("member of"),
        "not_found": _("Nobody by that name in this graph."),
    }
    response = JsonResponse(data)
    patch_vary_headers(response, ["Cookie"])
    return response


@require(Role.RESIDENT)
@require_GET
def network_figures(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """Figures then and now. ``bridges`` is null while not computed yet for a large
    network; ask again with ``?bridges=1`` to compute them (a request of their own)."""
    filters = _filter_form(request).filters()
    figures = _figures_pair(request, filters, bridges=request.GET.get("bridges") == "1")
    info = figures["bridge_info"]
    bridges = None
    if figures["bridges"] is not None:
        bridges = {
            "people": [
                {"name": b["name"], "score": round(b["score"], 4), "url": b["url"]}
                for b in figures["bridges"]
            ],
            "approximate": info.approximate,
            "samples": info.samples,
        }
    return JsonResponse(
        {
            "now": {"date": filters.now.isoformat(), **figures["now"].as_dict()},
            "then": {"date": filters.then.isoformat(), **figures["then"].as_dict()},
            "bridges": bridges,
        }
    )
