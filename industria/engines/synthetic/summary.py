"""Calibration report of a generated city: generated totals next to the published targets, per year."""

from __future__ import annotations

import polars as pl

from industria.engines.synthetic import calibration as cal
from industria.engines.synthetic.city import SyntheticCity


def calibration_report(city: SyntheticCity) -> pl.DataFrame:
    """One row per year: above-size count and totals, targets at the city's scale, and the key ratios."""
    n_above_pool = cal.SCALE_COUNTS[city.scale][0]
    ratio = n_above_pool / cal.CITY_ABOVE_SIZE_POOL
    targets = pl.DataFrame(
        {
            "year": pl.Series(city.years, dtype=pl.Int16),
            "target_gross_output_cny": [cal.ABOVE_SIZE_GROSS_OUTPUT_100M[y] * 1e8 * ratio for y in city.years],
        }
    )
    above = city.yearly_facts.filter(pl.col("above_size"))
    owners = above.filter(pl.col("land_area_mu") > 0)
    per_mu = owners.group_by("year").agg(
        (pl.col("tax_paid_cny").sum() / pl.col("land_area_mu").sum()).alias("tax_per_mu_cny")
    )
    return (
        above.group_by("year")
        .agg(
            pl.len().alias("above_size_enterprises"),
            pl.col("gross_output_cny").sum().alias("gross_output_cny"),
            pl.col("value_added_cny").sum().alias("value_added_cny"),
            pl.col("operating_revenue_cny").sum().alias("operating_revenue_cny"),
            pl.col("tax_paid_cny").sum().alias("tax_paid_cny"),
            pl.col("profit_cny").sum().alias("profit_cny"),
            pl.col("employees_avg").sum().alias("employees"),
        )
        .join(targets, on="year")
        .join(per_mu, on="year", how="left")
        .with_columns(
            (pl.col("gross_output_cny") / pl.col("target_gross_output_cny")).alias("output_vs_target"),
            (pl.col("gross_output_cny") / pl.col("value_added_cny")).alias("output_to_value_added"),
            (pl.col("tax_paid_cny") / pl.col("operating_revenue_cny")).alias("tax_to_revenue"),
            (pl.col("profit_cny") / pl.col("operating_revenue_cny")).alias("profit_to_revenue"),
            (pl.col("value_added_cny") / pl.col("employees")).alias("value_added_per_employee_cny"),
        )
        .sort("year")
    )
