from django.urls import path

from . import views

app_name = "ownership"

urlpatterns = [
    path("ownership/", views.overview, name="overview"),
    path("initiatives/<int:initiative_id>/carriers/", views.carriers, name="carriers"),
    path("initiatives/<int:initiative_id>/carriers/start/", views.start, name="start"),
    path(
        "initiatives/<int:initiative_id>/carriers/<int:period_id>/delete/",
        views.period_delete,
        name="period_delete",
    ),
    path("initiatives/<int:initiative_id>/activities/", views.activities, name="activities"),
    path(
        "initiatives/<int:initiative_id>/activities/<int:activity_id>/delete/",
        views.activity_delete,
        name="activity_delete",
    ),
    path("ownership/reflections/", views.reflection_list, name="reflections"),
    path("ownership/reflections/new/", views.reflection_new, name="reflection_new"),
    path(
        "ownership/reflections/<int:reflection_id>/delete/",
        views.reflection_delete,
        name="reflection_delete",
    ),
]
