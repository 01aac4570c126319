"""Stage transitions of a key project: forward only, with the evidence each stage requires.

Rules (domain-rules.md §7.3-7.4; fixtures/reference/projects/stages.yaml):

* a project moves forward (to a later ordered stage, possibly skipping some); a stalled project resumes
  first; a cancelled one only an administrator reopens (``project_reopen``, with a reason);
* each transition names its required evidence (dates, document numbers); dates may not lie in the future
  nor before the stages already reached;
* no permit without land and no start without land (unless the project is on existing land);
* no start before the construction permit — unless the project follows *pile foundation first* and a
  pile-foundation permit is given (桩基先行);
* *phased completion acceptance*: production may start once the first phase is accepted; completion needs
  every phase accepted (and may then be recorded after production started).
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from industria.projects import exceptions as errors
from industria.projects.choices import ORDERED_STAGES, FastTrack, ProjectEventType, ProjectStage, stage_order
from industria.projects.models import STAGE_DATE_FIELDS, KeyProject, ProjectNode
from industria.projects.reference import StageDefinition, stage_definitions

from .events import event_record, pipeline_changed
from .warnings import project_warning_refresh


def _fast_track(project: KeyProject) -> str:
    return project.template.fast_track if project.template_id else FastTrack.NONE


def _needs_permit(project: KeyProject) -> bool:
    """A construction permit is required unless the project's template has none (equipment-only works)."""
    if not project.template_id:
        return True
    return project.template.items.filter(code="construction_permit").exists()


def _phase_nodes(project: KeyProject) -> list[ProjectNode]:
    """Nodes of the project's template that accept a phase (phased completion acceptance)."""
    if not project.template_id:
        return []
    phase_codes = set(project.template.items.filter(phase__isnull=False).values_list("code", flat=True))
    return [n for n in project.nodes.all() if n.code in phase_codes]


def _clean_evidence(definition: StageDefinition, evidence: Mapping[str, Any]) -> dict[str, Any]:
    """The evidence fields of the stage, with empty values dropped; refuses missing required ones."""
    cleaned: dict[str, Any] = {}
    for field in definition.evidence:
        value = evidence.get(field.field)
        if value in (None, ""):
            continue
        if field.kind == "date" and not isinstance(value, dt.date):
            value = dt.date.fromisoformat(str(value))
        if field.kind in ("money", "number"):
            value = decimal.Decimal(str(value))
        cleaned[field.field] = value
    missing = [f.label for f in definition.evidence if f.required and f.field not in cleaned]
    if missing:
        raise errors.EvidenceMissing(params={"fields": ", ".join(missing)})
    return cleaned


