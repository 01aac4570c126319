"""Schedules: plan a project on a template from a target date, approve the baseline, re-plan with a reason,
record node dates, change a template and re-schedule its projects in the background.

``schedules_compute`` is the one path for one project or every project: the facts are read set-based into
Polars, ``engines.scheduling.schedule_backward`` computes every node's dates, and one row per project is
written (COPY + UPDATE on PostgreSQL).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from industria.core.bulk import insert_frame, read_frame, update_frame
from industria.core.changelog import bulk_change_record
from industria.core.models import Job
from industria.core.services import job_enqueue
from industria.engines.scheduling import ENGINE_VERSION, TemplateError, parse_template, schedule_backward
from industria.projects import exceptions as errors
from industria.projects.choices import ProjectEventType
from industria.projects.models import (
    KeyProject,
    NodeTemplate,
    ProjectBaseline,
    ProjectNode,
    ProjectSchedule,
)
from industria.projects.selectors.rules import template_spec, template_specs
from industria.projects.tasks import schedules_recompute_task

from .events import event_record
from .warnings import project_warning_refresh

MILESTONE_NODES = {
    "planned_started_on": "start",
    "planned_completed_on": "completion_acceptance",
    "planned_producing_on": "trial_production",
    "planned_at_capacity_on": "at_capacity",
}
Progress = Callable[[int, int], None]


def _where(project_ids: list[int] | None, template_ids: list[int] | None) -> tuple[str, list[Any]]:
    clauses, params = ["p.target_on IS NOT NULL", "p.template_id IS NOT NULL"], []
    if project_ids is not None:
        clauses.append(f"p.id IN ({', '.join(['%s'] * len(project_ids))})" if project_ids else "1 = 0")
        params += project_ids
    if template_ids is not None:
        clauses.append(f"p.template_id IN ({', '.join(['%s'] * len(template_ids))})" if template_ids else "1 = 0")
        params += template_ids
    return " AND ".join(clauses), params


def schedules_compute(
    *,
    today: dt.date,
    project_ids: list[int] | None = None,
    template_ids: list[int] | None = None,
    progress: Progress | None = None,
) -> int:
    """(Re)compute the schedule of the chosen projects (default: every project with a template and a target).

    Returns the number of projects scheduled.  Runs inside the caller's transaction.
    """
    step = progress or (lambda done, total: None)
    where, params = _where(project_ids, template_ids)
    projects = read_frame(
        "SELECT p.id, t.code, p.target_node_code, p.target_on, t.version FROM projects_keyproject p "
        f"JOIN projects_nodetemplate t ON t.id = p.template_id WHERE {where}",
        params,
        {
            "project_id": pl.Int64,
            "template_code": pl.String,
            "target_code": pl.String,
            "target_on": pl.Date,
            "template_version": pl.Int64,
        },
    ).with_columns(pl.col("target_code").replace("", None))
    step(1, 4)
    if projects.is_empty():
        return 0
    overrides = read_frame(
        "SELECT n.project_id, n.code, n.duration_days FROM projects_projectnode n "
        f"JOIN projects_keyproject p ON p.id = n.project_id WHERE n.duration_days IS NOT NULL AND {where}",
        params,
        {"project_id": pl.Int64, "node_code": pl.String, "duration_days": pl.Int64},
    )
    codes = projects.get_column("template_code").unique().to_list()
    specs = template_specs(list(NodeTemplate.objects.filter(code__in=codes)))
    step(2, 4)
    schedule = schedule_backward(overrides, projects.drop("template_version"), specs)
    step(3, 4)
    rows = _schedule_rows(schedule, projects, specs, today)
    _write_schedules(rows)
    step(4, 4)
    return rows.height


def _schedule_rows(schedule: pl.DataFrame, projects: pl.DataFrame, specs: Mapping[str, Any], today: dt.date):
    """One row per project: the compact arrays as JSON (days relative to the target) and the milestone dates."""
    target = pl.col("target_on")
    packed = (
        schedule.join(projects.select("project_id", "target_on"), on="project_id")
        .sort("project_id", "seq")
        .group_by("project_id", maintain_order=True)
        .agg(
            v=pl.lit(2),
            start=(pl.col("planned_start_on") - target).dt.total_days(),
            finish=(pl.col("planned_finish_on") - target).dt.total_days(),
            float=pl.col("float_days"),
            critical=pl.col("critical").cast(pl.Int8),
            planned_start_on=pl.col("planned_start_on").min(),
            **{
                column: pl.col("planned_finish_on").filter(pl.col("node_code") == node).first()
                for column, node in MILESTONE_NODES.items()
            },
        )
        .with_columns(planned=pl.struct("v", "start", "finish", "float", "critical").struct.json_encode())
    )
    targets = {code: spec.target_node for code, spec in specs.items()}
    now = timezone.now()
    return packed.join(projects, on="project_id").select(
        "project_id",
        pl.col("template_code"),
        pl.col("template_version"),
        target_node_code=pl.coalesce(
            "target_code", pl.col("template_code").replace_strict(targets, return_dtype=pl.String)
        ),
        target_on=pl.col("target_on"),
        planned=pl.col("planned"),
        planned_start_on=pl.col("planned_start_on"),
        **{column: pl.col(column) for column in MILESTONE_NODES},
        computed_on=pl.lit(today, dtype=pl.Date),
        engine_version=pl.lit(ENGINE_VERSION),
        created_at=pl.lit(now),
        updated_at=pl.lit(now),
    )


def _write_schedules(rows: pl.DataFrame) -> None:
    existing = (
        read_frame("SELECT project_id FROM projects_projectschedule", [], {"project_id": pl.Int64})
        if rows.height > 1000
        else pl.DataFrame(
            {
                "project_id": list(
                    ProjectSchedule.objects.filter(project_id__in=rows["project_id"].to_list()).values_list(
                        "project_id", flat=True
                    )
                )
            },
            schema={"project_id": pl.Int64},
        )
    )
    known = rows.join(existing, on="project_id", how="semi")
    new = rows.join(existing, on="project_id", how="anti")
    columns = [c for c in rows.columns if c not in ("project_id", "created_at")]
    update_frame(ProjectSchedule._meta.db_table, known, key="project_id", columns=columns)
    insert_frame(ProjectSchedule._meta.db_table, new)


def _nodes_sync(project: KeyProject, template: NodeTemplate) -> int:
    """Give the project exactly the template's nodes (keeping the dates of nodes it had); returns created."""
    items = list(template.items.order_by("seq"))
    codes = {i.code for i in items}
    project.nodes.exclude(code__in=codes).delete()
    existing = {n.code: n for n in project.nodes.all()}
    new = [ProjectNode(project=project, code=i.code, seq=i.seq) for i in items if i.code not in existing]
    for item in items:
        node = existing.get(item.code)
        if node is not None and node.seq != item.seq:
            node.seq = item.seq
            node.save(update_fields=["seq", "updated_at"])
    ProjectNode.objects.bulk_create(new)
    if new:
        bulk_change_record(
            model=ProjectNode,
            object_repr=str(project)[:200],
            object_id="",
            summary={"created": len(new), "project_id": project.pk, "template": template.code},
        )
    return len(new)


