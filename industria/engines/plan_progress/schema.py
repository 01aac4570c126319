"""Declared input and output schemas of the plan-progress engine, and the checks that guard them.

Schemas map a column to its Polars dtype. Inputs are checked loudly (a wrong or missing column raises
``PlanProgressSchemaError`` naming it); data-quality problems inside well-formed frames become findings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

import polars as pl

ENGINE_VERSION = "1.0.1"
"""Bumped on any change that can alter a result; stored with every persisted forecast and status."""

VALUE_KINDS = ("level", "count", "ratio", "rate")
"""How a series behaves: ``level`` positive amounts (CNY, units); ``count`` non-negative counts; ``ratio``
a share bounded by 0-100 %; ``rate`` a year-on-year growth rate in % (can be negative)."""

STATUSES = ("published", "preliminary", "estimated", "synthetic")
TARGET_KINDS = ("level", "ratio", "count", "growth_rate", "direction_only", "aspirational")
DIRECTIONS = ("higher_is_better", "lower_is_better")

# History: one row per observation. ``period`` is a year (int) or a date (Date/Datetime); a year stands for
# 31 December of that year. ``published_on`` (optional) is the vintage date of the figure.
HISTORY_REQUIRED: dict[str, tuple[type[pl.DataType], ...]] = {
    "period": (pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt16, pl.UInt32, pl.UInt64, pl.Date, pl.Datetime),
    "value": (pl.Float32, pl.Float64, pl.Int32, pl.Int64),
}
HISTORY_OPTIONAL: dict[str, tuple[type[pl.DataType], ...]] = {
    "indicator_code": (pl.String, pl.Categorical, pl.Enum),
    "status": (pl.String, pl.Categorical, pl.Enum),
    "published_on": (pl.Date, pl.Datetime),
}

# Pipeline: expected increment of the indicator's value in a year, already weighted by stage probability.
PIPELINE_REQUIRED: dict[str, tuple[type[pl.DataType], ...]] = {
    "year": (pl.Int16, pl.Int32, pl.Int64),
    "value_increment": (pl.Float32, pl.Float64, pl.Int32, pl.Int64),
}
PIPELINE_OPTIONAL: dict[str, tuple[type[pl.DataType], ...]] = {"indicator_code": (pl.String, pl.Categorical)}

# Per-indicator forecasting specification (optional in the batch entry).
SPECS_REQUIRED: dict[str, tuple[type[pl.DataType], ...]] = {
    "indicator_code": (pl.String, pl.Categorical),
    "value_kind": (pl.String, pl.Categorical, pl.Enum),
}
SPECS_OPTIONAL: dict[str, tuple[type[pl.DataType], ...]] = {"since_year": (pl.Int16, pl.Int32, pl.Int64)}

# Targets: one row per indicator and target year.
TARGETS_REQUIRED: dict[str, tuple[type[pl.DataType], ...]] = {
    "indicator_code": (pl.String, pl.Categorical),
    "target_kind": (pl.String, pl.Categorical, pl.Enum),
    "direction": (pl.String, pl.Categorical, pl.Enum),
    "target_year": (pl.Int16, pl.Int32, pl.Int64),
    "target_value": (pl.Float32, pl.Float64, pl.Int32, pl.Int64, pl.Null),
}
TARGETS_OPTIONAL: dict[str, tuple[type[pl.DataType], ...]] = {
    "baseline_year": (pl.Int16, pl.Int32, pl.Int64, pl.Null),
    "baseline_value": (pl.Float32, pl.Float64, pl.Int32, pl.Int64, pl.Null),
}

FORECAST_SCHEMA: dict[str, type[pl.DataType]] = {
    "indicator_code": pl.String,
    "year": pl.Int64,
    "horizon_years": pl.Int64,
    "point": pl.Float64,
    "lower": pl.Float64,
    "upper": pl.Float64,
    "trend_point": pl.Float64,
    "pipeline_increment": pl.Float64,
}


class PlanProgressSchemaError(ValueError):
    """An input frame or rule set does not have the declared shape; the message names the field."""


def check_frame(
    frame: pl.DataFrame,
    name: str,
    required: Mapping[str, tuple[type[pl.DataType], ...]],
    optional: Mapping[str, tuple[type[pl.DataType], ...]] | None = None,
) -> None:
    """Raise ``PlanProgressSchemaError`` listing every missing column and every column of the wrong dtype."""
    if not isinstance(frame, pl.DataFrame):
        raise PlanProgressSchemaError(f"{name}: expected a polars DataFrame, got {type(frame).__name__}")
    problems = [f"{name}.{col}: missing" for col in required if col not in frame.columns]
    for col, allowed in {**required, **(optional or {})}.items():
        if col in frame.columns and not isinstance(frame.schema[col], allowed):
            names = ", ".join(a.__name__ for a in allowed)
            problems.append(f"{name}.{col}: dtype {frame.schema[col]} not in ({names})")
    if problems:
        raise PlanProgressSchemaError("; ".join(problems))


def check_values(frame: pl.DataFrame, name: str, column: str, allowed: tuple[str, ...]) -> None:
    """Raise if a categorical text column holds a value outside ``allowed``."""
    if column not in frame.columns:
        return
    bad = frame.filter(pl.col(column).is_not_null() & ~pl.col(column).cast(pl.String).is_in(allowed))
    if bad.height:
        values = sorted(bad.get_column(column).cast(pl.String).unique().to_list())
        raise PlanProgressSchemaError(f"{name}.{column}: unknown values {values}; allowed {list(allowed)}")


def as_of_date(as_of: dt.date | int) -> dt.date:
    """Normalise ``as_of``: a date stays, a year means 31 December of that year."""
    if isinstance(as_of, dt.datetime):
        return as_of.date()
    if isinstance(as_of, dt.date):
        return as_of
    if isinstance(as_of, int) and not isinstance(as_of, bool):
        return dt.date(as_of, 12, 31)
    raise PlanProgressSchemaError(f"as_of: expected a date or a year, got {as_of!r}")
