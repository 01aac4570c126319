"""Status rules, growth-rate targets and direction-only targets at their documented boundaries, end to end:
figures in the database → the plan's read model → the engine → the status shown."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from industria.plan.progress import plan_progress_build

from .factories import IndicatorFactory, PlanFactory, TargetFactory, series

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)
AT_LEAST = [
    {"status": "green", "when": "forecast >= target"},
    {"status": "amber", "when": "upper >= target or forecast >= 0.9 * target"},
    {"status": "red", "when": "true"},
]
MORE_THAN = [
    {"status": "green", "when": "forecast > target"},
    {"status": "amber", "when": "upper > target or forecast >= 0.9 * target"},
    {"status": "red", "when": "true"},
]
GROWTH_AT_LEAST = [
    {"status": "green", "when": "forecast >= target"},
    {"status": "amber", "when": "upper >= target or forecast >= target - 1"},
    {"status": "red", "when": "true"},
]
KEEPS_FALLING = [
    {"status": "green", "when": "direction_score > 0"},
    {"status": "amber", "when": "direction_score == 0"},
    {"status": "red", "when": "true"},
]


def _final(plan, code):
    return plan_progress_build(plan=plan, as_of=AS_OF)["indicators"][code]["final"]


def _level(plan, rules, actual_2025, target=100, comparator="gte"):
    indicator = IndicatorFactory(plan=plan, rag_rules=rules)
    TargetFactory(indicator=indicator, year=2025, value=Decimal(str(target)), comparator=comparator)
    series(indicator, {2023: 80, 2024: 90, 2025: actual_2025})
    return indicator


@pytest.mark.parametrize(
    ("actual", "expected"),
    [(100, "green"), (100.01, "green"), (99.99, "amber"), (90, "amber"), (89.99, "red")],
)
def test_at_least_target_counts_the_target_itself_as_met_first_rule_wins(actual, expected):
    plan = PlanFactory()
    indicator = _level(plan, AT_LEAST, actual)

    final = _final(plan, indicator.code)

    assert final["projection_source"] == "actual"
    assert final["status"] == expected


@pytest.mark.parametrize(("actual", "expected"), [(100, "amber"), (100.01, "green"), (89.99, "red")])
def test_more_than_target_does_not_count_the_target_itself(actual, expected):
    plan = PlanFactory()
    indicator = _level(plan, MORE_THAN, actual, comparator="gt")

    assert _final(plan, indicator.code)["status"] == expected


def test_shortfall_is_stated_in_the_unit_and_in_percent():
    plan = PlanFactory()
    indicator = _level(plan, AT_LEAST, 95)

    final = _final(plan, indicator.code)

    assert final["shortfall_value"] == pytest.approx(5.0)
    assert final["shortfall_pct"] == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("actual_2025", "expected"),
    [(115.7625, "green"), (115.76, "amber"), (112.4864, "amber"), (112.48, "red")],
)
def test_growth_rate_target_compares_the_compound_annual_rate_from_the_baseline(actual_2025, expected):
    # 5 % a year from 100 in 2022: 115.7625 in 2025 is exactly 5.0 %; 112.4864 exactly 4.0 % (target - 1)
    plan = PlanFactory()
    indicator = IndicatorFactory(
        plan=plan,
        target_kind="growth_rate",
        baseline_year=2022,
        baseline_value=Decimal("100"),
        rag_rules=GROWTH_AT_LEAST,
    )
    TargetFactory(indicator=indicator, year=2025, value=Decimal("5"))
    series(indicator, {2022: 100, 2023: 104, 2024: 109, 2025: actual_2025})

    final = _final(plan, indicator.code)

    assert final["projected_rate_pct"] == pytest.approx((actual_2025 / 100) ** (1 / 3) * 100 - 100, abs=1e-6)
    assert final["status"] == expected


@pytest.mark.parametrize(("rate", "expected"), [(5.0, "green"), (4.9, "amber"), (4.0, "amber"), (3.9, "red")])
def test_growth_rate_target_on_a_rate_series_uses_the_geometric_mean_of_the_yearly_rates(rate, expected):
    plan = PlanFactory()
    indicator = IndicatorFactory(
        plan=plan,
        target_kind="growth_rate",
        value_kind="rate",
        unit="pct_per_year",
        baseline_year=2022,
        rag_rules=GROWTH_AT_LEAST,
    )
    TargetFactory(indicator=indicator, year=2025, value=Decimal("5"))
    series(indicator, {2023: rate, 2024: rate, 2025: rate})

    final = _final(plan, indicator.code)

    assert final["projected_rate_pct"] == pytest.approx(rate, abs=1e-9)
    assert final["status"] == expected


@pytest.mark.parametrize(
    ("latest", "direction", "expected"),
    [
        (0.990, "improving", "green"),  # energy intensity -1.0 %: falling, as the plan wants
        (0.995, "flat", "amber"),  # -0.5 % is within the flat tolerance (0.5 %, inclusive)
        (0.994, "improving", "green"),  # -0.6 %
        (1.005, "flat", "amber"),
        (1.010, "worsening", "red"),
    ],
)
def test_direction_only_target_shows_the_sign_of_the_latest_change(latest, direction, expected):
    plan = PlanFactory()
    indicator = IndicatorFactory(
        plan=plan,
        target_kind="direction_only",
        direction="lower_is_better",
        unit="tce_per_CNY_10K",
        rag_rules=KEEPS_FALLING,
    )
    TargetFactory(indicator=indicator, year=2025, value=None, comparator="decreasing")
    series(indicator, {2023: 1.02, 2024: 1.0, 2025: latest})

    final = _final(plan, indicator.code)

    assert final["direction_of_change"] == direction
    assert final["status"] == expected
    assert final["shortfall_value"] is None


def test_aspirational_target_shows_progress_but_no_status():
    plan = PlanFactory()
    indicator = IndicatorFactory(plan=plan, target_kind="aspirational", rag_rules=[])
    TargetFactory(indicator=indicator, year=2025, value=Decimal("360"))
    series(indicator, {2023: 200, 2024: 260})

    final = _final(plan, indicator.code)

    assert final["status"] is None
    assert final["status_reason"] == "aspirational"
    assert final["projected_value"] is not None
