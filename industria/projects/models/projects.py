"""Key industrial projects: the project, its yearly investment plan, list memberships and monthly reports."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department, District
from industria.core.models import ChangeLoggedModel
from industria.core.permissions import ScopedQuerySet
from industria.enterprises.models import Enterprise, IndustryGroup
from industria.projects.choices import (
    ORDERED_STAGES,
    ListKind,
    ProjectStage,
    ProjectType,
    WarningColour,
    stage_order,
)

MONEY = {"max_digits": 18, "decimal_places": 2}
STAGE_DATE_FIELDS = {stage: f"{stage}_on" for stage in (*ORDERED_STAGES, "stalled", "cancelled")}


class KeyProjectQuerySet(ScopedQuerySet):
    """Projects with ``for_user``; a deep page is fetched keys first (a "deferred join").

    ``qs[9950:10000]`` on 100,000 projects would make PostgreSQL read 10,000 wide rows to skip them; the keys of
    the page come instead from an index-only scan (covering indexes of migration 0003), then the 50 rows by
    key.  Same rows, same order; shallow pages and every other use of the queryset are unchanged.
    """

    DEFERRED_FROM = 500

    def __getitem__(self, k):  # type: ignore[no-untyped-def]
        deep = (
            isinstance(k, slice)
            and (k.start or 0) >= self.DEFERRED_FROM
            and k.stop is not None
            and k.step is None
            and self._result_cache is None
            and not self.query.is_sliced
            and self._iterable_class is models.query.ModelIterable
        )
        if not deep:
            return super().__getitem__(k)
        keys = list(self.values_list("pk", flat=True)[k])
        rows = {obj.pk: obj for obj in self.filter(pk__in=keys).order_by()}
        return [rows[key] for key in keys if key in rows]


class KeyProject(ChangeLoggedModel):
    """A key industrial project of the investment pipeline, from lead to reaching design capacity.

    Stage changes go through ``projects.services`` (evidence, monotone order); the ``*_on`` columns record when
    each stage was reached and are what the dispatch statistics count.
    """

    code = models.CharField(_("project code"), max_length=32, unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    investor = models.ForeignKey(
        Enterprise,
        verbose_name=_("investor (registered enterprise)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_projects",
    )
    investor_name = models.CharField(
        _("investor (lead contact)"),
        max_length=200,
        blank=True,
        help_text=_("For an investor not yet in the registry."),
    )
    investor_contact = models.CharField(_("investor contact"), max_length=200, blank=True)
    district = models.ForeignKey(
        District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="key_projects"
    )
    park = models.CharField(_("park"), max_length=100, blank=True)
    parcel = models.ForeignKey(
        "land.Parcel",
        verbose_name=_("parcel"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_projects",
        help_text=_("The land parcel the project is built on; places the project on the industrial map."),
    )
    industry_group = models.ForeignKey(
        IndustryGroup,
        verbose_name=_("industry group"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="key_projects",
    )
    project_type = models.CharField(_("project type"), max_length=24, choices=ProjectType.choices)
    total_investment_cny = models.DecimalField(_("total investment (CNY)"), **MONEY)
    fixed_asset_investment_cny = models.DecimalField(_("fixed-asset investment (CNY)"), **MONEY, null=True, blank=True)
    expected_output_cny = models.DecimalField(
        _("expected annual output at capacity (CNY)"), **MONEY, null=True, blank=True
    )
    expected_tax_cny = models.DecimalField(_("expected annual tax at capacity (CNY)"), **MONEY, null=True, blank=True)
    land_area_mu = models.DecimalField(_("land area (mu)"), max_digits=12, decimal_places=2, null=True, blank=True)
    existing_land = models.BooleanField(
        _("on existing land"), default=False, help_text=_("The project may start without acquiring land.")
    )
    responsible_unit = models.ForeignKey(
        Department,
        verbose_name=_("responsible unit"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_projects",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="key_projects",
    )
    stage = models.CharField(_("stage"), max_length=24, choices=ProjectStage.choices, default=ProjectStage.LEAD)
    held_stage = models.CharField(_("stage before stalling"), max_length=24, choices=ProjectStage.choices, blank=True)
    lead_on = models.DateField(_("entered the pipeline on"), null=True, blank=True)
    negotiating_on = models.DateField(_("negotiating since"), null=True, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    land_acquired_on = models.DateField(_("land acquired on"), null=True, blank=True)
    permitted_on = models.DateField(_("permitted on"), null=True, blank=True)
    started_on = models.DateField(_("started on"), null=True, blank=True)
    under_construction_on = models.DateField(_("under construction since"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    producing_on = models.DateField(_("producing since"), null=True, blank=True)
    at_capacity_on = models.DateField(_("at capacity since"), null=True, blank=True)
    stalled_on = models.DateField(_("stalled on"), null=True, blank=True)
    cancelled_on = models.DateField(_("cancelled on"), null=True, blank=True)
    template = models.ForeignKey(
        "projects.NodeTemplate",
        verbose_name=_("node template"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    target_node_code = models.CharField(_("target node"), max_length=40, blank=True)
    target_on = models.DateField(_("target date"), null=True, blank=True)
    warning_colour = models.CharField(
        _("warning"), max_length=8, choices=WarningColour.choices, default=WarningColour.GREY
    )
    red_since = models.DateField(_("red since"), null=True, blank=True)
    warning_changed_on = models.DateField(_("warning changed on"), null=True, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not a real project.")
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = KeyProjectQuerySet.as_manager()
    scope_district_path = "district"
    scope_enterprise_path = "investor"

    class Meta:
        ordering = ("-code",)
        verbose_name = _("key project")
        verbose_name_plural = _("key projects")
        permissions = [("reopen_keyproject", _("Can reopen the stage of a key project"))]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total_investment_cny__gte=0), name="%(app_label)s_%(class)s_investment_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(fixed_asset_investment_cny__isnull=True)
                | models.Q(fixed_asset_investment_cny__lte=models.F("total_investment_cny")),
                name="%(app_label)s_%(class)s_fixed_assets_within_total",
            ),
            models.CheckConstraint(
                condition=models.Q(land_area_mu__isnull=True) | models.Q(land_area_mu__gt=0),
                name="%(app_label)s_%(class)s_land_area_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(investor__isnull=False) | ~models.Q(investor_name=""),
                name="%(app_label)s_%(class)s_has_investor",
            ),
        ]
        indexes = [
            models.Index(fields=["district", "code"], name="projects_kp_district_code_idx"),
            models.Index(fields=["stage", "code"], name="projects_kp_stage_code_idx"),
            models.Index(fields=["signed_on"], name="projects_kp_signed_idx"),
            models.Index(fields=["started_on"], name="projects_kp_started_idx"),
            models.Index(fields=["completed_on"], name="projects_kp_completed_idx"),
            models.Index(fields=["producing_on"], name="projects_kp_producing_idx"),
            models.Index(fields=["warning_colour", "code"], name="projects_kp_colour_code_idx"),
        ]
        # + projects_kp_slices_idx, a covering index for the dispatch aggregates (migration 0003)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def get_absolute_url(self) -> str:
        return reverse("projects:keyproject_detail", args=[self.pk])

    @property
    def name(self) -> str:
        """The name in the active language (Chinese when there is no English name)."""
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh

    @property
    def investor_display(self) -> str:
        return str(self.investor) if self.investor_id else self.investor_name

    @property
    def stage_rank(self) -> int | None:
        """The order of the current stage (None when stalled or cancelled)."""
        return stage_order(self.stage)

    def stage_date(self, stage: str) -> dt.date | None:
        """When the project reached ``stage`` (None if it has not)."""
        return getattr(self, STAGE_DATE_FIELDS[stage])

    def days_red(self, *, today: dt.date) -> int | None:
        """Days the project has been red on ``today`` (None when it is not red)."""
        return (today - self.red_since).days if self.red_since else None


class ProjectYearPlan(ChangeLoggedModel):
    """The investment a project plans to complete in one calendar year (the annual plan of the dispatch)."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="year_plans"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    planned_investment_cny = models.DecimalField(_("planned investment (CNY)"), **MONEY)

    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("project", "year")
        verbose_name = _("yearly investment plan")
        verbose_name_plural = _("yearly investment plans")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="%(app_label)s_%(class)s_unique_year"),
            models.CheckConstraint(
                condition=models.Q(planned_investment_cny__gte=0), name="%(app_label)s_%(class)s_plan_not_negative"
            ),
        ]
        # + projects_plan_year_idx (year, project; covering the amount on PostgreSQL), migration 0003

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url() + "?tab=investment"


