"""Read model of one project's schedule: planned, baseline and actual dates per node, colours, variance,
and the JSON the Gantt chart draws (contract in industria/static/js/gantt.js and docs/models/projects/)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from industria.engines.scheduling import node_colours
from industria.projects.models import KeyProject, ProjectBaseline, ProjectSchedule, planned_rows

from .rules import node_names, rules_active, template_codes


@dataclass
class NodeRow:
    code: str
    name: str
    duration_days: int | None
    own_duration: bool
    planned_start: dt.date | None
    planned_finish: dt.date | None
    baseline_start: dt.date | None
    baseline_finish: dt.date | None
    actual_start: dt.date | None
    actual_finish: dt.date | None
    critical: bool
    float_days: int | None
    colour: str
    node_id: int | None

    @property
    def variance_days(self) -> int | None:
        """Planned (or actual, when done) finish minus the baseline finish, in days (positive = later)."""
        finish = self.actual_finish or self.planned_finish
        if finish is None or self.baseline_finish is None:
            return None
        return (finish - self.baseline_finish).days


def schedule_rows(project: KeyProject, *, today: dt.date) -> list[NodeRow]:
    """Every node of the project's schedule, in template order (empty when it is not scheduled)."""
    schedule = ProjectSchedule.objects.filter(project=project).first()
    if schedule is None:
        return []
    baseline = ProjectBaseline.objects.filter(project=project, is_current=True).first()
    base = (
        {
            r["code"]: r
            for r in planned_rows(
                baseline.planned, target_on=baseline.target_on, codes=template_codes(baseline.template_code)
            )
        }
        if baseline
        else {}
    )
    nodes = {n.code: n for n in project.nodes.all()}
    template = project.template
    names = node_names(template)
    durations = {i.code: i.duration_days for i in template.items.all()} if template else {}
    planned = schedule.rows(template_codes(schedule.template_code))
    facts = pl.DataFrame(
        {
            "project_id": [project.pk] * len(planned),
            "node_code": [r["code"] for r in planned],
            "planned_finish_on": [r["finish"] for r in planned],
            "actual_finish_on": [getattr(nodes.get(r["code"]), "actual_finish_on", None) for r in planned],
        },
        schema={
            "project_id": pl.Int64,
            "node_code": pl.String,
            "planned_finish_on": pl.Date,
            "actual_finish_on": pl.Date,
        },
    )
    colours = node_colours(facts, rules_active(as_of=today).warnings, today).get_column("colour").to_list()
    rows = []
    for r, colour in zip(planned, colours, strict=True):
        node = nodes.get(r["code"])
        own = node.duration_days if node else None
        b = base.get(r["code"], {})
        rows.append(
            NodeRow(
                code=r["code"],
                name=names.get(r["code"], r["code"]),
                duration_days=own if own is not None else durations.get(r["code"]),
                own_duration=own is not None,
                planned_start=r["start"],
                planned_finish=r["finish"],
                baseline_start=b.get("start"),
                baseline_finish=b.get("finish"),
                actual_start=node.actual_start_on if node else None,
                actual_finish=node.actual_finish_on if node else None,
                critical=r["critical"],
                float_days=r["float_days"],
                colour=colour,
                node_id=node.pk if node else None,
            )
        )
    return rows


def _span(start: dt.date | None, finish: dt.date | None) -> list[str] | None:
    if start is None and finish is None:
        return None
    start = start or finish
    finish = finish or start
    return [start.isoformat(), finish.isoformat()]


def gantt_payload(project: KeyProject, rows: list[NodeRow], *, today: dt.date) -> dict[str, Any]:
    """The JSON of the Gantt chart (planned, baseline and actual bars per node; today's line)."""
    out_rows = []
    for row in rows:
        actual = None
        if row.actual_finish or row.actual_start:
            # a node with only a finish date is drawn as a milestone; one started and not finished runs to today
            actual = _span(row.actual_start or row.actual_finish, row.actual_finish or max(today, row.actual_start))
        out_rows.append(
            {
                "code": row.code,
                "name": row.name,
                "planned": _span(row.planned_start, row.planned_finish),
                "baseline": _span(row.baseline_start, row.baseline_finish),
                "actual": actual,
                "critical": row.critical,
                "colour": row.colour,
                "done": row.actual_finish is not None and row.actual_finish <= today,
                "variance_days": row.variance_days,
            }
        )
    return {
        "title": str(project),
        "today": today.isoformat(),
        "labels": {
            "planned": _("Planned"),
            "baseline": _("Baseline"),
            "actual": _("Actual"),
            "today": _("Today"),
            "critical": _("Critical path"),
            "variance": _("Variance against the baseline"),
            "days": _("days"),
        },
        "rows": out_rows,
        "empty_text": _("Not scheduled yet."),
    }