def stage_transition_check(project: KeyProject, stage: str, evidence: Mapping[str, Any], *, today: dt.date) -> dict:
    """The cleaned evidence if ``project`` may move to ``stage`` on this evidence, else the DomainError."""
    definitions = stage_definitions()
    if stage not in ORDERED_STAGES:
        raise errors.StageNotForward(params={"current": project.get_stage_display(), "target": stage})
    definition = definitions[stage]
    if project.stage == ProjectStage.CANCELLED:
        raise errors.ProjectClosed(params={"stage": project.get_stage_display()})
    if project.stage == ProjectStage.STALLED:
        raise errors.ProjectStalled()
    current, target = stage_order(project.stage) or 0, stage_order(stage) or 0
    phased = _fast_track(project) == FastTrack.PHASED
    late_completion = phased and stage == ProjectStage.COMPLETED and project.completed_on is None
    if target <= current and not (late_completion and current >= stage_order(ProjectStage.PRODUCING)):
        raise errors.StageNotForward(
            params={"current": project.get_stage_display(), "target": ProjectStage(stage).label}
        )
    cleaned = _clean_evidence(definition, evidence)
    on = cleaned[definition.date_field]
    # the pipeline entry date is left out: a project registered late may have signed before it was entered
    reached = [project.stage_date(s) for s in ORDERED_STAGES[1:target] if project.stage_date(s)]
    earliest = max(reached) if reached else dt.date(1990, 1, 1)
    if not earliest <= on <= today:
        raise errors.EvidenceDateInvalid(
            params={"field": definition.evidence[0].label, "earliest": earliest, "latest": today}
        )
    has_land = project.existing_land or project.land_acquired_on is not None or stage == ProjectStage.LAND_ACQUIRED
    starting = target >= stage_order(ProjectStage.STARTED) and project.started_on is None
    permitting = stage == ProjectStage.PERMITTED
    if (starting or permitting) and not has_land:
        raise errors.LandMissing()
    if starting and project.permitted_on is None and _needs_permit(project):
        pile_first = _fast_track(project) == FastTrack.PILE_FIRST and cleaned.get("pile_permit_no")
        if not pile_first:
            raise errors.MainPermitMissing()
    if stage in (ProjectStage.UNDER_CONSTRUCTION, ProjectStage.COMPLETED) and project.started_on is None:
        raise errors.StageRequires(params={"target": ProjectStage(stage).label, "required": ProjectStage.STARTED.label})
    phases = _phase_nodes(project) if phased else []
    if stage == ProjectStage.COMPLETED and phases:
        open_phases = [n.code for n in phases if not n.is_done(today=on)]
        if open_phases:
            raise errors.PhasesNotAccepted(params={"phases": ", ".join(open_phases)})
    if stage == ProjectStage.PRODUCING:
        first_phase = any(n.is_done(today=on) for n in phases)
        if project.completed_on is None and not first_phase:
            required = _("the first phase accepted") if phased else ProjectStage.COMPLETED.label
            raise errors.StageRequires(params={"target": ProjectStage(stage).label, "required": required})
    if stage == ProjectStage.AT_CAPACITY and project.producing_on is None:
        raise errors.StageRequires(
            params={"target": ProjectStage(stage).label, "required": ProjectStage.PRODUCING.label}
        )
    return cleaned


def _complete_nodes(project: KeyProject, codes: tuple[str, ...], on: dt.date) -> None:
    for node in project.nodes.filter(code__in=codes, actual_finish_on__isnull=True):
        node.actual_finish_on = on
        if node.actual_start_on and node.actual_start_on > on:
            node.actual_start_on = on
        node.save(update_fields=["actual_finish_on", "actual_start_on", "updated_at"])


@transaction.atomic
def project_stage_advance(
    *, actor: Any, project: KeyProject, stage: str, evidence: Mapping[str, Any], today: dt.date
) -> KeyProject:
    """Move ``project`` forward to ``stage`` on the evidence given (see module docstring)."""
    project = KeyProject.objects.select_for_update(of=("self",)).select_related("template").get(pk=project.pk)
    cleaned = stage_transition_check(project, stage, evidence, today=today)
    definition = stage_definitions()[stage]
    on = cleaned[definition.date_field]
    previous = project.stage
    setattr(project, STAGE_DATE_FIELDS[stage], on)
    if stage_order(stage) > stage_order(project.stage):
        project.stage = stage
    if stage == ProjectStage.LAND_ACQUIRED and cleaned.get("land_area_mu"):
        project.land_area_mu = cleaned["land_area_mu"]
    project.full_clean()
    project.save()
    _complete_nodes(project, definition.completes_nodes, on)
    project_warning_refresh(project_id=project.pk, today=today)
    project.refresh_from_db(fields=["warning_colour", "red_since", "warning_changed_on"])
    event_record(
        project=project,
        type=ProjectEventType.STAGE_ADVANCED,
        occurred_on=on,
        actor=actor,
        parameters={"from": previous, "to": stage, "evidence": cleaned},
    )
    pipeline_changed()
    return project


