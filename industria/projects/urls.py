"""URLs of the projects UI (mounted at /projects/)."""

app_name = "projects"
urlpatterns: list = []
