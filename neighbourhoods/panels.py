"""The dashboard's own panel (registered in NeighbourhoodsConfig.ready): who works here."""

from __future__ import annotations

from neighbourhoods.http import NeighbourhoodRequest

from .models import Membership, Role


def team_panel(request: NeighbourhoodRequest, **kwargs) -> dict:
    """The coordinators and builders, and how many members in all: kept with the other
    panels (a membership or a user's new name is a change of the data)."""
    members = Membership.objects.in_neighbourhood(request.neighbourhood)
    team = members.filter(role__in=[Role.COORDINATOR, Role.BUILDER]).select_related("user")
    return {"team": list(team), "member_count": members.count()}
