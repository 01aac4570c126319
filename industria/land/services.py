"""Workflows of the land app: revitalisation actions (open → advance → complete, or cancel) and saved site
searches.  Registry CRUD of parks, strategic areas and parcels is declarative (views and viewsets over forms and
serializers); these are the named writes that enforce a life cycle.  Each service takes the acting user, checks
the permission and the row's scope, validates, and saves inside the change log (ObjectChange before/after).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from industria.core.changelog import change_context, current
from industria.core.exceptions import ConflictError, DomainError, OutOfScope
from industria.core.permissions import instance_in_scope, perm_name

from .choices import ActionKind, ActionStatus, InefficiencyKind
from .models import Parcel, RevitalisationAction, SavedSiteSearch

OPEN_STATUSES = (ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)


class ActionTransitionRefused(ConflictError):
    code = "action_transition_refused"
    default_message = _("The action is %(status)s; it cannot be %(verb)s.")


class ActionAlreadyOpen(ConflictError):
    code = "action_already_open"
    default_message = _("Parcel %(parcel)s already has an open action of this kind (%(action)s).")


class InvalidActionInput(DomainError):
    code = "invalid"


def _acting(actor: Any) -> Any:
    """Attribute the writes to ``actor`` when the caller set no change context (tests, shell, tasks)."""
    ctx = current()
    if actor is None or (ctx is not None and ctx.resolve_actor() is not None):
        return nullcontext()
    return change_context(actor=actor, source=ctx.source if ctx is not None else "system")


def _require(actor: Any, model: type, action: str, instance: Any) -> None:
    if actor is None or not actor.has_perm(perm_name(model, action)):
        raise PermissionDenied
    if not instance_in_scope(actor, instance):
        raise OutOfScope()


def _clean(obj: Any) -> None:
    """``full_clean`` as a domain error that names the field(s)."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        fields = getattr(exc, "message_dict", {"__all__": exc.messages})
        text = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in fields.items())
        raise InvalidActionInput(_("Invalid input: %(errors)s"), params={"errors": text}) from exc


@contextmanager
def _audited(actor: Any) -> Iterator[None]:
    with _acting(actor), transaction.atomic():
        yield


def revitalisation_action_open(
    *,
    actor: Any,
    parcel: Parcel,
    kind: str,
    reason: str,
    opened_on: dt.date,
    due_on: dt.date | None = None,
    department: Any = None,
    notes: str = "",
) -> RevitalisationAction:
    """Plan an action on a listed parcel.  One open action of a kind per parcel (planned or in progress)."""
    action = RevitalisationAction(
        parcel=parcel,
        kind=kind,
        reason=reason,
        opened_on=opened_on,
        due_on=due_on,
        department=department,
        notes=notes,
        status=ActionStatus.PLANNED,
    )
    _require(actor, RevitalisationAction, "add", action)
    if kind not in ActionKind.values:
        raise InvalidActionInput(_("Unknown action %(kind)s."), params={"kind": kind})
    if reason not in InefficiencyKind.values:
        raise InvalidActionInput(_("Unknown reason %(reason)s."), params={"reason": reason})
    if due_on is not None and due_on < opened_on:
        raise InvalidActionInput(_("due_on: the due date is before the opening date."))
    with _audited(actor):
        existing = (
            RevitalisationAction.objects.select_for_update()
            .filter(parcel=parcel, kind=kind, status__in=OPEN_STATUSES)
            .first()
        )
        if existing is not None:
            raise ActionAlreadyOpen(params={"parcel": parcel.parcel_code, "action": existing.get_kind_display()})
        _clean(action)
        action.save()
    return action


def _transition(
    *, actor: Any, action: RevitalisationAction, allowed: tuple[str, ...], verb: Any, change: Callable[[Any], None]
) -> RevitalisationAction:
    _require(actor, RevitalisationAction, "change", action)
    with _audited(actor):
        locked = RevitalisationAction.objects.select_for_update().select_related("parcel").get(pk=action.pk)
        if locked.status not in allowed:
            raise ActionTransitionRefused(params={"status": locked.get_status_display(), "verb": verb})
        change(locked)
        _clean(locked)
        locked.save()
    return locked


def revitalisation_action_advance(*, actor: Any, action: RevitalisationAction) -> RevitalisationAction:
    """Planned → in progress (the work has started)."""

    def change(a: RevitalisationAction) -> None:
        a.status = ActionStatus.IN_PROGRESS

    return _transition(actor=actor, action=action, allowed=(ActionStatus.PLANNED,), verb=_("started"), change=change)


def revitalisation_action_complete(
    *, actor: Any, action: RevitalisationAction, completed_on: dt.date, area_m2: Decimal | None = None
) -> RevitalisationAction:
    """In progress (or planned) → completed on a date; the area revitalised defaults to the parcel's area and
    counts against the district's target of the completion year."""

    def change(a: RevitalisationAction) -> None:
        if completed_on < a.opened_on:
            raise InvalidActionInput(_("completed_on: the completion date is before the opening date."))
        area = a.parcel.area_m2 if area_m2 is None else Decimal(area_m2)
        if area <= 0:
            raise InvalidActionInput(_("area_m2: the area revitalised must be greater than zero."))
        if area > a.parcel.area_m2:
            raise InvalidActionInput(
                _("area_m2: the area revitalised (%(area)s m²) exceeds the parcel's area (%(parcel_area)s m²)."),
                params={"area": area, "parcel_area": a.parcel.area_m2},
            )
        a.status, a.completed_on, a.area_m2 = ActionStatus.COMPLETED, completed_on, area

    return _transition(actor=actor, action=action, allowed=OPEN_STATUSES, verb=_("completed"), change=change)


def revitalisation_action_cancel(*, actor: Any, action: RevitalisationAction, reason: str) -> RevitalisationAction:
    """Planned or in progress → cancelled, with the reason kept in the notes."""
    if not (reason or "").strip():
        raise InvalidActionInput(_("reason: say why the action is cancelled."))

    def change(a: RevitalisationAction) -> None:
        a.status = ActionStatus.CANCELLED
        a.notes = f"{a.notes}\n{reason.strip()}".strip()

    return _transition(actor=actor, action=action, allowed=OPEN_STATUSES, verb=_("cancelled"), change=change)


def saved_site_search_save(
    *, actor: Any, name: str, criteria: dict[str, Any], search: SavedSiteSearch | None = None
) -> SavedSiteSearch:
    """Save (or overwrite) one of the actor's site searches."""
    search = search or SavedSiteSearch(owner=actor)
    search.name, search.criteria = name, criteria
    _require(actor, SavedSiteSearch, "change" if search.pk else "add", search)
    if search.owner_id != actor.pk:
        raise OutOfScope()
    with _audited(actor):
        _clean(search)
        search.save()
    return search


def saved_site_search_delete(*, actor: Any, search: SavedSiteSearch) -> None:
    _require(actor, SavedSiteSearch, "delete", search)
    if search.owner_id != actor.pk:
        raise OutOfScope()
    with _audited(actor):
        search.delete()
