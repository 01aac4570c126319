"""Little giant (sme-little-giant-2022): all-of criteria, R&D intensity by revenue tier, direct routes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from industria.engines.common.schema import coerce_facts
from industria.engines.sme_tiers import FACTS_SCHEMA, explain_row, parse_rules, score_sme_tier

ROOT = Path(__file__).resolve().parents[3]
RULES = parse_rules(
    yaml.safe_load((ROOT / "fixtures/reference/rulesets/sme-little-giant-2022.yaml").read_text("utf-8"))
)

# Meets every criterion in the top revenue tier (≥ 1亿): R&D 4 % and 3.5 % of revenue in the last two years.
BASE: dict[str, Any] = {
    "uscc": "91310000000000001Y",
    "name": "giant",
    "years_in_niche": "5",
    "operating_revenue_cny": "150000000",
    "operating_revenue_prev_cny": "140000000",
    "main_revenue_cny": "120000000",  # 80 %
    "main_revenue_prev_cny": "110000000",
    "main_revenue_prev2_cny": "100000000",
    "info_system_core_business": "true",
    "certification_held": "true",
    "total_assets_cny": "100000000",
    "total_liabilities_cny": "50000000",
    "niche_market_share_ratio": "0.15",
    "own_brand": "true",
    "rd_expense_cny": "6000000",
    "rd_expense_prev_cny": "4900000",
    "equity_financing_2y_cny": "0",
    "rd_staff_avg": "50",
    "employees_avg": "300",
    "rd_institution_level": "municipal",
    "class1_ip_count": "3",
    "national_st_award_top3_3y": "false",
    "maker_china_top50_3y": "false",
    "chain_key_link": "true",
    "priority_product_field": "true",
}
ELIGIBILITY = [c.code for c in RULES.outcome.eligibility]  # type: ignore[union-attr]


def one(**overrides: Any) -> dict[str, Any]:
    raw = pl.DataFrame([{**BASE, **overrides}], schema=dict.fromkeys(BASE, pl.String))
    facts, errors = coerce_facts(raw, FACTS_SCHEMA, required=RULES.columns)
    assert errors == []
    return score_sme_tier(facts, RULES).row(0, named=True)


def test_meeting_every_criterion_passes_by_the_general_route() -> None:
    row = one()

    assert all(row[f"{c}_met"] for c in ELIGIBILITY)
    assert (row["rd_intensity_by_tier_met"], row["rd_institution_met"], row["class1_ip_2_met"]) == (True, True, True)
    assert (row["passed"], row["route"], row["total_points"]) == (True, "score", None)
    assert row["findings"] == []


@pytest.mark.parametrize(
    ("overrides", "condition"),
    [
        ({"years_in_niche": "2.99"}, "niche_3y"),
        ({"main_revenue_cny": "104999999.99"}, "main_revenue_share_70"),  # just below 70 % of 150M
        # growth 5 % then 0 %: the mean is 2.5 % < 5 %
        (
            {
                "main_revenue_cny": "105000000",
                "main_revenue_prev_cny": "100000000",
                "main_revenue_prev2_cny": "100000000",
            },
            "revenue_growth_2y_5",
        ),
        ({"info_system_core_business": "false"}, "info_system"),
        ({"certification_held": "false"}, "certification"),
        ({"total_liabilities_cny": "70000000.01"}, "debt_ratio_70"),
        ({"niche_market_share_ratio": "0.099999"}, "market_share_10"),
        ({"own_brand": "false"}, "own_brand"),
        ({"chain_key_link": "false"}, "chain_key_link"),
        ({"priority_product_field": "false"}, "priority_product_field"),
    ],
)
def test_failing_any_criterion_fails(overrides: dict[str, str], condition: str) -> None:
    row = one(**overrides)
    assert row[f"{condition}_met"] is False
    assert (row["passed"], row["route"]) == (False, "none")


@pytest.mark.parametrize(
    "overrides",
    [
        {"years_in_niche": "3"},
        {
            "main_revenue_cny": "105000000",
            "main_revenue_prev_cny": "100000000",
            "main_revenue_prev2_cny": "95000000",
        },  # 70 %
        {
            "main_revenue_cny": "110250000",
            "main_revenue_prev_cny": "105000000",
            "main_revenue_prev2_cny": "100000000",
        },  # 5 %, 5 %
        {"total_liabilities_cny": "70000000"},  # exactly 70 %
        {"niche_market_share_ratio": "0.1"},
    ],
)
def test_criteria_hold_on_their_cut_offs(overrides: dict[str, str]) -> None:
    row = one(**overrides)
    assert all(row[f"{c}_met"] for c in ELIGIBILITY)
    assert row["passed"] is True


@pytest.mark.parametrize(
    ("revenue", "revenue_prev", "rd", "rd_prev", "met"),
    [
        # top tier (1亿元以上, includes 100,000,000): ≥ 3 % in each of the last two years
        ("100000000", "100000000", "3000000", "3000000", True),
        ("100000000", "100000000", "3000000", "2999999.99", False),
        # middle tier (5000万-1亿): ≥ 6 % in each year; exactly 50,000,000 falls here (tiers tested top-down)
        ("99999999.99", "90000000", "6000000", "5400000", True),
        ("50000000", "50000000", "3000000", "3000000", True),
        ("50000000", "50000000", "2999999.99", "3000000", False),
        ("60000000", "50000000", "3000000", "3000000", False),  # 5 % < 6 %
    ],
)
def test_rd_intensity_by_revenue_tier(revenue: str, revenue_prev: str, rd: str, rd_prev: str, met: bool) -> None:
    row = one(
        operating_revenue_cny=revenue,
        operating_revenue_prev_cny=revenue_prev,
        rd_expense_cny=rd,
        rd_expense_prev_cny=rd_prev,
        main_revenue_cny=revenue,
    )
    assert row["rd_intensity_by_tier_met"] is met


@pytest.mark.parametrize(
    ("equity", "rd_total", "rd_staff", "met"),
    [
        ("80000000", "30000000", "150", True),  # 8000万, 3000万 over two years, staff exactly 50 %
        ("79999999.99", "30000000", "150", False),
        ("80000000", "29999999.99", "150", False),
        ("80000000", "30000000", "149.99", False),
    ],
)
def test_small_revenue_tier_needs_financing_rd_total_and_staff(
    equity: str, rd_total: str, rd_staff: str, met: bool
) -> None:
    rd_total_value = float(rd_total)
    row = one(
        operating_revenue_cny="49999999.99",
        operating_revenue_prev_cny="40000000",
        main_revenue_cny="45000000",
        main_revenue_prev_cny="42000000",
        main_revenue_prev2_cny="40000000",
        equity_financing_2y_cny=equity,
        rd_expense_cny=f"{rd_total_value - 10000000:.2f}",
        rd_expense_prev_cny="10000000",
        rd_staff_avg=rd_staff,
        employees_avg="300",
    )
    assert row["rd_intensity_by_tier_met"] is met


@pytest.mark.parametrize("overrides", [{"national_st_award_top3_3y": "true"}, {"maker_china_top50_3y": "true"}])
def test_direct_innovation_route(overrides: dict[str, str]) -> None:
    row = one(class1_ip_count="1", **overrides)
    assert (row["class1_ip_2_met"], row["passed"], row["route"]) == (False, True, "direct")


def test_direct_route_still_needs_every_other_criterion() -> None:
    row = one(maker_china_top50_3y="true", own_brand="false")
    assert (row["passed"], row["route"]) == (False, "none")


def test_explanation_has_no_points_lines_but_every_criterion() -> None:
    lines = explain_row(one(), RULES)
    assert not any(line["kind"] in ("indicator", "category", "total") for line in lines)
    roles = [line["role"] for line in lines if line["kind"] == "condition"]
    assert roles.count("eligibility") == len(ELIGIBILITY)
    assert roles.count("standard_route") == 3
    assert roles.count("direct_route") == 2
