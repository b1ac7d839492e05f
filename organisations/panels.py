"""Dashboard panel: how many organisations, and the latest additions."""

from neighbourhoods.dashboard import register_panel
from neighbourhoods.http import NeighbourhoodRequest

from .models import Organisation

LATEST = 3


@register_panel("organisations/_dashboard_panel.html", slot="dashboard", order=30, cached=True)
def organisations_panel(request: NeighbourhoodRequest, **kwargs) -> dict:
    organisations = Organisation.objects.in_neighbourhood(request.neighbourhood)
    return {
        "count": organisations.count(),
        "latest": list(organisations.order_by("-created_at", "-pk")[:LATEST]),
    }
