"""Builders' and coordinators' pages about residents' data, under /n/<slug>/."""

from django.urls import path

from . import merge_views
from . import privacy_views as views

app_name = "privacy"

urlpatterns = [
    path("people/<int:person_id>/invite/", views.invite, name="invite"),
    path("people/<int:person_id>/invite/withdraw/", views.invite_revoke, name="invite_revoke"),
    path("people/<int:person_id>/erase/", views.erase, name="erase"),
    path("people/<int:person_id>/merge/", merge_views.merge, name="merge"),
    path("people/merges/", merge_views.merges, name="merges"),
    path(
        "people/merges/<int:proposal_id>/decline/",
        merge_views.merge_decline,
        name="merge_decline",
    ),
    path("retention/", views.retention, name="retention"),
    path("retention/<int:person_id>/keep/", views.retention_keep, name="retention_keep"),
]
