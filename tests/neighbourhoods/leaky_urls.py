"""A URLconf with a view that forgot `access.require` and one that forgot to scope its
lookup by neighbourhood: the walks must catch both."""

from django.http import HttpResponse
from django.urls import include, path

from assetmap.urls import urlpatterns as real_patterns
from neighbourhoods.access import require
from neighbourhoods.models import Role
from residents.models import Person


def leaky_view(request, slug):
    return HttpResponse(f"everything about {slug}")


@require(Role.RESIDENT)
def unscoped_view(request, slug, person_id):
    """Checks the role in the slug's neighbourhood, then forgets to scope the lookup."""
    return HttpResponse(Person.objects.get(pk=person_id).name)


urlpatterns = [
    path("n/<slug:slug>/leak/", leaky_view, name="leak"),
    path("n/<slug:slug>/unscoped/<int:person_id>/", unscoped_view, name="unscoped"),
    path("", include(real_patterns)),
]
