"""API of the evaluations app: scoped read-only endpoints with filters, plus the workflows as actions."""

from __future__ import annotations

from typing import Any

from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from industria.core.api.viewsets import ScopedReadOnlyViewSet
from industria.evaluations import selectors, services
from industria.evaluations.filtersets import (
    AssessmentFilterSet,
    LandEfficiencyGradeFilterSet,
    ObjectionFilterSet,
    RoundFilterSet,
    RuleSetFilterSet,
)
from industria.evaluations.models import Assessment, EvaluationRound, LandEfficiencyGrade, Objection, RuleSet

from . import serializers as s


class RuleSetViewSet(ScopedReadOnlyViewSet):
    queryset = RuleSet.objects.all()
    serializer_class = s.RuleSetSerializer
    filterset_class = RuleSetFilterSet


class EvaluationRoundViewSet(ScopedReadOnlyViewSet):
    queryset = EvaluationRound.objects.select_related("ruleset", "district")
    serializer_class = s.EvaluationRoundSerializer
    filterset_class = RoundFilterSet

    @action(detail=True, methods=["post"])
    def run(self, request: Any, pk: Any = None) -> Response:
        """Start the evaluation job (needs evaluations.change_evaluationround)."""
        if not request.user.has_perm("evaluations.change_evaluationround"):
            raise PermissionDenied
        job = services.evaluation_round_run(actor=request.user, round_=self.get_object())
        return Response({"job": job.pk, "status": job.status}, status=202)

    @action(detail=True, methods=["get"])
    def reproduce(self, request: Any, pk: Any = None) -> Response:
        """Re-run from the archive under the stored rule-set version and compare every result."""
        return Response(services.evaluation_round_reproduce(round_=self.get_object()))


class AssessmentViewSet(ScopedReadOnlyViewSet):
    """Results; an enterprise user gets only its own, once the round's publication window is open."""

    queryset = Assessment.objects.select_related("enterprise").order_by("round", "rank", "enterprise")
    serializer_class = s.AssessmentSerializer
    filterset_class = AssessmentFilterSet

    @action(detail=True, methods=["get"])
    def explanation(self, request: Any, pk: Any = None) -> Response:
        """Facts used, the result row and the explanation lines (in the language of Accept-Language)."""
        return Response(selectors.assessment_explained(self.get_object()))


class ObjectionViewSet(ScopedReadOnlyViewSet):
    queryset = Objection.objects.select_related("enterprise", "round")
    serializer_class = s.ObjectionSerializer
    filterset_class = ObjectionFilterSet


class LandEfficiencyGradeViewSet(ScopedReadOnlyViewSet):
    queryset = LandEfficiencyGrade.objects.select_related("enterprise")
    serializer_class = s.LandEfficiencyGradeSerializer
    filterset_class = LandEfficiencyGradeFilterSet
