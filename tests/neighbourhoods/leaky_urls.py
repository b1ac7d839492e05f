"""A URLconf with one view that forgot `access.require`: the walk must catch it."""

from django.http import HttpResponse
from django.urls import include, path

from assetmap.urls import urlpatterns as real_patterns


def leaky_view(request, slug):
    return HttpResponse(f"everything about {slug}")


urlpatterns = [
    path("n/<slug:slug>/leak/", leaky_view, name="leak"),
    path("", include(real_patterns)),
]
