"""Models of the plan app: plan → goals, actions → indicators → targets, actuals; actions → tasks → updates."""

from .indicators import IndicatorActual, IndicatorTarget, PlanIndicator
from .plans import DataSource, DevelopmentPlan, PlanAction, PlanGoal
from .tasks import PlanTask, TaskStatusUpdate

__all__ = [
    "DataSource",
    "DevelopmentPlan",
    "IndicatorActual",
    "IndicatorTarget",
    "PlanAction",
    "PlanGoal",
    "PlanIndicator",
    "PlanTask",
    "TaskStatusUpdate",
]
