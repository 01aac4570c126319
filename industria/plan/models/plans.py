"""The plan document: sources, the plan, its goals and its actions."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.core.models import ChangeLoggedModel
from industria.enterprises.choices import Confidence

from .querysets import PlanScopedQuerySet


def in_language(zh: str, en: str) -> str:
    """The English text when the active language is English and there is one, else the Chinese."""
    return en if (get_language() or "").startswith("en") and en else zh


class DataSource(ChangeLoggedModel):
    """A citable source of figures and targets: a document, press release, statistical table or report."""

    code = models.CharField(_("code"), max_length=60, unique=True, help_text=_("Stable key, e.g. PLAN-2023."))
    title = models.CharField(_("title"), max_length=400)
    url = models.URLField(_("address"), max_length=500, blank=True)
    alt_urls = models.JSONField(_("other addresses"), default=list, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    published_on = models.DateField(
        _("published on"), null=True, blank=True, help_text=_("When only the month is known, its last day.")
    )
    reference = models.CharField(
        _("reference"), max_length=300, blank=True, help_text=_("Where in the research notes the source was recorded.")
    )

    objects = PlanScopedQuerySet.as_manager()
    scope_shared = True

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("code",)
        verbose_name = _("data source")
        verbose_name_plural = _("data sources")

    def __str__(self) -> str:
        return f"{self.code}: {self.title}"[:200]

    def get_absolute_url(self) -> str:
        return reverse("plan:datasource_detail", args=[self.pk])


class DevelopmentPlan(ChangeLoggedModel):
    """A development plan (e.g. Shanghai's 2023-2025 manufacturing action plan) with its period and document."""

    code = models.CharField(_("code"), max_length=60, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=400, blank=True)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    issuer_zh = models.CharField(_("issuer (Chinese)"), max_length=200, blank=True)
    issuer_en = models.CharField(_("issuer (English)"), max_length=300, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    industrial_system = models.CharField(_("industrial system"), max_length=60, blank=True)
    source = models.ForeignKey(
        DataSource, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.S)
    is_current = models.BooleanField(_("current"), default=True, help_text=_("Shown on the dashboard."))
    data_changed_at = models.DateTimeField(
        _("data changed at"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set by every write to the plan's data; keys the cached dashboard."),
    )

    objects = PlanScopedQuerySet.as_manager()
    scope_shared = True

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("-is_current", "-start_year", "code")
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")), name="%(app_label)s_%(class)s_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

    @property
    def issuer(self) -> str:
        return in_language(self.issuer_zh, self.issuer_en)

    def get_absolute_url(self) -> str:
        return reverse("plan:developmentplan_detail", args=[self.pk])


class PlanGoal(ChangeLoggedModel):
    """One of the plan's main objectives (主要目标), grouping its indicators."""

    plan = models.ForeignKey(DevelopmentPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="goals")
    code = models.CharField(_("code"), max_length=20)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)
    source = models.ForeignKey(
        DataSource, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.S)
    note = models.TextField(_("note"), blank=True)

    objects = PlanScopedQuerySet.as_manager()
    scope_shared = True

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("plan", "sort_order", "code")
        verbose_name = _("plan goal")
        verbose_name_plural = _("plan goals")
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="%(app_label)s_%(class)s_unique_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

    def get_absolute_url(self) -> str:
        return reverse("plan:developmentplan_detail", args=[self.plan_id]) + f"#goal-{self.code}"


class PlanAction(ChangeLoggedModel):
    """One of the plan's actions (行动), which group its tasks and action targets."""

    plan = models.ForeignKey(DevelopmentPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="actions")
    code = models.CharField(_("code"), max_length=20)
    number = models.PositiveSmallIntegerField(_("number"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    source = models.ForeignKey(
        DataSource, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.S)

    objects = PlanScopedQuerySet.as_manager()
    scope_shared = True

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("plan", "number")
        verbose_name = _("plan action")
        verbose_name_plural = _("plan actions")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="%(app_label)s_%(class)s_unique_number"),
            models.UniqueConstraint(fields=["plan", "code"], name="%(app_label)s_%(class)s_unique_code"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.name}"

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

    @property
    def summary(self) -> str:
        return in_language(self.summary_zh, self.summary_en)

    def get_absolute_url(self) -> str:
        return reverse("plan:developmentplan_detail", args=[self.plan_id]) + f"#action-{self.code}"
