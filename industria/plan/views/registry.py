"""Declarative CRUD of the plan's data (generic views); every successful write marks the plan's data changed."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from industria.core.views.generic import Column, ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from industria.plan.filtersets import (
    DataSourceFilterSet,
    IndicatorActualFilterSet,
    PlanTaskFilterSet,
)
from industria.plan.forms import (
    DataSourceForm,
    IndicatorActualForm,
    IndicatorTargetForm,
    PlanIndicatorForm,
    PlanTaskForm,
    TaskStatusForm,
)
from industria.plan.models import DataSource, DevelopmentPlan, IndicatorActual, IndicatorTarget, PlanIndicator, PlanTask
from industria.plan.services import may_report_task, plan_touch


def _plan_ids(obj: Any) -> set[int]:
    if isinstance(obj, DevelopmentPlan):
        return {obj.pk}
    if isinstance(obj, PlanIndicator | PlanTask):
        return {obj.plan_id} if obj.plan_id else set()
    if isinstance(obj, IndicatorTarget | IndicatorActual):
        return {obj.indicator.plan_id} if obj.indicator_id else set()
    return set(DevelopmentPlan.objects.values_list("pk", flat=True))  # sources are shared by every plan


class TouchingEditView(ObjectEditView):
    """Create/change through the generic view, then mark the plan's data changed (cached dashboards refresh)."""

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        before = _plan_ids(self.get_object(pk)) if pk is not None else set()
        response = super().post(request, pk)
        if response.status_code == 302:
            obj = self.model.objects.filter(pk=pk).first() if pk is not None else None
            after = _plan_ids(obj) if obj is not None else set()
            if pk is None:
                latest = self.model.objects.order_by("-pk").first()
                after = _plan_ids(latest) if latest is not None else set()
            for plan_id in before | after:
                plan_touch(plan_id=plan_id)
        return response


class TouchingDeleteView(ObjectDeleteView):
    def post(self, request: HttpRequest, pk: Any) -> HttpResponse:
        plans = _plan_ids(self.get_object(pk))
        response = super().post(request, pk)
        for plan_id in plans:
            plan_touch(plan_id=plan_id)
        return response


class DevelopmentPlanDetailView(ObjectDetailView):
    """The plan document: goals, actions and their tasks (marking those an administrator must complete)."""

    model = DevelopmentPlan
    template_name = "plan/developmentplan_detail.html"
    select_related = ("source",)

    def get_context(self, obj: Any) -> dict[str, Any]:
        today = timezone.localdate()
        tasks = list(
            PlanTask.objects.for_user(self.request.user, "view")
            .filter(plan=obj)
            .select_related("action")
            .prefetch_related("responsible_departments", "owners")
        )
        actions = []
        for action in obj.actions.all():
            actions.append((action, [t for t in tasks if t.action_id == action.pk]))
        unassigned = [t for t in tasks if t.action_id is None]
        indicators = PlanIndicator.objects.for_user(self.request.user, "view").filter(plan=obj)
        return {
            "goals": list(obj.goals.all()),
            "actions": actions,
            "unassigned_tasks": unassigned,
            "incomplete_count": sum(1 for t in tasks if t.to_be_completed_by_admin),
            "indicator_count": indicators.count(),
            "today": today,
        }


class PlanIndicatorEditView(TouchingEditView):
    model = PlanIndicator
    form_class = PlanIndicatorForm


class PlanIndicatorDeleteView(TouchingDeleteView):
    model = PlanIndicator
    success_url_name = "plan:planindicator_list"


class IndicatorTargetDetailView(ObjectDetailView):
    model = IndicatorTarget
    template_name = "plan/indicatortarget_detail.html"
    select_related = ("indicator", "source")


class IndicatorTargetEditView(TouchingEditView):
    model = IndicatorTarget
    form_class = IndicatorTargetForm


class IndicatorTargetDeleteView(TouchingDeleteView):
    model = IndicatorTarget
    success_url_name = "plan:planindicator_list"


