"""The network page: the graph, its figures and the table of connections.

Every view is wrapped in ``neighbourhoods.access.require``.
"""

from __future__ import annotations

import csv
import json

from django.db.models import F, Q
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from jobs import figures as precomputed
from neighbourhoods import freshness
from neighbourhoods.access import require
from neighbourhoods.http import (
    NeighbourhoodRequest,
    is_partial_request,
    paginate,
    render_page,
    row_url,
)
from neighbourhoods.models import Role
from neighbourhoods.text import day, decimals
from residents.disclosure import sees_everything, tie_q

from .. import graph, picture, snapshot, today
from ..forms import (
    NetworkFilterForm,
)
from ..models import (
    Connection,
)

TABLE_ROWS = 50
GROUPS_SHOWN = 12
MEASURE_ROWS = 25


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
    query = (form.cleaned_data.get("q") or "").strip() if hasattr(form, "cleaned_data") else ""

    def table_rows() -> dict:
        table = _connection_table(request, filters, query)
        # counting every connection took 12 ms at 60,000 (a scan of them all): kept per data
        # version, viewer kind, filters (the day among them) and the name looked for, also
        # for the table's other pages (issue #19)
        count = freshness.kept(
            request.neighbourhood,
            request.membership,
            "network-table:" + json.dumps([str(filters.key), str(filters.now), query]),
            table.count,
        )
        page = paginate(request, table, TABLE_ROWS, count=count)
        return {"page": page, "rows": _table_rows(page, slug), "filters": filters}

    # the rows kept per query string too, and per day (the table's day is today unless asked)
    rows = freshness.partial(
        request, "network-table-rows", "network/network.html#table", table_rows, per_day=True
    )
    params = request.GET.copy()
    params.pop("page", None)
    kept = params.copy()
    for key in ("focus", "group", "bridges"):
        kept.pop(key, None)
    base_url = "?" + (kept.urlencode() + "&" if kept else "")
    all_url = "?" + kept.urlencode()
    context = {
        "picture_html": ""
        if is_partial_request(request)
        else _picture_html(request, filters, form, base_url, all_url),
        "base_url": base_url,
        "all_url": all_url,
        "form": form,
        "filters": filters,
        "table": rows,
        "query": query,
        "data_url": reverse("network:data", args=[slug])
        + (f"?{params.urlencode()}" if params else ""),
        "params": params.urlencode(),
        "kept_filters": [(k, v) for k, v in params.items() if k != "q"],
        "max_nodes": graph.MAX_NODES,
    }
    return render_page(request, "network/network.html", context, partial="table")


def _picture_html(
    request: NeighbourhoodRequest,
    filters: graph.Filters,
    form: NetworkFilterForm,
    base_url: str,
    all_url: str,
) -> str:
    """The figures, groups, picture and measures, kept like a list's rows (per query string
    and day) and per stored picture and stored figures: a newer one shows at once. Drawn
    afresh they took 60,000 of the page's 109,000 Python calls at 20,000 people (#19)."""
    found = snapshot.current(request.neighbourhood)
    snap = found.snapshot
    drawn = f"{snap.pk}:{snap.computed_at.isoformat()}" if snap is not None else "none"
    stored = precomputed.stamp(request.neighbourhood, today.FIGURE)

    def shown() -> dict:
        return {
            **_network_picture(request, filters, form, base_url, found),
            "base_url": base_url,
            "all_url": all_url,
            "filters": filters,
            "figures": _figures(request, filters),
        }

    name = f"network-picture:{drawn}:{found.stale}:{stored}"
    return freshness.partial(request, name, "network/_picture.html", shown, per_day=True)


def _figures(request: NeighbourhoodRequest, filters: graph.Filters) -> dict:
    """Figures now and then: unfiltered for today and the default "then", as the job stored
    them (the page's first view, and the dashboard's); otherwise counted (and cached)."""
    nb = request.neighbourhood
    stored = today.read(nb)
    then = filters.then or graph.default_then(filters.now)
    if not filters.active() and (filters.now, then) == (stored.day, stored.then_day):
        return {"now": stored.now, "then": stored.then, "as_of": stored.as_of}
    pair = graph.figures_then_now(nb, request.membership, filters)
    return {"now": pair.now, "then": pair.then, "as_of": None}


