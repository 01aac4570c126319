"""API of the projects app: CRUD through ``for_user``; workflows are actions calling the same services as the UI."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from industria.core.api.viewsets import ScopedModelViewSet, ScopedReadOnlyViewSet
from industria.core.exceptions import OutOfScope
from industria.core.permissions import instance_in_scope
from industria.projects import selectors, services
from industria.projects.filtersets import (
    BlockerFilterSet,
    InvestmentReportFilterSet,
    KeyProjectFilterSet,
    SupervisionOrderFilterSet,
)
from industria.projects.models import (
    Blocker,
    InvestmentReport,
    KeyProject,
    NodeTemplate,
    ProjectListMembership,
    ProjectNode,
    ProjectYearPlan,
    SupervisionOrder,
)

from . import serializers as s


def _today() -> dt.date:
    return timezone.localdate()


class KeyProjectViewSet(ScopedModelViewSet):
    """Key projects in the caller's scope; ``transition``, ``schedule``, ``baseline``, ``replan`` are workflows."""

    queryset = KeyProject.objects.select_related("district", "investor", "template").order_by("-code")
    serializer_class = s.KeyProjectSerializer
    filterset_class = KeyProjectFilterSet
    ordering_fields = ["code", "signed_on", "started_on", "total_investment_cny"]

    def get_queryset(self) -> Any:
        if self.action in ("transition", "schedule", "baseline", "replan", "node_dates", "blockers"):
            return self.queryset.all().for_user(self.request.user, "change")
        return selectors.scoped_order(super().get_queryset(), self.request.user)

    def perform_create(self, serializer: Any) -> None:
        project = KeyProject(**serializer.validated_data)
        if not instance_in_scope(self.request.user, project):
            raise OutOfScope()
        serializer.instance = services.key_project_register(actor=self.request.user, project=project, today=_today())

    def _require(self, perm: str) -> None:
        if not self.request.user.has_perm(perm):
            raise PermissionDenied()

    @action(detail=True, methods=["post"])
    def transition(self, request: Request, pk: Any = None) -> Response:
        """Move the project to a later stage with the evidence that stage requires."""
        self._require("projects.change_keyproject")
        project = self.get_object()
        data = s.TransitionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        project = services.project_stage_advance(
            actor=request.user,
            project=project,
            stage=data.validated_data["stage"],
            evidence=data.validated_data["evidence"],
            today=_today(),
        )
        return Response(s.KeyProjectSerializer(project, context={"request": request}).data)

    @action(detail=True, methods=["get", "post"])
    def schedule(self, request: Request, pk: Any = None) -> Response:
        """GET: every node with planned, baseline and actual dates (the Gantt JSON); POST: plan backwards."""
        if request.method == "POST":
            self._require("projects.change_keyproject")
            project = self.get_object()
            data = s.ScheduleInputSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            project = services.project_schedule_plan(
                actor=request.user, project=project, today=_today(), **data.validated_data
            )
        else:
            project = self.get_object()
        rows = selectors.schedule_rows(project, today=_today())
        return Response(selectors.gantt_payload(project, rows, today=_today()))

    @action(detail=True, methods=["post"])
    def baseline(self, request: Request, pk: Any = None) -> Response:
        self._require("projects.change_keyproject")
        baseline = services.project_baseline_approve(actor=request.user, project=self.get_object(), today=_today())
        return Response(
            {"number": baseline.number, "approved_on": baseline.approved_on}, status=status.HTTP_201_CREATED
        )

    @action(detail=True, methods=["post"])
    def replan(self, request: Request, pk: Any = None) -> Response:
        self._require("projects.change_keyproject")
        data = s.ReplanInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        baseline = services.project_replan(
            actor=request.user, project=self.get_object(), today=_today(), **data.validated_data
        )
        return Response({"number": baseline.number, "reason": baseline.reason}, status=status.HTTP_201_CREATED)

    @action(detail=True, methods=["post"], url_path=r"nodes/(?P<code>[\w-]+)")
    def node_dates(self, request: Request, pk: Any = None, code: str = "") -> Response:
        """Record the actual dates of one node."""
        self._require("projects.change_keyproject")
        project = self.get_object()
        node = ProjectNode.objects.filter(project=project, code=code).first()
        if node is None:
            raise NotFound()
        data = s.NodeDatesInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        node = services.node_complete(actor=request.user, node=node, today=_today(), **data.validated_data)
        return Response(
            {"code": node.code, "actual_start_on": node.actual_start_on, "actual_finish_on": node.actual_finish_on}
        )

    @action(detail=True, methods=["post"])
    def blockers(self, request: Request, pk: Any = None) -> Response:
        """Report a blocker; it is routed to the department that can clear it."""
        self._require("projects.add_blocker")
        data = s.BlockerInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        blocker = services.blocker_raise(
            actor=request.user, project=self.get_object(), today=_today(), **data.validated_data
        )
        return Response(s.BlockerSerializer(blocker).data, status=status.HTTP_201_CREATED)


class InvestmentReportViewSet(ScopedModelViewSet):
    """Monthly investment reports; a new report goes through ``investment_report_submit``."""

    queryset = InvestmentReport.objects.select_related("project").order_by("project__code", "-year", "-month")
    serializer_class = s.InvestmentReportSerializer
    filterset_class = InvestmentReportFilterSet

    def perform_create(self, serializer: Any) -> None:
        data = dict(serializer.validated_data)
        project = data.pop("project")
        if not KeyProject.objects.for_user(self.request.user, "change").filter(pk=project.pk).exists():
            raise OutOfScope()
        serializer.instance = services.investment_report_submit(
            actor=self.request.user, project=project, today=_today(), **data
        )


