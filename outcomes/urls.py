from django.urls import path

from . import report_jobs, views

app_name = "outcomes"

urlpatterns = [
    path("", views.outcome_list, name="list"),
    path("new/", views.outcome_new, name="new"),
    path("<int:outcome_id>/", views.outcome_detail, name="detail"),
    path("<int:outcome_id>/edit/", views.outcome_edit, name="edit"),
    path("<int:outcome_id>/delete/", views.outcome_delete, name="delete"),
    path("<int:outcome_id>/status/", views.outcome_status, name="status"),
    path("<int:outcome_id>/people/", views.person_add, name="person_add"),
    path(
        "<int:outcome_id>/people/<int:beneficiary_id>/remove/",
        views.person_remove,
        name="person_remove",
    ),
    path("<int:outcome_id>/steps/", views.step_add, name="step_add"),
    path("<int:outcome_id>/steps/<int:step_id>/remove/", views.step_remove, name="step_remove"),
    path("<int:outcome_id>/steps/<int:step_id>/move/", views.step_move, name="step_move"),
    path("<int:outcome_id>/evidence/", views.evidence_add, name="evidence_add"),
    path("<int:outcome_id>/evidence/<int:evidence_id>/", views.evidence_file, name="evidence"),
    path(
        "<int:outcome_id>/evidence/<int:evidence_id>/remove/",
        views.evidence_remove,
        name="evidence_remove",
    ),
    path("units/", views.unit_list, name="units"),
    path("units/<int:unit_id>/", views.unit_edit, name="unit_edit"),
    path("units/<int:unit_id>/delete/", views.unit_delete, name="unit_delete"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("report/", views.report, name="report"),
    path("report.pdf", views.report_pdf, name="report_pdf"),
    path("report.pdf/job/", report_jobs.report_pdf_job, name="report_pdf_job"),
    path("publication/", views.publication, name="publication"),
]
