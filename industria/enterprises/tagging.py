"""Explicit tagging of an enterprise with an industry group (to move into services.py).

Mapping rows of ``EnterpriseGroup`` are recomputed from industry codes; explicit rows record a person's judgement
that an enterprise belongs to a group the code does not imply (a transformation, a new track).  Membership rows are
not change-logged models, so each change is one entry in the audit log on the enterprise (its History tab).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from industria.core.changelog import bulk_change_record
from industria.core.exceptions import DomainError, OutOfScope
from industria.core.permissions import instance_in_scope

from .choices import MappingSource
from .models import Enterprise, EnterpriseGroup, IndustryGroup


class GroupNotInCurrentSystem(DomainError):
    """Explicit tags name groups of the industrial system in force."""

    code = "group_not_current"
    default_message = _("%(group)s is not a group of the industrial system in force.")


def _check(actor: Any, enterprise: Enterprise) -> None:
    if actor is not None and not (
        actor.has_perm("enterprises.change_enterprise") and instance_in_scope(actor, enterprise)
    ):
        raise OutOfScope


def _record(enterprise: Enterprise, group: IndustryGroup, action: str) -> None:
    bulk_change_record(
        model=Enterprise,
        object_id=str(enterprise.pk),
        object_repr=str(enterprise),
        summary={
            "action": action,
            "group": group.code,
            "group_name": group.name_zh,
            "source": MappingSource.EXPLICIT.value,
        },
    )


@transaction.atomic
def enterprise_group_tag(*, actor: Any, enterprise: Enterprise, group: IndustryGroup) -> EnterpriseGroup:
    """Tag ``enterprise`` explicitly with ``group`` (idempotent: an existing tag is returned unchanged)."""
    _check(actor, enterprise)
    if not group.system.is_current:
        raise GroupNotInCurrentSystem(params={"group": group})
    link, created = EnterpriseGroup.objects.get_or_create(
        enterprise=enterprise, group=group, source=MappingSource.EXPLICIT, defaults={"weight": 1, "primary": False}
    )
    if created:
        _record(enterprise, group, "group_tag")
    return link


@transaction.atomic
def enterprise_group_untag(*, actor: Any, enterprise: Enterprise, group: IndustryGroup) -> None:
    """Remove the explicit tag of ``enterprise`` with ``group``; mapping rows are left alone (idempotent)."""
    _check(actor, enterprise)
    deleted, _rows = EnterpriseGroup.objects.filter(
        enterprise=enterprise, group=group, source=MappingSource.EXPLICIT
    ).delete()
    if deleted:
        _record(enterprise, group, "group_untag")
