"""Supervision orders (督办单) and blockers: raise, reply, close, route, resolve.

A responsible unit acts through its members (``User.department``): they reply to the orders addressed to
their unit and resolve the blockers routed to it, wherever the project lies.  Officers raise and close.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from industria.accounts.models import Department
from industria.projects import exceptions as errors
from industria.projects.choices import (
    BlockerStatus,
    ProjectEventType,
    SupervisionStatus,
    SupervisionTrigger,
)
from industria.projects.models import Blocker, KeyProject, SupervisionOrder, SupervisionReply
from industria.projects.selectors.rules import rules_active

from .events import event_record


def is_unit_member(actor: Any, department_id: int | None) -> bool:
    """The actor belongs to the department (or administers the whole platform)."""
    if getattr(actor, "is_superuser", False):
        return True
    return department_id is not None and getattr(actor, "department_id", None) == department_id


def _order_number(project: KeyProject, today: dt.date) -> str:
    count = SupervisionOrder.objects.filter(project=project, raised_on=today).count()
    return f"DB-{today:%Y%m%d}-{project.pk:07d}-{count + 1}"


@transaction.atomic
def supervision_order_raise(
    *,
    actor: Any,
    project: KeyProject,
    reason: str,
    today: dt.date,
    department: Department | None = None,
    reply_days: int | None = None,
) -> SupervisionOrder:
    """An officer raises a supervision order to the project's responsible unit (or the unit given)."""
    if not reason.strip():
        raise errors.ReasonRequired()
    rules = rules_active(as_of=today)
    department = department or project.responsible_unit
    if department is None:
        route = rules.blockers["other"]
        department, _created = Department.objects.get_or_create(
            name_zh=route.department_zh, district=None, defaults={"name_en": route.department_en}
        )
    days = reply_days or int(rules.warnings.supervision_reply_days.value)
    order = SupervisionOrder(
        project=project,
        department=department,
        number=_order_number(project, today),
        trigger=SupervisionTrigger.MANUAL,
        raised_on=today,
        reply_due_on=today + dt.timedelta(days=days),
        red_since=project.red_since,
        reason=reason,
        raised_by=actor if getattr(actor, "pk", None) else None,
    )
    order.full_clean()
    order.save()
    event_record(
        project=project,
        type=ProjectEventType.SUPERVISION_RAISED,
        occurred_on=today,
        actor=actor,
        parameters={"number": order.number, "department_id": department.pk, "reason": reason},
    )
    return order


@transaction.atomic
def supervision_order_reply(
    *, actor: Any, order: SupervisionOrder, text: str, today: dt.date, expected_resolution_on: dt.date | None = None
) -> SupervisionReply:
    """The responsible unit answers an order (the order becomes "replied"; further replies are appended)."""
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    if not is_unit_member(actor, order.department_id):
        raise errors.NotResponsibleUnit()
    if order.status == SupervisionStatus.CLOSED:
        raise errors.OrderNotOpen(params={"status": order.get_status_display()})
    if not text.strip():
        raise errors.ReasonRequired(_("Write the reply."))
    reply = SupervisionReply(
        order=order, author=actor, replied_on=today, text=text, expected_resolution_on=expected_resolution_on
    )
    reply.full_clean()
    reply.save()
    if order.status == SupervisionStatus.OPEN:
        order.status = SupervisionStatus.REPLIED
        order.save(update_fields=["status", "updated_at"])
    event_record(
        project=order.project,
        type=ProjectEventType.SUPERVISION_REPLIED,
        occurred_on=today,
        actor=actor,
        parameters={"number": order.number, "late": today > order.reply_due_on},
    )
    return reply


@transaction.atomic
def supervision_order_close(*, actor: Any, order: SupervisionOrder, today: dt.date) -> SupervisionOrder:
    """The officer closes an answered order."""
    order = SupervisionOrder.objects.select_for_update().get(pk=order.pk)
    if order.status != SupervisionStatus.REPLIED:
        raise errors.OrderNotOpen(params={"status": order.get_status_display()})
    order.status, order.closed_on = SupervisionStatus.CLOSED, today
    order.save(update_fields=["status", "closed_on", "updated_at"])
    event_record(
        project=order.project,
        type=ProjectEventType.SUPERVISION_CLOSED,
        occurred_on=today,
        actor=actor,
        parameters={"number": order.number},
    )
    return order


def blocker_route(*, category: str, today: dt.date) -> tuple[Department, dt.date]:
    """The department that clears blockers of ``category`` and the date it must do so by (rule set)."""
    route = rules_active(as_of=today).blockers[category]
    department, _created = Department.objects.get_or_create(
        name_zh=route.department_zh, district=None, defaults={"name_en": route.department_en}
    )
    return department, today + dt.timedelta(days=route.days)


@transaction.atomic
def blocker_raise(
    *,
    actor: Any,
    project: KeyProject,
    category: str,
    description: str,
    today: dt.date,
    department: Department | None = None,
) -> Blocker:
    """Record a blocker and route it to the department that can clear it, with its time limit."""
    if not description.strip():
        raise errors.ReasonRequired(_("Describe the blocker."))
    routed, due_on = blocker_route(category=category, today=today)
    blocker = Blocker(
        project=project,
        category=category,
        description=description,
        department=department or routed,
        raised_on=today,
        due_on=due_on,
        raised_by=actor if getattr(actor, "pk", None) else None,
    )
    blocker.full_clean()
    blocker.save()
    event_record(
        project=project,
        type=ProjectEventType.BLOCKER_RAISED,
        occurred_on=today,
        actor=actor,
        parameters={"category": category, "department_id": blocker.department_id, "due_on": due_on},
    )
    return blocker


@transaction.atomic
def blocker_resolve(
    *, actor: Any, blocker: Blocker, resolution: str, today: dt.date, may_change_project: bool = False
) -> Blocker:
    """The department (or the project's officer) records how the blocker was cleared."""
    blocker = Blocker.objects.select_for_update().get(pk=blocker.pk)
    if not (is_unit_member(actor, blocker.department_id) or may_change_project):
        raise errors.NotResponsibleUnit(
            _("Only the department the blocker is routed to, or the project's officers, may resolve it.")
        )
    if blocker.status != BlockerStatus.OPEN:
        raise errors.BlockerNotOpen()
    if not resolution.strip():
        raise errors.ReasonRequired(_("Say how it was cleared."))
    blocker.status, blocker.resolved_on, blocker.resolution = BlockerStatus.RESOLVED, today, resolution
    blocker.save(update_fields=["status", "resolved_on", "resolution", "updated_at"])
    event_record(
        project=blocker.project,
        type=ProjectEventType.BLOCKER_RESOLVED,
        occurred_on=today,
        actor=actor,
        parameters={"category": blocker.category, "late": today > blocker.due_on},
    )
    return blocker
