from django.urls import path

from . import views

app_name = "jobs"

# Mounted at /n/<slug>/jobs/; every view uses neighbourhoods.access.require.
urlpatterns = [
    path("<str:job_token>/", views.job, name="job"),
    path("<str:job_token>/retry/", views.job_retry, name="job_retry"),
    path("<str:job_token>/download/", views.job_download, name="job_download"),
]
