"""Cultivation tiers held by enterprises (SRDI SME, little giant, CNY 10-billion enterprise …)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from industria.core.models import ChangeLoggedModel
from industria.enterprises.choices import TierKind, TierLevel, TierStatus

from .enterprises import Enterprise


class Tier(ChangeLoggedModel):
    """A tier granted to an enterprise: kind, level, batch, validity and the document that granted it."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="tiers"
    )
    kind = models.CharField(_("tier"), max_length=24, choices=TierKind.choices)
    level = models.CharField(_("level"), max_length=12, choices=TierLevel.choices, default=TierLevel.MUNICIPAL)
    batch = models.CharField(_("batch"), max_length=40, blank=True)
    granted_on = models.DateField(_("granted on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source_document = models.CharField(_("source document"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=TierStatus.choices, default=TierStatus.VALID)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("enterprise", "kind", "-granted_on")
        verbose_name = _("tier")
        verbose_name_plural = _("tiers")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind", "level", "granted_on"], name="%(app_label)s_%(class)s_unique_grant"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True) | models.Q(valid_until__gte=models.F("granted_on")),
                name="%(app_label)s_%(class)s_valid_after_grant",
            ),
        ]
        indexes = [models.Index(fields=["kind", "status", "valid_until"], name="enterprises_tier_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.enterprise}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise_id]) + "?tab=tiers"

    def is_valid_on(self, day: date) -> bool:
        """Valid on ``day``: not revoked, granted, and not past its validity."""
        return (
            self.status != TierStatus.REVOKED
            and self.granted_on <= day
            and (self.valid_until is None or day <= self.valid_until)
        )

    def expires_within(self, day: date, days: int) -> bool:
        """Still valid on ``day`` but ending within ``days`` days: flagged for re-review ahead of time."""
        return self.is_valid_on(day) and self.valid_until is not None and self.valid_until <= day + timedelta(days=days)
