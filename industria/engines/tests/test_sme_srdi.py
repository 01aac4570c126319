"""SRDI SME (sme-srdi-2022): the domain-rules worked example, basic conditions, routes and method edges."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from industria.engines.common.schema import coerce_facts
from industria.engines.sme_tiers import FACTS_SCHEMA, explain_row, parse_rules, score_sme_tier

ROOT = Path(__file__).resolve().parents[3]
RULES = parse_rules(yaml.safe_load((ROOT / "fixtures/reference/rulesets/sme-srdi-2022.yaml").read_text("utf-8")))

# Domain rules §2.2 worked example: 85 % main-business share, 2-year average growth about 9 %, 7 years in the
# niche, a 六基 field, digital level 2, ISO 9001 + own brand, net margin 7 %, debt 55 %, local points 10,
# self-developed Class-I IP, R&D 450万 (7 %), R&D staff 12 %, municipal R&D centre.
EXAMPLE: dict[str, Any] = {
    "uscc": "91310000000000001Y",
    "name": "worked example",
    "years_in_niche": "7",
    "operating_revenue_cny": "64285714.29",
    "main_revenue_cny": "54642857.15",  # 85.0 % of operating revenue
    "main_revenue_prev_cny": "50000000",  # growth 9.29 % then 8.70 %: mean 8.99 %
    "main_revenue_prev2_cny": "46000000",
    "product_field_role": "foundation_or_supplier",
    "digital_level": "2",
    "quality_award": "false",
    "quality_system_certified": "true",
    "own_brand": "true",
    "standard_drafting": "false",
    "net_profit_cny": "4500000",  # 7.0 %
    "total_assets_cny": "20000000",
    "total_liabilities_cny": "11000000",  # 55 %
    "distinctive_points": "10",
    "ip_class": "class1_self_developed",
    "rd_expense_cny": "4500000",  # 450万 and 7.0 %
    "rd_expense_prev_cny": "4000000",
    "rd_staff_avg": "12",
    "employees_avg": "100",
    "rd_institution_level": "municipal",
    "equity_financing_2y_cny": "0",
    "st_award_ranked_3y": "false",
    "maker_china_top500_3y": "false",
}


def score(*rows: dict[str, Any]) -> pl.DataFrame:
    raw = pl.DataFrame([{**EXAMPLE, **row} for row in rows], schema=dict.fromkeys(EXAMPLE, pl.String))
    facts, errors = coerce_facts(raw, FACTS_SCHEMA, required=RULES.columns)
    assert errors == []
    return score_sme_tier(facts, RULES)


def one(**overrides: Any) -> dict[str, Any]:
    return score(overrides).row(0, named=True)


def test_worked_example_scores_69_and_passes() -> None:
    row = one()

    expected = {
        "main_revenue_share": 5,
        "revenue_growth_2y": 8,
        "niche_years": 3,
        "product_field": 3,
        "digital_level": 3,
        "quality_management": 5,  # 3 + 3 capped at 5
        "net_margin": 6,
        "debt_ratio": 3,
        "local_distinctive": 10,
        "ip": 8,
        "rd_input": 8,  # amount 450万 -> 8 beats ratio 7 % -> 6
        "rd_staff_share": 3,
        "rd_institution": 4,
    }
    assert {code: row[f"{code}_points"] for code in expected} == expected
    assert (row["rd_input_amount_points"], row["rd_input_ratio_points"], row["rd_input_best"]) == (8, 6, "amount")
    assert [row[f"{c}_points"] for c in ("specialisation", "refinement", "distinctiveness", "innovation")] == [
        19,
        17,
        10,
        23,
    ]
    assert (row["total_points"], row["passed"], row["route"]) == (Decimal("69.00"), True, "score")
    assert row["findings"] == []


@pytest.mark.parametrize(
    ("prev", "prev2", "current", "expected"),
    [
        # mean of two yearly growth rates, compared exactly: 10 % and 10 % -> exactly 10 % -> 10 points
        ("11000000", "10000000", "12100000", 10),
        ("11000000", "10000000", "12099999.99", 8),
        ("10000000", "10000000", "10000000", 2),  # 0 % -> 2 (0-4 %)
        ("10000000", "10000000", "9999999.99", 0),
        ("10000000", "10000000", "10800000", 4),  # (8 % + 0 %) / 2 = exactly 4 % -> the 4-6 % band
        ("10000000", "10000000", "10799999.99", 2),
    ],
)
def test_two_year_average_growth_is_exact(prev: str, prev2: str, current: str, expected: int) -> None:
    row = one(main_revenue_prev_cny=prev, main_revenue_prev2_cny=prev2, main_revenue_cny=current)
    assert row["revenue_growth_2y_points"] == expected


@pytest.mark.parametrize(("years", "expected"), [("1.99", 0), ("2", 1), ("3.99", 1), ("4", 2), ("10", 5), ("25", 5)])
def test_niche_years_one_point_per_full_two_years_max_5(years: str, expected: int) -> None:
    assert one(years_in_niche=years)["niche_years_points"] == expected


def test_quality_items_count_three_each_capped_at_five() -> None:
    rows = score(
        {"quality_award": "false", "quality_system_certified": "false", "own_brand": "false"},
        {"quality_award": "true", "quality_system_certified": "false", "own_brand": "false"},
        {"quality_award": "true", "quality_system_certified": "true", "own_brand": "true", "standard_drafting": "true"},
        {"quality_award": "", "quality_system_certified": "true", "own_brand": "false"},
    )
    assert rows["quality_management_points"].to_list() == [0, 3, 5, 3]
    assert rows["quality_management_value"].to_list() == [0, 1, 4, 1]
    assert {"code": "missing_value", "subject": "quality_management", "value": "quality_award"} in rows["findings"][3]


@pytest.mark.parametrize(
    ("rd_expense", "revenue", "amount_points", "ratio_points", "points"),
    [
        ("5000000", "100000000", 10, 4, 10),  # 500万 exactly -> 10 (ratio 5 % -> 4)
        ("4999999.99", "100000000", 8, 4, 8),
        ("1000000", "10000000", 2, 10, 10),  # ratio exactly 10 % wins
        ("999999.99", "10000000", 0, 8, 8),
        ("300000", "10000000", 0, 2, 2),  # ratio exactly 3 %
        ("299999.99", "10000000", 0, 0, 0),
    ],
)
def test_rd_input_takes_the_better_of_amount_and_ratio(
    rd_expense: str, revenue: str, amount_points: int, ratio_points: int, points: int
) -> None:
    row = one(rd_expense_cny=rd_expense, operating_revenue_cny=revenue, main_revenue_cny=revenue)
    assert (row["rd_input_amount_points"], row["rd_input_ratio_points"], row["rd_input_points"]) == (
        amount_points,
        ratio_points,
        points,
    )


@pytest.mark.parametrize(
    ("local", "points", "clamped"), [("15", 15, False), ("0", 0, False), ("16", 15, True), ("-1", 0, True)]
)
def test_local_distinctive_points_are_an_input_clamped_to_0_15(local: str, points: int, clamped: bool) -> None:
    row = one(distinctive_points=local)
    assert row["local_distinctive_points"] == points
    assert any(f["code"] == "points_clamped" for f in row["findings"]) is clamped


@pytest.mark.parametrize(
    ("overrides", "condition"),
    [
        ({"years_in_niche": "1.99"}, "niche_2y"),
        ({"rd_expense_cny": "999999.99", "operating_revenue_cny": "20000000"}, "rd_basic"),
        ({"rd_expense_cny": "1000000", "operating_revenue_cny": "33400000"}, "rd_basic"),  # 2.99 %
        (
            {
                "operating_revenue_cny": "9999999.99",
                "rd_expense_cny": "1000000",
                "equity_financing_2y_cny": "19999999.99",
            },
            "revenue_or_financing",
        ),
        ({"employees_avg": "1000", "operating_revenue_cny": "400000000", "rd_expense_cny": "40000000"}, "sme_size"),
    ],
)
def test_each_basic_condition_blocks_a_high_score(overrides: dict[str, str], condition: str) -> None:
    row = one(**overrides)
    assert row[f"{condition}_met"] is False
    assert (row["passed"], row["route"]) == (False, "none")
    assert {"code": "condition_not_met", "subject": condition, "value": None} in row["findings"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"years_in_niche": "2"},
        {"rd_expense_cny": "1000000", "operating_revenue_cny": "33333333.33"},  # 100万 and 3.0000 %
        {"operating_revenue_cny": "9000000", "rd_expense_cny": "1000000", "equity_financing_2y_cny": "20000000"},
        {"employees_avg": "999.99", "operating_revenue_cny": "400000000", "rd_expense_cny": "40000000"},
    ],
)
def test_basic_conditions_hold_on_their_cut_offs(overrides: dict[str, str]) -> None:
    row = one(**overrides)
    eligibility = ("sme_size", "niche_2y", "rd_basic", "revenue_or_financing")
    assert all(row[f"{c}_met"] for c in eligibility), {c: row[f"{c}_met"] for c in eligibility}


@pytest.mark.parametrize(
    ("overrides", "route_code"),
    [
        ({"st_award_ranked_3y": "true"}, "st_award_ranked"),
        (
            {"rd_expense_cny": "12000000", "rd_expense_prev_cny": "8000000", "operating_revenue_cny": "300000000"},
            "rd_average_2y",
        ),
        ({"equity_financing_2y_cny": "60000000"}, "equity_financing_2y"),
        ({"maker_china_top500_3y": "true"}, "maker_china"),
    ],
)
def test_direct_routes_pass_below_60(overrides: dict[str, str], route_code: str) -> None:
    low = {"distinctive_points": "0", "ip_class": "none", "rd_institution_level": "none", "digital_level": "1"}
    row = one(**low, **overrides)
    assert row["total_points"] < 60
    assert (row[f"{route_code}_met"], row["passed"], row["route"]) == (True, True, "direct")


def test_direct_route_does_not_bypass_basic_conditions() -> None:
    row = one(maker_china_top500_3y="true", years_in_niche="1")
    assert (row["maker_china_met"], row["niche_2y_met"], row["passed"], row["route"]) == (True, False, False, "none")


def test_rd_average_direct_route_cut_off() -> None:
    rows = score({"rd_expense_cny": "12000000", "rd_expense_prev_cny": "7999999.99", "distinctive_points": "0"})
    assert rows["rd_average_2y_met"].to_list() == [False]


def test_unknown_eligibility_is_reported() -> None:
    row = one(years_in_niche="")
    assert row["niche_2y_met"] is None
    assert row["passed"] is False
    assert {"code": "condition_unknown", "subject": "niche_2y", "value": "years_in_niche"} in row["findings"]


def test_explanation_of_best_of_and_conditions() -> None:
    row = one()
    facts = dict(EXAMPLE)

    lines = explain_row(row, RULES, facts_row=facts)

    rd_input = next(line for line in lines if line.get("code") == "rd_input")
    assert rd_input["best"] == "amount"
    assert rd_input["reason"] == "best_option"
    assert [o["points"] for o in rd_input["options"]] == ["8.00", "6.00"]
    niche = next(line for line in lines if line.get("code") == "niche_2y")
    assert niche == {
        "kind": "condition",
        "role": "eligibility",
        "code": "niche_2y",
        "met": True,
        "reason": "condition_met",
        "source_tag": "S",
        "inputs": {"years_in_niche": "7"},
    }
    margin = next(line for line in lines if line.get("code") == "net_margin")
    assert margin["source_tag"] == "M"  # from memory: the UI must label it
