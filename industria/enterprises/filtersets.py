"""One FilterSet per model, shared by the UI list and the API."""

from __future__ import annotations

from datetime import date
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import District

from . import selectors
from .choices import CategoryLevel, OwnershipType, TierKind, TierLevel, TierStatus
from .models import Enterprise, IndustryCategory, IndustryGroup, IndustryMapping, Tier
from .name_search import name_zh_contains


class SizeClass:
    ABOVE = "above"
    BELOW = "below"
    UNKNOWN = "unknown"
    CHOICES = [
        (ABOVE, _("Above designated size")),
        (BELOW, _("Below designated size")),
        (UNKNOWN, _("No facts for the year")),
    ]


class GroupChoiceField(forms.ModelChoiceField):
    """Groups shown with their code, sub-areas indented under their group."""

    def label_from_instance(self, obj: IndustryGroup) -> str:
        return f"{'— ' if obj.parent_id else ''}{obj.name} ({obj.code})"


class GroupFilter(django_filters.ModelChoiceFilter):
    field_class = GroupChoiceField


class EnterpriseFilterSet(django_filters.FilterSet):
    """Filter enterprises by text, district, industry code and group, tier, size class, ownership and flags.

    ``year`` picks the facts year for the size class (default: the latest year with facts); the UI list also
    shows that year's facts.  ``tier_on`` is the day on which the tier must be valid (default: today).
    """

    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.ModelMultipleChoiceFilter(queryset=District.objects.all(), label=_("District"))
    group = GroupFilter(
        queryset=IndustryGroup.objects.filter(system__is_current=True).order_by("sort_order", "code"),
        method="filter_group",
        label=_("Industry group"),
    )
    industry_code = django_filters.CharFilter(lookup_expr="startswith", label=_("Industry code starts with"))
    tier = django_filters.ChoiceFilter(choices=TierKind.choices, method="filter_tier", label=_("Tier"))
    tier_on = django_filters.DateFilter(
        method="filter_noop",
        label=_("Tier valid on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Default: today."),
    )
    size_class = django_filters.ChoiceFilter(
        choices=SizeClass.CHOICES, method="filter_size_class", label=_("Size class")
    )
    year = django_filters.NumberFilter(
        method="filter_noop",
        label=_("Facts year"),
        min_value=selectors.YEAR_MIN,
        max_value=selectors.YEAR_MAX,
        help_text=_("Default: the latest year with facts."),
    )
    ownership_type = django_filters.MultipleChoiceFilter(choices=OwnershipType.choices, label=_("Ownership type"))
    is_listed = django_filters.BooleanFilter(label=_("Listed"))
    is_headquarters = django_filters.BooleanFilter(label=_("Headquarters"))
    synthetic = django_filters.BooleanFilter(label=_("Synthetic"))

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "district",
            "group",
            "industry_code",
            "tier",
            "tier_on",
            "size_class",
            "year",
            "ownership_type",
            "is_listed",
            "is_headquarters",
            "synthetic",
        ]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        if not value.isascii():  # Chinese text: only the Chinese name can match (one indexed condition)
            return name_zh_contains(queryset, value)
        return queryset.filter(
            Q(uscc__startswith=value.upper()) | Q(name_zh__icontains=value) | Q(name_en__icontains=value)
        )

    def filter_noop(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """A parameter read by other filters, not a filter of its own."""
        return queryset

    def filter_group(self, queryset: QuerySet, name: str, value: IndustryGroup) -> QuerySet:
        return queryset.filter(selectors.enterprise_in_groups_q(selectors.industry_group_descendant_ids([value.pk])))

    def filter_tier(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        on = self.form.cleaned_data.get("tier_on") or timezone.localdate()
        return queryset.filter(selectors.enterprise_holding_tier_q(kind=value, on=on))

    def filter_size_class(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        year = self.facts_year
        if year is None:
            return queryset.none() if value != SizeClass.UNKNOWN else queryset
        if value == SizeClass.UNKNOWN:
            return queryset.exclude(selectors.enterprise_year_fact_exists_q(year=year))
        return queryset.filter(selectors.enterprise_year_fact_exists_q(year=year, above_size=value == SizeClass.ABOVE))

    @property
    def facts_year(self) -> int | None:
        """The year of the facts: the ``year`` given, else the latest year with facts."""
        if not hasattr(self, "_facts_year"):
            given = self.form.cleaned_data.get("year") if self.is_bound and self.form.is_valid() else None
            self._facts_year = int(given) if given else selectors.facts_latest_year()
        return self._facts_year


class TierFilterSet(django_filters.FilterSet):
    """Filter tiers by enterprise text, district, kind, level, status and coming expiry."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.ModelMultipleChoiceFilter(
        field_name="enterprise__district", queryset=District.objects.all(), label=_("District")
    )
    kind = django_filters.MultipleChoiceFilter(choices=TierKind.choices, label=_("Tier"))
    level = django_filters.ChoiceFilter(choices=TierLevel.choices, label=_("Level"))
    status = django_filters.ChoiceFilter(choices=TierStatus.choices, label=_("Status"))
    expiring_within_days = django_filters.NumberFilter(
        method="filter_expiring",
        label=_("Expiring within (days)"),
        min_value=0,
        max_value=3650,
        help_text=_("Valid today and ending within this many days."),
    )
    as_of = django_filters.DateFilter(
        method="filter_noop",
        label=_("As of"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Default: today."),
    )
    synthetic = django_filters.BooleanFilter(label=_("Synthetic"))

    class Meta:
        model = Tier
        fields = ["q", "district", "kind", "level", "status", "expiring_within_days", "as_of", "synthetic"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(enterprise__uscc__iexact=value)
            | Q(enterprise__name_zh__icontains=value)
            | Q(enterprise__name_en__icontains=value)
            | Q(batch__icontains=value)
            | Q(source_document__icontains=value)
        )

    def filter_noop(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        """A parameter read by other filters, not a filter of its own."""
        return queryset

    def filter_expiring(self, queryset: QuerySet, name: str, value: Any) -> QuerySet:
        as_of: date = self.form.cleaned_data.get("as_of") or timezone.localdate()
        return queryset.filter(selectors.tier_expiring_q(as_of=as_of, days=int(value)))


class IndustryCategoryFilterSet(django_filters.FilterSet):
    """Search GB/T 4754 codes by code prefix or name."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    level = django_filters.ChoiceFilter(choices=CategoryLevel.choices, label=_("Level"))
    section = django_filters.CharFilter(lookup_expr="iexact", label=_("Section"))

    class Meta:
        model = IndustryCategory
        fields = ["q", "level", "section"]

    def search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(code__istartswith=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))


class IndustryMappingFilterSet(django_filters.FilterSet):
    """Filter default-mapping rules by industry code (the rules that apply to it) and group."""

    industry_code = django_filters.CharFilter(method="filter_code", label=_("Industry code"))
    group = GroupFilter(
        queryset=IndustryGroup.objects.filter(system__is_current=True).order_by("sort_order", "code"),
        label=_("Industry group"),
    )
    primary = django_filters.BooleanFilter(label=_("Primary"))

    class Meta:
        model = IndustryMapping
        fields = ["industry_code", "group", "primary"]

    def filter_code(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        """Rules written for ``value``, for a code it starts with, or for a code below it."""
        value = value.strip()
        if not value:
            return queryset
        prefixes = [value[:n] for n in range(2, len(value) + 1)]
        return queryset.filter(Q(industry_code__in=prefixes) | Q(industry_code__startswith=value))
