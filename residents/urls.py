from django.urls import path

from . import views

app_name = "residents"

urlpatterns = [
    path("people/", views.people, name="people"),
    path("people/new/", views.person_new, name="person_new"),
    path("people/<int:person_id>/", views.person, name="person"),
    path("people/<int:person_id>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:person_id>/delete/", views.person_delete, name="person_delete"),
    path("people/<int:person_id>/photo/", views.person_photo, name="person_photo"),
    path("people/<int:person_id>/thumb/", views.person_thumb, name="person_thumb"),
    path("people/<int:person_id>/gifts/new/", views.gift_new, name="gift_new"),
    path("people/<int:person_id>/gifts/<int:gift_id>/edit/", views.gift_edit, name="gift_edit"),
    path(
        "people/<int:person_id>/gifts/<int:gift_id>/delete/",
        views.gift_delete,
        name="gift_delete",
    ),
    path("gifts/", views.gifts, name="gifts"),
    path("gifts/<int:gift_id>/", views.gift, name="gift"),
    path("tags/suggest/", views.tag_suggest, name="tag_suggest"),
]
