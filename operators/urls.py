from django.urls import path

from . import views

app_name = "operators"

# Mounted at /o/<slug>/; every view uses operators.access.require_operator_admin.
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export/<str:fmt>/", views.export, name="export"),
    path("report/pdf/", views.report_pdf, name="report_pdf"),
    path("jobs/<str:token>/", views.job, name="job"),
    path("jobs/<str:token>/retry/", views.job_retry, name="job_retry"),
    path("jobs/<str:token>/download/", views.job_download, name="job_download"),
    path("neighbourhoods/new/", views.neighbourhood_new, name="neighbourhood_new"),
    path("people/", views.people, name="people"),
    path("access-log/", views.access_log, name="access_log"),
    path("people/<int:membership_id>/remove/", views.member_remove, name="member_remove"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
]
