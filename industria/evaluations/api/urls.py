"""API routes of the evaluations app: /api/evaluations/…"""

urlpatterns: list = []
