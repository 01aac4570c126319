"""API routes of the plan app: /api/plan/…"""

urlpatterns: list = []
