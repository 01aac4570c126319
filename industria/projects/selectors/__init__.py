"""Selectors of the projects app (reads, always scoped; read models for the engines), one module per concern:

* ``projects``  scoped lists, the board, one project, codes
* ``schedule``  one project's nodes with planned/baseline/actual dates and the Gantt JSON
* ``facts``     set-based node facts for the warning engine
* ``dispatch``  dispatch statistics, plan completion and the district ranking
* ``forecast``  the pipeline-weighted forecast and the plan hook
* ``actions``   "my projects" and the responsible unit's inbox; orders and blockers visible to a user
* ``rules``     the monitoring rule set in force, templates as engine specs
"""

from .actions import MyActions, blocker_list, my_actions, supervision_order_list
from .dispatch import DispatchFilters, dispatch_by_district, dispatch_report, dispatch_totals, plan_completion
from .facts import node_facts
from .forecast import (
    conversion_table,
    pipeline_expected_by_year,
    pipeline_history,
    pipeline_project_years,
    plan_pipeline_provider,
)
from .projects import (
    board_columns,
    key_project_get,
    key_project_list,
    project_code_next,
    projects_of_officer,
    scoped_order,
)
from .rules import node_names, rules_active, ruleset_active, template_codes, template_spec, template_specs
from .schedule import NodeRow, gantt_payload, schedule_rows

__all__ = [
    "DispatchFilters",
    "MyActions",
    "NodeRow",
    "blocker_list",
    "board_columns",
    "conversion_table",
    "dispatch_by_district",
    "dispatch_report",
    "dispatch_totals",
    "gantt_payload",
    "key_project_get",
    "key_project_list",
    "my_actions",
    "node_facts",
    "node_names",
    "pipeline_expected_by_year",
    "pipeline_history",
    "pipeline_project_years",
    "plan_completion",
    "plan_pipeline_provider",
    "project_code_next",
    "projects_of_officer",
    "rules_active",
    "ruleset_active",
    "schedule_rows",
    "scoped_order",
    "supervision_order_list",
    "template_codes",
    "template_spec",
    "template_specs",
]
