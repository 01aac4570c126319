"""API serializers of the plan app: shape only; rules live in the services, the engine and model constraints."""

from __future__ import annotations

import copy
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from industria.accounts.models import Department, District
from industria.engines.plan_progress import RuleError, parse_rag_rules
from industria.enterprises.models import IndustryGroup
from industria.plan.choices import ActualStatus, PeriodType, Qualifier, SeriesKind, TaskStatus, Vintage
from industria.plan.computed import ComputedDefinitionError, parse_computed
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


@extend_schema_field(OpenApiTypes.STR)
class CodeChoiceField(serializers.ChoiceField):
    """A choice field documented as a plain string in the OpenAPI schema.

    Several apps have a field named ``status`` (or share the qualifier choices under two names) with different
    choice sets; drf-spectacular then warns about enum-name collisions, which ``check --deploy`` treats as
    failures. The values are validated as usual; they are listed in the field's help text. (Once the lead adds
    ``ENUM_NAME_OVERRIDES`` for ``ActualStatus``, ``TaskStatus`` and ``Qualifier`` these can be plain
    ``ChoiceField``s again.)
    """

    def __init__(self, choices: Any, **kwargs: Any):
        kwargs.setdefault("help_text", " | ".join(str(value) for value, _label in choices))
        super().__init__(choices, **kwargs)


class ScopedRelatedField(serializers.PrimaryKeyRelatedField):
    """A related row by id, limited to the rows the caller may see."""

    def get_queryset(self) -> Any:
        request = self.context.get("request")
        queryset = super().get_queryset()
        return queryset.for_user(request.user, "view") if request else queryset.none()


class DataSourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = DataSource
        fields = ["id", "code", "title", "url", "alt_urls", "publisher", "published_on", "reference"]


class SourceCodeField(serializers.SlugRelatedField):
    def __init__(self, **kwargs: Any):
        super().__init__(slug_field="code", queryset=DataSource.objects.all(), **kwargs)


class DevelopmentPlanSerializer(serializers.ModelSerializer):
    source = SourceCodeField(allow_null=True, required=False)

    class Meta:
        model = DevelopmentPlan
        exclude = ["created_at", "updated_at"]
        read_only_fields = ["data_changed_at"]


class PlanGoalSerializer(serializers.ModelSerializer):
    source = SourceCodeField(allow_null=True, required=False)

    class Meta:
        model = PlanGoal
        exclude = ["created_at", "updated_at"]


class PlanActionSerializer(serializers.ModelSerializer):
    source = SourceCodeField(allow_null=True, required=False)

    class Meta:
        model = PlanAction
        exclude = ["created_at", "updated_at"]


class PlanIndicatorSerializer(serializers.ModelSerializer):
    baseline_source = SourceCodeField(allow_null=True, required=False)
    baseline_qualifier = CodeChoiceField(Qualifier.choices, required=False, allow_blank=True)

    class Meta:
        model = PlanIndicator
        exclude = ["created_at", "updated_at"]

    def validate_computed(self, value: Any) -> Any:
        try:
            parse_computed(value)
        except ComputedDefinitionError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value or None

    def validate_rag_rules(self, value: Any) -> Any:
        try:
            parse_rag_rules(value or [], path="rag_rules")
        except RuleError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value or []


class PublicIndicatorSerializer(serializers.ModelSerializer):
    """What the anonymous public reads of an indicator (no owners, no internal notes)."""

    class Meta:
        model = PlanIndicator
        fields = [
            "id",
            "plan",
            "code",
            "ref",
            "name_zh",
            "name_en",
            "unit",
            "unit_zh",
            "measure",
            "direction",
            "target_kind",
            "value_kind",
            "is_headline",
            "is_public",
            "breakdown_district",
            "breakdown_industry_group",
            "computed",
            "baseline_year",
            "baseline_value",
        ]


