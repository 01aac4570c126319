"""API routes of the projects app: /api/projects/…"""

urlpatterns: list = []
