"""The pipeline hook: expected investment and output per year, fed to the plan's forecast."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from industria.projects import services
from industria.projects.selectors import pipeline_expected_by_year, plan_pipeline_provider

from .factories import project, template

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 1, 1)


@pytest.fixture
def pipeline() -> None:
    signed = project(signed_on=dt.date(2024, 11, 1), expected_output_cny=1_000_000_000)
    services.project_schedule_plan(
        actor=None, project=signed, template=template(), target_on=dt.date(2026, 9, 30), today=AS_OF
    )


def test_expected_values_per_year_in_the_indicator_units(pipeline: None) -> None:
    frame = pipeline_expected_by_year(as_of=AS_OF, end_year=2028)

    assert frame.schema == pl.Schema({"year": pl.Int64, "indicator_code": pl.String, "expected_value": pl.Float64})
    investment = frame.filter(pl.col("indicator_code") == "industrial_investment")["expected_value"].sum()
    assert 0 < investment < 4.0  # 亿元: at most the fixed-asset investment of 4亿, weighted by the chance to start
    output = frame.filter(pl.col("indicator_code") == "above_size_industrial_output")
    assert output.filter(pl.col("year") == 2028)["expected_value"].item() > 0


def test_the_plan_hook_is_registered_and_feeds_the_plan_forecast(pipeline: None) -> None:
    from industria.plan.pipeline import pipeline_contribution_set

    ours = plan_pipeline_provider(plan_code="SH-MFG-HQD-2023-2025", indicator_codes=None, as_of=AS_OF)
    summed = pipeline_contribution_set(
        plan_code="SH-MFG-HQD-2023-2025", as_of=AS_OF, indicator_codes=["industrial_investment"]
    )

    assert set(ours.columns) == {"indicator_code", "year", "value_increment"}
    assert summed.height > 0
    assert summed["value_increment"].sum() == pytest.approx(
        ours.filter(pl.col("indicator_code") == "industrial_investment")["value_increment"].sum(), rel=1e-9
    )


def test_a_replay_as_of_before_signing_knows_nothing_of_the_project(pipeline: None) -> None:
    frame = pipeline_expected_by_year(as_of=dt.date(2024, 6, 1), end_year=2026, increments_only=True)

    investment = frame.filter(pl.col("indicator_code") == "industrial_investment")["expected_value"].sum()
    assert investment > 0  # a lead (entered 2024-01-02) weighted by the chance it converts
    later = pipeline_expected_by_year(as_of=AS_OF, end_year=2026, increments_only=True)
    assert later.filter(pl.col("indicator_code") == "industrial_investment")["expected_value"].sum() > investment
