"""Registry UI of key projects: list (filters, export), the project page with its tabs, edit, delete;
node templates (with the duration change that re-schedules their projects) and the monitoring rules page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.permissions import instance_in_scope
from industria.core.views.generic import (
    Column,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    object_history,
)
from industria.core.views.htmx import is_partial
from industria.projects import selectors, services
from industria.projects.choices import ORDERED_STAGES, ProjectStage, ProjectType, WarningColour
from industria.projects.filtersets import KeyProjectFilterSet
from industria.projects.forms import KeyProjectForm, TemplateDurationsForm
from industria.projects.models import KeyProject, NodeTemplate, ProjectEvent
from industria.projects.reference import stage_definitions

TABS = (
    ("overview", gettext_lazy("Overview")),
    ("schedule", gettext_lazy("Schedule")),
    ("investment", gettext_lazy("Investment")),
    ("monitoring", gettext_lazy("Supervision and blockers")),
    ("events", gettext_lazy("Events")),
    ("history", gettext_lazy("History")),
)


class TextColumn(Column):
    """A related object as text (xlsx cells take numbers, dates and text only)."""

    def value(self, obj: Any) -> Any:
        value = super().value(obj)
        return None if value is None else str(value)


class ChoiceColumn(Column):
    """A choice field shown by its label, looked up once per page (not through ``get_FOO_display`` per row)."""

    def __init__(self, accessor: str, header: Any, choices: Any, **kw: Any):
        super().__init__(accessor, header, **kw)
        self.labels = dict(choices.choices)

    def value(self, obj: Any) -> Any:
        raw = getattr(obj, self.accessor)
        label = self.labels.get(raw)
        return str(label) if label is not None else raw


class YiColumn(Column):
    """Money in 亿元 (CNY 100 million), as dispatch reports show it."""

    def value(self, obj: Any) -> Any:
        value = super().value(obj)
        return None if value is None else round(float(value) / 1e8, 2)


class KeyProjectListView(ObjectListView):
    """Projects in scope with filters; exports carry every registry column."""

    model = KeyProject
    filterset_class = KeyProjectFilterSet
    title = gettext_lazy("Key projects")
    export_stem = "key-projects"
    create_url_name = "projects:keyproject_add"
    template_name = "projects/keyproject_list.html"
    columns = [
        Column("code", gettext_lazy("Code"), link=True),
        Column("name", gettext_lazy("Name")),
        TextColumn("district", gettext_lazy("District")),
        TextColumn("industry_group", gettext_lazy("Industry group")),
        ChoiceColumn("project_type", gettext_lazy("Type"), ProjectType),
        ChoiceColumn("stage", gettext_lazy("Stage"), ProjectStage),
        ChoiceColumn("warning_colour", gettext_lazy("Warning"), WarningColour),
        YiColumn("total_investment_cny", gettext_lazy("Investment (CNY 100M)"), numeric=True),
        Column("signed_on", gettext_lazy("Signed on")),
        Column("started_on", gettext_lazy("Started on")),
        Column("name_zh", gettext_lazy("Name (Chinese)"), export_only=True),
        Column("name_en", gettext_lazy("Name (English)"), export_only=True),
        Column("district__code", gettext_lazy("District code"), export_only=True),
        Column("investor_display", gettext_lazy("Investor"), export_only=True),
        Column("total_investment_cny", gettext_lazy("Total investment (CNY)"), export_only=True),
        Column("fixed_asset_investment_cny", gettext_lazy("Fixed-asset investment (CNY)"), export_only=True),
        Column("expected_output_cny", gettext_lazy("Expected annual output (CNY)"), export_only=True),
        Column("land_area_mu", gettext_lazy("Land area (mu)"), export_only=True),
        Column("completed_on", gettext_lazy("Completed on"), export_only=True),
        Column("producing_on", gettext_lazy("Producing since"), export_only=True),
        Column("red_since", gettext_lazy("Red since"), export_only=True),
        Column("synthetic", gettext_lazy("Synthetic"), export_only=True),
    ]

    def get_queryset(self) -> Any:
        # the page shows district and group; an export also shows the investor (no query per row)
        related = (
            ("district", "industry_group", "investor")
            if self.request.GET.get("export")
            else ("district", "industry_group")
        )
        return selectors.scoped_order(
            KeyProject.objects.for_user(self.request.user, "view").select_related(*related), self.request.user
        )


def detail_context(request: HttpRequest, project: KeyProject, tab: str) -> dict[str, Any]:
    """What each tab shows (each tab loads only its own data)."""
    today = timezone.localdate()
    user = request.user
    may_change = user.has_perm("projects.change_keyproject") and instance_in_scope(user, project)
    context: dict[str, Any] = {
        "object": project,
        "model_meta": KeyProject._meta,
        "tab": tab,
        "tabs": TABS,
        "today": today,
        "can_change": may_change,
        "can_delete": user.has_perm("projects.delete_keyproject") and instance_in_scope(user, project),
        "can_reopen": user.has_perm("projects.reopen_keyproject"),
    }
    if tab == "history":
        context["changes"] = object_history(project)
    elif tab == "schedule":
        rows = selectors.schedule_rows(project, today=today)
        context.update(
            rows=rows,
            gantt=selectors.gantt_payload(project, rows, today=today),
            gantt_id=f"gantt-{project.pk}",
            schedule=getattr(project, "schedule", None) if hasattr(project, "schedule") else None,
            baselines=list(project.baselines.select_related("approved_by")),
        )
    elif tab == "investment":
        plans = list(project.year_plans.order_by("year"))
        reports = list(project.investment_reports.order_by("-year", "-month"))
        done_by_year: dict[int, float] = {}
        for r in reports:
            done_by_year[r.year] = done_by_year.get(r.year, 0.0) + float(r.completed_investment_cny)
        context.update(
            plans=[
                {
                    "plan": p,
                    "done": done_by_year.get(p.year, 0.0),
                    "pct": round(done_by_year.get(p.year, 0.0) / float(p.planned_investment_cny) * 100, 1)
                    if p.planned_investment_cny
                    else None,
                }
                for p in plans
            ],
            reports=reports,
            cumulative=sum(done_by_year.values()),
        )
    elif tab == "monitoring":
        context.update(
            orders=list(project.supervision_orders.select_related("department").prefetch_related("replies")),
            blockers=list(project.blockers.select_related("department")),
        )
    elif tab == "events":
        context["events"] = list(ProjectEvent.objects.filter(project=project).select_related("actor")[:200])
    else:
        definitions = stage_definitions()
        context.update(
            stages=[
                {
                    "code": s,
                    "label": ProjectStage(s).label,
                    "on": project.stage_date(s),
                    "confidence": definitions[s].confidence,
                }
                for s in ORDERED_STAGES
            ],
            next_stages=[
                s
                for s in ORDERED_STAGES
                if project.stage_rank is not None and ORDERED_STAGES.index(s) > project.stage_rank
            ][:3],
            memberships=list(project.list_memberships.all()),
        )
    return context


class KeyProjectDetailView(ObjectDetailView):
    """A project's page: overview and stages, schedule (Gantt), investment, supervision, events, history."""

    model = KeyProject
    select_related = ("district", "industry_group", "investor", "responsible_unit", "officer", "template")

    def get(self, request: HttpRequest, pk: Any) -> HttpResponse:
        project = self.get_object(pk)
        tab = request.GET.get("tab", "overview")
        tab = tab if tab in dict(TABS) else "overview"
        context = detail_context(request, project, tab)
        htmx = getattr(request, "htmx", None)
        partial = is_partial(request) and not (htmx and htmx.history_restore_request) and not request.GET.get("full")
        template = "projects/partials/_project_tab.html" if partial else "projects/keyproject_detail.html"
        response = render(request, template, context)
        patch_vary_headers(response, ("HX-Request",))
        return response


