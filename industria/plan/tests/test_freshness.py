"""When updates fall due (pure date arithmetic; no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from industria.plan.freshness import add_months, days_overdue, next_figure_due, next_report_due, period_end


@pytest.mark.parametrize(
    ("cadence", "latest", "due"),
    [
        ("yearly", dt.date(2025, 12, 31), dt.date(2027, 3, 31)),  # the 2026 figure, 90 days after its year
        ("quarterly", dt.date(2026, 9, 30), dt.date(2027, 1, 30)),
        ("monthly", dt.date(2026, 1, 31), dt.date(2026, 3, 20)),  # February's figure, 20 days after
        ("monthly", dt.date(2026, 1, 15), dt.date(2026, 3, 20)),  # a point inside January counts as January
    ],
)
def test_next_figure_is_due_a_lag_after_the_following_period(cadence, latest, due):
    assert next_figure_due(cadence, latest) == due


def test_task_reports_fall_due_one_step_later_clipped_to_month_end():
    assert next_report_due("quarterly", dt.date(2025, 11, 30)) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)


def test_period_end_and_days_overdue():
    assert period_end(dt.date(2026, 5, 3), "quarterly") == dt.date(2026, 6, 30)
    assert days_overdue(dt.date(2026, 11, 1), dt.date(2026, 11, 22)) == 21
    assert days_overdue(dt.date(2026, 12, 1), dt.date(2026, 11, 22)) == 0
    assert days_overdue(None, dt.date(2026, 11, 22)) == 0
