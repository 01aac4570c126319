"""API of the plan app: every model, scoped through for_user, filtered with the app's FilterSets.

Public indicators (with their targets and figures) are readable anonymously through ``scope_public_q``.
Writes mark the plan's data changed so cached dashboards refresh. Two workflow actions call the services:
``POST indicators/{id}/record/`` (record a figure) and ``POST tasks/{id}/report/`` (report on a task); the
engine's results are read at ``GET indicators/{id}/progress/`` and ``GET plans/{id}/progress/``.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from industria.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from industria.core.exceptions import OutOfScope
from industria.core.permissions import instance_in_scope
from industria.plan import filtersets as f
from industria.plan.forms import AsOfForm
from industria.plan.freshness import month_end
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
from industria.plan.progress import plan_progress
from industria.plan.selectors import may_view_all_indicators, visible_codes
from industria.plan.services import actual_record, plan_touch, task_status_record

from . import serializers as s


def _as_of(request: Request) -> Any:
    today = timezone.localdate()
    form = AsOfForm(request.query_params or None)
    if form.is_bound and not form.is_valid():
        raise ValidationError(form.errors)
    value = form.cleaned_data.get("as_of") if form.is_bound else None
    if not value or value >= today:
        return today
    if not request.user.is_authenticated:  # as on the public pages: one dashboard per past month, not per day
        return min(month_end(value.year, value.month), today)
    return value


def _plan_ids_of(instance: Any) -> set[int]:
    if isinstance(instance, DevelopmentPlan):
        return {instance.pk}
    for attr in ("plan_id",):
        if getattr(instance, attr, None):
            return {getattr(instance, attr)}
    indicator = getattr(instance, "indicator", None)
    if indicator is not None:
        return {indicator.plan_id}
    task = getattr(instance, "task", None)
    if task is not None:
        return {task.plan_id}
    return set(DevelopmentPlan.objects.values_list("pk", flat=True))


class TouchingViewSet(ScopedModelViewSet):
    """Writes mark the affected plan's data changed."""

    def perform_create(self, serializer: Any) -> None:
        super().perform_create(serializer)
        for plan_id in _plan_ids_of(serializer.instance):
            plan_touch(plan_id=plan_id)

    def perform_update(self, serializer: Any) -> None:
        before = _plan_ids_of(serializer.instance)
        super().perform_update(serializer)
        for plan_id in before | _plan_ids_of(serializer.instance):
            plan_touch(plan_id=plan_id)

    def perform_destroy(self, instance: Any) -> None:
        plans = _plan_ids_of(instance)
        super().perform_destroy(instance)
        for plan_id in plans:
            plan_touch(plan_id=plan_id)


class DevelopmentPlanViewSet(ScopedReadOnlyViewSet):
    """Plans (public)."""

    queryset = DevelopmentPlan.objects.select_related("source").order_by("-is_current", "code")
    serializer_class = s.DevelopmentPlanSerializer
    filterset_class = f.DevelopmentPlanFilterSet

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"], permission_classes=[AllowAny])
    def progress(self, request: Request, pk: Any = None) -> Response:
        """Engine results of every indicator the caller may see (``?as_of=YYYY-MM-DD``)."""
        plan = self.get_object()
        snapshot = plan_progress(plan=plan, as_of=_as_of(request))
        codes = visible_codes(user=request.user, snapshot=snapshot)
        return Response(
            {
                "plan": plan.code,
                "as_of": snapshot["as_of"],
                "engine_version": snapshot["engine_version"],
                "indicators": [_progress_payload(snapshot["indicators"][c]) for c in codes],
            }
        )


def _progress_payload(entry: dict[str, Any]) -> dict[str, Any]:
    keep = (
        "code",
        "name_zh",
        "name_en",
        "unit",
        "target_kind",
        "is_public",
        "annual",
        "forecast",
        "fit",
        "progress",
        "final",
        "findings",
    )
    return {k: entry[k] for k in keep}


class DataSourceViewSet(TouchingViewSet):
    """Sources of figures and targets (public)."""

    queryset = DataSource.objects.order_by("code")
    serializer_class = s.DataSourceSerializer
    filterset_class = f.DataSourceFilterSet


class PlanGoalViewSet(ScopedReadOnlyViewSet):
    queryset = PlanGoal.objects.select_related("plan", "source").order_by("plan", "sort_order")
    serializer_class = s.PlanGoalSerializer
    filterset_class = f.PlanGoalFilterSet


class PlanActionViewSet(ScopedReadOnlyViewSet):
    queryset = PlanAction.objects.select_related("plan", "source").order_by("plan", "number")
    serializer_class = s.PlanActionSerializer
    filterset_class = f.PlanActionFilterSet


