"""The pipeline-weighted forecast and the hook the plan's forecast consumes.

``pipeline_expected_by_year(as_of=…, end_year=…)`` → Polars frame (year Int64, indicator_code String,
expected_value Float64): the probability-weighted investment and output the key-project pipeline adds each year,
in the plan indicators' units (亿元), from the conversion rates and durations estimated on the projects'
history (``engines.scheduling.estimate_conversion``; priors and overrides from the monitoring rule set).

``plan_pipeline_provider(plan_code=…, indicator_codes=…, as_of=…)`` adapts it to the plan's hook
(``industria.plan.pipeline.register_pipeline_provider``; registered in ``ProjectsConfig.ready``): columns
indicator_code, year, value_increment — only the part the indicator's own trend cannot know (investment of
projects not yet started, output of projects not yet producing on ``as_of``).  Only facts known on ``as_of``
are used, so the plan's "as of" view replays the past.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import polars as pl

from industria.core.bulk import read_frame
from industria.engines.scheduling import (
    HISTORY_SCHEMA,
    estimate_conversion,
    forecast_pipeline,
    pipeline_by_year,
)

from .rules import rules_active

PIPELINE_COLUMNS = {"year": pl.Int64, "indicator_code": pl.String, "expected_value": pl.Float64}
HISTORY_SQL = (
    "SELECT p.id, p.cancelled_on, p.lead_on, p.negotiating_on, p.signed_on, p.filed_on, p.land_acquired_on, "
    "p.permitted_on, p.started_on, p.under_construction_on, p.completed_on, p.producing_on, p.at_capacity_on, "
    "COALESCE(p.fixed_asset_investment_cny, p.total_investment_cny), p.expected_output_cny, "
    "(SELECT SUM(r.completed_investment_cny) FROM projects_investmentreport r WHERE r.project_id = p.id "
    " AND (r.year < %s OR (r.year = %s AND r.month < %s))), "
    "s.planned_started_on, s.planned_completed_on, s.planned_producing_on, s.planned_at_capacity_on "
    "FROM projects_keyproject p LEFT JOIN projects_projectschedule s ON s.project_id = p.id"
)
HISTORY_COLUMNS = {
    **HISTORY_SCHEMA,
    "fixed_asset_investment_cny": pl.Float64,
    "expected_output_cny": pl.Float64,
    "completed_investment_cny": pl.Float64,
    "planned_started_on": pl.Date,
    "planned_completed_on": pl.Date,
    "planned_producing_on": pl.Date,
    "planned_at_capacity_on": pl.Date,
}


def pipeline_history(*, as_of: dt.date) -> pl.DataFrame:
    """Every project's stage dates, investment, output and planned milestones (one set-based read).

    The investment reported counts the months before ``as_of``'s month (what was known on ``as_of``).
    """
    return read_frame(HISTORY_SQL, [as_of.year, as_of.year, as_of.month], HISTORY_COLUMNS)


def conversion_table(*, as_of: dt.date) -> pl.DataFrame:
    """Stage-to-stage conversion rates and durations on ``as_of`` (estimates, priors, overrides)."""
    rules = rules_active(as_of=as_of)
    return estimate_conversion(pipeline_history(as_of=as_of), rules.forecast, as_of)


def pipeline_project_years(*, as_of: dt.date, end_year: int) -> pl.DataFrame:
    """Per project and year: probabilities, expected dates, expected investment and output."""
    rules = rules_active(as_of=as_of)
    history = pipeline_history(as_of=as_of)
    conversion = estimate_conversion(history, rules.forecast, as_of)
    return forecast_pipeline(history, conversion, as_of, end_year=end_year)


def pipeline_expected_by_year(*, as_of: dt.date, end_year: int, increments_only: bool = False) -> pl.DataFrame:
    """(year, indicator_code, expected_value): the pipeline-weighted investment and output per year."""
    if end_year < as_of.year:
        return pl.DataFrame(schema=PIPELINE_COLUMNS)
    rules = rules_active(as_of=as_of)
    years = pipeline_project_years(as_of=as_of, end_year=end_year)
    return pipeline_by_year(years, rules.forecast, increments_only=increments_only).select(list(PIPELINE_COLUMNS))


def plan_pipeline_provider(
    *, plan_code: str, indicator_codes: Iterable[str] | None, as_of: dt.date, end_year: int | None = None
) -> pl.DataFrame:
    """The plan hook: (indicator_code, year, value_increment) of the linked indicators (see module docstring).

    Empty (not an error) when no monitoring rule set is active: the plan's dashboard must not fail because of
    the projects module.
    """
    from industria.projects.models import ProjectRuleSet

    if not ProjectRuleSet.objects.filter(status="active").exists():
        return pl.DataFrame(schema={"indicator_code": pl.String, "year": pl.Int64, "value_increment": pl.Float64})
    if end_year is None:
        from industria.plan.models import DevelopmentPlan

        plan_end = DevelopmentPlan.objects.filter(code=plan_code).values_list("end_year", flat=True).first()
        end_year = max(plan_end or as_of.year, as_of.year)
    end = end_year
    frame = pipeline_expected_by_year(as_of=as_of, end_year=end, increments_only=True)
    if indicator_codes is not None:
        frame = frame.filter(pl.col("indicator_code").is_in(list(indicator_codes)))
    return frame.select("indicator_code", "year", value_increment=pl.col("expected_value"))
