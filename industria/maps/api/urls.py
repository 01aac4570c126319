"""Map layer endpoints (GeoJSON), under /api/maps/."""

from django.urls import path

from . import views

urlpatterns = [
    path("districts/", views.districts, name="districts"),
    *[path(f"{name}/", views.layer, {"name": name}, name=name) for name in views.LAYERS],
]
