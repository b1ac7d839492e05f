"""The app's URLs plus ``/bench/bare``: a bare HttpResponse, the yardstick of the benchmark.

Only used with ``DJANGO_SETTINGS_MODULE=bench.settings``; production never routes here.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from assetmap.urls import urlpatterns as app_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain")


urlpatterns = [path("bench/bare", bare), *app_urlpatterns]