class PlanIndicatorViewSet(TouchingViewSet):
    """Indicators; anonymous callers and roles without plan access read the public ones."""

    queryset = PlanIndicator.objects.select_related("plan", "baseline_source").order_by("plan", "sort_order")
    serializer_class = s.PlanIndicatorSerializer
    filterset_class = f.PlanIndicatorFilterSet
    ordering_fields = ["sort_order", "code", "next_due_on"]

    def get_queryset(self) -> Any:
        if self.action in ("record", "progress"):  # workflow and read actions: the indicator must be visible
            return self.queryset.all().for_user(self.request.user, "view")
        return super().get_queryset()

    def get_serializer_class(self) -> Any:
        if self.request.method == "GET" and not may_view_all_indicators(self.request.user):
            return s.PublicIndicatorSerializer
        return super().get_serializer_class()

    @extend_schema(responses=dict)
    @action(detail=True, methods=["get"], permission_classes=[AllowAny])
    def progress(self, request: Request, pk: Any = None) -> Response:
        """The engine's results for one indicator (``?as_of=YYYY-MM-DD``)."""
        indicator = self.get_object()
        snapshot = plan_progress(plan=indicator.plan, as_of=_as_of(request))
        return Response(
            {
                "as_of": snapshot["as_of"],
                "engine_version": snapshot["engine_version"],
                **_progress_payload(snapshot["indicators"][indicator.code]),
            }
        )

    @extend_schema(request=s.ActualRecordInputSerializer, responses=s.IndicatorActualSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def record(self, request: Request, pk: Any = None) -> Response:
        """Record a new figure (owner, or a role that may add figures in its scope)."""
        indicator = self.get_object()
        data = s.ActualRecordInputSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        actual = actual_record(
            actor=request.user, indicator=indicator, today=timezone.localdate(), **data.validated_data
        )
        body = s.IndicatorActualSerializer(actual, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class IndicatorTargetViewSet(TouchingViewSet):
    queryset = IndicatorTarget.objects.select_related("indicator", "source").order_by("indicator", "year")
    serializer_class = s.IndicatorTargetSerializer
    filterset_class = f.IndicatorTargetFilterSet


class IndicatorActualViewSet(TouchingViewSet):
    """Recorded figures: district officers see their own district's breakdowns of non-public indicators only."""

    queryset = IndicatorActual.objects.select_related("indicator", "district", "industry_group", "source").order_by(
        "-id"
    )  # the latest recorded first
    serializer_class = s.IndicatorActualSerializer
    filterset_class = f.IndicatorActualFilterSet
    ordering_fields = ["period", "as_of_date", "value"]

    def perform_create(self, serializer: Any) -> None:
        serializer.validated_data["recorded_by"] = self.request.user
        super().perform_create(serializer)


class PlanTaskViewSet(TouchingViewSet):
    queryset = (
        PlanTask.objects.select_related("plan", "action")
        .prefetch_related("responsible_departments", "owners")
        .order_by("plan", "number")
    )
    serializer_class = s.PlanTaskSerializer
    filterset_class = f.PlanTaskFilterSet

    def perform_create(self, serializer: Any) -> None:
        m2m = {"responsible_departments", "owners"}
        probe = PlanTask(**{k: v for k, v in serializer.validated_data.items() if k not in m2m})
        if not instance_in_scope(self.request.user, probe):
            raise OutOfScope()
        serializer.save()
        plan_touch(plan_id=serializer.instance.plan_id)

    def perform_update(self, serializer: Any) -> None:
        serializer.save()

    @extend_schema(request=s.TaskReportInputSerializer, responses=s.TaskStatusUpdateSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def report(self, request: Request, pk: Any = None) -> Response:
        """Report on a task (its owners, or a role that may add task updates)."""
        task = PlanTask.objects.select_related("plan").filter(pk=pk).first()
        if task is None:
            from django.http import Http404

            raise Http404
        data = s.TaskReportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        update = task_status_record(actor=request.user, task=task, today=timezone.localdate(), **data.validated_data)
        return Response(s.TaskStatusUpdateSerializer(update, context={"request": request}).data, status=201)


class TaskStatusUpdateViewSet(ScopedModelViewSet):
    queryset = TaskStatusUpdate.objects.select_related("task", "reported_by").order_by("task", "-reported_on")
    serializer_class = s.TaskStatusUpdateSerializer
    filterset_class = f.TaskStatusUpdateFilterSet

    def perform_create(self, serializer: Any) -> None:
        serializer.validated_data["reported_by"] = self.request.user
        super().perform_create(serializer)
