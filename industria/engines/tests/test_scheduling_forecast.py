"""Conversion rates and durations from history, priors and overrides, and the pipeline-weighted forecast."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import yaml

from industria.engines.scheduling import (
    HISTORY_SCHEMA,
    estimate_conversion,
    forecast_pipeline,
    parse_monitoring_rules,
    pipeline_by_year,
    rank_completion,
)

REFERENCE = Path(__file__).resolve().parents[3] / "fixtures" / "reference" / "projects"
AS_OF = dt.date(2025, 1, 1)


def monitoring_rules():  # type: ignore[no-untyped-def]
    return parse_monitoring_rules(yaml.safe_load((REFERENCE / "rules.yaml").read_text(encoding="utf-8"))["parameters"])


def history(rows: list[dict]) -> pl.DataFrame:
    full = [{**dict.fromkeys(HISTORY_SCHEMA), **row} for row in rows]
    return pl.DataFrame(
        full,
        schema={
            **HISTORY_SCHEMA,
            "fixed_asset_investment_cny": pl.Float64,
            "expected_output_cny": pl.Float64,
            "completed_investment_cny": pl.Float64,
        },
    )


def signed(i: int, on: dt.date, **more: object) -> dict:
    return {"project_id": i, "signed_on": on, **more}


def test_conversion_counts_converted_lost_stale_and_open_projects() -> None:
    rules = dataclasses.replace(
        monitoring_rules().forecast,
        min_observations=dataclasses.replace(monitoring_rules().forecast.min_observations, value=1),
    )
    rows = [
        signed(1, dt.date(2024, 1, 1), filed_on=dt.date(2024, 1, 31)),  # converted in 30 days
        signed(2, dt.date(2024, 2, 1), filed_on=dt.date(2024, 3, 22)),  # converted in 50 days
        signed(3, dt.date(2024, 3, 1), cancelled_on=dt.date(2024, 6, 1)),  # lost
        signed(4, dt.date(2024, 1, 1)),  # 366 days waiting > 2 × 40: stale
        signed(5, dt.date(2024, 12, 1)),  # 31 days: still open
        signed(6, dt.date(2024, 6, 1), filed_on=dt.date(2025, 2, 1)),  # filed after as_of: waiting, stale
    ]

    step = estimate_conversion(history(rows), rules, AS_OF).filter(pl.col("stage") == "signed").row(0, named=True)

    assert (step["reached"], step["converted"], step["lost"], step["stale"], step["open"]) == (6, 2, 1, 2, 1)
    assert step["days"] == 40
    assert step["days_source"] == "estimate"
    assert step["rate"] == pytest.approx(2 / 5)
    assert step["rate_source"] == "estimate"


def test_too_few_observations_fall_back_to_the_prior_and_an_override_always_wins() -> None:
    base = monitoring_rules().forecast
    rows = [signed(1, dt.date(2024, 1, 1), filed_on=dt.date(2024, 1, 31))]

    with_prior = estimate_conversion(history(rows), base, AS_OF).filter(pl.col("stage") == "signed")
    overridden = estimate_conversion(
        history(rows), dataclasses.replace(base, overrides={"signed": {"rate": 0.5, "days": 99}}), AS_OF
    ).filter(pl.col("stage") == "signed")

    assert with_prior.item(0, "rate") == base.priors["signed"].rate
    assert with_prior.item(0, "rate_source") == "prior"
    assert (overridden.item(0, "rate"), overridden.item(0, "days"), overridden.item(0, "rate_source")) == (
        0.5,
        99,
        "override",
    )


def test_a_started_project_spreads_its_remaining_investment_to_its_completion() -> None:
    rules = monitoring_rules().forecast
    conversion = estimate_conversion(history([]), rules, AS_OF)
    rows = [
        signed(
            1,
            dt.date(2023, 1, 1),
            started_on=dt.date(2024, 1, 1),
            fixed_asset_investment_cny=1000.0,
            completed_investment_cny=400.0,
            planned_completed_on=dt.date(2026, 1, 1),
            expected_output_cny=0.0,
        )
    ]

    result = forecast_pipeline(history(rows), conversion, AS_OF, end_year=2027)

    invest = dict(zip(result["year"], result["expected_investment_cny"], strict=True))
    assert invest[2025] == pytest.approx(600.0)  # 2025-01-01 … 2026-01-01: everything left, in 2025
    assert invest[2026] == pytest.approx(0.0)
    assert result["p_started"].to_list() == [1.0, 1.0, 1.0]


def test_a_signed_project_is_weighted_by_its_chance_of_starting_and_producing() -> None:
    rules = monitoring_rules().forecast
    conversion = estimate_conversion(history([]), rules, AS_OF)
    rows = [signed(1, AS_OF, fixed_asset_investment_cny=1000.0, expected_output_cny=365.0)]

    result = forecast_pipeline(history(rows), conversion, AS_OF, end_year=2035)

    p = rules.priors
    chance = p["signed"].rate * p["filed"].rate * p["land_acquired"].rate * p["permitted"].rate
    assert result.item(0, "p_started") == pytest.approx(chance)
    assert result["expected_investment_cny"].sum() == pytest.approx(1000.0 * chance)
    assert result.item(0, "expected_started_on") == AS_OF + dt.timedelta(days=50 + 80 + 60 + 10)
    # output ramps linearly from production to capacity: half a year's output over the ramp, then full years
    prod, cap = result.item(0, "expected_producing_on"), result.item(0, "expected_at_capacity_on")
    assert (cap - prod).days == p["producing"].days
    total_days = (dt.date(2036, 1, 1) - prod).days
    expected_days = (cap - prod).days / 2 + (total_days - (cap - prod).days)
    assert result["expected_output_cny"].sum() == pytest.approx(result.item(0, "p_producing") * expected_days)


def test_cancelled_projects_are_left_out_and_years_sum_into_indicator_units() -> None:
    rules = monitoring_rules().forecast
    conversion = estimate_conversion(history([]), rules, AS_OF)
    rows = [
        signed(
            1,
            dt.date(2023, 1, 1),
            started_on=dt.date(2024, 1, 1),
            fixed_asset_investment_cny=2e8,
            planned_completed_on=dt.date(2026, 1, 1),
        ),
        signed(2, dt.date(2024, 1, 1), cancelled_on=dt.date(2024, 6, 1), fixed_asset_investment_cny=9e9),
    ]

    years = forecast_pipeline(history(rows), conversion, AS_OF, end_year=2026)
    totals = pipeline_by_year(years, rules)
    increments = pipeline_by_year(years, rules, increments_only=True)

    assert set(years["project_id"]) == {1}
    investment = totals.filter(pl.col("indicator_code") == "industrial_investment")
    assert investment.filter(pl.col("year") == 2025).item(0, "expected_value") == pytest.approx(2.0)  # 亿元
    assert increments.filter(pl.col("indicator_code") == "industrial_investment")["expected_value"].sum() == 0


@pytest.mark.parametrize(
    ("completed", "colour"), [(50.0, "blue"), (49.9, "yellow"), (40.0, "yellow"), (39.9, "red"), (None, "red")]
)
def test_district_ranking_colours_at_time_progress_and_ten_points_below(completed: float | None, colour: str) -> None:
    frame = pl.DataFrame({"group_code": ["a"], "planned_cny": [100.0], "completed_cny": [completed]})

    result = rank_completion(frame, month=6, yellow_points=10)

    assert result.item(0, "colour") == colour  # nothing reported is 0 % of the plan


def test_ranking_orders_by_completion_and_marks_groups_without_plan_grey() -> None:
    frame = pl.DataFrame(
        {"group_code": ["a", "b", "c"], "planned_cny": [100.0, 100.0, 0.0], "completed_cny": [30.0, 60.0, 5.0]}
    )

    result = rank_completion(frame, month=3, yellow_points=10)

    assert result["group_code"].to_list() == ["b", "a", "c"]
    assert result["rank"].to_list() == [1, 2, None]
    assert result["colour"].to_list() == ["blue", "blue", "grey"]
    assert result["completion_pct"].to_list() == [60.0, 30.0, None]