class ProjectYearPlanViewSet(ScopedModelViewSet):
    """Annual investment plans of projects in scope (the plan the dispatch report measures completion against)."""

    queryset = ProjectYearPlan.objects.select_related("project").order_by("project__code", "year")
    serializer_class = s.ProjectYearPlanSerializer
    filterset_fields = {"year": ["exact"], "project": ["exact"]}


class ProjectListMembershipViewSet(ScopedModelViewSet):
    """Memberships of the yearly lists (municipal major projects, key industrial projects, benchmarks)."""

    queryset = ProjectListMembership.objects.select_related("project").order_by("project__code", "year")
    serializer_class = s.ProjectListMembershipSerializer
    filterset_fields = {"year": ["exact"], "list_kind": ["exact"], "project": ["exact"]}


class SupervisionOrderViewSet(viewsets.ReadOnlyModelViewSet):
    """Orders in scope and those addressed to the caller's unit; the unit replies through ``reply``."""

    serializer_class = s.SupervisionOrderSerializer
    filterset_class = SupervisionOrderFilterSet
    permission_classes = [IsAuthenticated]
    queryset = SupervisionOrder.objects.all()

    def get_queryset(self) -> Any:
        return (
            selectors.supervision_order_list(user=self.request.user)
            .prefetch_related("replies")
            .order_by("-raised_on", "-id")
        )

    @action(detail=True, methods=["post"])
    def reply(self, request: Request, pk: Any = None) -> Response:
        data = s.ReplyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.supervision_order_reply(
            actor=request.user, order=self.get_object(), today=_today(), **data.validated_data
        )
        return Response(s.SupervisionOrderSerializer(self.get_object()).data, status=status.HTTP_201_CREATED)


class BlockerViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = s.BlockerSerializer
    filterset_class = BlockerFilterSet
    permission_classes = [IsAuthenticated]
    queryset = Blocker.objects.all()

    def get_queryset(self) -> Any:
        return selectors.blocker_list(user=self.request.user).order_by("status", "due_on", "id")

    @action(detail=True, methods=["post"])
    def resolve(self, request: Request, pk: Any = None) -> Response:
        blocker = self.get_object()
        data = s.ResolveInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = request.user
        may_change = (
            user.has_perm("projects.change_keyproject")
            and KeyProject.objects.for_user(user, "change").filter(pk=blocker.project_id).exists()
        )
        blocker = services.blocker_resolve(
            actor=user, blocker=blocker, today=_today(), may_change_project=may_change, **data.validated_data
        )
        return Response(s.BlockerSerializer(blocker).data)


class NodeTemplateViewSet(ScopedReadOnlyViewSet):
    queryset = NodeTemplate.objects.prefetch_related("items").order_by("code")
    serializer_class = s.NodeTemplateSerializer
    filterset_fields = ["project_type", "fast_track", "is_active"]


def _date(value: str | None, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value) if value else default
    except ValueError:
        return default


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("start", OpenApiTypes.DATE, description="first day (default: 1 January)"),
            OpenApiParameter("end", OpenApiTypes.DATE, description="last day (default: today)"),
            OpenApiParameter("district", OpenApiTypes.STR, many=True, description="district codes"),
            OpenApiParameter("group", OpenApiTypes.INT, description="industry group id (with its sub-areas)"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
)
class DispatchView(APIView):
    """Dispatch statistics of a period (``start``, ``end``; ``district`` codes; ``group`` id): totals, by district."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        if not request.user.has_perm("projects.view_keyproject"):
            raise PermissionDenied()
        today = _today()
        start = _date(request.query_params.get("start"), dt.date(today.year, 1, 1))
        end = _date(request.query_params.get("end"), today)
        codes = request.query_params.getlist("district")
        from industria.accounts.models import District
        from industria.enterprises.models import IndustryGroup

        group_id = request.query_params.get("group")
        filters = selectors.DispatchFilters(
            start,
            end,
            list(District.objects.filter(code__in=codes).values_list("pk", flat=True)) if codes else [],
            IndustryGroup.objects.filter(pk=group_id).first() if group_id and group_id.isdigit() else None,
        )
        queryset = selectors.key_project_list(user=request.user)
        return Response(
            {
                "start": start,
                "end": end,
                "totals": selectors.dispatch_totals(queryset, filters),
                "districts": selectors.dispatch_by_district(queryset, filters),
            }
        )


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="day of the forecast (default: today)"),
            OpenApiParameter("end_year", OpenApiTypes.INT, description="last year"),
        ],
        responses=OpenApiTypes.OBJECT,
    )
)
class ForecastView(APIView):
    """The pipeline-weighted forecast: conversion table and expected investment/output per year."""

    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        if not request.user.has_perm("projects.view_keyproject"):
            raise PermissionDenied()
        as_of = _date(request.query_params.get("as_of"), _today())
        end_year = int(request.query_params.get("end_year") or max(as_of.year + 3, 2025))
        return Response(
            {
                "as_of": as_of,
                "conversion": selectors.conversion_table(as_of=as_of).to_dicts(),
                "expected_by_year": selectors.pipeline_expected_by_year(as_of=as_of, end_year=end_year).to_dicts(),
                "increments_by_year": selectors.pipeline_expected_by_year(
                    as_of=as_of, end_year=end_year, increments_only=True
                ).to_dicts(),
            }
        )
