"""Places of the industrial map: parks, strategic areas, parcels; land use by year; revitalisation of inefficient land.

Geometry is GeoJSON (a ``geometry`` object, WGS-84 lon/lat) in a JSONField, validated by ``land.geometry``
(shapely): valid, inside Shanghai, area consistent with the stated area.  The centroid and the bounding box are
stored as decimal columns so that a viewport (bbox) query is a plain indexed range filter on SQLite and
PostgreSQL alike (STYLE.md §5: no PostGIS until a real GIS need appears).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department, District
from industria.core.models import ChangeLoggedModel
from industria.enterprises.choices import Confidence
from industria.enterprises.models import Enterprise, IndustryGroup
from industria.land.choices import (
    ActionKind,
    ActionStatus,
    InefficiencyKind,
    LandUseClass,
    ParcelStatus,
    ParkKind,
    StrategicAreaKind,
)

M2_PER_MU = Decimal("666.6666666667")  # 1 mu = 10,000/15 m² (1 ha = 15 mu)
COORD = {"max_digits": 9, "decimal_places": 6, "null": True, "blank": True}
MONEY = {"max_digits": 18, "decimal_places": 2}


class _Named(models.Model):
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the active language (Chinese when there is no English name)."""
        return self.name_en if (get_language() or "").startswith("en") and self.name_en else self.name_zh


class _Located(models.Model):
    """GeoJSON geometry with its centroid and bounding box as indexed decimal columns (kept by land.geometry)."""

    geometry = models.JSONField(_("geometry (GeoJSON)"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), **COORD)
    longitude = models.DecimalField(_("longitude"), **COORD)
    min_lon = models.DecimalField(_("west bound"), **COORD)
    min_lat = models.DecimalField(_("south bound"), **COORD)
    max_lon = models.DecimalField(_("east bound"), **COORD)
    max_lat = models.DecimalField(_("north bound"), **COORD)

    class Meta:
        abstract = True


class Park(_Named, _Located, ChangeLoggedModel):
    """A characteristic industrial park, development zone or industrial base, with its lead industries and
    the land and floor space it still has to offer."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="parks")
    kind = models.CharField(_("kind"), max_length=24, choices=ParkKind.choices)
    lead_groups = models.ManyToManyField(
        IndustryGroup, verbose_name=_("lead industry groups"), blank=True, related_name="parks"
    )
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=4, null=True, blank=True)
    available_land_mu = models.DecimalField(_("available land (mu)"), max_digits=12, decimal_places=2, default=0)
    available_floor_m2 = models.DecimalField(
        _("available floor space (m²)"), max_digits=14, decimal_places=2, default=0
    )
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, blank=True)
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data or a schematic boundary, not a surveyed one.")
    )

    scope_district_path = "district"
    scope_shared = True  # parks are public information: every signed-in user may read every park

    class Meta:
        ordering = ("district", "code")
        verbose_name = _("park")
        verbose_name_plural = _("parks")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(available_land_mu__gte=0) & models.Q(available_floor_m2__gte=0),
                name="%(app_label)s_%(class)s_available_not_negative",
            ),
        ]
        indexes = [models.Index(fields=["min_lon", "min_lat", "max_lon", "max_lat"], name="land_park_bbox_idx")]

    def get_absolute_url(self) -> str:
        return reverse("land:park_detail", args=[self.pk])

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()


class StrategicArea(_Named, _Located, ChangeLoggedModel):
    """A strategic area drawn as an overlay: Lingang New Area, the five new cities, the north-south
    transformation areas.  Boundaries are schematic unless ``synthetic`` is false and a source is given."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=24, choices=StrategicAreaKind.choices)
    districts = models.ManyToManyField(District, verbose_name=_("districts"), blank=True, related_name="+")
    area_km2 = models.DecimalField(_("area (km²)"), max_digits=10, decimal_places=4, null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, blank=True)
    synthetic = models.BooleanField(
        _("schematic boundary"), default=True, help_text=_("The boundary is drawn to the published area, not surveyed.")
    )

    scope_shared = True

    class Meta:
        ordering = ("kind", "code")
        verbose_name = _("strategic area")
        verbose_name_plural = _("strategic areas")

    def get_absolute_url(self) -> str:
        return reverse("land:strategicarea_detail", args=[self.pk])

    @classmethod
    def scope_public_q(cls) -> models.Q:
        return models.Q()


