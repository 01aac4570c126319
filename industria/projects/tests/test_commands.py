"""The command-line counterparts of the periodic task and the re-scheduling job (same services)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from industria.projects import services
from industria.projects.models import ProjectSchedule, SupervisionOrder

from .factories import department, project, template

pytestmark = pytest.mark.django_db


def test_projects_warnings_colours_and_raises_the_due_orders() -> None:
    p = project(responsible_unit=department())
    services.project_schedule_plan(
        actor=None, project=p, template=template(), target_on=dt.date(2026, 6, 30), today=dt.date(2024, 8, 1)
    )
    out = io.StringIO()

    call_command("projects_warnings", "--as-of", "2024-12-31", stdout=out)

    p.refresh_from_db()
    assert p.warning_colour == "red"
    assert SupervisionOrder.objects.filter(project=p).count() == 1
    assert "orders 1" in out.getvalue()


def test_projects_reschedule_recomputes_a_templates_schedules() -> None:
    p = project()
    services.project_schedule_plan(
        actor=None, project=p, template=template(), target_on=dt.date(2026, 6, 30), today=dt.date(2024, 8, 1)
    )
    ProjectSchedule.objects.filter(project=p).update(template_version=0)

    call_command("projects_reschedule", "--template", "new_build-standard", stdout=io.StringIO())

    assert ProjectSchedule.objects.get(project=p).template_version == template().version
    with pytest.raises(CommandError):
        call_command("projects_reschedule", "--template", "nope", stdout=io.StringIO())
