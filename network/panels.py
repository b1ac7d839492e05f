"""Panels of network on the dashboard and on person pages (see neighbourhoods.dashboard)."""

from __future__ import annotations

from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from jobs import figures as precomputed
from neighbourhoods.dashboard import register_panel
from neighbourhoods.http import NeighbourhoodRequest

from . import suggestions as sug
from . import today
from .charts import line_chart
from .views.connections import connections_context


def _today_stamp(request: NeighbourhoodRequest) -> str:
    return precomputed.stamp(request.neighbourhood, today.FIGURE)


@register_panel(
    "network/_dashboard_panel.html",
    slot="dashboard",
    order=40,
    cached=True,
    per_day=True,  # "figures from 14:02" says the day when it is not today
    stamp=_today_stamp,
)
def dashboard_panel(request: NeighbourhoodRequest, **kwargs) -> dict | None:
    """Network figures today and by month (computed from dated connections by a job)."""
    nb = request.neighbourhood
    stored = today.read(nb)
    figures, points = stored.now, stored.months
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


def _stored_pairs(request: NeighbourhoodRequest) -> str:
    """When the suggestions were stored (for those who see them: no one else waits for it)."""
    if not sug.may_see_suggestions(request.membership):
        return ""
    return precomputed.stamp(request.neighbourhood, sug.FIGURE)


# The suggestions as this viewer kind sees them, kept as HTML until the data or the stored
# pairs change, or the day; its forms' CSRF token is put in per answer.
@register_panel(
    "network/_energy_panel.html",
    slot="dashboard",
    order=41,
    cached=True,
    per_day=True,
    stamp=_stored_pairs,
)
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
        "next": request.path,  # the dashboard, without what a first asker's query held
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
