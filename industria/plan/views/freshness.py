"""Data freshness: each owner's "my updates" page, the administrator's overdue list, and the two update forms."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from industria.core.exceptions import DomainError
from industria.plan.forms import ActualRecordForm, TaskStatusForm
from industria.plan.freshness import days_overdue
from industria.plan.models import PlanIndicator, PlanTask
from industria.plan.permissions import may_administer
from industria.plan.selectors import indicator_get, my_updates, overdue_items, plan_current
from industria.plan.services import actual_record, may_record_actual, may_report_task, task_status_record


def _with_overdue(items: list[Any], today: Any) -> list[dict[str, Any]]:
    return [{"object": o, "days_overdue": days_overdue(o.next_due_on, today)} for o in items]


class MyUpdatesView(LoginRequiredMixin, View):
    """What the signed-in user owns and must keep up to date, with due dates; stale items first."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        items = my_updates(user=request.user)
        context = {
            "today": today,
            "indicators": _with_overdue(items["indicators"], today),
            "tasks": _with_overdue(items["tasks"], today),
        }
        return render(request, "plan/my_updates.html", context)


class OverdueView(LoginRequiredMixin, View):
    """For the administrator: overdue updates and items without an owner."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not may_administer(request.user):
            raise PermissionDenied
        today = timezone.localdate()
        plan = plan_current()
        items = overdue_items(plan=plan, today=today) if plan else {"indicators": [], "tasks": []}
        context = {
            "plan": plan,
            "today": today,
            "indicators": _with_overdue(items["indicators"], today),
            "tasks": _with_overdue(items["tasks"], today),
        }
        return render(request, "plan/overdue.html", context)


class ActualRecordView(LoginRequiredMixin, View):
    """Record a new figure of an indicator (the ``actual_record`` service)."""

    def _indicator(self, request: HttpRequest, pk: int) -> PlanIndicator:
        indicator = indicator_get(user=request.user, pk=pk)
        if not may_record_actual(actor=request.user, indicator=indicator) and not request.user.has_perm(
            "plan.add_indicatoractual"
        ):
            raise PermissionDenied
        return indicator

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = self._indicator(request, pk)
        form = ActualRecordForm(indicator=indicator, initial={"as_of_date": timezone.localdate()})
        return render(request, "plan/actual_record.html", {"indicator": indicator, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        indicator = self._indicator(request, pk)
        form = ActualRecordForm(request.POST, indicator=indicator)
        if form.is_valid():
            try:
                actual_record(
                    actor=request.user, indicator=indicator, today=timezone.localdate(), **form.service_kwargs()
                )
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Recorded a figure of %(indicator)s.") % {"indicator": indicator})
                return HttpResponseRedirect(indicator.get_absolute_url())
        return render(request, "plan/actual_record.html", {"indicator": indicator, "form": form}, status=400)


class TaskStatusRecordView(LoginRequiredMixin, View):
    """Report on a task (the ``task_status_record`` service)."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        task = get_object_or_404(PlanTask.objects.select_related("plan"), pk=pk)
        if not may_report_task(actor=request.user, task=task):
            raise PermissionDenied
        form = TaskStatusForm(request.POST)
        if form.is_valid():
            try:
                task_status_record(actor=request.user, task=task, today=timezone.localdate(), **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Reported on task %(task)s.") % {"task": task})
                return HttpResponseRedirect(task.get_absolute_url())
        context = {"task": task, "form": form}
        return render(request, "plan/taskstatus_record.html", context, status=400)
