from django.urls import path

from . import views

app_name = "network"

urlpatterns = [
    path("initiatives/", views.initiative_list, name="initiatives"),
    path("initiatives/new/", views.initiative_new, name="initiative_new"),
    path("initiatives/<int:initiative_id>/", views.initiative_detail, name="initiative"),
    path("initiatives/<int:initiative_id>/edit/", views.initiative_edit, name="initiative_edit"),
    path(
        "initiatives/<int:initiative_id>/delete/",
        views.initiative_delete,
        name="initiative_delete",
    ),
    path("initiatives/<int:initiative_id>/members/new/", views.member_add, name="member_add"),
    path(
        "initiatives/<int:initiative_id>/members/<int:initiative_member_id>/",
        views.member_edit,
        name="member_edit",
    ),
    path(
        "initiatives/<int:initiative_id>/members/<int:initiative_member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("initiatives/<int:initiative_id>/confirm/", views.confirm_relations, name="confirm"),
    path("network/", views.network, name="network"),
    path("network/data/", views.network_data, name="data"),
    path("network/figures/", views.network_figures, name="figures"),
    path("network/coverage/", views.coverage, name="coverage"),
    path("network/coverage/streets/", views.street_add, name="street_add"),
    path(
        "network/coverage/streets/<int:street_id>/delete/",
        views.street_delete,
        name="street_delete",
    ),
    path("network/suggestions/", views.suggestion_list, name="suggestions"),
    path("network/suggestions/introduce/", views.suggestion_introduce, name="introduce"),
    path("network/suggestions/dismiss/", views.suggestion_dismiss, name="dismiss"),
    path("network/options/", views.options, name="options"),
    path(
        "network/people/<int:person_id>/connections/",
        views.person_connections,
        name="person_connections",
    ),
    path(
        "network/people/<int:person_id>/connections/new/",
        views.connection_new,
        name="connection_new",
    ),
    path(
        "network/connections/<int:connection_id>/end/", views.connection_end, name="connection_end"
    ),
]
