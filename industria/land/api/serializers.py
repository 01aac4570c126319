"""Serializers of the land API: shape only.  Geometry goes through ``land.geometry.geometry_check`` exactly as
in the forms; workflows take input serializers and call the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from industria.accounts.models import Department, District
from industria.enterprises.models import IndustryGroup
from industria.land.geometry import BoundariesMissing, GeometryError, geometry_check
from industria.land.models import (
    M2_PER_MU,
    LandUse,
    Parcel,
    Park,
    RevitalisationAction,
    RevitalisationTarget,
    SavedSiteSearch,
    StrategicArea,
)

LOCATION_FIELDS = ["longitude", "latitude", "min_lon", "min_lat", "max_lon", "max_lat"]


class GeometrySerializerMixin(serializers.ModelSerializer):
    """A writable ``geometry`` (GeoJSON object or text) validated and normalised; the centroid and bounding box
    are derived from it (read-only)."""

    geometry = serializers.JSONField(required=False, allow_null=True)

    def stated_area_m2(self, attrs: dict[str, Any]) -> Decimal | None:
        return None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        if "geometry" not in attrs:
            return attrs
        raw = attrs["geometry"]
        if raw in (None, "", {}):
            attrs["geometry"] = None
            attrs.update(dict.fromkeys(LOCATION_FIELDS))
            return attrs
        try:
            info = geometry_check(raw, stated_area_m2=self.stated_area_m2(attrs))
        except (GeometryError, BoundariesMissing) as exc:
            raise serializers.ValidationError({"geometry": [str(exc)]}, code=getattr(exc, "code", "invalid")) from exc
        attrs["geometry"] = info.geometry
        attrs.update({name: getattr(info, name) for name in LOCATION_FIELDS})
        self.geometry_info = info
        return attrs


def _area_km2_stated(self: Any, attrs: dict[str, Any]) -> Decimal | None:
    area = attrs.get("area_km2", getattr(self.instance, "area_km2", None))
    return area * Decimal(1_000_000) if area is not None else None


class ParkSerializer(GeometrySerializerMixin):
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
    lead_groups = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=IndustryGroup.objects.filter(system__is_current=True), required=False
    )

    class Meta:
        model = Park
        fields = [
            "id", "code", "name_zh", "name_en", "district", "kind", "lead_groups", "area_km2", "available_land_mu",
            "available_floor_m2", "source", "confidence", "synthetic", "geometry", *LOCATION_FIELDS,
        ]  # fmt: skip
        read_only_fields = LOCATION_FIELDS

    stated_area_m2 = _area_km2_stated


class StrategicAreaSerializer(GeometrySerializerMixin):
    districts = serializers.SlugRelatedField(
        slug_field="code", many=True, queryset=District.objects.all(), required=False
    )

    class Meta:
        model = StrategicArea
        fields = [
            "id", "code", "name_zh", "name_en", "kind", "districts", "area_km2", "source", "confidence", "synthetic",
            "geometry", *LOCATION_FIELDS,
        ]  # fmt: skip
        read_only_fields = LOCATION_FIELDS

    stated_area_m2 = _area_km2_stated


PUBLIC_PARCEL_FIELDS = [
    "id", "parcel_code", "district", "park", "area_m2", "area_mu", "land_use_class", "floor_area_ratio", "status",
    "available_from", "geometry", *LOCATION_FIELDS,
]  # fmt: skip


class ParcelSerializer(GeometrySerializerMixin):
    """Every attribute of a parcel; the area in mu follows from m² when omitted; the geometry must agree with the
    stated area and lie in the parcel's district."""

    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
    park = serializers.SlugRelatedField(slug_field="code", queryset=Park.objects.all(), required=False, allow_null=True)
    area_mu = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)

    class Meta:
        model = Parcel
        fields = [
            *PUBLIC_PARCEL_FIELDS, "approved_on", "transfer_on", "term_years", "construction_started_on",
            "completed_on", "producing_on", "developed_share", "agreed_investment_cny_per_mu",
            "agreed_output_cny_per_mu", "agreed_tax_cny_per_mu", "synthetic",
        ]  # fmt: skip
        read_only_fields = LOCATION_FIELDS

    def stated_area_m2(self, attrs: dict[str, Any]) -> Decimal | None:
        return attrs.get("area_m2", getattr(self.instance, "area_m2", None))

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs = super().validate(attrs)
        area_m2 = attrs.get("area_m2")
        if area_m2 is not None and area_m2 <= 0:
            raise serializers.ValidationError({"area_m2": [_("The area must be greater than zero.")]})
        if area_m2 is not None and attrs.get("area_mu") is None:
            attrs["area_mu"] = (area_m2 / M2_PER_MU).quantize(Decimal("0.01"))
        district = attrs.get("district", getattr(self.instance, "district", None))
        park = attrs.get("park", getattr(self.instance, "park", None))
        if district is not None and park is not None and park.district_id != district.pk:
            raise serializers.ValidationError(
                {"park": [_("The park %(park)s lies in another district.") % {"park": park}]}
            )
        info = getattr(self, "geometry_info", None)
        if info is not None and district is not None and info.district_code and info.district_code != district.code:
            raise serializers.ValidationError(
                {
                    "geometry": [
                        _("The geometry lies in district %(other)s, not in the parcel's district %(district)s.")
                        % {"other": info.district_code, "district": district.code}
                    ]
                }
            )
        return attrs


