"""/me/: the signed-in user's own profiles (one per neighbourhood, chosen by slug)."""

from django.urls import path, re_path

from . import views

app_name = "me"

urlpatterns = [
    # re_path, not path(""): Django caches the converters dict of identical routes
    # (_route_to_regex is lru_cached) and URLResolver._populate updates it in place, so a
    # plain "" here would seem to take the <slug> of /n/<slug>/ "" includes in the URL walk.
    re_path(r"^\Z", views.home, name="home"),
    path("<slug:slug>/", views.profile, name="profile"),
    path("<slug:slug>/details/", views.details, name="details"),
    path("<slug:slug>/gifts/", views.gifts, name="gifts"),
    path("<slug:slug>/visibility/", views.visibility, name="visibility"),
    path("<slug:slug>/consent/", views.consent, name="consent"),
    path("<slug:slug>/history/", views.history, name="history"),
    path("<slug:slug>/export/", views.export, name="export"),
    path("<slug:slug>/erase/", views.erase, name="erase"),
]
