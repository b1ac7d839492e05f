"""Dashboard panel: how many places (and with photos), and the latest additions."""

from django.db.models import Count, Q

from neighbourhoods.dashboard import register_panel
from neighbourhoods.http import NeighbourhoodRequest

from .models import Place

LATEST = 3


@register_panel("places/_dashboard_panel.html", slot="dashboard", order=31, cached=True)
def places_panel(request: NeighbourhoodRequest, **kwargs) -> dict:
    places = Place.objects.in_neighbourhood(request.neighbourhood)
    figures = places.aggregate(
        count=Count("pk"),
        located=Count("pk", filter=Q(latitude__isnull=False, longitude__isnull=False)),
    )
    return {
        **figures,
        "latest": list(places.order_by("-created_at", "-pk")[:LATEST]),
    }
