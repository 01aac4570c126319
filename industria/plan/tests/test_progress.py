"""The read model behind the dashboard: annual series from recorded figures, vintages, caching."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from industria.plan.freshness import month_end
from industria.plan.progress import computed_dates, plan_progress, plan_progress_build

from .factories import ActualFactory, IndicatorFactory, PlanFactory, TargetFactory, series

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2026, 6, 30)


def _annual(plan, indicator, as_of=AS_OF):
    return [
        (r["year"], r["value"])
        for r in plan_progress_build(plan=plan, as_of=as_of)["indicators"][indicator.code]["annual"]
    ]


def test_complete_years_of_monthly_flows_are_summed_and_partial_years_are_not():
    plan = PlanFactory()
    flow = IndicatorFactory(plan=plan, measure="annual")
    TargetFactory(indicator=flow)
    for month in range(1, 13):
        ActualFactory(
            indicator=flow,
            period=month_end(2024, month),
            period_type="month",
            value=Decimal("10"),
            as_of_date=month_end(2024, month) + dt.timedelta(days=20),
        )
    for month in range(1, 6):
        ActualFactory(
            indicator=flow,
            period=month_end(2025, month),
            period_type="month",
            value=Decimal("12"),
            as_of_date=month_end(2025, month) + dt.timedelta(days=20),
        )

    assert _annual(plan, flow) == [(2024, 120.0)]


def test_a_year_figure_wins_over_the_sum_of_its_months():
    plan = PlanFactory()
    flow = IndicatorFactory(plan=plan, measure="annual")
    for month in range(1, 13):
        ActualFactory(indicator=flow, period=month_end(2024, month), period_type="month", value=Decimal("10"))
    ActualFactory(indicator=flow, period=dt.date(2024, 12, 31), period_type="year", value=Decimal("118"))

    assert _annual(plan, flow) == [(2024, 118.0)]


def test_stocks_take_the_latest_point_of_each_year_and_year_to_date_figures_are_never_annual():
    plan = PlanFactory()
    stock = IndicatorFactory(plan=plan, measure="stock", target_kind="count", value_kind="count")
    ActualFactory(indicator=stock, period=dt.date(2024, 6, 30), period_type="month", value=Decimal("50"))
    ActualFactory(indicator=stock, period=dt.date(2024, 9, 30), period_type="quarter", value=Decimal("55"))
    ActualFactory(
        indicator=stock,
        period=dt.date(2025, 3, 31),
        period_type="ytd",
        value=Decimal("999"),
        as_of_date=dt.date(2025, 4, 20),
    )

    assert _annual(plan, stock) == [(2024, 55.0)]


def test_the_latest_known_vintage_of_a_period_wins():
    plan = PlanFactory()
    gdp = IndicatorFactory(plan=plan, target_kind="context")
    ActualFactory(
        indicator=gdp,
        period=dt.date(2023, 12, 31),
        value=Decimal("47218.66"),
        vintage="first_release",
        as_of_date=dt.date(2024, 1, 29),
    )
    ActualFactory(
        indicator=gdp,
        period=dt.date(2023, 12, 31),
        value=Decimal("51359"),
        vintage="census_revised",
        status="estimated",
        as_of_date=dt.date(2025, 3, 24),
    )

    assert _annual(plan, gdp, dt.date(2024, 6, 30)) == [(2023, 47218.66)]
    assert _annual(plan, gdp, dt.date(2025, 6, 30)) == [(2023, 51359.0)]


def test_breakdown_and_growth_rows_never_enter_the_city_series(shanghai_plan):
    from industria.accounts.tests.factories import district

    plan = PlanFactory()
    indicator = IndicatorFactory(plan=plan)
    series(indicator, {2023: 100})
    ActualFactory(indicator=indicator, district=district("310115"), period=dt.date(2024, 12, 31), value=Decimal("7"))
    ActualFactory(indicator=indicator, series="yoy_pct", period=dt.date(2024, 12, 31), value=Decimal("3.1"))

    assert _annual(plan, indicator) == [(2023, 100.0)]


def test_snapshot_is_cached_under_the_plan_data_version(django_assert_num_queries):
    plan = PlanFactory()
    indicator = IndicatorFactory(plan=plan)
    TargetFactory(indicator=indicator)
    series(indicator, {2023: 90, 2024: 95})

    first = plan_progress(plan=plan, as_of=AS_OF)
    with django_assert_num_queries(0):
        again = plan_progress(plan=plan, as_of=AS_OF)

    assert again == first


def test_computed_dates_stop_at_as_of_and_include_it_within_the_plan():
    plan = PlanFactory(start_year=2023, end_year=2025)

    assert computed_dates(plan, dt.date(2024, 5, 10))[-2:] == [dt.date(2023, 12, 31), dt.date(2024, 5, 10)]
    assert computed_dates(plan, dt.date(2026, 11, 22))[-1] == dt.date(2025, 12, 31)


def test_warm_task_recomputes_registry_values_and_caches_todays_snapshot(shanghai_plan, django_assert_num_queries):
    from django.utils import timezone

    from industria.plan.tasks import plan_progress_warm_task

    assert plan_progress_warm_task() == {"plans": 1}

    shanghai_plan.refresh_from_db()
    with django_assert_num_queries(0):
        plan_progress(plan=shanghai_plan, as_of=timezone.localdate())
