"""Facts per enterprise: yearly (finance, employment, energy, land) and monthly (output for the dashboard)."""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from industria.core.models import ChangeLoggedModel
from industria.enterprises.choices import Confidence

from .enterprises import Enterprise

MONEY = {"max_digits": 18, "decimal_places": 2, "null": True, "blank": True}
QUANTITY = {"max_digits": 16, "decimal_places": 3, "null": True, "blank": True}

# (field, verbose name, unit) of the yearly facts, in import/export order; units are in the names.
YEAR_FACT_FIELDS: list[tuple[str, str]] = [
    ("main_revenue_cny", _("main-business revenue (CNY)")),
    ("operating_revenue_cny", _("operating revenue (CNY)")),
    ("gross_output_cny", _("gross industrial output (CNY)")),
    ("value_added_cny", _("industrial value added (CNY)")),
    ("tax_paid_cny", _("tax paid (CNY)")),
    ("profit_cny", _("total profit (CNY)")),
    ("total_assets_cny", _("total assets (CNY)")),
    ("total_liabilities_cny", _("total liabilities (CNY)")),
    ("rd_expense_cny", _("R&D expense (CNY)")),
    ("employees_avg", _("average employees")),
    ("rd_staff", _("R&D staff")),
    ("energy_tce", _("energy use (tce)")),
    ("electricity_kwh", _("electricity use (kWh)")),
    ("emissions_t", _("main-pollutant emissions (t)")),
    ("land_area_mu", _("land area (mu)")),
    ("floor_area_m2", _("floor area (m²)")),
]


class SizeRule(ChangeLoggedModel):
    """The "above designated size" threshold in force from a year on (a rule parameter with its source)."""

    effective_from_year = models.PositiveSmallIntegerField(_("effective from (year)"), unique=True)
    main_revenue_threshold_cny = models.DecimalField(
        _("main-business revenue threshold (CNY)"), max_digits=18, decimal_places=2
    )
    source = models.TextField(_("source"))
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.S)

    scope_shared = True

    class Meta:
        ordering = ("-effective_from_year",)
        verbose_name = _("size threshold")
        verbose_name_plural = _("size thresholds")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(main_revenue_threshold_cny__gt=0), name="%(app_label)s_%(class)s_threshold_positive"
            )
        ]

    def __str__(self) -> str:
        return f"≥ {self.main_revenue_threshold_cny:,.0f} CNY ({self.effective_from_year}–)"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_list")

    @classmethod
    def threshold_for(cls, year: int) -> Decimal | None:
        """The threshold in force in ``year`` (None before the first rule)."""
        rule = cls.objects.filter(effective_from_year__lte=year).order_by("-effective_from_year").first()
        return rule.main_revenue_threshold_cny if rule else None


class EnterpriseYearFact(ChangeLoggedModel):
    """One enterprise's facts for one year; ``above_size`` is stored as evaluated under that year's size rule."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="year_facts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    main_revenue_cny = models.DecimalField(_("main-business revenue (CNY)"), **MONEY)
    operating_revenue_cny = models.DecimalField(_("operating revenue (CNY)"), **MONEY)
    gross_output_cny = models.DecimalField(_("gross industrial output (CNY)"), **MONEY)
    value_added_cny = models.DecimalField(_("industrial value added (CNY)"), **MONEY)
    tax_paid_cny = models.DecimalField(_("tax paid (CNY)"), **MONEY)
    profit_cny = models.DecimalField(_("total profit (CNY)"), **MONEY)
    total_assets_cny = models.DecimalField(_("total assets (CNY)"), **MONEY)
    total_liabilities_cny = models.DecimalField(_("total liabilities (CNY)"), **MONEY)
    rd_expense_cny = models.DecimalField(_("R&D expense (CNY)"), **MONEY)
    employees_avg = models.PositiveIntegerField(_("average employees"), null=True, blank=True)
    rd_staff = models.PositiveIntegerField(_("R&D staff"), null=True, blank=True)
    energy_tce = models.DecimalField(_("energy use (tce)"), **QUANTITY)
    electricity_kwh = models.DecimalField(_("electricity use (kWh)"), **QUANTITY)
    emissions_t = models.DecimalField(_("main-pollutant emissions (t)"), **QUANTITY)
    land_area_mu = models.DecimalField(_("land area (mu)"), max_digits=12, decimal_places=2, null=True, blank=True)
    floor_area_m2 = models.DecimalField(_("floor area (m²)"), max_digits=14, decimal_places=2, null=True, blank=True)
    above_size = models.BooleanField(_("above designated size"), default=False)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("enterprise", "-year")
        verbose_name = _("yearly facts")
        verbose_name_plural = _("yearly facts")
        constraints = [
            models.UniqueConstraint(fields=["enterprise", "year"], name="%(app_label)s_%(class)s_unique_year"),
            models.CheckConstraint(
                condition=models.Q(year__gte=1949, year__lte=2100), name="%(app_label)s_%(class)s_year_range"
            ),
        ]
        # covers the size-class filter of the enterprise list (year, above_size → enterprise) from the index alone
        indexes = [models.Index(fields=["year", "above_size", "enterprise"], name="enterprises_yearfact_size_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise_id]) + "?tab=facts"


class EnterpriseMonthFact(ChangeLoggedModel):
    """Monthly output and value added of an above-size enterprise (for the dashboard)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="month_facts"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    gross_output_cny = models.DecimalField(_("gross industrial output (CNY)"), **MONEY)
    value_added_cny = models.DecimalField(_("industrial value added (CNY)"), **MONEY)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    scope_district_path = "enterprise__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("enterprise", "-year", "-month")
        verbose_name = _("monthly facts")
        verbose_name_plural = _("monthly facts")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "year", "month"], name="%(app_label)s_%(class)s_unique_month"
            ),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="%(app_label)s_%(class)s_month_range"
            ),
        ]
        indexes = [models.Index(fields=["year", "month"], name="enterprises_monthfact_ym_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.year}-{self.month:02d}"

    def get_absolute_url(self) -> str:
        return reverse("enterprises:enterprise_detail", args=[self.enterprise_id]) + "?tab=facts"
