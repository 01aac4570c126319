"""Services of the projects app (writes and workflows), one module per workflow family:

* ``projects``     registration, yearly plans, monthly investment reports
* ``stages``       stage transitions with evidence, stall/resume/cancel, administrator reopen
* ``schedule``     backward scheduling, baselines, re-plans, node dates, template changes and re-scheduling
* ``warnings``     set-based warning evaluation and automatic supervision orders
* ``supervision``  supervision orders and replies, blockers routed to departments
"""

from .projects import investment_report_submit, key_project_register, project_year_plan_set
from .schedule import (
    node_complete,
    node_template_update,
    project_baseline_approve,
    project_replan,
    project_schedule_plan,
    schedules_compute,
    schedules_recompute,
    schedules_recompute_enqueue,
)
from .stages import (
    project_cancel,
    project_reopen,
    project_resume,
    project_stage_advance,
    project_stall,
    stage_transition_check,
)
from .supervision import (
    blocker_raise,
    blocker_resolve,
    blocker_route,
    is_unit_member,
    supervision_order_close,
    supervision_order_raise,
    supervision_order_reply,
)
from .warnings import warnings_evaluate

__all__ = [
    "blocker_raise",
    "blocker_resolve",
    "blocker_route",
    "investment_report_submit",
    "is_unit_member",
    "key_project_register",
    "node_complete",
    "node_template_update",
    "project_baseline_approve",
    "project_cancel",
    "project_reopen",
    "project_replan",
    "project_resume",
    "project_schedule_plan",
    "project_stage_advance",
    "project_stall",
    "project_year_plan_set",
    "schedules_compute",
    "schedules_recompute",
    "schedules_recompute_enqueue",
    "stage_transition_check",
    "supervision_order_close",
    "supervision_order_raise",
    "supervision_order_reply",
    "warnings_evaluate",
]
