"""URLs of the bulk import UI (mounted under /enterprises/import/)."""

urlpatterns: list = []
