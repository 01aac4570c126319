"""URLs of the bulk import UI (mounted under /enterprises/import/ in the "enterprises" namespace)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.ImportUploadView.as_view(), name="import_upload"),
    path("templates/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("jobs/<int:pk>/", views.import_job, name="import_job"),
    path("jobs/<int:pk>/commit/", views.import_commit_view, name="import_commit"),
    path("jobs/<int:pk>/rejected.xlsx", views.import_rejected, name="import_rejected"),
]
