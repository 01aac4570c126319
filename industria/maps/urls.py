"""Map pages."""

app_name = "maps"

urlpatterns: list = []
