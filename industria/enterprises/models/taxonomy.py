"""The industry taxonomy: GB/T 4754-2017 codes, the "2+(3+6)+(4+5)" groups, and the default mapping."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.core.models import ChangeLoggedModel
from industria.enterprises.choices import CategoryLevel, Confidence, GroupKind


class _Named:
    name_zh: str
    name_en: str

    @property
    def name(self) -> str:
        """The name in the active language."""
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh


class IndustryCategory(_Named, ChangeLoggedModel):
    """A GB/T 4754-2017 code: section (letter), division (2 digits), group (3) or class (4)."""

    code = models.CharField(_("code"), max_length=4, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=CategoryLevel.choices)
    section = models.CharField(_("section"), max_length=1)
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.M)

    scope_shared = True

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("code",)
        verbose_name = _("industry code")
        verbose_name_plural = _("industry codes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:industrycategory_list") + f"?q={self.code}"


class IndustrySystem(ChangeLoggedModel):
    """A version of the city's industrial system (e.g. Shanghai 2023: "2+(3+6)+(4+5)")."""

    code = models.CharField(_("code"), max_length=50)
    version = models.CharField(_("version"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.JSONField(_("source"), default=dict, blank=True)
    is_current = models.BooleanField(_("current"), default=True)

    scope_shared = True

    class Meta:
        ordering = ("-valid_from",)
        verbose_name = _("industrial system")
        verbose_name_plural = _("industrial systems")
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="%(app_label)s_%(class)s_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name_zh} ({self.version})"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:industrygroup_list")


class IndustryGroup(_Named, ChangeLoggedModel):
    """A group of the industrial system (a leading industry, a key cluster, a new track …) or a sub-area of one."""

    system = models.ForeignKey(
        IndustrySystem, verbose_name=_("industrial system"), on_delete=models.CASCADE, related_name="groups"
    )
    code = models.CharField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    target_value = models.DecimalField(_("plan target"), max_digits=24, decimal_places=4, null=True, blank=True)
    target_unit = models.CharField(
        _("target unit"), max_length=40, blank=True, help_text=_("CNY, count, ratio … as in the reference file.")
    )
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_measure = models.CharField(
        _("target measure"),
        max_length=60,
        blank=True,
        help_text=_("What the target counts, e.g. industry scale (产业规模)."),
    )
    target_confidence = models.CharField(_("target confidence"), max_length=1, choices=Confidence.choices, blank=True)
    target_source = models.TextField(_("target source"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    scope_shared = True

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("sort_order", "code")
        verbose_name = _("industry group")
        verbose_name_plural = _("industry groups")
        constraints = [models.UniqueConstraint(fields=["system", "code"], name="%(app_label)s_%(class)s_unique_code")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("enterprises:industrygroup_detail", args=[self.pk])


class IndustryMapping(ChangeLoggedModel):
    """A rule of the default mapping: enterprises coded ``industry_code`` (prefix) count towards ``group``.

    No official mapping is published; this is Industria's documented default, editable by an administrator.
    Resolution: for each kind, the rules at the longest matching code prefix apply (``exact`` rules only to that
    very code); kinds resolve independently (see engines.taxonomy).
    """

    group = models.ForeignKey(
        IndustryGroup, verbose_name=_("industry group"), on_delete=models.CASCADE, related_name="mappings"
    )
    industry_code = models.CharField(_("industry code"), max_length=4)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=4,
        default=1,
        help_text=_("Share (0-1) of the code's output attributed to the group."),
    )
    primary = models.BooleanField(_("primary"), default=False)
    exact = models.BooleanField(_("exact code only"), default=False)
    rationale = models.TextField(_("rationale"), blank=True)

    scope_shared = True

    class Meta:
        ordering = ("industry_code", "group__code")
        verbose_name = _("industry mapping rule")
        verbose_name_plural = _("industry mapping rules")
        constraints = [
            models.UniqueConstraint(fields=["industry_code", "group"], name="%(app_label)s_%(class)s_unique_rule"),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0, weight__lte=1), name="%(app_label)s_%(class)s_weight_in_0_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.industry_code} → {self.group.code}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:industrymapping_list") + f"?industry_code={self.industry_code}"