def _network_picture(
    request: NeighbourhoodRequest,
    filters: graph.Filters,
    form: NetworkFilterForm,
    base_url: str,
    found: snapshot.Current,
) -> dict:
    """The stored groups, layout and measures (``network.snapshot``) as this viewer may see
    them: the picture, the groups with their names, people and initiatives by measure."""
    nb, membership = request.neighbourhood, request.membership
    snap = found.snapshot
    if snap is None:
        return {"snapshot": None, "snapshot_stale": True}
    group = request.GET.get("group", "")
    pic = picture.picture(
        nb,
        membership,
        filters,
        snap,
        focus=request.GET.get("focus", "")[:12],
        group=int(group) if group.isascii() and group.isdigit() and len(group) < 6 else None,
        base_url=base_url,
    )
    groups = [
        {
            **g,
            "name": picture.group_name(g),
            "colour": g["id"] % picture.COLOURS,
            "share": g,
            "density_text": decimals(g["density"], 2),
        }
        for g in snap.groups[:GROUPS_SHOWN]
    ]
    coords = snap.people
    slug = nb.slug
    measures = [
        {
            "name": name,
            "url": row_url("residents:person", slug, pk),
            "focus_url": f"{base_url}focus=p{pk}",
            "colour": coords[str(pk)][2] % picture.COLOURS if coords[str(pk)][2] >= 0 else None,
            "ties": coords[str(pk)][3],
            "betweenness": coords[str(pk)][4],
            "betweenness_text": decimals(coords[str(pk)][4], 3),
            "reach": coords[str(pk)][5],
        }
        for pk, name in picture.ranked(nb, membership, filters, snap, MEASURE_ROWS)
    ]
    initiative_names = dict(form.initiative_choices())
    initiatives = sorted(
        (
            {
                "name": initiative_names[int(pk)],
                "url": row_url("network:initiative", slug, int(pk)),
                "focus_url": f"{base_url}focus=i{pk}",
                "members": members,
                "ties": ties,
                "reach": reach,
                "groups": spans,
            }
            for pk, (members, ties, reach, spans) in snap.initiatives.items()
            if int(pk) in initiative_names
        ),
        key=lambda row: (-row["groups"], -row["reach"], row["name"]),
    )
    return {
        "snapshot": snap,
        "snapshot_stale": found.stale,
        "picture": pic,
        "label_size": picture.label_size(pic.view_box),
        "groups": groups,
        "more_groups": max(0, len(snap.groups) - GROUPS_SHOWN),
        "measures": measures,
        "initiative_measures": initiatives,
    }


def _table_rows(page, slug: str) -> list[dict]:
    """The table's rows as text and links, made here rather than in the template: 50 rows
    of ``{% url %}``, lookups and dates took 20 ms a page at 20,000 people (issue #19)."""
    rows = []
    for c in page.object_list:
        other = c.other_person
        rows.append(
            {
                "person": c.person.name,
                "person_url": row_url("residents:person", slug, c.person_id),
                "other": other.name if other else c.organisation.name,
                "other_url": row_url("residents:person", slug, c.other_person_id)
                if other
                else row_url("organisations:detail", slug, c.organisation_id),
                "is_organisation": other is None,
                "how": c.get_origin_display()
                + (f" ({c.initiative.name})" if c.initiative_id else ""),
                "since": day(c.since, "j M Y"),
            }
        )
    return rows


def _connection_table(request: NeighbourhoodRequest, filters: graph.Filters, query: str):
    """Connections active on ``filters.now`` among the filtered people, for the table."""
    nb, membership = request.neighbourhood, request.membership
    rows = (
        Connection.objects.in_neighbourhood(nb)
        .active_on(filters.now)
        .select_related("person", "other_person", "organisation", "initiative")
        # the table shows names, how and since: not every person's fields (visibility…)
        .only(
            "since",
            "origin",
            "person_id",
            "other_person_id",
            "organisation_id",
            "initiative_id",
            "person__name",
            "other_person__name",
            "organisation__name",
            "initiative__name",
        )
        # unknown dates last on both databases (PostgreSQL puts NULL first in DESC)
        .order_by(F("since").desc(nulls_last=True), "-pk")
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


@require(Role.RESIDENT)
@require_GET
def measures_csv(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """The measures of the people this viewer may see with their ties, and of every
    initiative, as CSV (from the stored snapshot, like the page)."""
    form = _filter_form(request, page=True)
    filters = form.filters()
    context = _network_picture(request, filters, form, "?", snapshot.current(request.neighbourhood))
    snap = context["snapshot"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="network-measures-{slug}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(["kind", "name", "group", "ties", "betweenness", "reach", "members", "groups"])
    if snap is None:
        return response
    names = {g["id"]: picture.group_name(g) for g in snap.groups}
    for pk, name in picture.everyone(request.neighbourhood, request.membership, filters, snap):
        _x, _y, group, ties, between, reach = snap.people[str(pk)]
        writer.writerow(
            [
                "person",
                safe_cell(name),
                safe_cell(names.get(group, "")),
                ties,
                between,
                reach,
                "",
                "",
            ]
        )
    for row in context["initiative_measures"]:
        writer.writerow(
            [
                "initiative",
                safe_cell(row["name"]),
                "",
                row["ties"],
                "",
                row["reach"],
                row["members"],
                row["groups"],
            ]
        )
    return response


def safe_cell(text: str) -> str:
    """No formula injection in spreadsheets: a cell starting with = + - @ gets a quote."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