class ProjectListMembership(ChangeLoggedModel):
    """A project's place on a list of a year: municipal major projects, key industrial projects, benchmarks."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="list_memberships"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    list_kind = models.CharField(_("list"), max_length=24, choices=ListKind.choices)

    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("project", "year", "list_kind")
        verbose_name = _("list membership")
        verbose_name_plural = _("list memberships")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "list_kind"], name="%(app_label)s_%(class)s_unique")
        ]
        indexes = [models.Index(fields=["year", "list_kind"], name="projects_list_year_kind_idx")]

    def __str__(self) -> str:
        return f"{self.project.code} {self.year} {self.get_list_kind_display()}"

    def get_absolute_url(self) -> str:
        return self.project.get_absolute_url()


class InvestmentReport(ChangeLoggedModel):
    """The fixed-asset investment a project completed in one month (实物工作量), as reported."""

    project = models.ForeignKey(
        KeyProject, verbose_name=_("project"), on_delete=models.CASCADE, related_name="investment_reports"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    completed_investment_cny = models.DecimalField(_("investment completed in the month (CNY)"), **MONEY)
    reported_on = models.DateField(_("reported on"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    scope_district_path = "project__district"
    scope_enterprise_path = "project__investor"

    class Meta:
        ordering = ("project", "-year", "-month")
        verbose_name = _("monthly investment report")
        verbose_name_plural = _("monthly investment reports")
        constraints = [
            models.UniqueConstraint(fields=["project", "year", "month"], name="%(app_label)s_%(class)s_unique_month"),
            models.CheckConstraint(
                condition=models.Q(month__gte=1, month__lte=12), name="%(app_label)s_%(class)s_month_in_year"
            ),
            models.CheckConstraint(
                condition=models.Q(completed_investment_cny__gte=0), name="%(app_label)s_%(class)s_not_negative"
            ),
        ]
        # + projects_report_period_idx (year, month, project; covering the amount on PostgreSQL), migration 0003

    def __str__(self) -> str:
        return f"{self.project.code} {self.year}-{self.month:02d}"

    def get_absolute_url(self) -> str:
        return reverse("projects:keyproject_detail", args=[self.project_id]) + "?tab=investment"
