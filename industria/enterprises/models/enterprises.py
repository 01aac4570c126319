"""Enterprises of the registry."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import District
from industria.core.models import ChangeLoggedModel
from industria.core.permissions import ScopedQuerySet
from industria.enterprises.choices import MappingSource, OwnershipType
from industria.enterprises.validators import validate_uscc

from .taxonomy import IndustryGroup


class Enterprise(ChangeLoggedModel):
    """An enterprise, keyed by its 18-character Unified Social Credit Code (GB 32100-2015)."""

    uscc = models.CharField(_("unified social credit code"), max_length=18, unique=True, validators=[validate_uscc])
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="enterprises"
    )
    industry_code = models.CharField(
        _("industry code"),
        max_length=4,
        blank=True,
        help_text=_("GB/T 4754-2017 division (2 digits) or class (4 digits)"),
    )
    ownership_type = models.CharField(
        _("ownership type"), max_length=20, choices=OwnershipType.choices, default=OwnershipType.PRIVATE
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    registered_capital_cny = models.DecimalField(
        _("registered capital (CNY)"), max_digits=18, decimal_places=2, null=True, blank=True
    )
    is_listed = models.BooleanField(_("listed"), default=False)
    is_headquarters = models.BooleanField(_("headquarters"), default=False)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not a real enterprise.")
    )

    scope_district_path = "district"
    scope_enterprise_path = "pk"

    class Meta:
        ordering = ("uscc",)
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(registered_capital_cny__gte=0), name="%(app_label)s_%(class)s_capital_not_negative"
            ),
        ]
        indexes = [models.Index(fields=["district", "uscc"], name="enterprises_district_uscc_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Chinese when there is no English name)."""
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.pk])


class EnterpriseGroup(models.Model):
    """An enterprise's membership of an industry group: resolved from the default mapping, or tagged explicitly.

    Mapping rows are recomputed set-based (``industry_rollup_refresh``) whenever codes or the mapping change;
    explicit tags are kept.  Every statistic by group joins this table, with ``weight`` splitting output.
    """

    enterprise = models.ForeignKey(Enterprise, on_delete=models.CASCADE, related_name="group_links")
    group = models.ForeignKey(IndustryGroup, on_delete=models.CASCADE, related_name="enterprise_links")
    source = models.CharField(_("source"), max_length=10, choices=MappingSource.choices)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4, default=1)
    primary = models.BooleanField(_("primary"), default=False)

    objects = ScopedQuerySet.as_manager()
    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("enterprise", "group")
        verbose_name = _("enterprise group membership")
        verbose_name_plural = _("enterprise group memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "group", "source"], name="%(app_label)s_%(class)s_unique_link"
            )
        ]
        indexes = [models.Index(fields=["group", "enterprise"], name="enterprises_group_link_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} → {self.group_id} ({self.source})"
