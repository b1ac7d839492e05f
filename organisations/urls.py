from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_new, name="new"),
    path("people-options/", views.person_options, name="person_options"),
    path("<int:organisation_id>/", views.organisation_detail, name="detail"),
    path("<int:organisation_id>/edit/", views.organisation_edit, name="edit"),
    path("<int:organisation_id>/delete/", views.organisation_delete, name="delete"),
    path("<int:organisation_id>/members/add/", views.member_add, name="member_add"),
    path(
        "<int:organisation_id>/members/<int:member_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
]
