from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("people/<int:person_id>/history/", views.person_history, name="person_history"),
]
