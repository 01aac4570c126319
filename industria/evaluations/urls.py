"""URLs of the evaluations UI (mounted at /evaluations/)."""

app_name = "evaluations"
urlpatterns: list = []
