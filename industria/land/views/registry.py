"""Registry pages of parks, strategic areas and parcels: declarative list/detail/edit/delete (core.views.generic)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy

from industria.core.permissions import instance_in_scope
from industria.core.views.generic import Column, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from industria.land import selectors
from industria.land.choices import LandUseClass, ParcelStatus, ParkKind, StrategicAreaKind
from industria.land.filtersets import ParcelFilterSet, ParkFilterSet, StrategicAreaFilterSet
from industria.land.forms import ParcelForm, ParkForm, StrategicAreaForm
from industria.land.models import Parcel, Park, RevitalisationAction, StrategicArea
from industria.land.selectors.density import benchmarks_for, density_trend, latest_year, may_see_enterprise_figures


class TextColumn(Column):
    def value(self, obj: Any) -> Any:
        value = super().value(obj)
        return None if value is None else str(value)


class ChoiceColumn(Column):
    def __init__(self, accessor: str, header: Any, choices: Any, **kw: Any):
        super().__init__(accessor, header, **kw)
        self.labels = dict(choices.choices)

    def value(self, obj: Any) -> Any:
        raw = getattr(obj, self.accessor)
        label = self.labels.get(raw)
        return str(label) if label is not None else raw


def trend_chart(rows: list[dict[str, Any]], title: Any) -> dict[str, Any]:
    """charts.js line chart of output per mu (10k CNY) over the years."""
    return {
        "title": str(title),
        "x": [str(r["year"]) for r in rows],
        "series": [
            {
                "name": str(gettext_lazy("Output per mu (10k CNY)")),
                "data": [
                    round(r["output_cny_per_mu"] / 10_000, 1) if r["output_cny_per_mu"] is not None else None
                    for r in rows
                ],
            },
            {
                "name": str(gettext_lazy("Tax per mu (10k CNY)")),
                "data": [
                    round(r["tax_cny_per_mu"] / 10_000, 1) if r["tax_cny_per_mu"] is not None else None for r in rows
                ],
            },
        ],
        "empty_text": str(gettext_lazy("No figures to show.")),
    }


# ------------------------------------------------------------------------------------------------ parks
class ParkListView(ObjectListView):
    model = Park
    filterset_class = ParkFilterSet
    title = gettext_lazy("Parks")
    export_stem = "parks"
    create_url_name = "land:park_add"
    select_related = ("district",)
    columns = [
        Column("code", gettext_lazy("Code"), link=True),
        Column("name", gettext_lazy("Name")),
        TextColumn("district", gettext_lazy("District")),
        ChoiceColumn("kind", gettext_lazy("Kind"), ParkKind),
        Column("area_km2", gettext_lazy("Area (km²)"), numeric=True),
        Column("available_land_mu", gettext_lazy("Available land (mu)"), numeric=True),
        Column("available_floor_m2", gettext_lazy("Available floor space (m²)"), numeric=True),
        Column("name_zh", gettext_lazy("Name (Chinese)"), export_only=True),
        Column("name_en", gettext_lazy("Name (English)"), export_only=True),
        Column("source", gettext_lazy("Source"), export_only=True),
        Column("synthetic", gettext_lazy("Synthetic"), export_only=True),
    ]


class ParkDetailView(ObjectDetailView):
    """A park: lead industries, available land and floor space, parcels, economic density with the trend."""

    model = Park
    select_related = ("district",)

    def get_context(self, obj: Park) -> dict[str, Any]:
        user = self.request.user
        year = latest_year()
        trend = density_trend(user=user, level="park", key=obj.pk, year=year) if year else []
        latest = trend[-1] if trend else None
        parcels = selectors.parcel_list(user=user).filter(park=obj)
        return {
            "lead_groups": list(obj.lead_groups.order_by("sort_order", "code")),
            "available_parcels": list(selectors.park_available_parcels(park=obj)[:50]),
            "parcels": list(parcels[:100]),
            "parcel_count": parcels.count(),
            "year": year,
            "density": latest,
            "trend": trend,
            "trend_chart": trend_chart(trend, gettext_lazy("Economic density trend")),
            "benchmarks": benchmarks_for(level="park", kind=obj.kind),
            "can_change": user.has_perm("land.change_park") and instance_in_scope(user, obj),
            "can_delete": user.has_perm("land.delete_park") and instance_in_scope(user, obj),
        }


class ParkEditView(ObjectEditView):
    model = Park
    form_class = ParkForm


class ParkDeleteView(ObjectDeleteView):
    model = Park
    success_url_name = "land:park_list"


# ------------------------------------------------------------------------------------------------ strategic areas
class StrategicAreaListView(ObjectListView):
    model = StrategicArea
    filterset_class = StrategicAreaFilterSet
    title = gettext_lazy("Strategic areas")
    export_stem = "strategic-areas"
    create_url_name = "land:strategicarea_add"
    columns = [
        Column("code", gettext_lazy("Code"), link=True),
        Column("name", gettext_lazy("Name")),
        ChoiceColumn("kind", gettext_lazy("Kind"), StrategicAreaKind),
        Column("area_km2", gettext_lazy("Area (km²)"), numeric=True),
        Column("source", gettext_lazy("Source"), export_only=True),
    ]


class StrategicAreaDetailView(ObjectDetailView):
    model = StrategicArea

    def get_context(self, obj: StrategicArea) -> dict[str, Any]:
        districts = list(obj.districts.order_by("code"))
        parks = Park.objects.filter(district__in=districts).select_related("district").order_by("code")
        return {"districts": districts, "parks": list(parks[:100])}


class StrategicAreaEditView(ObjectEditView):
    model = StrategicArea
    form_class = StrategicAreaForm


class StrategicAreaDeleteView(ObjectDeleteView):
    model = StrategicArea
    success_url_name = "land:strategicarea_list"


# ------------------------------------------------------------------------------------------------ parcels
class ParcelListView(ObjectListView):
    model = Parcel
    filterset_class = ParcelFilterSet
    title = gettext_lazy("Parcels")
    export_stem = "parcels"
    create_url_name = "land:parcel_add"
    select_related = ("district", "park")
    columns = [
        Column("parcel_code", gettext_lazy("Parcel id"), link=True),
        TextColumn("district", gettext_lazy("District")),
        TextColumn("park", gettext_lazy("Park")),
        ChoiceColumn("status", gettext_lazy("Status"), ParcelStatus),
        ChoiceColumn("land_use_class", gettext_lazy("Land-use class"), LandUseClass),
        Column("area_mu", gettext_lazy("Area (mu)"), numeric=True),
        Column("floor_area_ratio", gettext_lazy("Floor-area ratio"), numeric=True),
        Column("available_from", gettext_lazy("Available from")),
        Column("area_m2", gettext_lazy("Area (m²)"), export_only=True),
        Column("transfer_on", gettext_lazy("Land transferred on"), export_only=True),
        Column("term_years", gettext_lazy("Term (years)"), export_only=True),
        Column("agreed_investment_cny_per_mu", gettext_lazy("Agreed investment (CNY/mu)"), export_only=True),
        Column("agreed_output_cny_per_mu", gettext_lazy("Agreed output (CNY/mu)"), export_only=True),
        Column("agreed_tax_cny_per_mu", gettext_lazy("Agreed tax (CNY/mu)"), export_only=True),
        Column("synthetic", gettext_lazy("Synthetic"), export_only=True),
    ]


class ParcelDetailView(ObjectDetailView):
    """A parcel: every attribute, agreed clauses, land uses by year with enterprises, actual vs agreed output
    and tax per mu (where the user may see enterprise figures), its revitalisation actions and history."""

    model = Parcel
    select_related = ("district", "park")

    def get_context(self, obj: Parcel) -> dict[str, Any]:
        user = self.request.user
        uses = selectors.parcel_land_uses(user=user, parcel=obj)
        figures = may_see_enterprise_figures(user, district_id=obj.district_id)
        year = uses[0]["year"] if uses else None
        trend = density_trend(user=user, level="parcel", key=obj.pk, year=year) if year and figures else []
        latest = trend[-1] if trend else None
        return {
            "uses": uses,
            "figures_visible": figures,
            "density": latest,
            "trend": trend,
            "trend_chart": trend_chart(trend, gettext_lazy("Actual output and tax per mu")),
            "actions": list(RevitalisationAction.objects.for_user(user, "view").filter(parcel=obj)),
            "can_change": user.has_perm("land.change_parcel") and instance_in_scope(user, obj),
            "can_delete": user.has_perm("land.delete_parcel") and instance_in_scope(user, obj),
            "can_act": user.has_perm("land.add_revitalisationaction") and instance_in_scope(user, obj),
            "today": timezone.localdate(),
        }


class ParcelEditView(ObjectEditView):
    model = Parcel
    form_class = ParcelForm


class ParcelDeleteView(ObjectDeleteView):
    model = Parcel
    success_url_name = "land:parcel_list"
