"""Backward schedules stored per project, baselines and re-plans with variance, template changes re-schedule."""

from __future__ import annotations

import datetime as dt

import pytest

from industria.core.models import Job
from industria.projects import exceptions as errors
from industria.projects import selectors, services
from industria.projects.models import ProjectBaseline, ProjectEvent, ProjectSchedule

from .factories import project, template

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 6, 30)
TARGET = dt.date(2026, 6, 30)


def planned(p) -> dict:  # type: ignore[no-untyped-def]
    schedule = ProjectSchedule.objects.get(project=p)
    return {r["code"]: r for r in schedule.rows(selectors.template_codes(schedule.template_code))}


def test_planning_creates_the_nodes_and_the_hand_computed_backward_dates() -> None:
    p = project()

    services.project_schedule_plan(actor=None, project=p, template=template(), target_on=TARGET, today=TODAY)

    rows = planned(p)
    assert p.nodes.count() == 30
    assert rows["trial_production"]["finish"] == TARGET
    assert rows["signing"]["finish"] == TARGET - dt.timedelta(days=675)
    assert rows["start"]["finish"] == TARGET - dt.timedelta(days=405)
    assert rows["main_structure"]["critical"] is True
    assert rows["eia"]["critical"] is False
    schedule = ProjectSchedule.objects.get(project=p)
    assert schedule.planned_producing_on == TARGET
    assert schedule.planned_started_on == TARGET - dt.timedelta(days=405)


def test_baseline_then_replan_makes_a_new_baseline_with_the_reason_and_shows_the_variance() -> None:
    p = project()
    services.project_schedule_plan(actor=None, project=p, template=template(), target_on=TARGET, today=TODAY)
    first = services.project_baseline_approve(actor=None, project=p, today=TODAY)
    with pytest.raises(errors.BaselineExists):
        services.project_schedule_plan(actor=None, project=p, template=template(), target_on=TARGET, today=TODAY)
    with pytest.raises(errors.ReasonRequired):
        services.project_replan(actor=None, project=p, reason="", today=TODAY, durations={"main_structure": 270})

    services.project_replan(
        actor=None, project=p, reason="桩基施工遇软土，主体工期延长", today=TODAY, durations={"main_structure": 270}
    )

    rows = {r.code: r for r in selectors.schedule_rows(p, today=TODAY)}
    assert rows["trial_production"].planned_finish == TARGET  # the target holds: everything before moves earlier
    assert rows["signing"].variance_days == 0  # the new baseline is the re-plan itself
    baselines = list(ProjectBaseline.objects.filter(project=p).order_by("number"))
    assert [b.number for b in baselines] == [1, 2]
    assert [b.is_current for b in baselines] == [False, True]
    assert baselines[1].reason == "桩基施工遇软土，主体工期延长"
    start_index = selectors.template_codes("new_build-standard").index("start")
    assert first.planned["finish"][start_index] == -405  # days before the baseline's target
    assert rows["start"].planned_finish == TARGET - dt.timedelta(days=465)
    assert ProjectEvent.objects.get(project=p, type="replanned").parameters["durations"]["main_structure"]["to"] == 270


def test_variance_against_the_baseline_is_the_actual_or_planned_finish_minus_the_baseline() -> None:
    p = project()
    services.project_schedule_plan(actor=None, project=p, template=template(), target_on=TARGET, today=TODAY)
    services.project_baseline_approve(actor=None, project=p, today=TODAY)
    baseline_filing = planned(p)["filing"]["finish"]

    services.node_complete(
        actor=None,
        node=p.nodes.get(code="filing"),
        finished_on=baseline_filing + dt.timedelta(days=12),
        today=max(TODAY, baseline_filing + dt.timedelta(days=12)),
    )

    rows = {r.code: r for r in selectors.schedule_rows(p, today=TODAY)}
    assert rows["filing"].variance_days == 12


def test_gantt_payload_has_planned_baseline_and_actual_bars() -> None:
    p = project()
    services.project_schedule_plan(actor=None, project=p, template=template(), target_on=TARGET, today=TODAY)
    services.project_baseline_approve(actor=None, project=p, today=TODAY)
    services.node_complete(actor=None, node=p.nodes.get(code="signing"), finished_on=dt.date(2024, 8, 25), today=TODAY)

    payload = selectors.gantt_payload(p, selectors.schedule_rows(p, today=TODAY), today=TODAY)

    first = payload["rows"][0]
    assert first["code"] == "signing"
    assert first["planned"] == ["2024-08-24", "2024-08-24"]
    assert first["baseline"] == ["2024-08-24", "2024-08-24"]
    assert first["actual"] == ["2024-08-25", "2024-08-25"]
    assert payload["today"] == "2025-06-30"
    assert sum(1 for r in payload["rows"] if r["actual"]) == 1


def test_a_node_date_in_the_future_is_refused() -> None:
    p = project()
    services.project_schedule_plan(actor=None, project=p, template=template(), target_on=TARGET, today=TODAY)

    with pytest.raises(errors.DateInFuture):
        services.node_complete(actor=None, node=p.nodes.first(), finished_on=TODAY + dt.timedelta(days=1), today=TODAY)


def test_a_template_change_is_a_new_version_and_a_job_re_schedules_its_projects(
    make_user,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    admin = make_user("municipal_admin")
    standard = template()
    ours = project()
    services.project_schedule_plan(actor=None, project=ours, template=standard, target_on=TARGET, today=TODAY)
    own = project()
    services.project_schedule_plan(actor=None, project=own, template=standard, target_on=TARGET, today=TODAY)
    node = own.nodes.get(code="company_setup")
    node.duration_days = 45  # this project keeps its own duration
    node.save()
    services.schedules_compute(today=TODAY, project_ids=[own.pk])
    before = planned(ours)["signing"]["finish"]

    with django_capture_on_commit_callbacks(execute=True):
        job = services.node_template_update(
            actor=admin, template=standard, durations={"company_setup": 60}, reason="实际平均时长"
        )

    job.refresh_from_db()
    standard.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result["scheduled"] >= 2
    assert standard.version == 2
    assert planned(ours)["signing"]["finish"] == before - dt.timedelta(days=30)
    assert planned(own)["signing"]["finish"] == before - dt.timedelta(days=15)
    assert ProjectSchedule.objects.get(project=ours).template_version == 2
    assert Job.objects.filter(kind="projects.reschedule").count() == 1