@transaction.atomic
def project_stall(*, actor: Any, project: KeyProject, on: dt.date, reason: str, today: dt.date) -> KeyProject:
    """Mark an active project as stalled, remembering where it stood."""
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    if not reason.strip():
        raise errors.ReasonRequired()
    if project.stage in (ProjectStage.STALLED, ProjectStage.CANCELLED):
        raise errors.ProjectClosed(params={"stage": project.get_stage_display()})
    if on > today:
        raise errors.DateInFuture(params={"field": _("Stalled on")})
    project.held_stage, project.stage, project.stalled_on = project.stage, ProjectStage.STALLED, on
    project.save()
    event_record(
        project=project,
        type=ProjectEventType.STALLED,
        occurred_on=on,
        actor=actor,
        parameters={"held_stage": project.held_stage, "reason": reason},
    )
    return project


@transaction.atomic
def project_resume(*, actor: Any, project: KeyProject, on: dt.date) -> KeyProject:
    """A stalled project resumes at the stage it had reached."""
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    if project.stage != ProjectStage.STALLED:
        raise errors.StageNotForward(params={"current": project.get_stage_display(), "target": _("resumed")})
    project.stage, project.held_stage, project.stalled_on = project.held_stage or ProjectStage.LEAD, "", None
    project.save()
    event_record(
        project=project, type=ProjectEventType.RESUMED, occurred_on=on, actor=actor, parameters={"stage": project.stage}
    )
    return project


@transaction.atomic
def project_cancel(*, actor: Any, project: KeyProject, on: dt.date, reason: str, today: dt.date) -> KeyProject:
    """Cancel a project (it leaves the monitoring; only an administrator reopens it)."""
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    if not reason.strip():
        raise errors.ReasonRequired()
    if project.stage == ProjectStage.CANCELLED:
        raise errors.ProjectClosed(params={"stage": project.get_stage_display()})
    if on > today:
        raise errors.DateInFuture(params={"field": _("Cancelled on")})
    if project.stage != ProjectStage.STALLED:
        project.held_stage = project.stage
    project.stage, project.cancelled_on = ProjectStage.CANCELLED, on
    project.save()
    event_record(
        project=project,
        type=ProjectEventType.CANCELLED,
        occurred_on=on,
        actor=actor,
        parameters={"held_stage": project.held_stage, "reason": reason},
    )
    pipeline_changed()
    return project


@transaction.atomic
def project_reopen(*, actor: Any, project: KeyProject, stage: str, reason: str, today: dt.date) -> KeyProject:
    """An administrator sets a project back to an earlier stage (or out of stalled/cancelled), with a reason.

    The dates of the stages after ``stage`` are cleared (they were wrong); the event keeps them.
    """
    if not actor.has_perm("projects.reopen_keyproject"):
        raise errors.ReopenNotAllowed()
    if not reason.strip():
        raise errors.ReasonRequired()
    project = KeyProject.objects.select_for_update().get(pk=project.pk)
    if stage not in ORDERED_STAGES:
        raise errors.StageNotForward(params={"current": project.get_stage_display(), "target": stage})
    current = stage_order(project.stage)
    if current is not None and stage_order(stage) >= current:
        raise errors.StageNotForward(
            params={"current": project.get_stage_display(), "target": ProjectStage(stage).label}
        )
    cleared = {}
    for later in ORDERED_STAGES[stage_order(stage) + 1 :]:
        field = STAGE_DATE_FIELDS[later]
        if getattr(project, field) is not None:
            cleared[field] = getattr(project, field)
            setattr(project, field, None)
    previous = project.stage
    project.stage, project.held_stage = stage, ""
    project.stalled_on = project.cancelled_on = None
    project.save()
    event_record(
        project=project,
        type=ProjectEventType.REOPENED,
        occurred_on=today,
        actor=actor,
        parameters={"from": previous, "to": stage, "reason": reason, "cleared": cleared},
    )
    pipeline_changed()
    return project
