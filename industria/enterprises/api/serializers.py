"""API serializers of the registry: shape only; rules live in services and validators."""

from rest_framework import serializers

from industria.accounts.models import District
from industria.enterprises.models import (
    Enterprise,
    EnterpriseGroup,
    EnterpriseMonthFact,
    EnterpriseYearFact,
    IndustryCategory,
    IndustryGroup,
    IndustryMapping,
    SizeRule,
    Tier,
)


class EnterpriseSerializer(serializers.ModelSerializer):
    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "uscc",
            "name_zh",
            "name_en",
            "district",
            "industry_code",
            "ownership_type",
            "established_on",
            "registered_capital_cny",
            "is_listed",
            "is_headquarters",
            "synthetic",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["synthetic", "created_at", "updated_at"]

    def validate_uscc(self, value: str) -> str:
        return value.strip().upper()


class EnterpriseRefField(serializers.SlugRelatedField):
    """An enterprise by credit code, limited to the caller's scope."""

    def __init__(self, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(slug_field="uscc", queryset=Enterprise.objects.all(), **kwargs)

    def get_queryset(self):  # type: ignore[no-untyped-def]
        request = self.context.get("request")
        return Enterprise.objects.for_user(request.user, "view") if request else Enterprise.objects.none()


class EnterpriseYearFactSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefField()

    class Meta:
        model = EnterpriseYearFact
        exclude = ["created_at", "updated_at"]
        read_only_fields = ["above_size", "synthetic"]


class EnterpriseMonthFactSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefField()

    class Meta:
        model = EnterpriseMonthFact
        exclude = ["created_at", "updated_at"]
        read_only_fields = ["synthetic"]


class TierSerializer(serializers.ModelSerializer):
    enterprise = EnterpriseRefField()

    class Meta:
        model = Tier
        exclude = ["created_at", "updated_at"]
        read_only_fields = ["synthetic"]


class IndustryCategorySerializer(serializers.ModelSerializer):
    class Meta:
        model = IndustryCategory
        fields = ["id", "code", "level", "section", "name_zh", "name_en", "confidence"]


class IndustryGroupSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = IndustryGroup
        fields = [
            "id",
            "code",
            "kind",
            "parent",
            "name_zh",
            "name_en",
            "target_value",
            "target_unit",
            "target_year",
            "target_measure",
            "target_confidence",
            "target_source",
        ]


class IndustryMappingSerializer(serializers.ModelSerializer):
    group = serializers.SlugRelatedField(slug_field="code", queryset=IndustryGroup.objects.all())

    class Meta:
        model = IndustryMapping
        fields = ["id", "industry_code", "group", "weight", "primary", "exact", "rationale"]


class EnterpriseGroupSerializer(serializers.ModelSerializer):
    enterprise = serializers.SlugRelatedField(slug_field="uscc", read_only=True)
    group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EnterpriseGroup
        fields = ["enterprise", "group", "source", "weight", "primary"]


class SizeRuleSerializer(serializers.ModelSerializer):
    class Meta:
        model = SizeRule
        fields = ["effective_from_year", "main_revenue_threshold_cny", "source", "confidence"]
