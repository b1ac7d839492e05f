from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("", views.place_list, name="list"),
    path("new/", views.place_new, name="new"),
    path("<int:place_id>/", views.place_detail, name="detail"),
    path("<int:place_id>/edit/", views.place_edit, name="edit"),
    path("<int:place_id>/delete/", views.place_delete, name="delete"),
    path("<int:place_id>/photos/add/", views.photo_add, name="photo_add"),
    path("<int:place_id>/photos/<int:photo_id>/", views.photo, name="photo"),
    path(
        "<int:place_id>/photos/<int:photo_id>/thumbnail/",
        views.photo_thumbnail,
        name="photo_thumbnail",
    ),
    path("<int:place_id>/photos/<int:photo_id>/delete/", views.photo_delete, name="photo_delete"),
]
