"""FilterSets shared by the evaluation pages and the API."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    Assessment,
    EvaluationRound,
    LandEfficiencyGrade,
    Objection,
    ObjectionStatus,
    Programme,
    RoundStatus,
    RuleSet,
    RuleSetStatus,
)

GRADES = [(g, g) for g in ("A", "B", "C", "D")] + [("ungraded", _("ungraded")), ("not_covered", _("not covered"))]


class RuleSetFilterSet(django_filters.FilterSet):
    programme = django_filters.ChoiceFilter(choices=Programme.choices, label=_("Programme"))
    status = django_filters.ChoiceFilter(choices=RuleSetStatus.choices, label=_("Status"))
    code = django_filters.CharFilter(lookup_expr="icontains", label=_("Code"))

    class Meta:
        model = RuleSet
        fields = ["programme", "status", "code"]


class RoundFilterSet(django_filters.FilterSet):
    programme = django_filters.ChoiceFilter(choices=Programme.choices, label=_("Programme"))
    status = django_filters.ChoiceFilter(choices=RoundStatus.choices, label=_("Status"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = EvaluationRound
        fields = ["programme", "status", "year"]


class AssessmentFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))
    grade = django_filters.ChoiceFilter(choices=GRADES, label=_("Grade"))
    passed = django_filters.BooleanFilter(label=_("Passed"))
    route = django_filters.ChoiceFilter(
        choices=[("score", _("score")), ("direct", _("direct")), ("none", _("none"))], label=_("Route")
    )
    segment = django_filters.ChoiceFilter(
        choices=[("above", _("above designated size")), ("below", _("below designated size"))], label=_("Size class")
    )
    district = django_filters.CharFilter(field_name="enterprise__district__code", label=_("District code"))
    enterprise = django_filters.CharFilter(field_name="enterprise__uscc", label=_("Credit code"))
    corrected = django_filters.BooleanFilter(label=_("Corrected"))

    class Meta:
        model = Assessment
        fields = ["q", "round", "grade", "passed", "route", "segment", "district", "enterprise", "corrected"]

    def search(self, queryset, name, value):  # type: ignore[no-untyped-def]
        return queryset.filter(Q(enterprise__uscc__icontains=value) | Q(enterprise__name_zh__icontains=value))


class ObjectionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=ObjectionStatus.choices, label=_("Status"))
    round = django_filters.NumberFilter(field_name="round_id", label=_("Round"))

    class Meta:
        model = Objection
        fields = ["status", "round"]


class LandEfficiencyGradeFilterSet(django_filters.FilterSet):
    year = django_filters.NumberFilter(label=_("Year"))
    grade = django_filters.ChoiceFilter(choices=GRADES, label=_("Grade"))
    district = django_filters.CharFilter(field_name="enterprise__district__code", label=_("District code"))

    class Meta:
        model = LandEfficiencyGrade
        fields = ["year", "grade", "district"]
