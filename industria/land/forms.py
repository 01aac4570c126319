"""Land forms: shape validation only (geometry through ``land.geometry``; workflows through services)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department, District
from industria.core.forms import ScopedModelForm
from industria.engines.common.parsing import RulesError
from industria.engines.site_search import SiteCriteria
from industria.enterprises.models import IndustryGroup

from .choices import ActionKind, InefficiencyKind
from .filtersets import district_choices, group_choices, park_choices
from .geometry import BoundariesMissing, GeometryError, geometry_apply, geometry_check
from .models import M2_PER_MU, Parcel, Park, SavedSiteSearch, StrategicArea

GEOMETRY_HELP = _(
    "A GeoJSON geometry (Polygon, MultiPolygon or Point) in WGS-84 longitude/latitude, pasted as text. "
    "It must be valid, inside Shanghai, and for a polygon its area must agree with the stated area."
)


class GeometryFormMixin(forms.ModelForm):
    """A ``geometry`` text field checked by ``land.geometry.geometry_check``; the checked geometry, centroid
    and bounding box are applied to the instance on save."""

    #: the model field holding the stated area in m² (None: no area to compare)
    stated_area_field: str | None = None
    geometry_required = False

    geometry_text = forms.CharField(
        label=_("Geometry (GeoJSON)"), widget=forms.Textarea(attrs={"rows": 6}), required=False, help_text=GEOMETRY_HELP
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.geometry_info: Any = None
        if self.instance.pk and self.instance.geometry and not self.is_bound:
            self.initial["geometry_text"] = json.dumps(self.instance.geometry, ensure_ascii=False)
        self.fields["geometry_text"].required = self.geometry_required

    def stated_area_m2(self) -> Decimal | None:
        return self.cleaned_data.get(self.stated_area_field) if self.stated_area_field else None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        text = (cleaned.get("geometry_text") or "").strip()
        if not text:
            return cleaned
        try:
            self.geometry_info = geometry_check(text, stated_area_m2=self.stated_area_m2())
        except GeometryError as exc:
            self.add_error("geometry_text", str(exc))
        except BoundariesMissing as exc:
            self.add_error("geometry_text", str(exc))
        return cleaned

    def _post_clean(self) -> None:
        super()._post_clean()
        if self.geometry_info is not None:
            geometry_apply(self.instance, self.geometry_info)
        elif not (self.cleaned_data.get("geometry_text") or "").strip() and "geometry_text" in self.cleaned_data:
            self.instance.geometry = None
            for name in ("longitude", "latitude", "min_lon", "min_lat", "max_lon", "max_lat"):
                setattr(self.instance, name, None)


class ParkForm(GeometryFormMixin, ScopedModelForm):
    stated_area_field = None

    class Meta:
        model = Park
        fields = [
            "code",
            "name_zh",
            "name_en",
            "district",
            "kind",
            "lead_groups",
            "area_km2",
            "available_land_mu",
            "available_floor_m2",
            "source",
            "confidence",
            "synthetic",
        ]

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["lead_groups"].queryset = IndustryGroup.objects.filter(system__is_current=True).order_by(
            "parent_id", "sort_order", "code"
        )

    def stated_area_m2(self) -> Decimal | None:
        area_km2 = self.cleaned_data.get("area_km2")
        return area_km2 * Decimal(1_000_000) if area_km2 is not None else None


class StrategicAreaForm(GeometryFormMixin, ScopedModelForm):
    class Meta:
        model = StrategicArea
        fields = ["code", "name_zh", "name_en", "kind", "districts", "area_km2", "source", "confidence", "synthetic"]

    def stated_area_m2(self) -> Decimal | None:
        area_km2 = self.cleaned_data.get("area_km2")
        return area_km2 * Decimal(1_000_000) if area_km2 is not None else None


class ParcelForm(GeometryFormMixin, ScopedModelForm):
    """A parcel with its life cycle and agreed clauses; the area in mu follows from m² when left blank, and
    the geometry must lie in the parcel's district."""

    stated_area_field = "area_m2"

    class Meta:
        model = Parcel
        fields = [
            "parcel_code",
            "district",
            "park",
            "area_m2",
            "area_mu",
            "land_use_class",
            "floor_area_ratio",
            "status",
            "available_from",
            "approved_on",
            "transfer_on",
            "term_years",
            "construction_started_on",
            "completed_on",
            "producing_on",
            "developed_share",
            "agreed_investment_cny_per_mu",
            "agreed_output_cny_per_mu",
            "agreed_tax_cny_per_mu",
            "synthetic",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"})
            for name in (
                "available_from",
                "approved_on",
                "transfer_on",
                "construction_started_on",
                "completed_on",
                "producing_on",
            )
        }

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["area_mu"].required = False
        self.fields["park"].queryset = Park.objects.order_by("district__code", "code")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        area_m2, area_mu = cleaned.get("area_m2"), cleaned.get("area_mu")
        if area_m2 is not None and area_m2 <= 0:
            self.add_error("area_m2", _("The area must be greater than zero."))
        elif area_m2 is not None and area_mu is None:
            cleaned["area_mu"] = (area_m2 / M2_PER_MU).quantize(Decimal("0.01"))
            self.instance.area_mu = cleaned["area_mu"]
        district, park = cleaned.get("district"), cleaned.get("park")
        if district is not None and park is not None and park.district_id != district.pk:
            self.add_error("park", _("The park %(park)s lies in another district.") % {"park": park})
        info = self.geometry_info
        if info is not None and district is not None and info.district_code and info.district_code != district.code:
            other = District.objects.filter(code=info.district_code).first()
            self.add_error(
                "geometry_text",
                _("The geometry lies in %(other)s, not in the parcel's district %(district)s.")
                % {"other": other or info.district_code, "district": district},
            )
            self.geometry_info = None
        ordered = [
            ("approved_on", "transfer_on"),
            ("transfer_on", "construction_started_on"),
            ("construction_started_on", "completed_on"),
            ("completed_on", "producing_on"),
        ]
        for earlier, later in ordered:
            a, b = cleaned.get(earlier), cleaned.get(later)
            if a and b and b < a:
                self.add_error(
                    later,
                    _("%(later)s is before %(earlier)s.")
                    % {
                        "later": Parcel._meta.get_field(later).verbose_name,
                        "earlier": Parcel._meta.get_field(earlier).verbose_name,
                    },
                )
        return cleaned


