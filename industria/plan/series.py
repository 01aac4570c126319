"""Annual series of plan indicators, read from the recorded figures (what the engine sees).

Rules (docs/models/plan/indicators.md §Annual series): city-wide ``value`` rows only; for one period the latest
known figure wins, then the later vintage, then the better status; year rows are annual values; point rows,
and month/quarter rows of stocks and cumulative counts, are points (the latest in a year stands for the year);
complete years of month (12) or quarter (4) rows of annual flows are summed when the year has no annual row;
year-to-date rows are never annual values; registry values fill the years without a recorded figure, never
mixing synthetic registry values into real figures; ratios are evaluated from the two final series.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from industria.plan.choices import VINTAGE_RANK, ActualStatus, Measure, PeriodType, SeriesKind
from industria.plan.models import IndicatorActual

STATUS_RANK = {"synthetic": 0, "estimated": 1, "preliminary": 2, "published": 3}

ACTUAL_COLUMNS = {
    "actual_id": pl.Int64,
    "indicator_id": pl.Int64,
    "period": pl.Date,
    "period_type": pl.String,
    "value": pl.Float64,
    "qualifier": pl.String,
    "status": pl.String,
    "uncertain": pl.Boolean,
    "vintage": pl.String,
    "as_of_date": pl.Date,
    "source_code": pl.String,
    "source_title": pl.String,
    "source_url": pl.String,
    "confidence": pl.String,
}
SERIES_COLUMNS = [
    "indicator_id",
    "year",
    "period",
    "period_type",
    "value",
    "qualifier",
    "status",
    "uncertain",
    "as_of_date",
    "source_code",
    "source_title",
    "source_url",
    "confidence",
    "actual_id",
    "computed",
]


def _empty_series() -> pl.DataFrame:
    schema = {**ACTUAL_COLUMNS, "year": pl.Int64, "computed": pl.Boolean}
    return pl.DataFrame(schema={c: schema[c] for c in SERIES_COLUMNS})


def read_actuals(indicator_ids: list[int], as_of: dt.date) -> pl.DataFrame:
    """City-wide value rows known on ``as_of`` (one query), one row per period: latest known, vintage, status."""
    rows = (
        IndicatorActual.objects.filter(
            indicator_id__in=indicator_ids,
            series=SeriesKind.VALUE,
            district__isnull=True,
            industry_group__isnull=True,
            as_of_date__lte=as_of,
            period__lte=as_of,
        )
        .order_by()
        .values_list(
            "id",
            "indicator_id",
            "period",
            "period_type",
            "value",
            "qualifier",
            "status",
            "uncertain",
            "vintage",
            "as_of_date",
            "source__code",
            "source__title",
            "source__url",
            "confidence",
        )
    )
    frame = pl.DataFrame([(*r[:4], float(r[4]), *r[5:]) for r in rows], schema=ACTUAL_COLUMNS, orient="row")
    return (
        frame.with_columns(
            _vintage=pl.col("vintage").replace_strict(VINTAGE_RANK, default=0, return_dtype=pl.Int8),
            _status=pl.col("status").replace_strict(STATUS_RANK, default=0, return_dtype=pl.Int8),
        )
        .sort(["indicator_id", "period", "period_type", "as_of_date", "_vintage", "_status", "actual_id"])
        .unique(["indicator_id", "period", "period_type"], keep="last", maintain_order=True)
        .drop("_vintage", "_status")
    )


def annual_series(actuals: pl.DataFrame, meta: pl.DataFrame) -> pl.DataFrame:
    """One value per indicator and year from the recorded rows (rules in the module docstring)."""
    frame = actuals.join(meta.select("indicator_id", "measure", "value_kind"), on="indicator_id", how="inner")
    frame = frame.with_columns(year=pl.col("period").dt.year().cast(pl.Int64), computed=pl.lit(False))
    ptype, measure = pl.col("period_type"), pl.col("measure")
    sub_year = ptype.is_in([PeriodType.MONTH, PeriodType.QUARTER])
    point_like = (ptype == PeriodType.YEAR) | (ptype == PeriodType.POINT)
    point_like = point_like | (sub_year & measure.is_in([Measure.STOCK, Measure.CUMULATIVE]))
    summable = sub_year & (measure == Measure.ANNUAL) & pl.col("value_kind").is_in(["level", "count"])
    points = frame.filter(point_like).select(SERIES_COLUMNS)
    parts = frame.filter(summable).sort("period")
    sums = (
        parts.group_by("indicator_id", "year", "period_type")
        .agg(
            n=pl.len(),
            value=pl.col("value").sum(),
            status=pl.col("status").sort_by(pl.col("status").replace_strict(STATUS_RANK, default=0)).first(),
            uncertain=pl.col("uncertain").any(),
            as_of_date=pl.col("as_of_date").max(),
            source_code=pl.col("source_code").last(),
            source_title=pl.col("source_title").last(),
            source_url=pl.col("source_url").last(),
            confidence=pl.col("confidence").last(),
        )
        .filter(
            ((pl.col("period_type") == PeriodType.MONTH) & (pl.col("n") == 12))
            | ((pl.col("period_type") == PeriodType.QUARTER) & (pl.col("n") == 4))
        )
        .with_columns(
            period=pl.date(pl.col("year"), 12, 31),
            period_type=pl.lit(PeriodType.YEAR.value),
            qualifier=pl.lit(""),
            actual_id=pl.lit(None, dtype=pl.Int64),
            computed=pl.lit(False),
        )
    )
    year_rows = points.filter(pl.col("period_type") == PeriodType.YEAR).select("indicator_id", "year")
    sums = sums.join(year_rows, on=["indicator_id", "year"], how="anti").select(SERIES_COLUMNS)
    return _one_per_year(pl.concat([points, sums], how="vertical_relaxed"))


def _one_per_year(frame: pl.DataFrame) -> pl.DataFrame:
    """The engine's own choice, made here so the chosen row (and its source) is known: latest period wins."""
    return (
        frame.with_columns(_status=pl.col("status").replace_strict(STATUS_RANK, default=0, return_dtype=pl.Int8))
        .sort(["indicator_id", "year", "period", "as_of_date", "_status", "value"])
        .unique(["indicator_id", "year"], keep="last", maintain_order=True)
        .drop("_status")
        .sort("indicator_id", "year")
    )


