from django.urls import path

from .views import connections, coverage, initiatives, page, suggestions

app_name = "network"

urlpatterns = [
    path("initiatives/", initiatives.initiative_list, name="initiatives"),
    path("initiatives/new/", initiatives.initiative_new, name="initiative_new"),
    path("initiatives/<int:initiative_id>/", initiatives.initiative_detail, name="initiative"),
    path(
        "initiatives/<int:initiative_id>/edit/", initiatives.initiative_edit, name="initiative_edit"
    ),
    path(
        "initiatives/<int:initiative_id>/delete/",
        initiatives.initiative_delete,
        name="initiative_delete",
    ),
    path("initiatives/<int:initiative_id>/members/new/", initiatives.member_add, name="member_add"),
    path(
        "initiatives/<int:initiative_id>/members/<int:initiative_member_id>/",
        initiatives.member_edit,
        name="member_edit",
    ),
    path(
        "initiatives/<int:initiative_id>/members/<int:initiative_member_id>/remove/",
        initiatives.member_remove,
        name="member_remove",
    ),
    path("initiatives/<int:initiative_id>/confirm/", initiatives.confirm_relations, name="confirm"),
    path(
        "initiatives/<int:initiative_id>/confirm/group/",
        initiatives.confirm_group,
        name="confirm_group",
    ),
    path("network/", page.network, name="network"),
    path("network/data/", page.network_data, name="data"),
    path("network/figures/", page.network_figures, name="figures"),
    path("network/measures.csv", page.measures_csv, name="measures"),
    path("network/coverage/", coverage.coverage, name="coverage"),
    path("network/coverage/streets/", coverage.street_add, name="street_add"),
    path("network/coverage/streets/import/", coverage.street_import, name="street_import"),
    path("network/coverage/people/", coverage.street_people, name="street_people"),
    path(
        "network/coverage/streets/<int:street_id>/delete/",
        coverage.street_delete,
        name="street_delete",
    ),
    path("network/suggestions/", suggestions.suggestion_list, name="suggestions"),
    path("network/suggestions/introduce/", suggestions.suggestion_introduce, name="introduce"),
    path("network/suggestions/dismiss/", suggestions.suggestion_dismiss, name="dismiss"),
    path("network/options/", connections.options, name="options"),
    path(
        "network/people/<int:person_id>/connections/",
        connections.person_connections,
        name="person_connections",
    ),
    path(
        "network/people/<int:person_id>/connections/new/",
        connections.connection_new,
        name="connection_new",
    ),
    path(
        "network/connections/<int:connection_id>/end/",
        connections.connection_end,
        name="connection_end",
    ),
]
