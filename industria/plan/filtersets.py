"""One FilterSet per model of the plan app, shared by the UI lists and the API."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industria.enterprises.choices import Confidence
from industria.plan.choices import (
    ActualStatus,
    Cadence,
    PeriodType,
    SeriesKind,
    TargetKind,
    TaskStatus,
)
from industria.plan.models import (
    DataSource,
    DevelopmentPlan,
    IndicatorActual,
    IndicatorTarget,
    PlanAction,
    PlanGoal,
    PlanIndicator,
    PlanTask,
    TaskStatusUpdate,
)

BREAKDOWN_CHOICES = [("city", _("City-wide")), ("district", _("By district")), ("industry_group", _("By group"))]


class DevelopmentPlanFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(lookup_expr="iexact", label=_("Code"))
    is_current = django_filters.BooleanFilter(label=_("Current"))

    class Meta:
        model = DevelopmentPlan
        fields = ["code", "is_current"]


class DataSourceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    code = django_filters.CharFilter(lookup_expr="iexact", label=_("Code"))

    class Meta:
        model = DataSource
        fields = ["q", "code"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(code__icontains=value) | Q(title__icontains=value) | Q(url__icontains=value))


class PlanGoalFilterSet(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__code", label=_("Plan code"))

    class Meta:
        model = PlanGoal
        fields = ["plan", "code"]


class PlanActionFilterSet(django_filters.FilterSet):
    plan = django_filters.CharFilter(field_name="plan__code", label=_("Plan code"))

    class Meta:
        model = PlanAction
        fields = ["plan", "code", "number"]


class PlanIndicatorFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    plan = django_filters.CharFilter(field_name="plan__code", label=_("Plan code"))
    goal = django_filters.CharFilter(field_name="goal__code", label=_("Goal"))
    action = django_filters.CharFilter(field_name="action__code", label=_("Action"))
    target_kind = django_filters.ChoiceFilter(choices=TargetKind.choices, label=_("Target kind"))
    is_headline = django_filters.BooleanFilter(label=_("Headline"))
    is_public = django_filters.BooleanFilter(label=_("Public"))
    computed = django_filters.BooleanFilter(method="filter_computed", label=_("Computed"))
    cadence = django_filters.ChoiceFilter(choices=Cadence.choices, label=_("Update cadence"))
    owner = django_filters.CharFilter(field_name="owner__username", label=_("Owner"))
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("Update overdue"))

    class Meta:
        model = PlanIndicator
        fields = ["q", "plan", "goal", "action", "target_kind", "is_headline", "is_public", "computed", "cadence"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(
            Q(code__icontains=value) | Q(ref__iexact=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value)
        )

    def filter_computed(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        manual = Q(computed__isnull=True)
        return queryset.exclude(manual) if value else queryset.filter(manual)

    def filter_stale(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        stale = Q(computed__isnull=True, next_due_on__lt=timezone.localdate())
        return queryset.filter(stale) if value else queryset.exclude(stale)


class IndicatorTargetFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(field_name="indicator__code", label=_("Indicator code"))
    plan = django_filters.CharFilter(field_name="indicator__plan__code", label=_("Plan code"))
    year = django_filters.NumberFilter(label=_("Year"))
    confidence = django_filters.ChoiceFilter(choices=Confidence.choices, label=_("Confidence"))

    class Meta:
        model = IndicatorTarget
        fields = ["indicator", "plan", "year", "confidence"]


class IndicatorActualFilterSet(django_filters.FilterSet):
    indicator = django_filters.CharFilter(field_name="indicator__code", label=_("Indicator code"))
    plan = django_filters.CharFilter(field_name="indicator__plan__code", label=_("Plan code"))
    series = django_filters.ChoiceFilter(choices=SeriesKind.choices, label=_("Series"))
    period_type = django_filters.ChoiceFilter(choices=PeriodType.choices, label=_("Period type"))
    status = django_filters.ChoiceFilter(choices=ActualStatus.choices, label=_("Status"))
    uncertain = django_filters.BooleanFilter(label=_("Uncertain"))
    breakdown = django_filters.ChoiceFilter(choices=BREAKDOWN_CHOICES, method="filter_breakdown", label=_("Breakdown"))
    district = django_filters.CharFilter(field_name="district__code", label=_("District code"))
    industry_group = django_filters.CharFilter(field_name="industry_group__code", label=_("Industry group code"))
    source = django_filters.CharFilter(field_name="source__code", label=_("Source code"))
    period_after = django_filters.DateFilter(field_name="period", lookup_expr="gte", label=_("Period from"))
    period_before = django_filters.DateFilter(field_name="period", lookup_expr="lte", label=_("Period to"))
    known_by = django_filters.DateFilter(field_name="as_of_date", lookup_expr="lte", label=_("Known by (as of)"))

    class Meta:
        model = IndicatorActual
        fields = ["indicator", "plan", "series", "period_type", "status", "uncertain", "district", "industry_group"]

    def filter_breakdown(self, queryset: Any, name: str, value: str) -> Any:
        if value == "city":
            return queryset.filter(district__isnull=True, industry_group__isnull=True)
        if value == "district":
            return queryset.filter(district__isnull=False)
        if value == "industry_group":
            return queryset.filter(industry_group__isnull=False)
        return queryset


class PlanTaskFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    plan = django_filters.CharFilter(field_name="plan__code", label=_("Plan code"))
    action = django_filters.CharFilter(field_name="action__code", label=_("Action"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    owner = django_filters.CharFilter(field_name="owners__username", label=_("Owner"))
    to_be_completed_by_admin = django_filters.BooleanFilter(label=_("To be completed by an administrator"))
    stale = django_filters.BooleanFilter(method="filter_stale", label=_("Update overdue"))

    class Meta:
        model = PlanTask
        fields = ["q", "plan", "action", "status", "owner", "to_be_completed_by_admin"]

    def search(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(Q(name_zh__icontains=value) | Q(name_en__icontains=value) | Q(note__icontains=value))

    def filter_stale(self, queryset: Any, name: str, value: bool | None) -> Any:
        if value is None:
            return queryset
        stale = Q(next_due_on__lt=timezone.localdate()) & ~Q(status=TaskStatus.COMPLETED)
        return queryset.filter(stale) if value else queryset.exclude(stale)


class TaskStatusUpdateFilterSet(django_filters.FilterSet):
    task = django_filters.NumberFilter(field_name="task__number", label=_("Task number"))
    plan = django_filters.CharFilter(field_name="task__plan__code", label=_("Plan code"))
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices, label=_("Status"))
    reported_after = django_filters.DateFilter(field_name="reported_on", lookup_expr="gte", label=_("Reported from"))
    reported_before = django_filters.DateFilter(field_name="reported_on", lookup_expr="lte", label=_("Reported to"))

    class Meta:
        model = TaskStatusUpdate
        fields = ["task", "plan", "status"]