class ActionOpenForm(forms.Form):
    """Plan a revitalisation action on a parcel of the inefficient-land list."""

    kind = forms.ChoiceField(label=_("Action"), choices=ActionKind.choices)
    reason = forms.ChoiceField(label=_("Reason"), choices=InefficiencyKind.choices)
    opened_on = forms.DateField(label=_("Opened on"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(label=_("Due on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    department = forms.ModelChoiceField(
        label=_("Responsible department"), queryset=Department.objects.all(), required=False
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("due_on") and cleaned.get("opened_on") and cleaned["due_on"] < cleaned["opened_on"]:
            self.add_error("due_on", _("The due date is before the opening date."))
        return cleaned


class ActionCompleteForm(forms.Form):
    completed_on = forms.DateField(label=_("Completed on"), widget=forms.DateInput(attrs={"type": "date"}))
    area_m2 = forms.DecimalField(
        label=_("Area revitalised (m²)"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=14,
        decimal_places=2,
        help_text=_("Leave blank for the whole parcel."),
    )


class ActionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Why is the action cancelled?"), widget=forms.Textarea(attrs={"rows": 3}))


class SiteSearchForm(forms.Form):
    """An investor's requirements; ``criteria()`` gives the engine's ``SiteCriteria``, ``as_json()`` what a
    saved search keeps."""

    min_area_mu = forms.DecimalField(label=_("Land area from (mu)"), required=False, min_value=0, max_digits=12)
    max_area_mu = forms.DecimalField(label=_("Land area to (mu)"), required=False, min_value=0, max_digits=12)
    min_floor_m2 = forms.DecimalField(label=_("Floor space at least (m²)"), required=False, min_value=0, max_digits=14)
    industry_group = forms.TypedChoiceField(
        label=_("Industry group"), choices=(), coerce=int, required=False, empty_value=None
    )
    districts = forms.TypedMultipleChoiceField(label=_("Preferred districts"), choices=(), coerce=int, required=False)
    parks = forms.TypedMultipleChoiceField(label=_("Preferred parks"), choices=(), coerce=int, required=False)
    min_floor_area_ratio = forms.DecimalField(
        label=_("Minimum floor-area ratio"), required=False, min_value=0, max_digits=5, decimal_places=2
    )
    available_by = forms.DateField(
        label=_("Available by"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Today when blank."),
    )

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["industry_group"].choices = [("", "—"), *group_choices()]
        self.fields["districts"].choices = district_choices()
        self.fields["parks"].choices = park_choices()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("min_area_mu"), cleaned.get("max_area_mu")
        if low is not None and high is not None and high < low:
            self.add_error("max_area_mu", _("The upper bound is below the lower bound."))
        if not self.errors:
            try:
                self.criteria()
            except RulesError as exc:
                field = exc.path if exc.path in self.fields else None
                self.add_error(field, exc.message)
        return cleaned

    def as_json(self) -> dict[str, Any]:
        """The criteria as saved (codes, not ids, for districts and the group: stable across databases)."""
        data = self.cleaned_data
        group = IndustryGroup.objects.filter(pk=data.get("industry_group")).values_list("code", flat=True).first()
        codes = list(
            District.objects.filter(pk__in=data.get("districts") or []).order_by("code").values_list("code", flat=True)
        )
        available_by = data.get("available_by")
        return {
            "min_area_mu": _num(data.get("min_area_mu")),
            "max_area_mu": _num(data.get("max_area_mu")),
            "min_floor_m2": _num(data.get("min_floor_m2")),
            "industry_group_code": group,
            "preferred_district_codes": codes,
            "preferred_park_ids": sorted(data.get("parks") or []),
            "min_floor_area_ratio": _num(data.get("min_floor_area_ratio")),
            "available_by": available_by.isoformat() if available_by else None,
        }

    def criteria(self, *, today: dt.date | None = None) -> SiteCriteria:
        from .selectors.sitesearch import criteria_from_dict

        raw = self.as_json()
        raw["available_by"] = raw["available_by"] or (today or timezone.localdate()).isoformat()
        return criteria_from_dict(raw)

    @classmethod
    def initial_from_json(cls, criteria: dict[str, Any]) -> dict[str, Any]:
        """Form data (GET parameters) that reproduce a saved search's criteria."""
        group = (
            IndustryGroup.objects.filter(code=criteria.get("industry_group_code"), system__is_current=True)
            .values_list("pk", flat=True)
            .first()
        )
        districts = District.objects.filter(code__in=criteria.get("preferred_district_codes") or [])
        data: dict[str, Any] = {
            "min_area_mu": criteria.get("min_area_mu"),
            "max_area_mu": criteria.get("max_area_mu"),
            "min_floor_m2": criteria.get("min_floor_m2"),
            "industry_group": group,
            "districts": list(districts.values_list("pk", flat=True)),
            "parks": criteria.get("preferred_park_ids") or [],
            "min_floor_area_ratio": criteria.get("min_floor_area_ratio"),
            "available_by": criteria.get("available_by"),
        }
        return {k: v for k, v in data.items() if v not in (None, "", [])}


def _num(value: Any) -> float | None:
    return None if value is None else float(value)


class SavedSiteSearchForm(forms.ModelForm):
    class Meta:
        model = SavedSiteSearch
        fields = ["name"]
