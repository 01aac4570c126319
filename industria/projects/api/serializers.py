"""Serializers of the projects API: shape only; workflows take input serializers and call the services."""

from __future__ import annotations

from rest_framework import serializers

from industria.accounts.models import Department, District
from industria.enterprises.models import Enterprise, IndustryGroup
from industria.land.models import Parcel
from industria.projects.choices import ORDERED_STAGES, BlockerCategory
from industria.projects.models import (
    Blocker,
    InvestmentReport,
    KeyProject,
    NodeTemplate,
    NodeTemplateItem,
    ProjectListMembership,
    ProjectYearPlan,
    SupervisionOrder,
    SupervisionReply,
)

READ_ONLY_PROJECT = [
    "stage",
    "held_stage",
    "lead_on",
    "negotiating_on",
    "signed_on",
    "filed_on",
    "land_acquired_on",
    "permitted_on",
    "started_on",
    "under_construction_on",
    "completed_on",
    "producing_on",
    "at_capacity_on",
    "stalled_on",
    "cancelled_on",
    "template",
    "target_node_code",
    "target_on",
    "warning_colour",
    "red_since",
    "synthetic",
]


class KeyProjectSerializer(serializers.ModelSerializer):
    """Registry fields are writable; the stage, its dates, the schedule and the warning change by workflows."""

    district = serializers.SlugRelatedField(slug_field="code", queryset=District.objects.all())
    investor = serializers.SlugRelatedField(
        slug_field="uscc", queryset=Enterprise.objects.all(), required=False, allow_null=True
    )
    industry_group = serializers.PrimaryKeyRelatedField(
        queryset=IndustryGroup.objects.all(), required=False, allow_null=True
    )
    responsible_unit = serializers.PrimaryKeyRelatedField(
        queryset=Department.objects.all(), required=False, allow_null=True
    )
    parcel = serializers.SlugRelatedField(
        slug_field="parcel_code", queryset=Parcel.objects.all(), required=False, allow_null=True
    )
    template = serializers.SlugRelatedField(slug_field="code", read_only=True)
    held_stage = serializers.CharField(
        read_only=True, help_text="The stage a stalled or cancelled project had reached."
    )
    url = serializers.CharField(source="get_absolute_url", read_only=True)

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "url",
            "code",
            "name_zh",
            "name_en",
            "investor",
            "investor_name",
            "investor_contact",
            "district",
            "park",
            "parcel",
            "industry_group",
            "project_type",
            "total_investment_cny",
            "fixed_asset_investment_cny",
            "expected_output_cny",
            "expected_tax_cny",
            "land_area_mu",
            "existing_land",
            "responsible_unit",
            "officer",
            *READ_ONLY_PROJECT,
            "notes",
        ]
        read_only_fields = READ_ONLY_PROJECT

    def validate_parcel(self, parcel: Parcel | None) -> Parcel | None:
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if parcel is not None and user is not None and not Parcel.objects.for_user(user).filter(pk=parcel.pk).exists():
            raise serializers.ValidationError("No parcel with this id is registered in your scope.")
        return parcel

    def validate(self, attrs: dict) -> dict:
        investor = attrs.get("investor", getattr(self.instance, "investor", None))
        name = attrs.get("investor_name", getattr(self.instance, "investor_name", ""))
        if investor is None and not name:
            raise serializers.ValidationError({"investor_name": "Give the investor's credit code or name."})
        return attrs


class TransitionInputSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=list(ORDERED_STAGES))
    evidence = serializers.DictField(child=serializers.JSONField(), default=dict)


class ScheduleInputSerializer(serializers.Serializer):
    template = serializers.SlugRelatedField(slug_field="code", queryset=NodeTemplate.objects.filter(is_active=True))
    target_on = serializers.DateField()
    target_node_code = serializers.CharField(required=False, allow_blank=True, default="")


class ReplanInputSerializer(serializers.Serializer):
    reason = serializers.CharField()
    target_on = serializers.DateField(required=False)
    durations = serializers.DictField(child=serializers.IntegerField(min_value=0), required=False, default=dict)


class NodeDatesInputSerializer(serializers.Serializer):
    finished_on = serializers.DateField()
    started_on = serializers.DateField(required=False, allow_null=True)
    note = serializers.CharField(required=False, allow_blank=True, default="")


class InvestmentReportSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=KeyProject.objects.all())
    month = serializers.IntegerField(min_value=1, max_value=12)

    class Meta:
        model = InvestmentReport
        fields = [
            "id",
            "project",
            "year",
            "month",
            "completed_investment_cny",
            "reported_on",
            "reported_by",
            "note",
            "synthetic",
        ]
        read_only_fields = ["reported_on", "reported_by", "synthetic"]


class ProjectYearPlanSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=KeyProject.objects.all())

    class Meta:
        model = ProjectYearPlan
        fields = ["id", "project", "year", "planned_investment_cny"]


class ProjectListMembershipSerializer(serializers.ModelSerializer):
    project = serializers.PrimaryKeyRelatedField(queryset=KeyProject.objects.all())

    class Meta:
        model = ProjectListMembership
        fields = ["id", "project", "year", "list_kind"]


class SupervisionReplySerializer(serializers.ModelSerializer):
    class Meta:
        model = SupervisionReply
        fields = ["id", "author", "replied_on", "text", "expected_resolution_on"]
        read_only_fields = fields


class SupervisionOrderSerializer(serializers.ModelSerializer):
    project_code = serializers.CharField(source="project.code", read_only=True)
    replies = SupervisionReplySerializer(many=True, read_only=True)

    class Meta:
        model = SupervisionOrder
        fields = [
            "id",
            "number",
            "project",
            "project_code",
            "department",
            "trigger",
            "raised_on",
            "reply_due_on",
            "red_since",
            "reason",
            "status",
            "closed_on",
            "replies",
        ]
        read_only_fields = fields


class ReplyInputSerializer(serializers.Serializer):
    text = serializers.CharField()
    expected_resolution_on = serializers.DateField(required=False, allow_null=True)


class BlockerSerializer(serializers.ModelSerializer):
    class Meta:
        model = Blocker
        fields = [
            "id",
            "project",
            "category",
            "description",
            "department",
            "raised_on",
            "due_on",
            "status",
            "resolved_on",
            "resolution",
        ]
        read_only_fields = fields


class BlockerInputSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=BlockerCategory.choices)
    description = serializers.CharField()


class ResolveInputSerializer(serializers.Serializer):
    resolution = serializers.CharField()


class NodeTemplateItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = NodeTemplateItem
        fields = ["code", "seq", "name_zh", "name_en", "duration_days", "predecessors", "phase"]


class NodeTemplateSerializer(serializers.ModelSerializer):
    items = NodeTemplateItemSerializer(many=True, read_only=True)

    class Meta:
        model = NodeTemplate
        fields = [
            "id",
            "code",
            "version",
            "name_zh",
            "name_en",
            "project_type",
            "fast_track",
            "target_node",
            "existing_land",
            "confidence",
            "source",
            "is_active",
            "items",
        ]
