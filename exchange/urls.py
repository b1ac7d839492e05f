from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("import/", views.import_start, name="import"),
    path("import/<str:token>/", views.import_job, name="import_job"),
    path("import/<str:token>/progress/", views.import_progress, name="import_progress"),
    path("import/<str:token>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<str:token>/cancel/", views.import_cancel, name="import_cancel"),
    path("import/<str:token>/retry/", views.import_retry, name="import_retry"),
    path("export/", views.export_page, name="export"),
    path("export/<str:fmt>/", views.export_download, name="export_download"),
]
