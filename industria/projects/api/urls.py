"""API routes of the projects app: /api/projects/…"""

from django.urls import path
from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("projects", views.KeyProjectViewSet, basename="keyproject")
router.register("investment-reports", views.InvestmentReportViewSet, basename="investmentreport")
router.register("year-plans", views.ProjectYearPlanViewSet, basename="projectyearplan")
router.register("list-memberships", views.ProjectListMembershipViewSet, basename="projectlistmembership")
router.register("supervision-orders", views.SupervisionOrderViewSet, basename="supervisionorder")
router.register("blockers", views.BlockerViewSet, basename="blocker")
router.register("templates", views.NodeTemplateViewSet, basename="nodetemplate")
urlpatterns = [
    path("dispatch/", views.DispatchView.as_view(), name="dispatch"),
    path("forecast/", views.ForecastView.as_view(), name="forecast"),
    *router.urls,
]
