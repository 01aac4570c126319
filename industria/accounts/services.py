"""Workflows of the accounts app: users with a role and a scope."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from industria.core.choices import ScopeKind
from industria.core.exceptions import DomainError

from .models import District, User
from .roles import Role


class InvalidScope(DomainError):
    code = "invalid_scope"
    default_message = _("A district scope needs a district, an enterprise scope an enterprise.")


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    password: str,
    role: str,
    scope: str = ScopeKind.CITY,
    district: District | None = None,
    enterprise: Any = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_staff: bool = False,
    department: Any = None,
) -> User:
    """Create a user with one role and a scope (whole city, one district, one enterprise)."""
    if role not in Role.values:
        raise DomainError(_("Unknown role “%(role)s”."), params={"role": role}, code="unknown_role")
    if (scope == ScopeKind.DISTRICT and district is None) or (scope == ScopeKind.ENTERPRISE and enterprise is None):
        raise InvalidScope()
    if scope == ScopeKind.ENTERPRISE and district is None:
        district = enterprise.district
    user = User(
        username=username,
        scope=scope,
        district=district,
        enterprise=enterprise,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=is_staff,
        department=department,
    )
    user.set_password(password)
    user.full_clean()
    user.save()
    user.groups.add(Group.objects.get_or_create(name=role)[0])
    return user


@transaction.atomic
def user_upsert(*, actor: Any, username: str, password: str, role: str, **fields: Any) -> User:
    """Create the user, or reset its password, role and scope if it exists (demo and provisioning)."""
    existing = User.objects.filter(username=username).first()
    if existing is None:
        return user_create(actor=actor, username=username, password=password, role=role, **fields)
    for key, value in fields.items():
        setattr(existing, key, value)
    if fields.get("scope") == ScopeKind.ENTERPRISE and fields.get("enterprise") is not None:
        existing.district = fields["enterprise"].district
    existing.set_password(password)
    existing.full_clean()
    existing.save()
    existing.groups.set([Group.objects.get(name=role)])
    return existing


def users_deactivate_dormant(*, actor: Any, inactive_days: int, as_of: Any) -> list[str]:
    """Deactivate accounts unused for ``inactive_days`` (security habit); returns the user names deactivated.

    Each deactivation is an ordinary audited change, attributed to ``actor`` through the caller's channel.
    """
    from datetime import timedelta

    from django.db.models import Q

    cutoff = as_of - timedelta(days=inactive_days)
    dormant = User.objects.filter(is_active=True, is_superuser=False).filter(
        Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    )
    names = []
    for user in dormant:
        user.is_active = False
        user.save(update_fields=["is_active"])
        names.append(user.username)
    return names
