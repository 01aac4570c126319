"""One FilterSet per model, shared by the UI lists and the API."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import Department, District
from industria.enterprises.models import IndustryGroup

from .choices import (
    BlockerCategory,
    BlockerStatus,
    ListKind,
    ProjectStage,
    ProjectType,
    SupervisionStatus,
    WarningColour,
)
from .models import Blocker, InvestmentReport, KeyProject, SupervisionOrder


class GroupChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: IndustryGroup) -> str:
        return f"{'— ' if obj.parent_id else ''}{obj.name} ({obj.code})"


def current_groups():  # type: ignore[no-untyped-def]
    """The groups of the current industrial system (top level: a group's filter includes its sub-areas)."""
    return IndustryGroup.objects.filter(system__is_current=True, parent__isnull=True).order_by("sort_order", "code")


def district_choices() -> list[tuple[int, str]]:
    """(id, name) of the districts, as plain choices: list pages render them without model instances."""
    english = (get_language() or "").startswith("en")
    rows = District.objects.order_by("code").values_list("pk", "name_en" if english else "name_zh")
    return [(pk, name) for pk, name in rows]


def group_choices() -> list[tuple[int, str]]:
    english = (get_language() or "").startswith("en")
    rows = current_groups().values_list("pk", "name_en", "name_zh", "code")
    return [(pk, f"{(en if english and en else zh)} ({code})") for pk, en, zh, code in rows]


class KeyProjectFilterSet(django_filters.FilterSet):
    """Projects by text, district, industry group (with its sub-areas), type, stage, warning, list and dates."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    district = django_filters.TypedMultipleChoiceFilter(
        choices=district_choices, coerce=int, field_name="district_id", label=_("District")
    )
    group = django_filters.TypedChoiceFilter(
        choices=group_choices,
        coerce=int,
        method="filter_group",
        label=_("Industry group"),
        field_name="industry_group",
    )
    project_type = django_filters.ChoiceFilter(choices=ProjectType.choices, label=_("Project type"))
    stage = django_filters.MultipleChoiceFilter(choices=ProjectStage.choices, label=_("Stage"))
    warning_colour = django_filters.ChoiceFilter(choices=WarningColour.choices, label=_("Warning"))
    list_kind = django_filters.ChoiceFilter(choices=ListKind.choices, method="filter_list", label=_("List"))
    list_year = django_filters.NumberFilter(method="filter_noop", label=_("List year"))
    signed_after = django_filters.DateFilter(field_name="signed_on", lookup_expr="gte", label=_("Signed from"))
    signed_before = django_filters.DateFilter(field_name="signed_on", lookup_expr="lte", label=_("Signed until"))
    mine = django_filters.BooleanFilter(method="filter_mine", label=_("Only my projects"))

    class Meta:
        model = KeyProject
        fields = [
            "q",
            "district",
            "group",
            "project_type",
            "stage",
            "warning_colour",
            "list_kind",
            "list_year",
            "signed_after",
            "signed_before",
            "mine",
        ]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(
            Q(code__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(name_en__icontains=value)
            | Q(investor_name__icontains=value)
            | Q(investor__name_zh__icontains=value)
        )

    def filter_group(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(industry_group_id=value) | Q(industry_group__parent_id=value))

    def filter_list(self, queryset, name, value):  # type: ignore[no-untyped-def]
        lookup = {"list_memberships__list_kind": value}
        year = self.form.cleaned_data.get("list_year")
        if year:
            lookup["list_memberships__year"] = int(year)
        return queryset.filter(**lookup).distinct()

    def filter_noop(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset

    def filter_mine(self, queryset, name, value):  # type: ignore[no-untyped-def]
        request = getattr(self, "request", None)
        if value and request is not None:
            return queryset.filter(officer=request.user)
        return queryset


class InvestmentReportFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    month = django_filters.NumberFilter(label=_("Month"))
    project = django_filters.NumberFilter(field_name="project_id", label=_("Project"))
    project_code = django_filters.CharFilter(field_name="project__code", label=_("Project code"))

    class Meta:
        model = InvestmentReport
        fields = ["year", "month", "project", "project_code"]


class SupervisionOrderFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=SupervisionStatus.choices, label=_("Status"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("Responsible unit"))
    project = django_filters.NumberFilter(field_name="project_id", label=_("Project"))

    class Meta:
        model = SupervisionOrder
        fields = ["status", "department", "project"]


class BlockerFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=BlockerStatus.choices, label=_("Status"))
    category = django_filters.ChoiceFilter(choices=BlockerCategory.choices, label=_("Category"))
    department = django_filters.ModelChoiceFilter(queryset=Department.objects.all(), label=_("Routed to"))
    project = django_filters.NumberFilter(field_name="project_id", label=_("Project"))

    class Meta:
        model = Blocker
        fields = ["status", "category", "department", "project"]
