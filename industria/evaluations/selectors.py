"""Reads of the evaluation pages: scoped querysets, an assessment with its explanation, charts.

Rows always come through ``for_user`` (an enterprise user sees only its own assessments, and only once the
round's publication window has opened: ``AssessmentQuerySet``).  The facts read model is ``facts.py``.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.utils.translation import gettext as _

from industria.engines.common.explain import explain_row

from . import archive, explain, rulesets
from .models import Assessment, EvaluationRound, Objection, ObjectionStatus, RuleSet


def ruleset_list(*, user: Any) -> QuerySet[RuleSet]:
    return RuleSet.objects.for_user(user, "view").select_related("based_on")


def round_list(*, user: Any) -> QuerySet[EvaluationRound]:
    return (
        EvaluationRound.objects.for_user(user, "view")
        .select_related("ruleset", "district", "job")
        .annotate(assessment_count=Count("assessments", distinct=True))
        .order_by("-year", "-created_at", "-id")
    )


def assessment_list(*, user: Any, round_: EvaluationRound | None = None) -> QuerySet[Assessment]:
    rows = Assessment.objects.for_user(user, "view").select_related("enterprise", "enterprise__district", "round")
    if round_ is not None:
        rows = rows.filter(round=round_)
    return rows


def my_assessments(*, user: Any) -> QuerySet[Assessment]:
    """The user's own enterprise's results (published rounds and open windows), newest first."""
    return (
        Assessment.objects.for_user(user, "view")
        .filter(enterprise_id=getattr(user, "enterprise_id", None))
        .select_related("round", "round__ruleset", "enterprise")
        .order_by("-round__year", "-round__created_at")
    )


def objection_queue(*, user: Any, round_: EvaluationRound | None = None) -> QuerySet[Objection]:
    rows = Objection.objects.for_user(user, "view").select_related("enterprise", "round", "assessment", "filed_by")
    if round_ is not None:
        rows = rows.filter(round=round_)
    return rows


def open_objections_count(*, round_: EvaluationRound) -> int:
    return Objection.objects.filter(round=round_, status=ObjectionStatus.OPEN).count()


def assessment_explained(assessment: Assessment) -> dict[str, Any]:
    """Facts, result row and the translated explanation lines of one assessment."""
    from .services import assessment_data

    facts, result = assessment_data(assessment)
    document = assessment.round.ruleset.parameters
    lines: list[dict[str, Any]] = []
    if result is not None:
        _engine, rules = rulesets.parse(document)
        raw_lines = explain_row(archive.result_from_json(result), rules, facts)
        lines = explain.render(raw_lines, document)
    return {"facts": facts or {}, "result": result or {}, "lines": lines}


def grade_chart(round_: EvaluationRound) -> dict[str, Any]:
    """The distribution of outcomes (grades per size class, or passed/failed per route) for charts.js."""
    rows = Assessment.objects.filter(round=round_)
    if round_.is_graded:
        counts = rows.values_list("segment", "grade").annotate(n=Count("id")).order_by()
        grades = ["A", "B", "C", "D", "ungraded", "not_covered"]
        segments = sorted({s for s, _g, _n in counts}, key=lambda s: (s == "", s))
        table = {(s, g): n for s, g, n in counts}
        return {
            "title": _("Grade distribution"),
            "x": grades,
            "y_name": _("Enterprises"),
            "empty_text": _("No results yet"),
            "series": [
                {"name": s or _("undetermined"), "data": [table.get((s, g), 0) for g in grades], "stack": "g"}
                for s in segments
            ],
        }
    counts = rows.values_list("route").annotate(n=Count("id")).order_by()
    labels = {"score": _("passed on the score"), "direct": _("passed by a direct route"), "none": _("not passed")}
    table = dict(counts)
    return {
        "title": _("Outcome"),
        "x": [str(labels[k]) for k in ("score", "direct", "none")],
        "y_name": _("Enterprises"),
        "empty_text": _("No results yet"),
        "series": [{"name": _("Enterprises"), "data": [table.get(k, 0) for k in ("score", "direct", "none")]}],
    }


def ruleset_items(ruleset: RuleSet, lang: str) -> list[rulesets.Tagged]:
    return list(rulesets.tagged_items(ruleset.parameters, lang))
