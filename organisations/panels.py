"""Dashboard panel: how many organisations, and the latest additions."""

from django.http import HttpRequest

from neighbourhoods.dashboard import register_panel

from .models import Organisation

LATEST = 3


@register_panel("organisations/_dashboard_panel.html", slot="dashboard", order=30)
def organisations_panel(request: HttpRequest, **kwargs) -> dict:
    organisations = Organisation.objects.in_neighbourhood(request.neighbourhood)
    return {
        "count": organisations.count(),
        "latest": list(organisations.order_by("-created_at", "-pk")[:LATEST]),
    }
