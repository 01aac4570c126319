"""Workflow views: each is a form → one service → a fragment (HTMX, with an ``HX-Trigger``) or a redirect.

Moving a project on the board is the stage-transition form; the schedule, baseline, re-plan, node dates,
monthly investment, supervision orders and blockers follow the same shape.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.views.htmx import is_partial
from industria.projects import selectors, services
from industria.projects.choices import ORDERED_STAGES, ProjectStage, stage_order
from industria.projects.forms import (
    BlockerForm,
    HoldForm,
    InvestmentReportForm,
    NodeCompleteForm,
    ReopenForm,
    ReplanForm,
    ScheduleForm,
    StageTransitionForm,
    SupervisionRaiseForm,
    YearPlanForm,
)
from industria.projects.models import KeyProject, ProjectNode
from industria.projects.reference import stage_definitions


def project_for(
    request: HttpRequest, pk: int, action: str = "change", perm: str = "projects.change_keyproject"
) -> KeyProject:
    """The project if the user may act on it: 403 without the role permission, 404 outside the scope."""
    if not request.user.has_perm(perm):
        raise PermissionDenied
    try:
        return selectors.key_project_get(user=request.user, pk=pk, action=action)
    except KeyProject.DoesNotExist as exc:
        raise Http404 from exc


def _done(
    request: HttpRequest, project: KeyProject, message: str, *, tab: str = "overview", trigger: str = "project-changed"
) -> HttpResponse:
    """After a write: HTMX gets the message and events (the page re-fetches what changed); else a redirect."""
    if is_partial(request):
        response = HttpResponse(format_html('<p class="alert alert-success" role="status">{}</p>', message))
        events = {"project-changed": {"project": project.pk}, trigger: {"project": project.pk}}
        response["HX-Trigger"] = json.dumps(events)
        return response
    messages.success(request, message)
    return HttpResponseRedirect(project.get_absolute_url() + (f"?tab={tab}" if tab != "overview" else ""))


class WorkflowView(LoginRequiredMixin, View):
    """A form over one project, handed to one service."""

    title = ""
    tab = "overview"
    action = "change"
    perm = "projects.change_keyproject"
    trigger = "project-changed"

    def form(self, project: KeyProject, data: Any = None) -> Any:
        raise NotImplementedError

    def run(self, project: KeyProject, form: Any) -> str:
        """Call the service; return the success message."""
        raise NotImplementedError

    def get_title(self, project: KeyProject) -> str:
        return str(self.title)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = project_for(request, pk, self.action, self.perm)
        return self.render(project, self.form(project))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        project = project_for(request, pk, self.action, self.perm)
        form = self.form(project, request.POST)
        if form.is_valid():
            try:
                message = self.run(project, form)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return _done(request, project, message, tab=self.tab, trigger=self.trigger)
        return self.render(project, form, status=400)

    def render(self, project: KeyProject, form: Any, status: int = 200) -> HttpResponse:
        context = {
            "object": project,
            "form": form,
            "title": self.get_title(project),
            "action_url": self.request.get_full_path(),
            "view_name": type(self).__name__,
        }
        template = (
            "projects/partials/_workflow_form.html" if is_partial(self.request) else "projects/workflow_form.html"
        )
        return render(self.request, template, context, status=status)


class TransitionView(WorkflowView):
    """Move a project to a later stage (?stage=… , default the next one) with the evidence that stage needs."""

    trigger = "project-moved"

    def target(self, project: KeyProject) -> str:
        stage = self.request.POST.get("stage") or self.request.GET.get("stage")
        if stage not in ORDERED_STAGES:
            rank = project.stage_rank
            stage = ORDERED_STAGES[min((rank or 0) + 1, len(ORDERED_STAGES) - 1)]
        return stage

    def form(self, project: KeyProject, data: Any = None) -> Any:
        stage = self.target(project)
        return StageTransitionForm(data, definition=stage_definitions()[stage], initial={"stage": stage})

    def get_title(self, project: KeyProject) -> str:
        return _("Move %(project)s to “%(stage)s”") % {
            "project": project.code,
            "stage": ProjectStage(self.target(project)).label,
        }

    def run(self, project: KeyProject, form: Any) -> str:
        stage = form.cleaned_data["stage"]
        services.project_stage_advance(
            actor=self.request.user, project=project, stage=stage, evidence=form.evidence(), today=timezone.localdate()
        )
        return _("%(project)s is now “%(stage)s”.") % {"project": project.code, "stage": ProjectStage(stage).label}


class StallView(WorkflowView):
    def get_title(self, project: KeyProject) -> str:
        return _("Stall %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        return HoldForm(data, initial={"on": timezone.localdate()})

    def run(self, project: KeyProject, form: Any) -> str:
        services.project_stall(
            actor=self.request.user,
            project=project,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
        )
        return _("The project is stalled.")


class ResumeView(WorkflowView):
    def get_title(self, project: KeyProject) -> str:
        return _("Resume %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        return HoldForm(data, initial={"on": timezone.localdate(), "reason": "—"})

    def run(self, project: KeyProject, form: Any) -> str:
        services.project_resume(actor=self.request.user, project=project, on=form.cleaned_data["on"])
        return _("The project resumed.")


class CancelView(WorkflowView):
    def get_title(self, project: KeyProject) -> str:
        return _("Cancel %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        return HoldForm(data, initial={"on": timezone.localdate()})

    def run(self, project: KeyProject, form: Any) -> str:
        services.project_cancel(
            actor=self.request.user,
            project=project,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
        )
        return _("The project is cancelled.")


class ReopenView(WorkflowView):
    """Administrators only (the service checks the permission): back to an earlier stage, with a reason."""

    action = "view"
    perm = "projects.reopen_keyproject"

    def get_title(self, project: KeyProject) -> str:
        return _("Reopen %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        form = ReopenForm(data)
        rank = stage_order(project.stage)
        allowed = ORDERED_STAGES if rank is None else ORDERED_STAGES[:rank]
        form.fields["stage"].choices = [(s, ProjectStage(s).label) for s in allowed]
        return form

    def run(self, project: KeyProject, form: Any) -> str:
        services.project_reopen(
            actor=self.request.user,
            project=project,
            stage=form.cleaned_data["stage"],
            reason=form.cleaned_data["reason"],
            today=timezone.localdate(),
        )
        return _("The project is back at an earlier stage.")


class ScheduleView(WorkflowView):
    """Plan backwards from a target date on a template (before the first baseline)."""

    tab = "schedule"

    def get_title(self, project: KeyProject) -> str:
        return _("Schedule %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        form = ScheduleForm(
            data,
            initial={
                "template": project.template_id,
                "target_on": project.target_on,
                "target_node_code": project.target_node_code,
            },
        )
        form.fields["template"].queryset = form.fields["template"].queryset.filter(project_type=project.project_type)
        return form

    def run(self, project: KeyProject, form: Any) -> str:
        services.project_schedule_plan(
            actor=self.request.user,
            project=project,
            template=form.cleaned_data["template"],
            target_on=form.cleaned_data["target_on"],
            target_node_code=form.cleaned_data["target_node_code"],
            today=timezone.localdate(),
        )
        return _("Scheduled backwards from the target date.")


class BaselineApproveView(WorkflowView):
    tab = "schedule"

    def get_title(self, project: KeyProject) -> str:
        return _("Approve the schedule of %(project)s as its baseline") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        from django import forms

        return forms.Form(data)

    def run(self, project: KeyProject, form: Any) -> str:
        baseline = services.project_baseline_approve(
            actor=self.request.user, project=project, today=timezone.localdate()
        )
        return _("Baseline %(number)s approved.") % {"number": baseline.number}


class ReplanView(WorkflowView):
    tab = "schedule"

    def get_title(self, project: KeyProject) -> str:
        return _("Re-plan %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        rows = selectors.schedule_rows(project, today=timezone.localdate())
        durations = {r.code: (r.name, r.duration_days or 0) for r in rows}
        return ReplanForm(data, durations=durations, initial={"target_on": project.target_on})

    def run(self, project: KeyProject, form: Any) -> str:
        baseline = services.project_replan(
            actor=self.request.user,
            project=project,
            reason=form.cleaned_data["reason"],
            target_on=form.cleaned_data["target_on"],
            durations=form.durations(),
            today=timezone.localdate(),
        )
        return _("Re-planned: baseline %(number)s.") % {"number": baseline.number}


class NodeCompleteView(LoginRequiredMixin, View):
    """Record the actual dates of one node."""

    def node(self, request: HttpRequest, pk: int) -> ProjectNode:
        if not request.user.has_perm("projects.change_keyproject"):
            raise PermissionDenied
        node = get_object_or_404(ProjectNode.objects.select_related("project"), pk=pk)
        project_for(request, node.project_id)
        return node

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        node = self.node(request, pk)
        form = NodeCompleteForm(
            initial={
                "actual_start_on": node.actual_start_on,
                "actual_finish_on": node.actual_finish_on or timezone.localdate(),
            }
        )
        return self.render(node, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        node = self.node(request, pk)
        form = NodeCompleteForm(request.POST)
        if form.is_valid():
            try:
                services.node_complete(
                    actor=request.user,
                    node=node,
                    finished_on=form.cleaned_data["actual_finish_on"],
                    started_on=form.cleaned_data["actual_start_on"],
                    note=form.cleaned_data["note"],
                    today=timezone.localdate(),
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                return _done(request, node.project, _("Node dates recorded."), tab="schedule")
        return self.render(node, form, status=400)

    def render(self, node: ProjectNode, form: Any, status: int = 200) -> HttpResponse:
        names = selectors.node_names(node.project.template)
        context = {
            "object": node.project,
            "form": form,
            "action_url": self.request.get_full_path(),
            "title": _("Actual dates of “%(node)s”") % {"node": names.get(node.code, node.code)},
        }
        template = (
            "projects/partials/_workflow_form.html" if is_partial(self.request) else "projects/workflow_form.html"
        )
        return render(self.request, template, context, status=status)


class InvestmentReportView(WorkflowView):
    tab = "investment"
    perm = "projects.add_investmentreport"

    def get_title(self, project: KeyProject) -> str:
        return _("Monthly investment of %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        today = timezone.localdate()
        return InvestmentReportForm(data, initial={"year": today.year, "month": today.month})

    def run(self, project: KeyProject, form: Any) -> str:
        services.investment_report_submit(
            actor=self.request.user, project=project, today=timezone.localdate(), **form.cleaned_data
        )
        return _("Monthly investment recorded.")


class YearPlanView(WorkflowView):
    tab = "investment"
    perm = "projects.add_projectyearplan"

    def get_title(self, project: KeyProject) -> str:
        return _("Annual investment plan of %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        return YearPlanForm(data, initial={"year": timezone.localdate().year})

    def run(self, project: KeyProject, form: Any) -> str:
        services.project_year_plan_set(actor=self.request.user, project=project, **form.cleaned_data)
        return _("Annual plan saved.")


class SupervisionRaiseView(WorkflowView):
    tab = "monitoring"
    perm = "projects.add_supervisionorder"

    def get_title(self, project: KeyProject) -> str:
        return _("Supervision order for %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        return SupervisionRaiseForm(data)

    def run(self, project: KeyProject, form: Any) -> str:
        order = services.supervision_order_raise(
            actor=self.request.user,
            project=project,
            reason=form.cleaned_data["reason"],
            department=form.cleaned_data["department"],
            today=timezone.localdate(),
        )
        return _("Supervision order %(number)s sent.") % {"number": order.number}


class BlockerRaiseView(WorkflowView):
    tab = "monitoring"
    perm = "projects.add_blocker"

    def get_title(self, project: KeyProject) -> str:
        return _("Blocker of %(project)s") % {"project": project.code}

    def form(self, project: KeyProject, data: Any = None) -> Any:
        return BlockerForm(data)

    def run(self, project: KeyProject, form: Any) -> str:
        blocker = services.blocker_raise(
            actor=self.request.user, project=project, today=timezone.localdate(), **form.cleaned_data
        )
        return _("Routed to %(unit)s, to be cleared by %(date)s.") % {
            "unit": blocker.department,
            "date": blocker.due_on,
        }