class Parcel(_Located, ChangeLoggedModel):
    """An industrial land parcel with its transfer terms, status and the performance clauses agreed at transfer
    (investment intensity, output and tax per mu at capacity)."""

    parcel_code = models.CharField(_("parcel id"), max_length=40, unique=True)
    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.PROTECT, related_name="parcels")
    park = models.ForeignKey(
        Park, verbose_name=_("park"), on_delete=models.SET_NULL, null=True, blank=True, related_name="parcels"
    )
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=14, decimal_places=2)
    area_mu = models.DecimalField(_("area (mu)"), max_digits=12, decimal_places=2)
    land_use_class = models.CharField(
        _("land-use class"), max_length=20, choices=LandUseClass.choices, default=LandUseClass.INDUSTRIAL
    )
    floor_area_ratio = models.DecimalField(_("floor-area ratio"), max_digits=5, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ParcelStatus.choices, default=ParcelStatus.IN_USE)
    available_from = models.DateField(_("available from"), null=True, blank=True)
    # the life cycle: approved (批) → supplied/transferred (供) → construction (用) → completed (建) → producing (投)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    transfer_on = models.DateField(_("land transferred on"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term (years)"), null=True, blank=True)
    construction_started_on = models.DateField(_("construction started on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    producing_on = models.DateField(_("producing since"), null=True, blank=True)
    developed_share = models.DecimalField(
        _("developed share"),
        max_digits=5,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("Share of the parcel's permitted floor area that is built (0–1)."),
    )
    # performance clauses agreed at transfer ("standard land" 标准地)
    agreed_investment_cny_per_mu = models.DecimalField(
        _("agreed investment intensity (CNY/mu)"), **MONEY, null=True, blank=True
    )
    agreed_output_cny_per_mu = models.DecimalField(
        _("agreed output per mu at capacity (CNY/mu)"), **MONEY, null=True, blank=True
    )
    agreed_tax_cny_per_mu = models.DecimalField(
        _("agreed tax per mu at capacity (CNY/mu)"), **MONEY, null=True, blank=True
    )
    synthetic = models.BooleanField(
        _("synthetic"), default=False, help_text=_("Generated demo data, not a real parcel.")
    )

    scope_district_path = "district"

    class Meta:
        ordering = ("district", "parcel_code")
        verbose_name = _("parcel")
        verbose_name_plural = _("parcels")
        constraints = [
            models.CheckConstraint(condition=models.Q(area_m2__gt=0), name="%(app_label)s_%(class)s_area_positive"),
            models.CheckConstraint(
                condition=models.Q(floor_area_ratio__isnull=True) | models.Q(floor_area_ratio__gt=0),
                name="%(app_label)s_%(class)s_far_positive",
            ),
            models.CheckConstraint(
                condition=models.Q(developed_share__isnull=True)
                | (models.Q(developed_share__gte=0) & models.Q(developed_share__lte=1)),
                name="%(app_label)s_%(class)s_developed_share_0_1",
            ),
        ]
        indexes = [
            models.Index(fields=["min_lon", "max_lon", "min_lat", "max_lat"], name="land_parcel_bbox_idx"),
            models.Index(fields=["longitude", "latitude"], name="land_parcel_centroid_idx"),
            models.Index(fields=["district", "status"], name="land_parcel_dist_status_idx"),
            models.Index(fields=["status", "available_from"], name="land_parcel_available_idx"),
            # the map's capped layers take the largest parcels first: a walk of this index stops at the cap
            models.Index(models.F("area_m2").desc(), "id", name="land_parcel_area_order_idx"),
        ]

    def __str__(self) -> str:
        return self.parcel_code

    def get_absolute_url(self) -> str:
        return reverse("land:parcel_detail", args=[self.pk])

    @classmethod
    def scope_public_q(cls) -> models.Q:
        """The public sees available land only."""
        return models.Q(status=ParcelStatus.AVAILABLE)

    @property
    def buildable_floor_m2(self) -> Decimal | None:
        """Permitted floor area: area × floor-area ratio."""
        if self.floor_area_ratio is None:
            return None
        return (self.area_m2 * self.floor_area_ratio).quantize(Decimal("0.01"))


class LandUse(ChangeLoggedModel):
    """Which enterprise uses which parcel in a year, and how much of it (the whole parcel when blank)."""

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="land_uses"
    )
    parcel = models.ForeignKey(Parcel, verbose_name=_("parcel"), on_delete=models.CASCADE, related_name="uses")
    year = models.PositiveSmallIntegerField(_("year"))
    used_area_m2 = models.DecimalField(_("used area (m²)"), max_digits=14, decimal_places=2, null=True, blank=True)

    scope_district_path = "parcel__district"
    scope_enterprise_path = "enterprise"

    class Meta:
        ordering = ("-year", "parcel", "enterprise")
        verbose_name = _("land use")
        verbose_name_plural = _("land uses")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "parcel", "year"], name="%(app_label)s_%(class)s_unique_year"
            ),
            models.CheckConstraint(
                condition=models.Q(used_area_m2__isnull=True) | models.Q(used_area_m2__gt=0),
                name="%(app_label)s_%(class)s_used_area_positive",
            ),
        ]
        indexes = [models.Index(fields=["year", "parcel"], name="land_landuse_year_idx")]

    def __str__(self) -> str:
        return f"{self.enterprise_id} @ {self.parcel_id} ({self.year})"

    def get_absolute_url(self) -> str:
        return reverse("land:parcel_detail", args=[self.parcel_id])


