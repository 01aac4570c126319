"""Data freshness: when the next update of a hand-updated indicator or a task falls due (pure date arithmetic).

An indicator's next figure is due a reporting lag after the end of the period that follows its latest figure
(a yearly figure for 2025 is due by 31 March 2027: the 2026 figure, 90 days after 31 December 2026). A task's
next status update is due one cadence step after its last report. Dates are parameters, never the clock.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from industria.plan.choices import Cadence

STEP_MONTHS = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3, Cadence.YEARLY: 12}
REPORTING_LAG_DAYS = {Cadence.MONTHLY: 20, Cadence.QUARTERLY: 30, Cadence.YEARLY: 90}


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: date, months: int) -> date:
    """``day`` moved by whole months, clipped to the end of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def period_end(day: date, cadence: str) -> date:
    """The last day of the monthly, quarterly or yearly period containing ``day``."""
    if cadence == Cadence.YEARLY:
        return date(day.year, 12, 31)
    if cadence == Cadence.QUARTERLY:
        return month_end(day.year, ((day.month - 1) // 3 + 1) * 3)
    return month_end(day.year, day.month)


def next_figure_due(cadence: str, latest_period: date) -> date:
    """When the figure for the period after ``latest_period`` is due (period end plus the reporting lag)."""
    current = period_end(latest_period, cadence)
    following = period_end(add_months(current.replace(day=1), STEP_MONTHS[Cadence(cadence)]), cadence)
    return following + timedelta(days=REPORTING_LAG_DAYS[Cadence(cadence)])


def next_report_due(cadence: str, reported_on: date) -> date:
    """When a task's next status update is due after a report on ``reported_on``."""
    return add_months(reported_on, STEP_MONTHS[Cadence(cadence)])


def days_overdue(due_on: date | None, today: date) -> int:
    """Whole days past ``due_on`` (0 when not yet due or no due date)."""
    if due_on is None or due_on >= today:
        return 0
    return (today - due_on).days
