"""Dispatch statistics for a period equal a hand count over the demo data; ranking; the plan completion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from industria.accounts.models import District
from industria.projects.demo import projects_demo_load
from industria.projects.models import InvestmentReport, KeyProject, ProjectYearPlan
from industria.projects.selectors import DispatchFilters, dispatch_by_district, dispatch_report, dispatch_totals

pytestmark = pytest.mark.django_db
MEASURES = ("signed", "started", "completed", "producing")


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock():
        projects_demo_load(n_projects=600, seed=11)
    yield
    with django_db_blocker.unblock():
        from industria.projects.demo.load import delete_synthetic

        delete_synthetic()


def hand_count(start: dt.date, end: dt.date, district: District | None = None) -> dict:
    out = {}
    rows = list(KeyProject.objects.all())
    for measure in MEASURES:
        hits = [
            p
            for p in rows
            if getattr(p, f"{measure}_on")
            and start <= getattr(p, f"{measure}_on") <= end
            and (district is None or p.district_id == district.pk)
        ]
        out[f"{measure}_count"] = len(hits)
        out[f"{measure}_investment_cny"] = sum((p.total_investment_cny for p in hits), Decimal(0))
    return out


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (dt.date(2023, 1, 1), dt.date(2023, 1, 31)),
        (dt.date(2023, 1, 1), dt.date(2023, 12, 31)),
        (dt.date(2024, 4, 1), dt.date(2024, 6, 30)),
        (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
    ],
)
def test_dispatch_statistics_of_a_period_equal_a_hand_count_over_the_demo_data(demo, start, end) -> None:  # type: ignore[no-untyped-def]
    totals = dispatch_totals(KeyProject.objects.all(), DispatchFilters(start, end))

    assert totals == hand_count(start, end)


def test_a_period_bounded_by_real_stage_dates_counts_both_ends(demo) -> None:  # type: ignore[no-untyped-def]
    start = KeyProject.objects.filter(signed_on__year=2024).order_by("signed_on").first().signed_on
    end = KeyProject.objects.filter(started_on__year=2024).order_by("-started_on").first().started_on

    totals = dispatch_totals(KeyProject.objects.all(), DispatchFilters(start, end))

    assert totals == hand_count(start, end)
    assert KeyProject.objects.filter(signed_on=start).count() >= 1  # the boundary itself is in the data


def test_dispatch_by_district_equals_the_hand_count_of_each_district(demo) -> None:  # type: ignore[no-untyped-def]
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)

    rows = {r["district__code"]: r for r in dispatch_by_district(KeyProject.objects.all(), DispatchFilters(start, end))}

    pudong = District.objects.get(code="310115")
    expected = hand_count(start, end, pudong)
    assert {k: rows["310115"][k] for k in expected} == expected


def test_the_monthly_report_ranks_districts_by_completion_of_the_annual_plan(demo) -> None:  # type: ignore[no-untyped-def]
    report = dispatch_report(KeyProject.objects.all(), year=2024, month=6)

    assert report.ytd_totals == hand_count(dt.date(2024, 1, 1), dt.date(2024, 6, 30))
    assert report.month_totals == hand_count(dt.date(2024, 6, 1), dt.date(2024, 6, 30))
    ranked = [d for d in report.districts if d.get("rank")]
    planned = sum(p.planned_investment_cny for p in ProjectYearPlan.objects.filter(year=2024))
    completed = sum(r.completed_investment_cny for r in InvestmentReport.objects.filter(year=2024, month__lte=6))
    assert report.plan_planned_cny == pytest.approx(float(planned))
    assert report.plan_completed_cny == pytest.approx(float(completed))
    assert [d["completion_pct"] for d in ranked] == sorted((d["completion_pct"] for d in ranked), reverse=True)
    assert {d["colour"] for d in ranked} <= {"blue", "yellow", "red"}
    for d in ranked:
        gap = d["completion_pct"] - 50.0
        assert d["colour"] == ("blue" if gap >= 0 else "yellow" if gap >= -10 else "red")


def test_the_demo_is_deterministic_for_a_seed(demo) -> None:  # type: ignore[no-untyped-def]
    first = list(
        KeyProject.objects.filter(synthetic=True)
        .order_by("code")
        .values_list("code", "total_investment_cny", "signed_on", "stage")
    )

    projects_demo_load(n_projects=600, seed=11)

    again = list(
        KeyProject.objects.filter(synthetic=True)
        .order_by("code")
        .values_list("code", "total_investment_cny", "signed_on", "stage")
    )
    assert again == first
