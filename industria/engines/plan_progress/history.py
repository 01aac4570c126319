"""History preparation: cut at ``as_of``, one value per indicator and year, validity by value kind."""

from __future__ import annotations

import datetime as dt

import polars as pl

from industria.engines.plan_progress.params import ForecastParams
from industria.engines.plan_progress.schema import (
    HISTORY_OPTIONAL,
    HISTORY_REQUIRED,
    SPECS_OPTIONAL,
    SPECS_REQUIRED,
    STATUSES,
    VALUE_KINDS,
    PlanProgressSchemaError,
    check_frame,
    check_values,
)

SINGLE_INDICATOR = "indicator"
_STATUS_RANK = {"synthetic": 0, "estimated": 1, "preliminary": 2, "published": 3}


def annual_actuals(
    history: pl.DataFrame,
    cutoff: dt.date,
    *,
    specs: pl.DataFrame | None,
    params: ForecastParams,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Cut history at ``cutoff``, keep one valid value per indicator and year; return (actuals, codes)."""
    check_frame(history, "history", HISTORY_REQUIRED, HISTORY_OPTIONAL)
    check_values(history, "history", "status", STATUSES)
    h = history
    if "indicator_code" not in h.columns:
        h = h.with_columns(indicator_code=pl.lit(SINGLE_INDICATOR))
    if "status" not in h.columns:
        h = h.with_columns(status=pl.lit("published"))
    if "published_on" not in h.columns:
        h = h.with_columns(published_on=pl.lit(None, dtype=pl.Date))
    period = pl.col("period")
    period_end = period.cast(pl.Date) if h.schema["period"] in (pl.Date, pl.Datetime) else pl.date(period, 12, 31)
    h = h.select(
        pl.col("indicator_code").cast(pl.String),
        period_end.alias("period_end"),
        pl.col("value").cast(pl.Float64),
        pl.col("status").cast(pl.String).fill_null("published"),
        pl.col("published_on").cast(pl.Date),
    )
    codes = _specs_for(h.select("indicator_code").unique(), specs, params)
    h = (
        h.filter(
            (pl.col("period_end") <= cutoff)
            & (pl.col("published_on").is_null() | (pl.col("published_on") <= cutoff))
            & pl.col("value").is_finite()
        )
        .with_columns(
            year=pl.col("period_end").dt.year().cast(pl.Int64),
            _rank=pl.col("status").replace_strict(_STATUS_RANK, return_dtype=pl.Int8),
        )
        .sort(["indicator_code", "year", "period_end", "published_on", "_rank", "value"], nulls_last=False)
        .unique(subset=["indicator_code", "year"], keep="last", maintain_order=True)
        .drop("_rank")
        .join(codes.select("indicator_code", "value_kind", "since_year"), on="indicator_code", how="left")
    )
    kind, value = pl.col("value_kind"), pl.col("value")
    valid = (
        pl.when(kind == "level")
        .then(value > 0)
        .when(kind == "count")
        .then(value >= 0)
        .when(kind == "ratio")
        .then((value >= 0) & (value <= 100))
        .otherwise(value > -100)
    )
    h = h.with_columns(valid=valid)
    invalid = h.group_by("indicator_code").agg(n_invalid=(~pl.col("valid")).sum().cast(pl.Int64))
    codes = codes.join(invalid, on="indicator_code", how="left").with_columns(pl.col("n_invalid").fill_null(0))
    actuals = h.filter(pl.col("valid")).drop("valid").sort("indicator_code", "year")
    return actuals, codes


def _specs_for(codes: pl.DataFrame, specs: pl.DataFrame | None, params: ForecastParams) -> pl.DataFrame:
    if specs is None:
        specs = pl.DataFrame(schema={"indicator_code": pl.String, "value_kind": pl.String})
    check_frame(specs, "specs", SPECS_REQUIRED, SPECS_OPTIONAL)
    check_values(specs, "specs", "value_kind", VALUE_KINDS)
    if specs.get_column("indicator_code").is_duplicated().any():
        raise PlanProgressSchemaError("specs.indicator_code: duplicated codes")
    if "since_year" not in specs.columns:
        specs = specs.with_columns(since_year=pl.lit(None, dtype=pl.Int64))
    specs = specs.select(
        pl.col("indicator_code").cast(pl.String),
        pl.col("value_kind").cast(pl.String),
        pl.col("since_year").cast(pl.Int64),
    )
    return (
        pl.concat([codes, specs.select("indicator_code")])
        .unique()
        .join(specs, on="indicator_code", how="left")
        .with_columns(pl.col("value_kind").fill_null(params.default_value_kind))
        .sort("indicator_code")
    )
