"""API serializers of the registry: shape only."""

from rest_framework import serializers

from industria.accounts.models import District
from industria.enterprises.models import Enterprise


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
