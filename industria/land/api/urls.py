"""Land API."""

urlpatterns: list = []
