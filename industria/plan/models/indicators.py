"""Indicators of a plan, their yearly targets and their actual series (with source, as-of date and status)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department, District
from industria.core.models import ChangeLoggedModel
from industria.enterprises.choices import Confidence
from industria.enterprises.models import IndustryGroup
from industria.plan.choices import (
    QUALIFIER_SYMBOLS,
    ActualStatus,
    Cadence,
    Comparator,
    Direction,
    Measure,
    PeriodType,
    Qualifier,
    SeriesKind,
    TargetKind,
    Unit,
    ValueKind,
    Vintage,
)

from .plans import DataSource, DevelopmentPlan, PlanAction, PlanGoal, in_language
from .querysets import PlanScopedQuerySet, user_scope

VALUE = {"max_digits": 24, "decimal_places": 6}


class PlanIndicator(ChangeLoggedModel):
    """A measurable objective of the plan: unit, direction, target kind, forecasting spec, RAG rules, freshness.

    An indicator is either updated by hand (``cadence``, ``owner``, ``next_due_on``) or ``computed`` live from
    the enterprise registry (definition JSON, see docs/models/plan/indicators.md).
    """

    plan = models.ForeignKey(
        DevelopmentPlan, verbose_name=_("plan"), on_delete=models.CASCADE, related_name="indicators"
    )
    goal = models.ForeignKey(
        PlanGoal, verbose_name=_("goal"), on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    action = models.ForeignKey(
        PlanAction,
        verbose_name=_("action"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
    )
    code = models.SlugField(_("code"), max_length=80)
    ref = models.CharField(_("reference in the plan"), max_length=20, blank=True, help_text=_("T1-T10, A3-2 …"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    unit = models.CharField(_("unit"), max_length=30, choices=Unit.choices)
    unit_zh = models.CharField(_("unit (Chinese)"), max_length=20, blank=True)
    measure = models.CharField(_("measure"), max_length=12, choices=Measure.choices, default=Measure.ANNUAL)
    cumulative_from_year = models.PositiveSmallIntegerField(_("cumulative from (year)"), null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=20, choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    target_kind = models.CharField(_("target kind"), max_length=20, choices=TargetKind.choices)
    value_kind = models.CharField(
        _("series kind (forecast)"), max_length=10, choices=ValueKind.choices, default=ValueKind.LEVEL
    )
    since_year = models.PositiveSmallIntegerField(
        _("forecast from (year)"), null=True, blank=True, help_text=_("Ignore earlier years (a change of scope).")
    )
    is_headline = models.BooleanField(_("headline"), default=False, help_text=_("Shown as a card on the overview."))
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the public pages."))
    breakdown_district = models.BooleanField(_("broken down by district"), default=False)
    breakdown_industry_group = models.BooleanField(_("broken down by industry group"), default=False)
    cadence = models.CharField(
        _("update cadence"),
        max_length=10,
        choices=Cadence.choices,
        blank=True,
        help_text=_("For indicators updated by hand; empty for computed indicators."),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_plan_indicators",
    )
    responsible_department = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="plan_indicators",
    )
    next_due_on = models.DateField(_("next update due on"), null=True, blank=True)
    computed = models.JSONField(
        _("computed definition"),
        null=True,
        blank=True,
        help_text=_("Query over the registry: count_tiers, sum_fact or ratio_of_indicators."),
    )
    rag_rule_set = models.CharField(_("status rule set"), max_length=40, blank=True)
    rag_rules = models.JSONField(
        _("status rules"), default=list, blank=True, help_text=_("Ordered rules, first match wins.")
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(_("baseline value"), null=True, blank=True, **VALUE)
    baseline_qualifier = models.CharField(
        _("baseline qualifier"), max_length=6, choices=Qualifier.choices, blank=True, default=""
    )
    baseline_source = models.ForeignKey(
        DataSource,
        verbose_name=_("baseline source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    baseline_note = models.TextField(_("baseline note"), blank=True)
    note = models.TextField(_("note"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    objects = PlanScopedQuerySet.as_manager()

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(is_public=True)

    @classmethod
    def scope_view_q(cls, user: object) -> models.Q:
        return models.Q()  # indicators have no district: anyone with the role permission reads them all

    class Meta:
        ordering = ("plan", "sort_order", "code")
        verbose_name = _("plan indicator")
        verbose_name_plural = _("plan indicators")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="%(app_label)s_%(class)s_unique_code"),
            models.CheckConstraint(
                condition=~models.Q(target_kind="growth_rate") | models.Q(baseline_year__isnull=False),
                name="%(app_label)s_%(class)s_growth_rate_has_baseline_year",
            ),
            models.CheckConstraint(
                condition=~models.Q(measure="cumulative") | models.Q(cumulative_from_year__isnull=False),
                name="%(app_label)s_%(class)s_cumulative_has_start_year",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_zh, self.name_en)

    @property
    def unit_label(self) -> str:
        """The unit as shown: the Chinese unit word in Chinese, the unit's name otherwise."""
        return in_language(self.unit_zh, str(Unit(self.unit).label)) if self.unit else ""

    @property
    def is_computed(self) -> bool:
        return bool(self.computed)

    @property
    def has_target(self) -> bool:
        return self.target_kind != TargetKind.CONTEXT

    def is_stale(self, *, today: date) -> bool:
        """A hand-updated indicator whose next update was due before ``today``."""
        return not self.is_computed and self.next_due_on is not None and self.next_due_on < today

    def get_absolute_url(self) -> str:
        return reverse("plan:planindicator_detail", args=[self.pk])


