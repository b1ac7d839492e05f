"""/api/hsds/<slug>/: the HSDS 3 API of a published neighbourhood (public by design, read-only).

Anonymous on purpose: it answers only for a neighbourhood whose published page is on, and only
with what that page shows (``outcomes.public``); every other slug is 404.
"""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("", views.index, name="index"),
    path("openapi.json", views.openapi, name="openapi"),
    path("services", views.services, name="services"),
    path("services/<str:hsds_service>", views.service, name="service"),
    path("organizations", views.organizations, name="organizations"),
    path("organizations/<str:hsds_organization>", views.organization, name="organization"),
    path("locations", views.locations, name="locations"),
    path("locations/<str:hsds_location>", views.location, name="location"),
    path("service_at_locations", views.service_at_locations, name="service_at_locations"),
    path(
        "service_at_locations/<str:hsds_service_at_location>",
        views.service_at_location,
        name="service_at_location",
    ),
    path("taxonomies", views.taxonomies, name="taxonomies"),
    path("taxonomies/<str:hsds_taxonomy>", views.taxonomy, name="taxonomy"),
    path("taxonomy_terms", views.taxonomy_terms, name="taxonomy_terms"),
    path("taxonomy_terms/<str:hsds_taxonomy_term>", views.taxonomy_term, name="taxonomy_term"),
]
