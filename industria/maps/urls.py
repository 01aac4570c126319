"""Map pages, under /map/."""

from django.urls import path

from . import views

app_name = "maps"

urlpatterns = [
    path("", views.MapView.as_view(), name="map"),
    path("public/", views.PublicMapView.as_view(), name="public"),
    path("summary/<slug:kind>/<str:pk>/", views.SummaryView.as_view(), name="summary"),
    path("public/summary/<slug:kind>/<str:pk>/", views.SummaryView.as_view(public=True), name="summary_public"),
]
