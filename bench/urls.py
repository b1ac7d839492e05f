"""The app's URLs plus ``/bench/bare``: a bare HttpResponse, the yardstick of the benchmark.

Only used with ``DJANGO_SETTINGS_MODULE=bench.settings``; production never routes here.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from assetmap.urls import urlpatterns as app_urlpatterns
from neighbourhoods.access import require
from neighbourhoods.http import NeighbourhoodRequest, render_page
from neighbourhoods.models import Role


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


@require(Role.RESIDENT)
def floor(request: NeighbourhoodRequest, slug: str) -> HttpResponse:
    """What every page under /n/<slug>/ pays before its own work: session, user, membership
    and the page around it (base.html), with nothing in it."""
    return render_page(request, "bench/floor.html", {})


urlpatterns = [
    path("bench/bare", bare),
    path("bench/floor/<slug:slug>/", floor),
    *app_urlpatterns,
]