def _check_target_node(template: NodeTemplate, code: str) -> None:
    if code and not template.items.filter(code=code).exists():
        raise errors.UnknownNode(params={"node": code})


@transaction.atomic
def project_schedule_plan(
    *,
    actor: Any,
    project: KeyProject,
    template: NodeTemplate,
    target_on: dt.date,
    today: dt.date,
    target_node_code: str = "",
) -> KeyProject:
    """Plan ``project`` on ``template`` backwards from ``target_on`` (before a baseline is approved)."""
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    if project.baselines.filter(is_current=True).exists():
        raise errors.BaselineExists()
    _check_target_node(template, target_node_code)
    project.template, project.target_on, project.target_node_code = template, target_on, target_node_code
    if template.existing_land and not project.existing_land:
        project.existing_land = True
    project.full_clean()
    project.save()
    _nodes_sync(project, template)
    schedules_compute(today=today, project_ids=[project.pk])
    project_warning_refresh(project_id=project.pk, today=today)
    event_record(
        project=project,
        type=ProjectEventType.SCHEDULED,
        occurred_on=today,
        actor=actor,
        parameters={"template": template.code, "target_on": target_on, "target_node": target_node_code},
    )
    return project


def _baseline_new(project: KeyProject, *, actor: Any, today: dt.date, reason: str) -> ProjectBaseline:
    schedule = ProjectSchedule.objects.filter(project=project).first()
    if schedule is None:
        raise errors.ScheduleMissing()
    number = (project.baselines.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    project.baselines.filter(is_current=True).update(is_current=False)
    return ProjectBaseline.objects.create(
        project=project,
        number=number,
        approved_on=today,
        approved_by=actor if getattr(actor, "pk", None) else None,
        reason=reason,
        template_code=schedule.template_code,
        template_version=schedule.template_version,
        target_on=schedule.target_on,
        planned=schedule.planned,
        is_current=True,
    )


@transaction.atomic
def project_baseline_approve(*, actor: Any, project: KeyProject, today: dt.date) -> ProjectBaseline:
    """Approve the current schedule as the project's first baseline."""
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    if project.baselines.filter(is_current=True).exists():
        raise errors.BaselineExists()
    baseline = _baseline_new(project, actor=actor, today=today, reason="")
    event_record(
        project=project,
        type=ProjectEventType.BASELINE_APPROVED,
        occurred_on=today,
        actor=actor,
        parameters={"number": baseline.number, "target_on": baseline.target_on},
    )
    return baseline


@transaction.atomic
def project_replan(
    *,
    actor: Any,
    project: KeyProject,
    reason: str,
    today: dt.date,
    target_on: dt.date | None = None,
    durations: Mapping[str, int] | None = None,
) -> ProjectBaseline:
    """Re-plan: a new target date and/or node durations, a new schedule, and a new baseline with the reason."""
    if not reason.strip():
        raise errors.ReasonRequired()
    project = KeyProject.objects.select_for_update(of=("self",)).select_related("template").get(pk=project.pk)
    if project.template is None:
        raise errors.ScheduleMissing()
    previous_target = project.target_on
    nodes = {n.code: n for n in project.nodes.all()}
    changed = {}
    for code, days in (durations or {}).items():
        node = nodes.get(code)
        if node is None:
            raise errors.UnknownNode(params={"node": code})
        if node.duration_days != days:
            changed[code] = {"from": node.duration_days, "to": days}
            node.duration_days = days
            node.save(update_fields=["duration_days", "updated_at"])
    if target_on is not None and target_on != project.target_on:
        project.target_on = target_on
        project.save(update_fields=["target_on", "updated_at"])
    schedules_compute(today=today, project_ids=[project.pk])
    project_warning_refresh(project_id=project.pk, today=today)
    baseline = _baseline_new(project, actor=actor, today=today, reason=reason)
    event_record(
        project=project,
        type=ProjectEventType.REPLANNED,
        occurred_on=today,
        actor=actor,
        parameters={
            "reason": reason,
            "number": baseline.number,
            "target_from": previous_target,
            "target_to": project.target_on,
            "durations": changed,
        },
    )
    return baseline


@transaction.atomic
def node_complete(
    *,
    actor: Any,
    node: ProjectNode,
    finished_on: dt.date,
    today: dt.date,
    started_on: dt.date | None = None,
    note: str = "",
) -> ProjectNode:
    """Record the actual dates of a node (what the Gantt chart shows as actual)."""
    if finished_on > today or (started_on and started_on > today):
        raise errors.DateInFuture(params={"field": _("Actual finish")})
    if started_on and started_on > finished_on:
        raise errors.EvidenceDateInvalid(params={"field": _("Actual start"), "earliest": "—", "latest": finished_on})
    node.actual_finish_on, node.actual_start_on = finished_on, started_on or node.actual_start_on
    if node.actual_start_on and node.actual_start_on > finished_on:
        node.actual_start_on = finished_on
    if note:
        node.note = note
    node.full_clean()
    node.save()
    project_warning_refresh(project_id=node.project_id, today=today)
    event_record(
        project=node.project,
        type=ProjectEventType.NODE_COMPLETED,
        occurred_on=finished_on,
        actor=actor,
        parameters={"node": node.code, "started_on": node.actual_start_on, "finished_on": finished_on},
    )
    return node


@transaction.atomic
def node_template_update(
    *, actor: Any, template: NodeTemplate, durations: Mapping[str, int], reason: str
) -> Job | None:
    """Change standard durations of a template (a new version) and re-schedule its projects in the background.

    Returns the job (None when nothing changed).  Projects keep their own durations where they set one.
    """
    if not reason.strip():
        raise errors.ReasonRequired()
    items = {i.code: i for i in template.items.all()}
    changed = {}
    for code, days in durations.items():
        item = items.get(code)
        if item is None:
            raise errors.UnknownNode(params={"node": code})
        if item.duration_days != int(days):
            changed[code] = {"from": item.duration_days, "to": int(days)}
            item.duration_days = int(days)
    if not changed:
        return None
    for code in changed:
        items[code].save(update_fields=["duration_days", "updated_at"])
    template.version += 1
    template.save(update_fields=["version", "updated_at"])
    try:
        template_spec(template)
    except TemplateError as exc:
        raise errors.TemplateInvalid(params={"problem": str(exc)}) from exc
    return schedules_recompute_enqueue(actor=actor, template=template, reason=reason, changes=changed)


def schedules_recompute_enqueue(
    *, actor: Any, template: NodeTemplate | None = None, reason: str = "", changes: dict | None = None
) -> Job:
    """Queue the re-scheduling of the projects of ``template`` (every project when None)."""
    name = (
        _("Re-schedule the projects of %(template)s") % {"template": template}
        if template
        else _("Re-schedule every project")
    )
    return job_enqueue(
        actor=actor,
        kind="projects.reschedule",
        name=str(name),
        task=schedules_recompute_task,
        kwargs={"template_id": template.pk if template else None, "reason": reason, "changes": changes or {}},
    )


def schedules_recompute(*, template_id: int | None, today: dt.date, progress: Progress | None = None) -> dict:
    """The work of the re-scheduling job: recompute every schedule of the template, then the warnings."""
    from .warnings import warnings_evaluate

    with transaction.atomic():
        scheduled = schedules_compute(
            today=today, template_ids=None if template_id is None else [template_id], progress=progress
        )
        colours = warnings_evaluate(as_of=today, template_ids=None if template_id is None else [template_id])
        bulk_change_record(
            model=ProjectSchedule,
            object_repr=_("Re-scheduled %(count)s projects") % {"count": scheduled},
            summary={"template_id": template_id, "scheduled": scheduled, **colours},
        )
    return {"scheduled": scheduled, **colours}


def template_validate(raw: Mapping[str, Any]) -> None:
    """Refuse a template the engine would refuse (used by forms that edit templates)."""
    try:
        parse_template(raw)
    except TemplateError as exc:
        raise errors.TemplateInvalid(params={"problem": str(exc)}) from exc
