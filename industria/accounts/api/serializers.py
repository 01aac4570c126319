"""API serializers of the accounts app."""

from rest_framework import serializers

from industria.accounts.models import District


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name_zh", "name_en", "area_km2", "ring"]