class KeyProjectEditView(ObjectEditView):
    """Registry data; a new project is registered through ``key_project_register`` (a lead, with its event)."""

    model = KeyProject
    form_class = KeyProjectForm

    def get_form(self, obj: Any, data: Any = None, files: Any = None) -> Any:
        form = super().get_form(obj, data, files)
        if obj.pk is None and data is None and self.request.user.district_id:
            form.initial.setdefault(
                "code",
                selectors.project_code_next(district_code=self.request.user.district.code, today=timezone.localdate()),
            )
        return form

    def post(self, request: HttpRequest, pk: Any = None) -> HttpResponse:
        if pk is not None:
            return super().post(request, pk)
        obj = self.get_object(None)
        form = self.get_form(obj, request.POST, request.FILES)
        if form.is_valid():
            if not instance_in_scope(request.user, form.instance):
                form.add_error(None, _("This record would be outside your scope."))
            else:
                try:
                    with transaction.atomic():
                        project = services.key_project_register(
                            actor=request.user, project=form.instance, today=timezone.localdate()
                        )
                except DomainError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Saved %(object)s.") % {"object": project})
                    return HttpResponseRedirect(project.get_absolute_url())
        return self.render(obj, form, status=400)


class KeyProjectDeleteView(ObjectDeleteView):
    model = KeyProject
    success_url_name = "projects:keyproject_list"


