"""API serializers of the evaluations app: shape only."""

from rest_framework import serializers

from industria.evaluations.models import (
    Assessment,
    EvaluationRound,
    LandEfficiencyGrade,
    Objection,
    RuleSet,
)


class RuleSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = RuleSet
        fields = [
            "id", "code", "version", "programme", "engine", "title_zh", "title_en", "status", "effective_from",
            "effective_to", "document_no", "source_tag", "source_note", "parameters", "builtin", "based_on",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class EvaluationRoundSerializer(serializers.ModelSerializer):
    ruleset = serializers.StringRelatedField()
    ruleset_id = serializers.IntegerField(read_only=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = EvaluationRound
        fields = [
            "id", "name", "programme", "ruleset", "ruleset_id", "year", "district", "above_size_only",
            "use_applications", "status", "as_of", "window_opens_on", "window_closes_on", "published_on",
            "engine_version", "job", "summary", "synthetic", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = fields


class AssessmentSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name_zh", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id", "round", "enterprise", "uscc", "enterprise_name", "ruleset", "engine_version", "segment",
            "total_points", "grade", "passed", "route", "rank", "rank_population", "corrected",
        ]  # fmt: skip
        read_only_fields = fields


class ObjectionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Objection
        fields = [
            "id", "assessment", "round", "enterprise", "filed_by", "reason", "corrected_facts", "status",
            "resolution", "resolved_by", "resolved_on", "result_before", "result_after", "created_at",
        ]  # fmt: skip
        read_only_fields = fields


class LandEfficiencyGradeSerializer(serializers.ModelSerializer):
    uscc = serializers.CharField(source="enterprise.uscc", read_only=True)

    class Meta:
        model = LandEfficiencyGrade
        fields = ["id", "enterprise", "uscc", "year", "grade", "total_points", "size_class", "round"]
        read_only_fields = fields
