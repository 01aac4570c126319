"""Reads of the registry pages: scoped parks, strategic areas and parcels, a parcel's land uses and summary."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from industria.enterprises.models import EnterpriseYearFact
from industria.land.choices import ParcelStatus
from industria.land.filtersets import ParcelFilterSet, ParkFilterSet
from industria.land.models import M2_PER_MU, LandUse, Parcel, Park, StrategicArea


def _filtered(filterset_class: Any, queryset: QuerySet, filters: Any) -> QuerySet:
    if not filters:
        return queryset
    filterset = filterset_class(filters, queryset=queryset)
    return filterset.qs if filterset.is_valid() else queryset.none()


def parcel_list(*, user: Any, filters: Any = None) -> QuerySet[Parcel]:
    """Parcels the user may see (the public: available ones only), with district and park."""
    queryset = Parcel.objects.for_user(user, "view").select_related("district", "park")
    return _filtered(ParcelFilterSet, queryset, filters)


def park_list(*, user: Any, filters: Any = None) -> QuerySet[Park]:
    """Parks (public information) with their district and lead groups."""
    queryset = Park.objects.for_user(user, "view").select_related("district").prefetch_related("lead_groups")
    return _filtered(ParkFilterSet, queryset, filters)


def strategic_area_list(*, user: Any) -> QuerySet[StrategicArea]:
    return StrategicArea.objects.for_user(user, "view").prefetch_related("districts")


def park_available_parcels(*, park: Park) -> QuerySet[Parcel]:
    """The park's available parcels (public), smallest first available."""
    return park.parcels.filter(status=ParcelStatus.AVAILABLE).order_by("available_from", "parcel_code")


def parcel_land_uses(*, user: Any, parcel: Parcel) -> list[dict[str, Any]]:
    """The parcel's land uses by year, newest first, each with the enterprise and, where the user may see
    them, the enterprise's output and tax of that year and per mu of the parcel's used area."""
    uses = list(
        LandUse.objects.filter(parcel=parcel).select_related("enterprise").order_by("-year", "enterprise__uscc")
    )
    visible = {
        (f.enterprise_id, f.year): f
        for f in EnterpriseYearFact.objects.for_user(user, "view").filter(
            enterprise_id__in={u.enterprise_id for u in uses}, year__in={u.year for u in uses}
        )
    }
    rows = []
    for use in uses:
        used_m2 = use.used_area_m2 or parcel.area_m2
        used_mu = used_m2 / M2_PER_MU
        fact = visible.get((use.enterprise_id, use.year))
        rows.append(
            {
                "use": use,
                "enterprise": use.enterprise,
                "year": use.year,
                "used_area_m2": used_m2,
                "used_area_mu": used_mu,
                "figures_visible": fact is not None,
                "output_cny": fact.gross_output_cny if fact else None,
                "tax_cny": fact.tax_paid_cny if fact else None,
                "output_cny_per_mu": (fact.gross_output_cny / used_mu) if fact and used_mu else None,
                "tax_cny_per_mu": (fact.tax_paid_cny / used_mu) if fact and used_mu else None,
            }
        )
    return rows


def parcel_summary(*, user: Any, parcel: Parcel) -> dict[str, Any]:
    """What a map click shows: the parcel's public attributes; its users and grade only for users in scope.

    ``user`` may be anonymous; then only what the public may see (available parcels, no enterprise data).
    """
    summary: dict[str, Any] = {
        "id": parcel.pk,
        "parcel_code": parcel.parcel_code,
        "district_code": parcel.district.code if parcel.district_id else None,
        "district": str(parcel.district) if parcel.district_id else None,
        "park_id": parcel.park_id,
        "park": str(parcel.park) if parcel.park_id else None,
        "status": parcel.status,
        "status_label": str(parcel.get_status_display()),
        "land_use_class": parcel.land_use_class,
        "land_use_class_label": str(parcel.get_land_use_class_display()),
        "area_m2": float(parcel.area_m2),
        "area_mu": float(parcel.area_mu),
        "floor_area_ratio": float(parcel.floor_area_ratio) if parcel.floor_area_ratio is not None else None,
        "available_from": parcel.available_from.isoformat() if parcel.available_from else None,
        "url": parcel.get_absolute_url(),
    }
    if user is None or not user.is_authenticated or not Parcel.objects.for_user(user).filter(pk=parcel.pk).exists():
        return summary
    from .density import may_see_enterprise_figures, parcel_grade

    if may_see_enterprise_figures(user, district_id=parcel.district_id):
        year_uses = parcel_land_uses(user=user, parcel=parcel)
        latest = year_uses[0]["year"] if year_uses else None
        summary["year"] = latest
        summary["enterprises"] = [
            {
                "id": row["enterprise"].pk,
                "name": str(row["enterprise"]),
                "output_cny_per_mu": float(row["output_cny_per_mu"]) if row["output_cny_per_mu"] else None,
                "tax_cny_per_mu": float(row["tax_cny_per_mu"]) if row["tax_cny_per_mu"] else None,
            }
            for row in year_uses
            if row["year"] == latest
        ]
        summary["grade"] = parcel_grade(parcel=parcel, year=latest) if latest else None
    return summary
