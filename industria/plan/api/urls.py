"""API routes of the plan app: /api/plan/…"""

from rest_framework.routers import DefaultRouter

from . import views

router = DefaultRouter()
router.register("plans", views.DevelopmentPlanViewSet, basename="developmentplan")
router.register("sources", views.DataSourceViewSet, basename="datasource")
router.register("goals", views.PlanGoalViewSet, basename="plangoal")
router.register("actions", views.PlanActionViewSet, basename="planaction")
router.register("indicators", views.PlanIndicatorViewSet, basename="planindicator")
router.register("targets", views.IndicatorTargetViewSet, basename="indicatortarget")
router.register("actuals", views.IndicatorActualViewSet, basename="indicatoractual")
router.register("tasks", views.PlanTaskViewSet, basename="plantask")
router.register("task-updates", views.TaskStatusUpdateViewSet, basename="taskstatusupdate")
urlpatterns = router.urls