class RevitalisationAction(ChangeLoggedModel):
    """A revitalisation action on an inefficient parcel (take back, re-let, urban renewal, raise the floor-area
    ratio, industry upstairs), tracked from planned to completed; the completed area counts against the target."""

    parcel = models.ForeignKey(Parcel, verbose_name=_("parcel"), on_delete=models.PROTECT, related_name="actions")
    kind = models.CharField(_("action"), max_length=24, choices=ActionKind.choices)
    reason = models.CharField(_("reason"), max_length=32, choices=InefficiencyKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=ActionStatus.choices, default=ActionStatus.PLANNED)
    department = models.ForeignKey(
        Department, verbose_name=_("responsible department"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    opened_on = models.DateField(_("opened on"))
    due_on = models.DateField(_("due on"), null=True, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    area_m2 = models.DecimalField(
        _("area revitalised (m²)"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("Defaults to the parcel's area when the action completes."),
    )  # fmt: skip
    notes = models.TextField(_("notes"), blank=True)

    scope_district_path = "parcel__district"

    class Meta:
        ordering = ("-opened_on", "pk")
        verbose_name = _("revitalisation action")
        verbose_name_plural = _("revitalisation actions")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=ActionStatus.COMPLETED) | models.Q(completed_on__isnull=False),
                name="%(app_label)s_%(class)s_completed_has_date",
            ),
        ]
        indexes = [models.Index(fields=["status", "completed_on"], name="land_action_status_idx")]

    def __str__(self) -> str:
        return f"{self.parcel_id}: {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("land:action_detail", args=[self.pk])


class RevitalisationTarget(ChangeLoggedModel):
    """A district's target for the area of inefficient land revitalised in a year."""

    district = models.ForeignKey(District, verbose_name=_("district"), on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    target_area_m2 = models.DecimalField(_("target area (m²)"), max_digits=14, decimal_places=2)
    source = models.TextField(_("source"), blank=True)
    confidence = models.CharField(_("confidence"), max_length=1, choices=Confidence.choices, blank=True)
    synthetic = models.BooleanField(_("synthetic"), default=False)

    scope_district_path = "district"

    class Meta:
        ordering = ("-year", "district")
        verbose_name = _("revitalisation target")
        verbose_name_plural = _("revitalisation targets")
        constraints = [
            models.UniqueConstraint(fields=["district", "year"], name="%(app_label)s_%(class)s_unique_year"),
            models.CheckConstraint(
                condition=models.Q(target_area_m2__gte=0), name="%(app_label)s_%(class)s_target_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("land:inefficient_list")


class SavedSiteSearch(ChangeLoggedModel):
    """An investor's site requirements saved by an officer, to re-run and export later."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.CASCADE, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200)
    criteria = models.JSONField(_("criteria"), default=dict)

    scope_owner_path = "owner"

    class Meta:
        ordering = ("-updated_at", "pk")
        verbose_name = _("saved site search")
        verbose_name_plural = _("saved site searches")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("land:sitesearch_saved", args=[self.pk])
