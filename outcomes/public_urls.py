"""/n/<slug>/public/: the neighbourhood's published page, public by design (no login)."""

from django.urls import path

from . import views

app_name = "publication"

urlpatterns = [
    path("", views.public_page, name="page"),
]
