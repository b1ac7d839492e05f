"""Panels of network on the dashboard and on person pages (see neighbourhoods.dashboard)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jobs import figures as precomputed
from neighbourhoods.dashboard import register_panel
from neighbourhoods.http import NeighbourhoodRequest
from neighbourhoods.models import Neighbourhood

from . import figures as fig
from . import graph
from . import suggestions as sug
from .charts import line_chart
from .views.connections import connections_context

SNAPSHOT_MONTHS = 12
TODAY = "network.today"


@precomputed.register(TODAY)
def today_and_months(neighbourhood: Neighbourhood) -> dict:
    """The dashboard's figures, computed by the job when the data changes: today's (the one
    count every page shows, ``graph.counts_on``) and at the end of each of the last twelve
    months. Counts name nobody, so one payload serves every viewer."""
    today = timezone.localdate()
    months = fig.month_starts(fig.months_back(today, SNAPSHOT_MONTHS - 1), today)
    return {
        "day": today.isoformat(),
        "figures": graph.counts_on(neighbourhood, today).as_dict(),
        "months": [
            [p.month.isoformat(), p.connections, p.connected_people, p.largest_group]
            for p in graph.monthly_figures(neighbourhood, None, months)
        ],
    }


@register_panel("network/_dashboard_panel.html", slot="dashboard", order=40)
def dashboard_panel(request: NeighbourhoodRequest, **kwargs) -> dict | None:
    """Network figures today and by month (computed from dated connections by a job)."""
    nb = request.neighbourhood
    stored = precomputed.read(nb, TODAY)[TODAY]
    figures = fig.Figures.from_dict(stored.payload["figures"])
    points = [
        fig.MonthPoint(datetime.date.fromisoformat(m), c, p, g)
        for m, c, p, g in stored.payload["months"]
    ]
    chart = line_chart(
        _("The network by month"),
        [date_format(p.month, "M y") for p in points],
        [
            (_("connections"), "connections", [p.connections for p in points]),
            (_("people with a connection"), "connected", [p.connected_people for p in points]),
            (_("largest group"), "largest", [p.largest_group for p in points]),
        ],
    )
    return {
        "figures": figures,
        "as_of": stored.as_of,
        "points": points,
        "chart": chart,
        "network_url": reverse("network:network", args=[nb.slug]),
        "initiatives_url": reverse("network:initiatives", args=[nb.slug]),
    }


@register_panel("network/_energy_panel.html", slot="dashboard", order=41)
def energy_panel(request: NeighbourhoodRequest, **kwargs) -> dict | None:
    """Follow the energy: who should meet whom (builders and coordinators only)."""
    if not sug.may_see_suggestions(request.membership):
        return None
    suggestions, stored = sug.read_for_neighbourhood(
        request.neighbourhood, limit=5, viewer=request.membership
    )
    return {
        "suggestions": suggestions,
        "as_of": stored.as_of,
        "next": request.get_full_path(),
        "more_url": reverse("network:suggestions", args=[request.neighbourhood.slug]),
    }


@register_panel("network/_person_connections_panel.html", slot="person", order=30)
def person_connections_panel(request: NeighbourhoodRequest, person=None, **kwargs) -> dict | None:
    if person is None:
        return None
    return connections_context(request, person)


@register_panel("network/_person_suggestions_panel.html", slot="person", order=31)
def person_suggestions_panel(request: NeighbourhoodRequest, person=None, **kwargs) -> dict | None:
    if person is None or not sug.may_see_suggestions(request.membership):
        return None
    return {
        "person": person,
        "suggestions": sug.for_person(person, limit=5, viewer=request.membership),
        "next": request.get_full_path(),
    }
