from django.urls import path

from . import views

app_name = "maps"

urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("map/data/", views.map_data, name="map_data"),
    path("map/boundary/", views.boundary, name="boundary"),
]
