"""URLs of the framework layer."""

from django.urls import path

from .views import pages

app_name = "core"
urlpatterns = [
    path("jobs/", pages.JobListView.as_view(), name="job_list"),
    path("jobs/demo/", pages.demo_job_start, name="job_demo_start"),
    path("jobs/<int:pk>/", pages.job_detail, name="job_detail"),
    path("jobs/<int:pk>/progress.json", pages.job_progress_json, name="job_progress"),
    path("audit/", pages.ObjectChangeListView.as_view(), name="objectchange_list"),
    path("audit/<int:pk>/", pages.objectchange_detail, name="objectchange_detail"),
]