class IndicatorTarget(ChangeLoggedModel):
    """The value an indicator must reach in a year, with the plan's wording (comparator) and its source."""

    indicator = models.ForeignKey(
        PlanIndicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("target value"), null=True, blank=True, **VALUE)
    comparator = models.CharField(_("comparator"), max_length=12, choices=Comparator.choices, default=Comparator.GTE)
    text_zh = models.CharField(_("wording (Chinese)"), max_length=300, blank=True)
    text_en = models.CharField(_("wording (English)"), max_length=400, blank=True)
    source = models.ForeignKey(
        DataSource, verbose_name=_("source"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.S)
    note = models.TextField(_("note"), blank=True)

    objects = PlanScopedQuerySet.as_manager()

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(indicator__is_public=True)

    @classmethod
    def scope_view_q(cls, user: object) -> models.Q:
        return models.Q()

    class Meta:
        ordering = ("indicator", "year")
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "year"], name="%(app_label)s_%(class)s_unique_year"),
            models.CheckConstraint(
                condition=models.Q(comparator="decreasing") | models.Q(value__isnull=False),
                name="%(app_label)s_%(class)s_value_unless_direction_only",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} · {self.year}"

    @property
    def text(self) -> str:
        return in_language(self.text_zh, self.text_en)

    def get_absolute_url(self) -> str:
        return reverse("plan:indicatortarget_detail", args=[self.pk])