class PublicParcelSerializer(serializers.ModelSerializer):
    """What the public may see of an available parcel: no life cycle, no clauses, no enterprise data."""

    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    park = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Parcel
        fields = PUBLIC_PARCEL_FIELDS
        read_only_fields = PUBLIC_PARCEL_FIELDS


class PublicParkSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lead_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Park
        fields = [
            "id", "code", "name_zh", "name_en", "district", "kind", "lead_groups", "area_km2", "available_land_mu",
            "available_floor_m2", "synthetic", "geometry", *LOCATION_FIELDS,
        ]  # fmt: skip
        read_only_fields = fields


class LandUseSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    parcel = serializers.SlugRelatedField(slug_field="parcel_code", read_only=True)

    class Meta:
        model = LandUse
        fields = ["id", "enterprise", "parcel", "year", "used_area_m2"]


class RevitalisationActionSerializer(serializers.ModelSerializer):
    """Read shape of an action; it is opened and moved only through the workflow endpoints."""

    parcel = serializers.SlugRelatedField(slug_field="parcel_code", read_only=True)

    class Meta:
        model = RevitalisationAction
        fields = [
            "id", "parcel", "kind", "reason", "status", "department", "opened_on", "due_on", "completed_on",
            "area_m2", "notes",
        ]  # fmt: skip
        read_only_fields = fields


class ActionOpenInputSerializer(serializers.Serializer):
    parcel = serializers.SlugRelatedField(slug_field="parcel_code", queryset=Parcel.objects.all())
    kind = serializers.ChoiceField(choices=RevitalisationAction._meta.get_field("kind").choices)
    reason = serializers.ChoiceField(choices=RevitalisationAction._meta.get_field("reason").choices)
    opened_on = serializers.DateField()
    due_on = serializers.DateField(required=False, allow_null=True)
    department = serializers.PrimaryKeyRelatedField(queryset=Department.objects.all(), required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ActionCompleteInputSerializer(serializers.Serializer):
    completed_on = serializers.DateField()
    area_m2 = serializers.DecimalField(
        max_digits=14, decimal_places=2, required=False, allow_null=True, min_value=Decimal("0.01")
    )


class ActionCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RevitalisationTargetSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())

    class Meta:
        model = RevitalisationTarget
        fields = ["id", "district", "year", "target_area_m2", "source", "confidence", "synthetic"]


class SiteCriteriaSerializer(serializers.Serializer):
    """The requirements of a site search (the JSON a saved search keeps)."""

    min_area_mu = serializers.FloatField(required=False, allow_null=True, min_value=0)
    max_area_mu = serializers.FloatField(required=False, allow_null=True, min_value=0)
    min_floor_m2 = serializers.FloatField(required=False, allow_null=True, min_value=0)
    industry_group_code = serializers.CharField(required=False, allow_null=True, allow_blank=True)
    preferred_district_codes = serializers.ListField(child=serializers.CharField(), required=False)
    preferred_park_ids = serializers.ListField(child=serializers.IntegerField(), required=False)
    min_floor_area_ratio = serializers.FloatField(required=False, allow_null=True, min_value=0)
    available_by = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        low, high = attrs.get("min_area_mu"), attrs.get("max_area_mu")
        if low is not None and high is not None and high < low:
            raise serializers.ValidationError({"max_area_mu": [_("The upper bound is below the lower bound.")]})
        code = attrs.get("industry_group_code")
        if code and not IndustryGroup.objects.filter(code=code, system__is_current=True).exists():
            raise serializers.ValidationError(
                {"industry_group_code": [_("Unknown industry group %(code)s.") % {"code": code}]}
            )
        unknown = set(attrs.get("preferred_district_codes") or []) - set(
            District.objects.filter(code__in=attrs.get("preferred_district_codes") or []).values_list("code", flat=True)
        )
        if unknown:
            raise serializers.ValidationError(
                {
                    "preferred_district_codes": [
                        _("Unknown district codes: %(codes)s.") % {"codes": ", ".join(sorted(unknown))}
                    ]
                }
            )
        return attrs

    def as_json(self) -> dict[str, Any]:
        data = dict(self.validated_data)
        if data.get("available_by"):
            data["available_by"] = data["available_by"].isoformat()
        return data


class SavedSiteSearchSerializer(serializers.ModelSerializer):
    criteria = SiteCriteriaSerializer()

    class Meta:
        model = SavedSiteSearch
        fields = ["id", "name", "criteria", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]
