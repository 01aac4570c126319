"""Monthly facts of above-size firms: the year's output and value added spread over the months.

The city profile of a year weights each calendar day 1, days around the Spring Festival less, Q4 a little more, and
applies the 2020 and 2022 shocks (calibration.MONTH_*). Each firm-year gets the profile times lognormal noise,
renormalised, so that the twelve months add up to the yearly figure exactly (December takes the rounding rest).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from industria.engines.synthetic import calibration as cal
from industria.engines.synthetic.facts import YearlyPanel

MONTHLY_SCHEMA = {
    "uscc": pl.String,
    "year": pl.Int16,
    "month": pl.Int8,
    "gross_output_cny": pl.Int64,
    "value_added_cny": pl.Int64,
    "synthetic": pl.Boolean,
}


def month_profile(year: int) -> np.ndarray:
    """Share of the year's output produced in each month (12 values summing to 1)."""
    start = np.datetime64(f"{year}-01-01")
    days = np.arange(start, np.datetime64(f"{year + 1}-01-01"), dtype="datetime64[D]")
    weight = np.ones(days.size)
    festival = cal.SPRING_FESTIVAL.get(year, dt.date(year, 2, 10))  # mid-February when unknown
    lo, hi = cal.SPRING_FESTIVAL_WINDOW_DAYS
    offset = (days - np.datetime64(festival)).astype(np.int64)
    weight[(offset >= lo) & (offset <= hi)] = cal.SPRING_FESTIVAL_OUTPUT_SHARE
    month = days.astype("datetime64[M]").astype(np.int64) % 12  # 0 = January
    per_month = np.bincount(month, weights=weight, minlength=12)
    for m, factor in cal.MONTH_FACTORS.items():
        per_month[m - 1] *= factor
    for (y, m), factor in cal.MONTH_SHOCKS.items():
        if y == year:
            per_month[m - 1] *= factor
    return per_month / per_month.sum()


def _spread(totals: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Integer split of ``totals`` by row weights; December takes the rest so that rows add up exactly."""
    parts = np.floor(totals[:, None] * weights[:, :11])
    return np.concatenate([parts, (totals - parts.sum(axis=1))[:, None]], axis=1)


def build_monthly_facts(rng: np.random.Generator, panel: YearlyPanel, uscc: pl.Series) -> pl.DataFrame:
    """MONTHLY_SCHEMA rows for every above-size enterprise-year, ordered by year, enterprise, month."""
    frames = []
    months = np.arange(1, 13, dtype=np.int8)
    for t, year in enumerate(panel.years):
        rows = np.flatnonzero(panel.above[:, t])
        weights = month_profile(year)[None, :] * np.exp(rng.normal(0.0, cal.MONTH_NOISE_SIGMA, (rows.size, 12)))
        weights /= weights.sum(axis=1, keepdims=True)
        output = _spread(panel.gross_output[rows, t].astype(np.float64), weights)
        value_added = _spread(panel.value_added[rows, t].astype(np.float64), weights)
        frames.append(
            pl.DataFrame(
                {
                    "uscc": uscc.gather(np.repeat(rows, 12)),
                    "year": np.full(rows.size * 12, year, dtype=np.int16),
                    "month": np.tile(months, rows.size),
                    "gross_output_cny": output.ravel().astype(np.int64),
                    "value_added_cny": value_added.ravel().astype(np.int64),
                    "synthetic": np.ones(rows.size * 12, dtype=bool),
                },
                schema=MONTHLY_SCHEMA,
            )
        )
    if not frames:
        return pl.DataFrame(schema=MONTHLY_SCHEMA)
    return pl.concat(frames, rechunk=False)
