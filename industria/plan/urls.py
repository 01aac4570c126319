"""URLs of the plan UI (mounted at /plan/)."""

app_name = "plan"
urlpatterns: list = []
