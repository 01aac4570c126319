"""Scheduling of key industrial projects: backward ("reverse node") scheduling, warnings, ranking, forecast.

Method summary (full text, formulas and rule history: docs/engines/scheduling.md):

* ``parse_template`` / ``resolve_templates``: node templates as data (serial FS and parallel SS dependencies
  with lags, durations in days), inheritance for the fast-track variants, cycle and reference checks.
* ``schedule_backward``: from each project's target date, the latest start/finish of every node backwards
  through the dependency graph; the earliest start forwards from the project's start; total float and the
  critical path (zero float); nodes after the target dated forwards.  Every project in one vectorised pass
  per template level.
* ``evaluate_warnings``: green/yellow/red per node and per project from the thresholds of the rule set, red
  episodes and due supervision orders.
* ``rank_completion``: completion of the annual investment plan against time progress, red/yellow/blue.
* ``estimate_conversion`` / ``forecast_pipeline`` / ``pipeline_by_year``: stage-to-stage conversion rates and
  durations from history (priors and overrides), the probability-weighted investment and output per year.

Pure: Polars and the stdlib; no Django, no clock, no I/O; ``as_of`` is a parameter.
"""

from .backward import NODES_SCHEMA, PROJECTS_SCHEMA, SCHEDULE_SCHEMA, schedule_backward
from .conversion import (
    CONVERSION_SCHEMA,
    HISTORY_OPTIONAL,
    HISTORY_SCHEMA,
    estimate_conversion,
    forecast_pipeline,
    pipeline_by_year,
)
from .ranking import RANK_COLOURS, rank_completion, round_half_up
from .rules import (
    BLOCKER_CATEGORIES,
    ORDERED_STAGES,
    SIDE_STAGES,
    BlockerRoute,
    ForecastRules,
    MonitoringRules,
    RulesError,
    Tagged,
    WarningRules,
    parse_monitoring_rules,
)
from .schema import SchedulingSchemaError
from .templates import (
    DEP_TYPES,
    FAST_TRACKS,
    Dependency,
    NodeSpec,
    TemplateError,
    TemplateSpec,
    parse_template,
    resolve_templates,
)
from .warnings import COLOURS, NODE_FACTS_SCHEMA, PROJECT_STATE_SCHEMA, WarningResult, evaluate_warnings, node_colours

ENGINE_VERSION = "scheduling-1.0"

__all__ = [
    "BLOCKER_CATEGORIES",
    "COLOURS",
    "CONVERSION_SCHEMA",
    "DEP_TYPES",
    "ENGINE_VERSION",
    "FAST_TRACKS",
    "HISTORY_OPTIONAL",
    "HISTORY_SCHEMA",
    "NODES_SCHEMA",
    "NODE_FACTS_SCHEMA",
    "ORDERED_STAGES",
    "PROJECTS_SCHEMA",
    "PROJECT_STATE_SCHEMA",
    "RANK_COLOURS",
    "SCHEDULE_SCHEMA",
    "SIDE_STAGES",
    "BlockerRoute",
    "Dependency",
    "ForecastRules",
    "MonitoringRules",
    "NodeSpec",
    "RulesError",
    "SchedulingSchemaError",
    "Tagged",
    "TemplateError",
    "TemplateSpec",
    "WarningResult",
    "WarningRules",
    "estimate_conversion",
    "evaluate_warnings",
    "forecast_pipeline",
    "node_colours",
    "parse_monitoring_rules",
    "parse_template",
    "pipeline_by_year",
    "rank_completion",
    "resolve_templates",
    "round_half_up",
    "schedule_backward",
]
