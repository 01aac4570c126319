"""Map layer endpoints (GeoJSON)."""

urlpatterns: list = []
