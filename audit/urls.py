from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("people/<int:person_id>/history/", views.person_history, name="person_history"),
    path("changes/", views.changes, name="changes"),
    path("access-log/", views.access_log, name="access_log"),
]
