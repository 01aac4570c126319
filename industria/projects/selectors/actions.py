"""What needs someone's action: the officer's "my projects" page and the responsible unit's inbox.

Supervision orders and blockers are visible to the users in the project's scope (``for_user``) and, whatever
their scope, to the members of the department they are addressed to (``User.department``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import polars as pl
from django.db.models import Q, QuerySet

from industria.engines.scheduling import node_colours
from industria.projects.choices import BlockerStatus, ProjectStage, SupervisionStatus
from industria.projects.models import (
    Blocker,
    InvestmentReport,
    KeyProject,
    NodeTemplateItem,
    ProjectSchedule,
    SupervisionOrder,
)

from .facts import node_facts
from .projects import projects_of_officer
from .rules import rules_active

LIMIT = 100


def supervision_order_list(*, user: Any) -> QuerySet[SupervisionOrder]:
    """Orders in the user's scope, plus the orders addressed to the user's department."""
    scoped = SupervisionOrder.objects.for_user(user, "view")
    if getattr(user, "department_id", None):
        scoped = SupervisionOrder.objects.filter(Q(id__in=scoped.values("id")) | Q(department_id=user.department_id))
    return scoped.select_related("project", "project__district", "department")


def blocker_list(*, user: Any) -> QuerySet[Blocker]:
    """Blockers in the user's scope, plus the blockers routed to the user's department."""
    scoped = Blocker.objects.for_user(user, "view")
    if getattr(user, "department_id", None):
        scoped = Blocker.objects.filter(Q(id__in=scoped.values("id")) | Q(department_id=user.department_id))
    return scoped.select_related("project", "project__district", "department")


@dataclass
class DueNode:
    project: KeyProject
    code: str
    name: str
    planned_finish: dt.date
    days_left: int
    colour: str


@dataclass
class MyActions:
    projects: list[KeyProject] = field(default_factory=list)
    due_nodes: list[DueNode] = field(default_factory=list)
    orders_to_close: list[SupervisionOrder] = field(default_factory=list)
    orders_to_answer: list[SupervisionOrder] = field(default_factory=list)
    blockers_open: list[Blocker] = field(default_factory=list)
    blockers_to_clear: list[Blocker] = field(default_factory=list)
    reports_missing: list[KeyProject] = field(default_factory=list)
    unscheduled: list[KeyProject] = field(default_factory=list)
    unapproved: list[KeyProject] = field(default_factory=list)

    @property
    def count(self) -> int:
        return sum(
            len(x)
            for x in (
                self.due_nodes,
                self.orders_to_close,
                self.orders_to_answer,
                self.blockers_to_clear,
                self.reports_missing,
                self.unscheduled,
                self.unapproved,
            )
        )


def _due_nodes(projects: list[KeyProject], today: dt.date) -> list[DueNode]:
    if not projects:
        return []
    by_id = {p.pk: p for p in projects}
    facts = node_facts(project_ids=list(by_id))
    if facts.is_empty():
        return []
    coloured = (
        node_colours(facts, rules_active(as_of=today).warnings, today)
        .filter(pl.col("colour").is_in(["yellow", "red"]))
        .sort("days_left")
        .head(LIMIT)
    )
    templates = {p.template_id for p in projects if p.template_id}
    names = {(i.template_id, i.code): i.name for i in NodeTemplateItem.objects.filter(template_id__in=templates)}
    out = []
    for row in coloured.iter_rows(named=True):
        project = by_id[row["project_id"]]
        out.append(
            DueNode(
                project,
                row["node_code"],
                names.get((project.template_id, row["node_code"]), row["node_code"]),
                row["planned_finish_on"],
                row["days_left"],
                row["colour"],
            )
        )
    return out


def _previous_month(today: dt.date) -> tuple[int, int]:
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def my_actions(*, user: Any, today: dt.date) -> MyActions:
    """Everything waiting for ``user``: due and overdue nodes, orders and blockers, missing reports and plans."""
    out = MyActions()
    if user.has_perm("projects.view_keyproject"):
        projects = list(projects_of_officer(user=user).select_related("template")[: LIMIT * 5])
        out.projects = projects
        ids = [p.pk for p in projects]
        out.due_nodes = _due_nodes(projects, today)
        orders = SupervisionOrder.objects.filter(project_id__in=ids).select_related("project", "department")
        out.orders_to_close = list(orders.filter(status=SupervisionStatus.REPLIED)[:LIMIT])
        out.blockers_open = list(
            Blocker.objects.filter(project_id__in=ids, status=BlockerStatus.OPEN)
            .select_related("project", "department")
            .order_by("due_on")[:LIMIT]
        )
        year, month = _previous_month(today)
        reported = set(
            InvestmentReport.objects.filter(project_id__in=ids, year=year, month=month).values_list(
                "project_id", flat=True
            )
        )
        building = (ProjectStage.STARTED, ProjectStage.UNDER_CONSTRUCTION)
        out.reports_missing = [p for p in projects if p.stage in building and p.pk not in reported][:LIMIT]
        scheduled = set(ProjectSchedule.objects.filter(project_id__in=ids).values_list("project_id", flat=True))
        approved = set(KeyProject.objects.filter(pk__in=ids, baselines__is_current=True).values_list("pk", flat=True))
        monitored = [
            p
            for p in projects
            if p.stage
            not in (ProjectStage.LEAD, ProjectStage.NEGOTIATING, ProjectStage.CANCELLED, ProjectStage.AT_CAPACITY)
        ]
        out.unscheduled = [p for p in monitored if p.pk not in scheduled][:LIMIT]
        out.unapproved = [p for p in monitored if p.pk in scheduled and p.pk not in approved][:LIMIT]
    if getattr(user, "department_id", None):
        out.orders_to_answer = list(
            SupervisionOrder.objects.filter(department_id=user.department_id, status=SupervisionStatus.OPEN)
            .select_related("project", "department")
            .order_by("reply_due_on")[:LIMIT]
        )
        out.blockers_to_clear = list(
            Blocker.objects.filter(department_id=user.department_id, status=BlockerStatus.OPEN)
            .select_related("project", "department")
            .order_by("due_on")[:LIMIT]
        )
    return out
