"""Registration of key projects, their yearly investment plans and their monthly investment reports."""

from __future__ import annotations

import calendar
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from industria.projects import exceptions as errors
from industria.projects.choices import ProjectEventType, ProjectStage, stage_order
from industria.projects.models import InvestmentReport, KeyProject, ProjectYearPlan

from .events import event_record, pipeline_changed


@transaction.atomic
def key_project_register(*, actor: Any, project: KeyProject, today: dt.date) -> KeyProject:
    """Save a new project as a lead (its pipeline entry date defaults to today) and record the event."""
    if project.lead_on is None:
        project.lead_on = today
    project.stage = ProjectStage.LEAD
    project.full_clean()
    project.save()
    event_record(
        project=project,
        type=ProjectEventType.CREATED,
        occurred_on=project.lead_on,
        actor=actor,
        parameters={"code": project.code},
    )
    return project


@transaction.atomic
def project_year_plan_set(
    *, actor: Any, project: KeyProject, year: int, planned_investment_cny: Decimal
) -> ProjectYearPlan:
    """Set the investment the project plans to complete in ``year``."""
    plan = ProjectYearPlan.objects.filter(project=project, year=year).first() or ProjectYearPlan(
        project=project, year=year
    )
    plan.planned_investment_cny = planned_investment_cny
    plan.full_clean()
    plan.save()
    return plan


@transaction.atomic
def investment_report_submit(
    *,
    actor: Any,
    project: KeyProject,
    year: int,
    month: int,
    completed_investment_cny: Decimal,
    today: dt.date,
    note: str = "",
) -> InvestmentReport:
    """Record (or correct) the investment completed in a month.

    Reports start with the month works started and cannot be made for a month that has not begun.  The
    first report of a started project moves it to "under construction" (domain-rules.md §7.3: monthly
    completed investment reported).
    """
    if not 1 <= month <= 12:
        raise errors.EvidenceDateInvalid(params={"field": _("Month"), "earliest": 1, "latest": 12})
    first_day = dt.date(year, month, 1)
    if first_day > today:
        raise errors.DateInFuture(params={"field": _("Month")})
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    last_day = dt.date(year, month, calendar.monthrange(year, month)[1])
    if project.started_on is None or project.started_on > last_day:
        raise errors.NotStarted()
    report = InvestmentReport.objects.filter(project=project, year=year, month=month).first() or InvestmentReport(
        project=project, year=year, month=month
    )
    report.completed_investment_cny = completed_investment_cny
    report.reported_on = today
    report.reported_by = actor if getattr(actor, "pk", None) else None
    report.note = note
    report.full_clean()
    report.save()
    event_record(
        project=project,
        type=ProjectEventType.INVESTMENT_REPORTED,
        occurred_on=today,
        actor=actor,
        parameters={"year": year, "month": month, "completed_investment_cny": completed_investment_cny},
    )
    if project.stage == ProjectStage.STARTED and stage_order(project.stage) is not None:
        previous = project.stage
        project.stage, project.under_construction_on = (
            ProjectStage.UNDER_CONSTRUCTION,
            max(project.started_on, min(today, last_day)),
        )
        project.save(update_fields=["stage", "under_construction_on", "updated_at"])
        event_record(
            project=project,
            type=ProjectEventType.STAGE_ADVANCED,
            occurred_on=project.under_construction_on,
            actor=actor,
            parameters={
                "from": previous,
                "to": ProjectStage.UNDER_CONSTRUCTION.value,
                "evidence": {"under_construction_on": project.under_construction_on, "report": f"{year}-{month:02d}"},
            },
        )
    pipeline_changed()
    return report