class IndicatorTargetSerializer(serializers.ModelSerializer):
    indicator = ScopedRelatedField(queryset=PlanIndicator.objects.all())
    source = SourceCodeField(allow_null=True, required=False)

    class Meta:
        model = IndicatorTarget
        exclude = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        indicator = attrs.get("indicator") or getattr(self.instance, "indicator", None)
        value = attrs.get("value", getattr(self.instance, "value", None))
        if indicator is not None and indicator.target_kind != "direction_only" and value is None:
            raise serializers.ValidationError({"value": "This indicator's target needs a value."})
        return attrs


class IndicatorActualSerializer(serializers.ModelSerializer):
    indicator = ScopedRelatedField(queryset=PlanIndicator.objects.all())
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), allow_null=True, required=False
    )
    industry_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndustryGroup.objects.filter(system__is_current=True),
        allow_null=True,
        required=False,
    )
    source = SourceCodeField(allow_null=True, required=False)
    status = CodeChoiceField(ActualStatus.choices, required=False)
    qualifier = CodeChoiceField(Qualifier.choices, required=False, allow_blank=True)
    source_title = serializers.CharField(source="source.title", read_only=True, default=None)
    source_url = serializers.CharField(source="source.url", read_only=True, default=None)

    class Meta:
        model = IndicatorActual
        exclude = ["created_at", "updated_at", "recorded_by"]
        validators: list = []  # the conditional unique constraints are checked in validate() below

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        """The model's constraints (uniqueness per breakdown, source, uncertain never confirmed) as 400s."""
        from django.core.exceptions import ValidationError as DjangoValidationError

        instance = IndicatorActual() if self.instance is None else copy.copy(self.instance)
        for key, value in attrs.items():
            setattr(instance, key, value)
        try:
            instance.validate_constraints()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages) from exc
        return attrs


class ActualRecordInputSerializer(serializers.Serializer):
    """Input of ``POST /api/plan/indicators/{id}/record/`` (the ``actual_record`` service)."""

    period = serializers.DateField()
    period_type = serializers.ChoiceField(choices=PeriodType.choices)
    series = serializers.ChoiceField(choices=SeriesKind.choices, default=SeriesKind.VALUE)
    value = serializers.DecimalField(max_digits=24, decimal_places=6)
    qualifier = CodeChoiceField(Qualifier.choices, default="", allow_blank=True)
    status = CodeChoiceField(ActualStatus.choices, default=ActualStatus.PUBLISHED)
    uncertain = serializers.BooleanField(default=False)
    vintage = serializers.ChoiceField(choices=Vintage.choices, default=Vintage.FIRST_RELEASE)
    as_of_date = serializers.DateField()
    source = SourceCodeField(allow_null=True, required=False, default=None)
    new_source = serializers.DictField(required=False, allow_null=True, default=None)
    citation = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)
    district = serializers.SlugRelatedField(
        slug_field="code", queryset=District.objects.all(), allow_null=True, required=False, default=None
    )
    industry_group = serializers.SlugRelatedField(
        slug_field="code",
        queryset=IndustryGroup.objects.filter(system__is_current=True),
        allow_null=True,
        required=False,
        default=None,
    )
    confidence = serializers.CharField(max_length=1, default="V")
    note = serializers.CharField(required=False, default="", allow_blank=True)


class PlanTaskSerializer(serializers.ModelSerializer):
    status = CodeChoiceField(TaskStatus.choices, required=False)
    responsible_departments = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), many=True, required=False
    )
    source = SourceCodeField(allow_null=True, required=False)

    class Meta:
        model = PlanTask
        exclude = ["created_at", "updated_at"]


class TaskStatusUpdateSerializer(serializers.ModelSerializer):
    task = ScopedRelatedField(queryset=PlanTask.objects.all())
    status = CodeChoiceField(TaskStatus.choices)

    class Meta:
        model = TaskStatusUpdate
        exclude = ["created_at", "updated_at"]
        read_only_fields = ["reported_by"]


class TaskReportInputSerializer(serializers.Serializer):
    """Input of ``POST /api/plan/tasks/{id}/report/`` (the ``task_status_record`` service)."""

    reported_on = serializers.DateField()
    status = CodeChoiceField(TaskStatus.choices)
    progress_pct = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True, default=None)
    narrative = serializers.CharField()
