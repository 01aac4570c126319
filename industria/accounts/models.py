"""Users with a role and a scope; the districts of the city; departments (responsible units)."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.core.choices import ScopeKind
from industria.core.models import ChangeLoggedModel
from industria.core.permissions import ScopedQuerySet


class District(ChangeLoggedModel):
    """A district of the city (GB/T 2260 code); reference data loaded from fixtures/reference/districts.yaml."""

    code = models.CharField(_("code"), max_length=6, unique=True, help_text=_("GB/T 2260 administrative code"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=50)
    name_en = models.CharField(_("name (English)"), max_length=80)
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=9, decimal_places=2)
    ring = models.CharField(_("ring"), max_length=16, blank=True)

    scope_shared = True
    scope_district_path = "pk"

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("code",)
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        constraints = [
            models.CheckConstraint(condition=models.Q(area_km2__gt=0), name="%(app_label)s_%(class)s_area_positive")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if (get_language() or "").startswith("en") else self.name_zh

    def get_absolute_url(self) -> str:
        return reverse("accounts:district_detail", args=[self.pk])


class Department(ChangeLoggedModel):
    """A government unit (municipal or district) that can be made responsible for tasks, projects, blockers."""

    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=150, blank=True)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="departments",
        help_text=_("Empty for municipal units."),
    )

    scope_shared = True
    scope_district_path = "district"

    class Meta:
        ordering = ("name_zh",)
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["name_zh", "district"], name="%(app_label)s_%(class)s_unique_name")
        ]

    def __str__(self) -> str:
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh


class ScopedUserManager(UserManager.from_queryset(ScopedQuerySet)):  # type: ignore[misc]
    """Django's user manager with ``for_user``."""


class User(AbstractUser, ChangeLoggedModel):
    """A person who signs in.  Role = group membership; scope = the whole city, one district or one enterprise."""

    scope = models.CharField(_("scope"), max_length=16, choices=ScopeKind.choices, default=ScopeKind.CITY)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, null=True, blank=True, related_name="users"
    )
    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    department = models.ForeignKey(
        Department, verbose_name=_("department"), on_delete=models.SET_NULL, null=True, blank=True, related_name="users"
    )

    objects = ScopedUserManager()
    scope_district_path = "district"
    scope_enterprise_path = "pk"

    class Meta:
        ordering = ("username",)
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scope="district") | models.Q(district__isnull=False),
                name="%(app_label)s_%(class)s_district_scope_has_district",
            ),
            models.CheckConstraint(
                condition=~models.Q(scope="enterprise") | models.Q(enterprise__isnull=False),
                name="%(app_label)s_%(class)s_enterprise_scope_has_enterprise",
            ),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def get_absolute_url(self) -> str:
        return reverse("admin:accounts_user_change", args=[self.pk])

    def audit_snapshot(self) -> dict[str, Any]:
        """Never write the password hash into the change log; record only that it changed."""
        data = super().audit_snapshot()
        if "password" in data:
            data["password"] = "********" if data["password"] else ""
            # a digest of the salted hash: shows *that* the password changed, reveals nothing about it
            data["password_fingerprint"] = hashlib.sha256(self.password.encode()).hexdigest()[:8]
        return data

    @cached_property
    def role_codes(self) -> list[str]:
        """The codes of the user's roles (group names)."""
        return list(self.groups.values_list("name", flat=True))

    @property
    def primary_role(self) -> str | None:
        """The role shown on the home page (the first in the order of accounts.roles.Role)."""
        from .roles import Role

        for role in Role:
            if role.value in self.role_codes:
                return role.value
        return None
