"""Workflows of the plan app: recording an indicator's figure, reporting on a task, marking the plan's data changed.

Every write happens inside the caller's audit context (UI, API, task or CLI channel), so each row created or
changed here is in the change log with its actor.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from industria.core.permissions import instance_in_scope, perm_name
from industria.plan.choices import ActualStatus, PeriodType, Qualifier, SeriesKind, Vintage
from industria.plan.exceptions import (
    BreakdownNotAllowed,
    ComputedIndicatorBreakdown,
    KnownBeforePeriodEnd,
    KnownInFuture,
    NotAllowedToUpdate,
    PeriodNotAnEnd,
    SourceRequired,
    UncertainFigureConfirmed,
)
from industria.plan.freshness import month_end, next_figure_due, next_report_due
from industria.plan.models import DataSource, IndicatorActual, PlanIndicator, PlanTask, TaskStatusUpdate


def plan_touch(*, plan_id: int) -> None:
    """Mark the plan's data as changed: cached dashboards of the plan are recomputed on their next read."""
    from industria.plan.models import DevelopmentPlan

    DevelopmentPlan.objects.filter(pk=plan_id).update(data_changed_at=timezone.now())


def may_record_actual(*, actor: Any, indicator: PlanIndicator, district: Any = None) -> bool:
    """The indicator's owner, or a user whose role may add actuals and whose scope covers the row."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if indicator.owner_id is not None and indicator.owner_id == actor.pk:
        return True
    probe = IndicatorActual(indicator=indicator, district=district)
    return actor.has_perm(perm_name(IndicatorActual, "add")) and instance_in_scope(actor, probe)


def may_report_task(*, actor: Any, task: PlanTask) -> bool:
    """One of the task's owners, or a user whose role may add task status updates."""
    if not getattr(actor, "is_authenticated", False):
        return False
    if actor.has_perm(perm_name(TaskStatusUpdate, "add")):
        return True
    return task.owners.filter(pk=actor.pk).exists()


def _expected_period_end(period: dt.date, period_type: str) -> dt.date | None:
    if period_type == PeriodType.YEAR:
        return dt.date(period.year, 12, 31)
    if period_type == PeriodType.QUARTER:
        return month_end(period.year, ((period.month - 1) // 3 + 1) * 3)
    if period_type == PeriodType.MONTH:
        return month_end(period.year, period.month)
    return None  # year-to-date and point figures may end on any day


@transaction.atomic
def actual_record(
    *,
    actor: Any,
    indicator: PlanIndicator,
    period: dt.date,
    period_type: str,
    value: Decimal,
    as_of_date: dt.date,
    today: dt.date,
    status: str = ActualStatus.PUBLISHED,
    source: DataSource | None = None,
    new_source: dict[str, Any] | None = None,
    qualifier: str = Qualifier.EXACT,
    uncertain: bool = False,
    vintage: str = Vintage.FIRST_RELEASE,
    series: str = SeriesKind.VALUE,
    district: Any = None,
    industry_group: Any = None,
    citation: str = "",
    confidence: str = "V",
    note: str = "",
) -> IndicatorActual:
    """Record a new figure of an indicator (its source and the date it became known) and move its due date on.

    ``new_source`` (``{"title", "url", "publisher", "published_on"}``) creates a source when the figure's
    source is not on file yet. Rules: owner or in-scope role; the breakdown must be one the indicator allows
    (and computed indicators' breakdowns come from the registry); uncertain figures are never confirmed; real
    figures cite a source; a figure is known after its period ends and not after ``today``.
    """
    if not may_record_actual(actor=actor, indicator=indicator, district=district):
        raise NotAllowedToUpdate()
    if district is not None and not indicator.breakdown_district:
        raise BreakdownNotAllowed()
    if industry_group is not None and not indicator.breakdown_industry_group:
        raise BreakdownNotAllowed()
    if (district is not None or industry_group is not None) and indicator.is_computed:
        raise ComputedIndicatorBreakdown()
    if uncertain and status in (ActualStatus.PUBLISHED, ActualStatus.PRELIMINARY):
        raise UncertainFigureConfirmed()
    expected = _expected_period_end(period, period_type)
    if expected is not None and period != expected:
        raise PeriodNotAnEnd(params={"expected": expected.isoformat()})
    if as_of_date < period:
        raise KnownBeforePeriodEnd()
    if as_of_date > today:
        raise KnownInFuture()
    if source is None and new_source and new_source.get("title"):
        source = DataSource(
            code=_new_source_code(new_source["title"], as_of_date),
            title=new_source["title"],
            url=new_source.get("url") or "",
            publisher=new_source.get("publisher") or "",
            published_on=new_source.get("published_on"),
        )
        source.full_clean()
        source.save()
    if source is None and status != ActualStatus.SYNTHETIC:
        raise SourceRequired()
    actual = IndicatorActual(
        indicator=indicator,
        series=series,
        period=period,
        period_type=period_type,
        district=district,
        industry_group=industry_group,
        value=value,
        qualifier=qualifier,
        status=status,
        uncertain=uncertain,
        vintage=vintage,
        as_of_date=as_of_date,
        source=source,
        citation=citation,
        confidence=confidence,
        note=note,
        recorded_by=actor,
    )
    actual.full_clean()
    actual.save()
    if indicator.cadence and district is None and industry_group is None and series == SeriesKind.VALUE:
        latest = (
            IndicatorActual.objects.filter(
                indicator=indicator, series=SeriesKind.VALUE, district__isnull=True, industry_group__isnull=True
            )
            .order_by("-period")
            .values_list("period", flat=True)
            .first()
        )
        due = next_figure_due(indicator.cadence, latest or period)
        if indicator.next_due_on != due:
            indicator.next_due_on = due
            indicator.save(update_fields=["next_due_on", "updated_at"])
    plan_touch(plan_id=indicator.plan_id)
    return actual


def _new_source_code(title: str, day: dt.date) -> str:
    """A unique key for a source created while recording a figure."""
    stem = f"REC-{day:%Y%m%d}"
    taken = set(DataSource.objects.filter(code__startswith=stem).values_list("code", flat=True))
    n = 1
    while f"{stem}-{n}" in taken:
        n += 1
    return f"{stem}-{n}"


@transaction.atomic
def task_status_record(
    *,
    actor: Any,
    task: PlanTask,
    reported_on: dt.date,
    status: str,
    narrative: str,
    today: dt.date,
    progress_pct: int | None = None,
) -> TaskStatusUpdate:
    """Report on a task: status, progress and narrative; the task takes the status and its next report falls due."""
    if not may_report_task(actor=actor, task=task):
        raise NotAllowedToUpdate()
    if reported_on > today:
        raise KnownInFuture()
    update = TaskStatusUpdate(
        task=task,
        reported_on=reported_on,
        status=status,
        progress_pct=progress_pct,
        narrative=narrative,
        reported_by=actor,
    )
    update.full_clean()
    update.save()
    latest = task.updates.order_by("-reported_on", "-id").first()
    if latest is not None and latest.pk == update.pk:
        task.status = status
        if progress_pct is not None:
            task.progress_pct = progress_pct
        task.next_due_on = next_report_due(task.cadence, reported_on)
        task.full_clean()
        task.save()
    return update
