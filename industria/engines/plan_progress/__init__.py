"""Plan progress: forecast every plan indicator to the end year, measure progress, assign RAG status.

Method summary (full text, formulas and backtest: docs/engines/plan_progress.md):

* ``forecast_indicators`` / ``forecast_indicator``: per indicator, history cut at ``as_of``; a weighted
  least-squares trend on log (levels), log1p (counts) or logit (ratios 0-100 %) values, or a weighted
  mean for year-on-year rates; structural-break years (2020, 2022) weighted 0; recency and status weights;
  the last residual decays into the forecast; Student-t prediction intervals (80 %) that widen with the
  horizon; probability-weighted pipeline increments added on the indicator's scale.
* ``evaluate_progress``: projection at each target year (actual if published), progress and attainment,
  compound annual growth for growth-rate targets, sign of change for direction-only targets, shortfall in
  the unit and in %, and a status from ordered rules (``parse_rag_rules``), first match wins.
* ``assess_plan_progress``: both in one call.

Pure: Polars, numpy-free, stdlib only; no clock, no I/O, no randomness; ``as_of`` is a parameter.
"""

from industria.engines.plan_progress.forecast import (
    ForecastResult,
    forecast_indicator,
    forecast_indicators,
    model_values,
)
from industria.engines.plan_progress.history import annual_actuals
from industria.engines.plan_progress.params import ForecastParams, parse_forecast_params
from industria.engines.plan_progress.progress import (
    PROGRESS_COLUMNS,
    PlanProgressResult,
    assess_plan_progress,
    evaluate_progress,
)
from industria.engines.plan_progress.rag import (
    DEFAULT_RULES,
    VARIABLES,
    RagRule,
    RagRules,
    RuleError,
    default_rules_for,
    parse_condition,
    parse_rag_rules,
)
from industria.engines.plan_progress.schema import (
    DIRECTIONS,
    ENGINE_VERSION,
    FORECAST_SCHEMA,
    HISTORY_REQUIRED,
    STATUSES,
    TARGET_KINDS,
    VALUE_KINDS,
    PlanProgressSchemaError,
)

__all__ = [
    "DEFAULT_RULES",
    "DIRECTIONS",
    "ENGINE_VERSION",
    "FORECAST_SCHEMA",
    "HISTORY_REQUIRED",
    "PROGRESS_COLUMNS",
    "STATUSES",
    "TARGET_KINDS",
    "VALUE_KINDS",
    "VARIABLES",
    "ForecastParams",
    "ForecastResult",
    "PlanProgressResult",
    "PlanProgressSchemaError",
    "RagRule",
    "RagRules",
    "RuleError",
    "annual_actuals",
    "assess_plan_progress",
    "default_rules_for",
    "evaluate_progress",
    "forecast_indicator",
    "forecast_indicators",
    "model_values",
    "parse_condition",
    "parse_forecast_params",
    "parse_rag_rules",
]
