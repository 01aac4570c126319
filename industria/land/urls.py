"""Land pages."""

app_name = "land"

urlpatterns: list = []
