"""URLs of the registry UI."""

from django.urls import include, path

from .views import registry

app_name = "enterprises"
urlpatterns = [
    path("", registry.EnterpriseListView.as_view(), name="enterprise_list"),
    path("add/", registry.EnterpriseEditView.as_view(), name="enterprise_add"),
    path("<int:pk>/", registry.EnterpriseDetailView.as_view(), name="enterprise_detail"),
    path("<int:pk>/edit/", registry.EnterpriseEditView.as_view(), name="enterprise_edit"),
    path("<int:pk>/delete/", registry.EnterpriseDeleteView.as_view(), name="enterprise_delete"),
    path("import/", include("industria.enterprises.imports.urls")),
]
