"""Yearly facts: an unbalanced enterprise x year panel calibrated to the city's published totals.

Everything is computed on dense (enterprise x year) numpy matrices and flattened over the active cells at the end.
Each year is rescaled so that the above-size rows add up to the published gross output, value added, tax, profit and
asset totals (calibration.py); the above-size flag is then ``main_revenue_cny >= 20,000,000`` of that year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from industria.engines.synthetic import calibration as cal
from industria.engines.synthetic.enterprises import Population

YEARLY_SCHEMA = {
    "uscc": pl.String,
    "year": pl.Int16,
    "above_size": pl.Boolean,
    "size_class": pl.String,
    "main_revenue_cny": pl.Int64,
    "operating_revenue_cny": pl.Int64,
    "gross_output_cny": pl.Int64,
    "value_added_cny": pl.Int64,
    "tax_paid_cny": pl.Int64,
    "profit_cny": pl.Int64,
    "total_assets_cny": pl.Int64,
    "total_liabilities_cny": pl.Int64,
    "rd_expense_cny": pl.Int64,
    "employees_avg": pl.Int32,
    "rd_staff": pl.Int32,
    "energy_tce": pl.Float64,
    "electricity_kwh": pl.Int64,
    "emissions_t": pl.Float64,
    "land_area_mu": pl.Float64,
    "floor_area_m2": pl.Float64,
    "synthetic": pl.Boolean,
}


@dataclass(frozen=True)
class YearlyPanel:
    """Dense matrices (enterprise x year) behind the yearly facts, reused for monthly facts and tiers."""

    years: list[int]
    active: np.ndarray  # bool
    above: np.ndarray  # bool
    size_class: np.ndarray  # int8 index into SIZE_CLASSES
    gross_output: np.ndarray  # int64
    value_added: np.ndarray  # int64
    operating_revenue: np.ndarray  # int64
    rd_expense: np.ndarray  # int64
    employees: np.ndarray  # int64


def _lognormal_mean1(rng: np.random.Generator, sigma: float, size: int | tuple[int, ...]) -> np.ndarray:
    """Lognormal noise with mean 1."""
    return np.exp(rng.normal(-0.5 * sigma * sigma, sigma, size))


def _col(values: list[float]) -> np.ndarray:
    return np.asarray(values, dtype=np.float64)


def _scale_to(values: np.ndarray, mask: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """Per-year factor making the masked column sums equal ``targets`` (factor 1 where a column is empty)."""
    sums = np.where(mask, values, 0.0).sum(axis=0)
    return np.where(sums > 0, targets / np.where(sums > 0, sums, 1.0), 1.0)


SIZE_CLASSES = ("large", "medium", "small", "micro")


def _size_class(employees: np.ndarray, revenue: np.ndarray) -> np.ndarray:
    """NBS 2017 industry size class as an index into SIZE_CLASSES; large/medium/small need both lower bounds."""
    large = (employees >= cal.SIZE_LARGE_EMPLOYEES) & (revenue >= cal.SIZE_LARGE_REVENUE_CNY)
    medium = (employees >= cal.SIZE_MEDIUM_EMPLOYEES) & (revenue >= cal.SIZE_MEDIUM_REVENUE_CNY)
    small = (employees >= cal.SIZE_SMALL_EMPLOYEES) & (revenue >= cal.SIZE_SMALL_REVENUE_CNY)
    return np.where(large, 0, np.where(medium, 1, np.where(small, 2, 3))).astype(np.int8)


def build_yearly_facts(
    rng: np.random.Generator, pop: Population, uscc: pl.Series, *, years: list[int], scale_ratio: float
) -> tuple[pl.DataFrame, YearlyPanel]:
    """Yearly facts frame (YEARLY_SCHEMA, rows ordered by enterprise then year) and the dense panel."""
    n, n_years = pop.n, len(years)
    year_idx = np.arange(n_years)
    first_idx = (pop.first_year - years[0])[:, None]
    last_idx = (pop.last_year - years[0])[:, None]
    active = (year_idx >= first_idx) & (year_idx <= last_idx)
    div_names, div_of_row = np.unique(pop.division, return_inverse=True)
    profiles = [cal.DIVISIONS.get(str(d), cal.UNKNOWN_DIVISION) for d in div_names]  # one per division

    def div(field: str) -> np.ndarray:
        """The division profile's ``field`` for every enterprise, as an (n, 1) column."""
        return _col([getattr(p, field) for p in profiles])[div_of_row][:, None]

    # ---- gross output: firm trend + yearly shocks from the first year on, then the city total per year.
    step = rng.normal(0.0, cal.FIRM_TREND_SIGMA, (n, 1)) + rng.normal(0.0, cal.FIRM_SHOCK_SIGMA, (n, n_years))
    step[year_idx <= first_idx] = 0.0
    raw_output = pop.base_output_cny[:, None] * np.exp(np.cumsum(step, axis=1))
    revenue_ratio = (
        cal.MAIN_REVENUE_TO_OUTPUT * _lognormal_mean1(rng, 0.05, (n, 1)) * _lognormal_mean1(rng, 0.02, (n, n_years))
    )
    target_output = np.array([cal.ABOVE_SIZE_GROSS_OUTPUT_100M[y] * 1e8 * scale_ratio for y in years])
    factor = np.ones(n_years)
    for _ in range(8):  # fixed point: the above-size set depends on the factor
        output = raw_output * factor
        above = active & (output * revenue_ratio >= cal.ABOVE_SIZE_MAIN_REVENUE_CNY)
        factor *= _scale_to(output, above, target_output)
    output = np.round(raw_output * factor)
    main_revenue = np.round(output * revenue_ratio)
    above = active & (main_revenue >= cal.ABOVE_SIZE_MAIN_REVENUE_CNY)
    operating_revenue = np.round(
        main_revenue
        * (1.0 + rng.uniform(0.0, cal.OTHER_REVENUE_SHARE_MAX, (n, 1)) * _lognormal_mean1(rng, 0.1, (n, n_years)))
    )

    # ---- value added: division rate, central-district uplift, scaled to output / 3.7 each year.
    va_rate = div("va") * np.where(pop.central, cal.CENTRAL_VA_RATE_FACTOR, 1.0)[:, None]
    va_rate = va_rate * _lognormal_mean1(rng, 0.15, (n, 1)) * _lognormal_mean1(rng, 0.03, (n, n_years))
    target_va = np.where(above, output, 0.0).sum(axis=0) / cal.OUTPUT_TO_VALUE_ADDED
    for _ in range(4):
        va_rate = np.clip(va_rate * _scale_to(output * va_rate, above, target_va), 0.03, 0.85)
    value_added = np.round(output * va_rate)

    # ---- tax (<= 60% of value added) and profit (<= value added - tax), scaled to the published ratios.
    above_op_revenue = np.where(above, operating_revenue, 0.0).sum(axis=0)
    tax_rate = (
        cal.TAX_TO_REVENUE * div("tax") * _lognormal_mean1(rng, 0.5, (n, 1)) * _lognormal_mean1(rng, 0.1, (n, n_years))
    )
    for _ in range(4):
        tax_rate = tax_rate * _scale_to(operating_revenue * tax_rate, above, above_op_revenue * cal.TAX_TO_REVENUE)
        tax_rate = np.minimum(tax_rate, 0.6 * value_added / np.maximum(operating_revenue, 1.0))
    tax = np.round(operating_revenue * tax_rate)
    margin = div("margin") + rng.normal(0.0, 0.06, (n, 1)) + rng.normal(0.0, 0.03, (n, n_years))
    ceiling = (value_added - tax) / np.maximum(operating_revenue, 1.0)
    for _ in range(4):
        gap = above_op_revenue * cal.PROFIT_TO_REVENUE - np.where(above, operating_revenue * margin, 0.0).sum(axis=0)
        margin = np.clip(margin + gap / np.maximum(above_op_revenue, 1.0), -0.5, ceiling)
    profit = np.round(operating_revenue * margin)

    # ---- balance sheet.
    asset_ratio = div("assets") * _lognormal_mean1(rng, 0.4, (n, 1)) * _lognormal_mean1(rng, 0.05, (n, n_years))
    asset_ratio = asset_ratio * _scale_to(
        operating_revenue * asset_ratio, above, above_op_revenue * cal.ASSETS_TO_ANNUAL_REVENUE
    )
    assets = np.round(operating_revenue * asset_ratio)
    mean_debt = cal.LIABILITIES_TO_ASSETS
    debt_ratio = np.clip(
        rng.beta(10 * mean_debt, 10 * (1 - mean_debt), (n, 1)) + rng.normal(0.0, 0.02, (n, n_years)), 0.02, 0.98
    )
    liabilities = np.round(assets * debt_ratio)

    # ---- employees: elasticity < 1, so big firms have more revenue per worker; level from VA per employee.
    labour = (
        _lognormal_mean1(rng, cal.LABOUR_SIGMA, (n, 1))
        / div("rev_emp")
        * (operating_revenue / 1e8) ** cal.EMPLOYMENT_REVENUE_ELASTICITY
    )
    level = np.where(above, value_added, 0.0).sum() / (
        cal.VALUE_ADDED_PER_EMPLOYEE_CNY * np.where(above, labour, 0.0).sum()
    )
    employees = np.maximum(np.round(labour * level), 1.0)
    size_class = _size_class(employees, operating_revenue)

    # ---- R&D.
    inactive_share = np.where(pop.above_pool, cal.RD_INACTIVE_SHARE_ABOVE, cal.RD_INACTIVE_SHARE_BELOW)
    rd_active = rng.random(n) >= inactive_share
    boost = np.where(pop.leading, cal.RD_LEADING_BOOST, np.where(pop.frontier, 1.5, 1.0))
    rd_intensity = np.where(
        rd_active,
        np.minimum(cal.RD_INTENSITY_MEDIAN * np.exp(rng.normal(0.0, cal.RD_INTENSITY_SIGMA, n)) * boost, 0.3),
        0.0,
    )[:, None]
    rd_expense = np.round(operating_revenue * rd_intensity * _lognormal_mean1(rng, 0.1, (n, n_years)))
    rd_cost = cal.RD_COST_PER_RD_STAFF_CNY * _lognormal_mean1(rng, 0.3, (n, 1))
    rd_staff = np.where(rd_expense > 0, np.clip(np.round(rd_expense / rd_cost), 1.0, employees), 0.0)

    # ---- energy, electricity, pollutants.
    output_10k = output / 1e4
    electricity = np.round(
        output_10k
        * cal.ELECTRICITY_KWH_PER_10K_CNY
        * div("elec")
        * _lognormal_mean1(rng, 0.5, (n, 1))
        * _lognormal_mean1(rng, 0.05, (n, n_years))
    )
    energy = output_10k * cal.ENERGY_TCE_PER_10K_CNY * div("energy") * _lognormal_mean1(rng, 0.5, (n, 1))
    energy = np.maximum(energy * _lognormal_mean1(rng, 0.05, (n, n_years)), electricity * cal.KGCE_PER_KWH / 1000.0)
    emissions = (
        energy
        * cal.POLLUTANT_T_PER_TCE
        * div("pollut")
        * _lognormal_mean1(rng, 0.8, (n, 1))
        * _lognormal_mean1(rng, 0.1, (n, n_years))
    )
    emissions_missing = rng.random((n, n_years)) < cal.EMISSIONS_MISSING_SHARE

    # ---- land and floor space (per firm; tenants own no land).
    above_pool = pop.above_pool
    owner = rng.random(n) < np.where(above_pool, cal.LAND_OWNER_SHARE_ABOVE, cal.LAND_OWNER_SHARE_BELOW)
    pool_median = np.where(
        above_pool,
        np.median(pop.base_output_cny[above_pool]) if above_pool.any() else 1.0,
        np.median(pop.base_output_cny[~above_pool]) if (~above_pool).any() else 1.0,
    )
    land = (
        np.where(above_pool, cal.LAND_MEDIAN_MU_ABOVE, cal.LAND_MEDIAN_MU_BELOW)
        * (pop.base_output_cny / pool_median) ** cal.LAND_SIZE_ELASTICITY
    )
    land = land * np.exp(rng.normal(0.0, 1.0, n) * np.where(above_pool, cal.LAND_SIGMA_ABOVE, cal.LAND_SIGMA_BELOW))
    land = np.where(owner, np.clip(np.round(land, 2), cal.LAND_MIN_MU, cal.LAND_MAX_MU), 0.0)
    plot_ratio = np.clip(cal.PLOT_RATIO_MEDIAN * np.exp(rng.normal(0.0, 0.4, n)), 0.2, 4.0)
    tenant_m2 = cal.TENANT_M2_PER_EMPLOYEE * np.exp(rng.normal(0.0, 0.5, (n, 1))) * employees
    floor_area = np.round(np.where(owner[:, None], (land * cal.M2_PER_MU * plot_ratio)[:, None], tenant_m2), 2)

    # ---- flatten the active cells (enterprise-major order).
    rows, cols = np.nonzero(active)
    frame = pl.DataFrame(
        {
            "uscc": uscc.gather(rows),
            "year": np.asarray(years, dtype=np.int16)[cols],
            "above_size": above[rows, cols],
            "size_class": pl.Series(SIZE_CLASSES).gather(size_class[rows, cols]),
            "main_revenue_cny": main_revenue[rows, cols].astype(np.int64),
            "operating_revenue_cny": operating_revenue[rows, cols].astype(np.int64),
            "gross_output_cny": output[rows, cols].astype(np.int64),
            "value_added_cny": value_added[rows, cols].astype(np.int64),
            "tax_paid_cny": tax[rows, cols].astype(np.int64),
            "profit_cny": profit[rows, cols].astype(np.int64),
            "total_assets_cny": assets[rows, cols].astype(np.int64),
            "total_liabilities_cny": liabilities[rows, cols].astype(np.int64),
            "rd_expense_cny": rd_expense[rows, cols].astype(np.int64),
            "employees_avg": employees[rows, cols].astype(np.int32),
            "rd_staff": rd_staff[rows, cols].astype(np.int32),
            "energy_tce": np.round(energy[rows, cols], 2),
            "electricity_kwh": electricity[rows, cols].astype(np.int64),
            "emissions_t": np.where(emissions_missing[rows, cols], np.nan, np.round(emissions[rows, cols], 3)),
            "land_area_mu": land[rows],
            "floor_area_m2": floor_area[rows, cols],
            "synthetic": np.ones(rows.size, dtype=bool),
        },
        schema=YEARLY_SCHEMA,
    ).with_columns(pl.col("emissions_t").fill_nan(None))
    panel = YearlyPanel(
        years=list(years),
        active=active,
        above=above,
        size_class=size_class,
        gross_output=output.astype(np.int64),
        value_added=value_added.astype(np.int64),
        operating_revenue=operating_revenue.astype(np.int64),
        rd_expense=rd_expense.astype(np.int64),
        employees=employees.astype(np.int64),
    )
    return frame, panel
