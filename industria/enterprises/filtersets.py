"""One FilterSet per model, shared by the UI list and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import District

from .choices import OwnershipType
from .models import Enterprise


class EnterpriseFilterSet(django_filters.FilterSet):
    """Filter enterprises by text, district, industry code, ownership and flags."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.ModelMultipleChoiceFilter(queryset=District.objects.all(), label=_("District"))
    industry_code = django_filters.CharFilter(lookup_expr="startswith", label=_("Industry code starts with"))
    ownership_type = django_filters.MultipleChoiceFilter(choices=OwnershipType.choices, label=_("Ownership type"))
    is_listed = django_filters.BooleanFilter(label=_("Listed"))
    is_headquarters = django_filters.BooleanFilter(label=_("Headquarters"))

    class Meta:
        model = Enterprise
        fields = ["q", "district", "industry_code", "ownership_type", "is_listed", "is_headquarters"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        value = value.strip()
        return queryset.filter(Q(uscc__iexact=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))