class IndicatorActual(ChangeLoggedModel):
    """One observed figure of an indicator: period, value, status, source and the date it became known.

    ``period`` is the last day of the period (``period_type``); ``as_of_date`` is the date by which the figure was
    public, so the dashboard can be shown as it was on any past date. Breakdown rows carry a district or an
    industry group; city-wide rows carry neither. Real figures always cite a source; uncertain figures are never
    published or preliminary (database constraints).
    """

    indicator = models.ForeignKey(
        PlanIndicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="actuals"
    )
    series = models.CharField(_("series"), max_length=10, choices=SeriesKind.choices, default=SeriesKind.VALUE)
    period = models.DateField(_("period (last day)"))
    period_type = models.CharField(_("period type"), max_length=10, choices=PeriodType.choices)
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actuals",
    )
    industry_group = models.ForeignKey(
        IndustryGroup,
        verbose_name=_("industry group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_actuals",
    )
    value = models.DecimalField(_("value"), **VALUE)
    qualifier = models.CharField(_("qualifier"), max_length=6, choices=Qualifier.choices, blank=True, default="")
    status = models.CharField(_("status"), max_length=12, choices=ActualStatus.choices, default=ActualStatus.PUBLISHED)
    uncertain = models.BooleanField(
        _("uncertain"), default=False, help_text=_("Unverified or conflicting: never shown as confirmed.")
    )
    vintage = models.CharField(_("vintage"), max_length=16, choices=Vintage.choices, default=Vintage.FIRST_RELEASE)
    as_of_date = models.DateField(_("known on"), help_text=_("The date by which the figure was public."))
    as_of_inferred = models.BooleanField(
        _("known-on date inferred"),
        default=False,
        help_text=_("The source gives no date: the source's date or the period end was used."),
    )
    source = models.ForeignKey(
        DataSource,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="actuals",
    )
    citation = models.CharField(
        _("citation detail"), max_length=300, blank=True, help_text=_("Table, page or paragraph in the source.")
    )
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.V)
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = PlanScopedQuerySet.as_manager()
    scope_district_path = "district"

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q(indicator__is_public=True)

    @classmethod
    def scope_view_q(cls, user: object) -> models.Q:
        """City-wide readers see every row; others the city-wide rows and their own district's breakdown."""
        scope = user_scope(user)
        if scope == "city":
            return models.Q()
        own = models.Q(district__isnull=True)
        if scope == "district":
            own |= models.Q(district_id=getattr(user, "district_id", None))
        return own

    class Meta:
        ordering = ("indicator", "series", "-period", "-as_of_date")
        verbose_name = _("indicator actual")
        verbose_name_plural = _("indicator actuals")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "series", "period", "period_type", "vintage", "as_of_date"],
                condition=models.Q(district__isnull=True, industry_group__isnull=True),
                name="%(app_label)s_%(class)s_unique_city",
            ),
            models.UniqueConstraint(
                fields=["indicator", "series", "period", "period_type", "vintage", "as_of_date", "district"],
                condition=models.Q(district__isnull=False, industry_group__isnull=True),
                name="%(app_label)s_%(class)s_unique_district",
            ),
            models.UniqueConstraint(
                fields=["indicator", "series", "period", "period_type", "vintage", "as_of_date", "industry_group"],
                condition=models.Q(district__isnull=True, industry_group__isnull=False),
                name="%(app_label)s_%(class)s_unique_group",
            ),
            models.UniqueConstraint(
                fields=[
                    "indicator",
                    "series",
                    "period",
                    "period_type",
                    "vintage",
                    "as_of_date",
                    "district",
                    "industry_group",
                ],
                condition=models.Q(district__isnull=False, industry_group__isnull=False),
                name="%(app_label)s_%(class)s_unique_district_group",
            ),
            models.CheckConstraint(
                condition=models.Q(status="synthetic") | models.Q(source__isnull=False),
                name="%(app_label)s_%(class)s_real_figures_cite_a_source",
            ),
            models.CheckConstraint(
                condition=~models.Q(uncertain=True, status__in=["published", "preliminary"]),
                name="%(app_label)s_%(class)s_uncertain_never_confirmed",
            ),
            models.CheckConstraint(
                condition=models.Q(as_of_date__gte=models.F("period")),
                name="%(app_label)s_%(class)s_known_after_period",
            ),
        ]
        indexes = [
            models.Index(
                fields=["indicator", "period"],
                condition=models.Q(district__isnull=True, industry_group__isnull=True, series="value"),
                name="plan_actual_city_idx",
            ),
            models.Index(fields=["indicator", "district", "period"], name="plan_actual_district_idx"),
            models.Index(fields=["as_of_date"], name="plan_actual_known_idx"),
        ]

    def __str__(self) -> str:
        where = self.district or self.industry_group or ""
        return f"{self.indicator} · {self.period:%Y-%m-%d}{f' · {where}' if where else ''}"

    @property
    def qualifier_symbol(self) -> str:
        return QUALIFIER_SYMBOLS.get(self.qualifier, "")

    @property
    def is_confirmed(self) -> bool:
        """Published or preliminary and not uncertain: may be shown without a caveat."""
        return not self.uncertain and self.status in (ActualStatus.PUBLISHED, ActualStatus.PRELIMINARY)

    def get_absolute_url(self) -> str:
        return reverse("plan:indicatoractual_detail", args=[self.pk])
