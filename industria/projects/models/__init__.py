"""Models of the projects app: projects and their investment (projects.py), schedules (schedule.py),
monitoring (monitoring.py)."""

from .monitoring import Blocker, ProjectEvent, ProjectRuleSet, SupervisionOrder, SupervisionReply
from .projects import (
    STAGE_DATE_FIELDS,
    InvestmentReport,
    KeyProject,
    ProjectListMembership,
    ProjectYearPlan,
)
from .schedule import NodeTemplate, NodeTemplateItem, ProjectBaseline, ProjectNode, ProjectSchedule, planned_rows

__all__ = [
    "STAGE_DATE_FIELDS",
    "Blocker",
    "InvestmentReport",
    "KeyProject",
    "NodeTemplate",
    "NodeTemplateItem",
    "ProjectBaseline",
    "ProjectEvent",
    "ProjectListMembership",
    "ProjectNode",
    "ProjectRuleSet",
    "ProjectSchedule",
    "ProjectYearPlan",
    "SupervisionOrder",
    "SupervisionReply",
    "planned_rows",
]