def computed_rows(indicator_id: int, points: list[Any]) -> pl.DataFrame:
    if not points:
        return _empty_series()
    rows = [
        {
            "indicator_id": indicator_id,
            "year": p.period.year,
            "period": p.period,
            "period_type": PeriodType.YEAR.value if (p.period.month, p.period.day) == (12, 31) else "point",
            "value": p.value,
            "qualifier": "",
            "status": ActualStatus.SYNTHETIC.value if p.synthetic else ActualStatus.ESTIMATED.value,
            "uncertain": False,
            "as_of_date": p.period,
            "source_code": None,
            "source_title": None,
            "source_url": None,
            "confidence": "D",
            "actual_id": None,
            "computed": True,
        }
        for p in points
    ]
    schema = {**ACTUAL_COLUMNS, "year": pl.Int64, "computed": pl.Boolean}
    return pl.DataFrame(rows, schema={c: schema[c] for c in SERIES_COLUMNS})


def merge_computed(recorded: pl.DataFrame, computed: pl.DataFrame) -> pl.DataFrame:
    """Registry values fill the years without a recorded figure; synthetic ones never join real figures."""
    if computed.is_empty():
        return recorded
    real = recorded.filter(pl.col("status") != ActualStatus.SYNTHETIC).get_column("indicator_id").unique().to_list()
    computed = computed.filter((pl.col("status") != ActualStatus.SYNTHETIC) | ~pl.col("indicator_id").is_in(real))
    computed = _one_per_year(computed).join(
        recorded.select("indicator_id", "year"), on=["indicator_id", "year"], how="anti"
    )
    return pl.concat([recorded, computed.select(SERIES_COLUMNS)], how="vertical_relaxed").sort("indicator_id", "year")


def ratio_rows(series: pl.DataFrame, indicator_id: int, num_id: int, den_id: int, scale: float) -> pl.DataFrame:
    """numerator / denominator × scale for each year where both annual values exist."""
    num = series.filter(pl.col("indicator_id") == num_id).select(
        "year", "period", n="value", ns="status", na="as_of_date"
    )
    den = series.filter(pl.col("indicator_id") == den_id).select("year", d="value", ds="status", da="as_of_date")
    joined = num.join(den, on="year", how="inner").filter(pl.col("d") != 0)
    if joined.is_empty():
        return _empty_series()
    synthetic = (pl.col("ns") == ActualStatus.SYNTHETIC) | (pl.col("ds") == ActualStatus.SYNTHETIC)
    return joined.select(
        indicator_id=pl.lit(indicator_id, dtype=pl.Int64),
        year="year",
        period="period",
        period_type=pl.lit(PeriodType.YEAR.value),
        value=pl.col("n") / pl.col("d") * scale,
        qualifier=pl.lit(""),
        status=pl.when(synthetic).then(pl.lit("synthetic")).otherwise(pl.lit("estimated")),
        uncertain=pl.lit(False),
        as_of_date=pl.max_horizontal("na", "da"),
        source_code=pl.lit(None, dtype=pl.String),
        source_title=pl.lit(None, dtype=pl.String),
        source_url=pl.lit(None, dtype=pl.String),
        confidence=pl.lit("D"),
        actual_id=pl.lit(None, dtype=pl.Int64),
        computed=pl.lit(True),
    )