class NodeTemplateListView(LoginRequiredMixin, View):
    """Node templates with their fast-track kind and evidence tag."""

    def get(self, request: HttpRequest) -> HttpResponse:
        templates = NodeTemplate.objects.all()
        counts = {t.pk: t.items.count() for t in templates}
        return render(request, "projects/nodetemplate_list.html", {"templates": templates, "counts": counts})


class NodeTemplateDetailView(LoginRequiredMixin, View):
    """A template: its nodes, dependencies and standard durations, and the schedule they give (critical path)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(NodeTemplate, pk=pk)
        spec = selectors.template_spec(template)
        items = list(template.items.order_by("seq"))
        offsets = template_offsets(spec)
        context = {
            "template": template,
            "items": [(i, offsets.get(i.code)) for i in items],
            "can_change": request.user.has_perm("projects.change_nodetemplate"),
            "projects": template.projects.count(),
        }
        return render(request, "projects/nodetemplate_detail.html", context)


def template_offsets(spec: Any) -> dict[str, dict[str, Any]]:
    """Days before (−) or after (+) the target of each node's finish, and the critical flag, for a sample target."""
    import datetime as dt

    import polars as pl

    from industria.engines.scheduling import schedule_backward

    target = dt.date(2030, 1, 1)
    projects = pl.DataFrame(
        {"project_id": [0], "template_code": [spec.code], "target_code": [None], "target_on": [target]},
        schema={"project_id": pl.Int64, "template_code": pl.String, "target_code": pl.String, "target_on": pl.Date},
    )
    nodes = pl.DataFrame(schema={"project_id": pl.Int64, "node_code": pl.String, "duration_days": pl.Int64})
    result = schedule_backward(nodes, projects, {spec.code: spec})
    return {
        r["node_code"]: {
            "offset": (r["planned_finish_on"] - target).days,
            "critical": r["critical"],
            "float_days": r["float_days"],
        }
        for r in result.iter_rows(named=True)
    }


class NodeTemplateEditView(LoginRequiredMixin, View):
    """Change a template's standard durations: a new version, and a job that re-schedules its projects."""

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not request.user.has_perm("projects.change_nodetemplate"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(NodeTemplate, pk=pk)
        return self.render(template, TemplateDurationsForm(template=template))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        template = get_object_or_404(NodeTemplate, pk=pk)
        form = TemplateDurationsForm(request.POST, template=template)
        if form.is_valid():
            try:
                job = services.node_template_update(
                    actor=request.user,
                    template=template,
                    durations=form.durations(),
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                if job is None:
                    messages.info(request, _("Nothing changed."))
                    return HttpResponseRedirect(template.get_absolute_url())
                messages.success(
                    request,
                    _("Version %(version)s saved; its projects are being re-scheduled.")
                    % {"version": template.version},
                )
                return HttpResponseRedirect(job.get_absolute_url())
        return self.render(template, form, status=400)

    def render(self, template: NodeTemplate, form: Any, status: int = 200) -> HttpResponse:
        return render(
            request=self.request,
            template_name="projects/nodetemplate_edit.html",
            context={"template": template, "form": form},
            status=status,
        )


class RulesView(LoginRequiredMixin, View):
    """The monitoring rules in force, every value with its evidence tag (uncertain values labelled)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        ruleset = selectors.ruleset_active(as_of=today)
        rules = selectors.rules_active(as_of=today)
        context = {
            "ruleset": ruleset,
            "values": rules.tagged_values(),
            "blockers": list(rules.blockers.values()),
            "priors": list(rules.forecast.priors.values()),
            "indicators": list(rules.forecast.indicators.values()),
            "stages": list(stage_definitions().values()),
        }
        return render(request, "projects/rules.html", context)
