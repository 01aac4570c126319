"""API routes of the evaluations app: /api/evaluations/…"""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("rulesets", views.RuleSetViewSet, basename="ruleset")
router.register("rounds", views.EvaluationRoundViewSet, basename="evaluationround")
router.register("assessments", views.AssessmentViewSet, basename="assessment")
router.register("objections", views.ObjectionViewSet, basename="objection")
router.register("land-grades", views.LandEfficiencyGradeViewSet, basename="landefficiencygrade")
urlpatterns = router.urls
