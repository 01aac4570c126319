"""Test helpers: registry enterprises and facts built from the rule sets' example spreadsheets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl

from industria.accounts.models import District
from industria.enterprises.models import Enterprise, EnterpriseYearFact
from industria.evaluations.models import RuleSet
from industria.evaluations.rulesets import RULESET_DIR

TEMPLATES = RULESET_DIR.parent / "templates"
YEAR = 2024
AS_OF = date(2025, 6, 30)
LAND_FACT_COLUMNS = {
    "main_revenue_cny": "main_revenue_cny",
    "land_area_mu": "land_area_mu",
    "tax_cny": "tax_paid_cny",
    "value_added_cny": "value_added_cny",
    "energy_tce": "energy_tce",
    "emissions_t": "emissions_t",
    "employees_avg": "employees_avg",
    "rd_expense_cny": "rd_expense_cny",
    "electricity_kwh": "electricity_kwh",
}


def template(code: str) -> Path:
    return TEMPLATES / f"{code}.csv"


def active(code: str) -> RuleSet:
    return RuleSet.objects.get(code=code, status="active")


def enterprise(uscc: str, name: str, district: str = "310115", **kwargs: Any) -> Enterprise:
    return Enterprise.objects.create(
        uscc=uscc, name_zh=name, district=District.objects.get(code=district), industry_code="3973", **kwargs
    )


def land_registry_from_template(district_of: dict[str, str] | None = None) -> dict[str, Enterprise]:
    """Enterprises and 2024 facts equal to the land-efficiency example spreadsheet (exemptions and vetoes are
    not registry facts: upload them as declared facts)."""
    raw = pl.read_csv(template("land-efficiency-zj"), infer_schema=False)
    made = {}
    for row in raw.iter_rows(named=True):
        e = enterprise(row["uscc"], row["name"], (district_of or {}).get(row["uscc"], "310115"))
        values: dict[str, Any] = {}
        for column, field in LAND_FACT_COLUMNS.items():
            text = row[column]
            if text in (None, ""):
                values[field] = None
            elif field == "employees_avg":
                values[field] = int(Decimal(text))
            else:
                values[field] = Decimal(text)
        EnterpriseYearFact.objects.create(enterprise=e, year=YEAR, **values)
        made[row["uscc"]] = e
    return made


def land_declared_csv(tmp_path: Path) -> Path:
    """The exemption and veto columns of the example spreadsheet as an upload of declared facts."""
    raw = pl.read_csv(template("land-efficiency-zj"), infer_schema=False)
    path = tmp_path / "declared.csv"
    raw.select("uscc", "exempt_class", "veto").write_csv(path)
    return path
