"""Facts schema of the land-efficiency (per-mu, 亩均) engine: one row per enterprise and evaluation year.

Amounts in CNY, land in mu (1 mu = 666.67 m²), energy in tonnes of standard coal equivalent (equivalent value,
等价值), emissions in tonnes of the main pollutants, electricity in kWh, employees as the yearly average.
"""

from __future__ import annotations

import polars as pl

EXEMPT_CLASSES = ("none", "public_utility", "tax_policy_supported", "startup", "major_project_construction")
VETO_CODES = ("none", "major_safety_accident", "major_environmental_accident", "serious_dishonesty")

FACTS_SCHEMA: dict[str, pl.DataType] = {
    "uscc": pl.String(),
    "name": pl.String(),
    "main_revenue_cny": pl.Decimal(20, 2),
    "land_area_mu": pl.Decimal(16, 4),
    "tax_cny": pl.Decimal(20, 2),
    "value_added_cny": pl.Decimal(20, 2),
    "energy_tce": pl.Decimal(18, 4),
    "emissions_t": pl.Decimal(18, 4),
    "employees_avg": pl.Decimal(12, 2),
    "rd_expense_cny": pl.Decimal(20, 2),
    "electricity_kwh": pl.Decimal(20, 2),
    "exempt_class": pl.Enum(EXEMPT_CLASSES),
    "veto": pl.Enum(VETO_CODES),
}
