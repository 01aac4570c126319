"""One FilterSet per model of the land app, shared by the UI lists and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import District
from industria.enterprises.models import IndustryGroup

from .choices import ActionKind, ActionStatus, InefficiencyKind, LandUseClass, ParcelStatus, ParkKind, StrategicAreaKind
from .models import Parcel, Park, RevitalisationAction, SavedSiteSearch, StrategicArea


def district_choices() -> list[tuple[int, str]]:
    """(id, name) of the districts as plain choices: list pages render them without model instances."""
    english = (get_language() or "").startswith("en")
    rows = District.objects.order_by("code").values_list("pk", "name_en" if english else "name_zh")
    return [(pk, name) for pk, name in rows]


def park_choices() -> list[tuple[int, str]]:
    english = (get_language() or "").startswith("en")
    rows = Park.objects.order_by("district__code", "code").values_list("pk", "code", "name_zh", "name_en")
    return [(pk, f"{(en if english and en else zh)} ({code})") for pk, code, zh, en in rows]


def group_choices() -> list[tuple[int, str]]:
    english = (get_language() or "").startswith("en")
    rows = (
        IndustryGroup.objects.filter(system__is_current=True)
        .order_by("parent_id", "sort_order", "code")
        .values_list("pk", "name_en", "name_zh", "code")
    )
    return [(pk, f"{(en if english and en else zh)} ({code})") for pk, en, zh, code in rows]


class ParkFilterSet(django_filters.FilterSet):
    """Parks by text, district, kind, lead industry group and available land."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.TypedMultipleChoiceFilter(
        choices=district_choices, coerce=int, field_name="district_id", label=_("District")
    )
    kind = django_filters.MultipleChoiceFilter(choices=ParkKind.choices, label=_("Kind"))
    group = django_filters.TypedChoiceFilter(
        field_name="lead_groups",
        choices=group_choices,
        coerce=int,
        method="filter_group",
        label=_("Lead industry group"),
    )
    min_available_mu = django_filters.NumberFilter(
        field_name="available_land_mu", lookup_expr="gte", label=_("Available land at least (mu)")
    )

    class Meta:
        model = Park
        fields = ["q", "district", "kind", "group", "min_available_mu"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(code__icontains=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))

    def filter_group(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(lead_groups__pk=value) | Q(lead_groups__parent_id=value)).distinct()


class StrategicAreaFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.MultipleChoiceFilter(choices=StrategicAreaKind.choices, label=_("Kind"))

    class Meta:
        model = StrategicArea
        fields = ["q", "kind"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(code__icontains=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))


class ParcelFilterSet(django_filters.FilterSet):
    """Parcels by code, district, park, status, land-use class, area range (mu) and availability."""

    q = django_filters.CharFilter(field_name="parcel_code", lookup_expr="icontains", label=_("Parcel id"))
    district = django_filters.TypedMultipleChoiceFilter(
        choices=district_choices, coerce=int, field_name="district_id", label=_("District")
    )
    park = django_filters.TypedChoiceFilter(choices=park_choices, coerce=int, field_name="park_id", label=_("Park"))
    status = django_filters.MultipleChoiceFilter(choices=ParcelStatus.choices, label=_("Status"))
    land_use_class = django_filters.MultipleChoiceFilter(choices=LandUseClass.choices, label=_("Land-use class"))
    min_area_mu = django_filters.NumberFilter(field_name="area_mu", lookup_expr="gte", label=_("Area from (mu)"))
    max_area_mu = django_filters.NumberFilter(field_name="area_mu", lookup_expr="lte", label=_("Area to (mu)"))
    available_by = django_filters.DateFilter(method="filter_available_by", label=_("Available by"))

    class Meta:
        model = Parcel
        fields = ["q", "district", "park", "status", "land_use_class", "min_area_mu", "max_area_mu", "available_by"]

    def filter_available_by(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(status=ParcelStatus.AVAILABLE).filter(
            Q(available_from__isnull=True) | Q(available_from__lte=value)
        )


class RevitalisationActionFilterSet(django_filters.FilterSet):
    district = django_filters.TypedMultipleChoiceFilter(
        choices=district_choices, coerce=int, field_name="parcel__district_id", label=_("District")
    )
    kind = django_filters.MultipleChoiceFilter(choices=ActionKind.choices, label=_("Action"))
    reason = django_filters.MultipleChoiceFilter(choices=InefficiencyKind.choices, label=_("Reason"))
    status = django_filters.MultipleChoiceFilter(choices=ActionStatus.choices, label=_("Status"))
    parcel = django_filters.NumberFilter(field_name="parcel_id", label=_("Parcel"))

    class Meta:
        model = RevitalisationAction
        fields = ["district", "kind", "reason", "status", "parcel"]


class SavedSiteSearchFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name"))

    class Meta:
        model = SavedSiteSearch
        fields = ["q"]