class IndicatorActualListView(ObjectListView):
    """Every recorded figure the user may see (district officers: their own district's breakdowns)."""

    model = IndicatorActual
    filterset_class = IndicatorActualFilterSet
    select_related = ("indicator", "district", "industry_group", "source")
    title = _("Indicator figures")
    export_stem = "plan-figures"
    create_url_name = "plan:indicatoractual_add"
    columns = [
        Column("indicator", _("Indicator"), link=True),
        Column("period", _("Period")),
        Column("period_type", _("Period type")),
        Column("district", _("District")),
        Column("industry_group", _("Industry group")),
        Column("value", _("Value"), numeric=True),
        Column("qualifier", _("Qualifier")),
        Column("status", _("Status")),
        Column("uncertain", _("Uncertain")),
        Column("as_of_date", _("Known on")),
        Column("source__code", _("Source")),
        Column("series", _("Series"), export_only=True),
        Column("vintage", _("Vintage"), export_only=True),
        Column("source__title", _("Source title"), export_only=True),
        Column("source__url", _("Source address"), export_only=True),
        Column("citation", _("Citation detail"), export_only=True),
        Column("confidence", _("Confidence"), export_only=True),
        Column("note", _("Note"), export_only=True),
    ]

    def get_queryset(self) -> Any:
        return super().get_queryset().order_by("-id")  # the latest recorded first


class IndicatorActualDetailView(ObjectDetailView):
    model = IndicatorActual
    template_name = "plan/indicatoractual_detail.html"
    select_related = ("indicator", "district", "industry_group", "source", "recorded_by")


class IndicatorActualEditView(TouchingEditView):
    model = IndicatorActual
    form_class = IndicatorActualForm


class IndicatorActualDeleteView(TouchingDeleteView):
    model = IndicatorActual
    success_url_name = "plan:indicatoractual_list"


class PlanTaskListView(ObjectListView):
    model = PlanTask
    filterset_class = PlanTaskFilterSet
    select_related = ("plan", "action")
    title = _("Plan tasks")
    export_stem = "plan-tasks"
    create_url_name = "plan:plantask_add"
    columns = [
        Column("__str__", _("Task"), link=True),
        Column("action", _("Action")),
        Column("status", _("Status")),
        Column("progress_pct", _("Progress (%)"), numeric=True),
        Column("deadline", _("Deadline")),
        Column("cadence", _("Reporting cadence")),
        Column("next_due_on", _("Next status update due on")),
        Column("to_be_completed_by_admin", _("To be completed by an administrator")),
        Column("name_zh", _("Name (Chinese)"), export_only=True),
        Column("name_en", _("Name (English)"), export_only=True),
        Column("note", _("Note"), export_only=True),
    ]


class PlanTaskDetailView(ObjectDetailView):
    """A task with its responsible units, owners, deadline, reports and the report form for its owners."""

    model = PlanTask
    template_name = "plan/plantask_detail.html"
    select_related = ("plan", "action", "source")

    def get_context(self, obj: Any) -> dict[str, Any]:
        today = timezone.localdate()
        return {
            "updates": list(obj.updates.select_related("reported_by")),
            "departments": list(obj.responsible_departments.all()),
            "owners": list(obj.owners.all()),
            "can_report": may_report_task(actor=self.request.user, task=obj),
            "report_form": TaskStatusForm(initial={"reported_on": today, "status": obj.status}),
            "today": today,
            "stale": obj.is_stale(today=today),
            "overdue": obj.is_overdue(today=today),
        }


class PlanTaskEditView(TouchingEditView):
    model = PlanTask
    form_class = PlanTaskForm


class PlanTaskDeleteView(TouchingDeleteView):
    model = PlanTask
    success_url_name = "plan:plantask_list"


class DataSourceListView(ObjectListView):
    model = DataSource
    filterset_class = DataSourceFilterSet
    title = _("Data sources")
    export_stem = "plan-sources"
    create_url_name = "plan:datasource_add"
    columns = [
        Column("code", _("Code"), link=True),
        Column("title", _("Title")),
        Column("publisher", _("Publisher")),
        Column("published_on", _("Published on")),
        Column("url", _("Address")),
        Column("reference", _("Reference"), export_only=True),
    ]


class DataSourceDetailView(ObjectDetailView):
    model = DataSource
    template_name = "plan/datasource_detail.html"

    def get_context(self, obj: Any) -> dict[str, Any]:
        figures = (
            IndicatorActual.objects.for_user(self.request.user, "view")
            .filter(source=obj)
            .select_related("indicator", "district", "industry_group")[:200]
        )
        return {"figures": list(figures)}


class DataSourceEditView(TouchingEditView):
    model = DataSource
    form_class = DataSourceForm
