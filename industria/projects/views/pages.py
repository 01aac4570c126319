"""Pages: the board by stage, the Gantt panel, "my projects", supervision orders and blockers, the monthly
dispatch report (with its xlsx) and the pipeline forecast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View

from industria.core.pagination import CappedPaginator
from industria.core.views.htmx import is_partial
from industria.projects import selectors
from industria.projects.choices import ORDERED_STAGES, ProjectStage
from industria.projects.exports import dispatch_workbook
from industria.projects.filtersets import BlockerFilterSet, KeyProjectFilterSet, SupervisionOrderFilterSet
from industria.projects.forms import DispatchForm, SupervisionReplyForm
from industria.projects.models import KeyProject
from industria.projects.services import is_unit_member


def _require(request: HttpRequest, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def _partial(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return is_partial(request) and not (htmx and htmx.history_restore_request)


class BoardView(LoginRequiredMixin, View):
    """Projects by stage; a card moves through the stage-transition form (HTMX dialog) and the board and the
    selected project's Gantt panel refresh on the ``project-moved`` / ``project-changed`` events."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request, "projects.view_keyproject")
        queryset = selectors.key_project_list(user=request.user)
        filterset = KeyProjectFilterSet(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound:
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
        context = {
            "columns": selectors.board_columns(queryset=queryset),
            "filterset": filterset,
            "querystring": request.GET.urlencode(),
            "can_change": request.user.has_perm("projects.change_keyproject"),
            "next_stage": {s: ORDERED_STAGES[i + 1] for i, s in enumerate(ORDERED_STAGES[:-1])},
        }
        template = "projects/partials/_board.html" if _partial(request) else "projects/board.html"
        response = render(request, template, context)
        patch_vary_headers(response, ("HX-Request",))
        return response


class GanttPanelView(LoginRequiredMixin, View):
    """The Gantt chart of one project (planned, baseline, actual), as a panel fragment or a page."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        _require(request, "projects.view_keyproject")
        try:
            project = selectors.key_project_get(user=request.user, pk=pk)
        except KeyProject.DoesNotExist as exc:
            raise Http404 from exc
        today = timezone.localdate()
        rows = selectors.schedule_rows(project, today=today)
        context = {
            "object": project,
            "rows": rows,
            "gantt": selectors.gantt_payload(project, rows, today=today),
            "gantt_id": f"gantt-panel-{project.pk}",
            "can_change": request.user.has_perm("projects.change_keyproject"),
        }
        template = "projects/partials/_gantt_panel.html" if _partial(request) else "projects/gantt.html"
        return render(request, template, context)


class MyProjectsView(LoginRequiredMixin, View):
    """What needs the user's action: due and overdue nodes, orders and blockers, missing reports and plans."""

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        return render(
            request,
            "projects/my_projects.html",
            {"actions": selectors.my_actions(user=request.user, today=today), "today": today},
        )


class _ListPage(LoginRequiredMixin, View):
    filterset_class: Any = None
    template_name = ""
    title = ""

    def rows(self, request: HttpRequest) -> Any:
        raise NotImplementedError

    def get(self, request: HttpRequest) -> HttpResponse:
        queryset = self.rows(request)
        filterset = self.filterset_class(request.GET or None, queryset=queryset, request=request)
        if filterset.is_bound:
            queryset = filterset.qs if filterset.is_valid() else queryset.none()
        page = CappedPaginator(queryset, 50).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(
            request,
            self.template_name,
            {
                "page": page,
                "filterset": filterset,
                "title": self.title,
                "querystring": query.urlencode(),
                "today": timezone.localdate(),
            },
        )


class SupervisionOrderListView(_ListPage):
    """Orders in scope and the orders addressed to the user's unit."""

    filterset_class = SupervisionOrderFilterSet
    template_name = "projects/supervisionorder_list.html"

    def rows(self, request: HttpRequest) -> Any:
        self.title = _("Supervision orders")
        return selectors.supervision_order_list(user=request.user).order_by("-raised_on", "-id")


class BlockerListView(_ListPage):
    filterset_class = BlockerFilterSet
    template_name = "projects/blocker_list.html"

    def rows(self, request: HttpRequest) -> Any:
        self.title = _("Blockers")
        return selectors.blocker_list(user=request.user).order_by("status", "due_on", "id")


class SupervisionOrderDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        order = get_object_or_404(selectors.supervision_order_list(user=request.user), pk=pk)
        context = {
            "order": order,
            "replies": list(order.replies.select_related("author")),
            "can_reply": is_unit_member(request.user, order.department_id) and order.status != "closed",
            "can_close": request.user.has_perm("projects.change_supervisionorder")
            and order.status == "replied"
            and order.__class__.objects.for_user(request.user, "change").filter(pk=order.pk).exists(),
            "reply_form": SupervisionReplyForm(),
            "today": timezone.localdate(),
        }
        return render(request, "projects/supervisionorder_detail.html", context)


class BlockerDetailView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        blocker = get_object_or_404(selectors.blocker_list(user=request.user), pk=pk)
        return render(request, "projects/blocker_detail.html", {"blocker": blocker, "today": timezone.localdate()})


class DispatchReportView(LoginRequiredMixin, View):
    """The monthly dispatch report for any month, district and industry group; ?export=xlsx downloads it."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request, "projects.view_keyproject")
        today = timezone.localdate()
        form = DispatchForm(request.GET or None, initial=DispatchForm.initial_for(today))
        params = form.cleaned_data if form.is_bound and form.is_valid() else DispatchForm.initial_for(today)
        report = selectors.dispatch_report(
            selectors.key_project_list(user=request.user),
            year=params["year"],
            month=params["month"],
            district_ids=[d.pk for d in params.get("district") or []],
            group=params.get("group"),
        )
        if request.GET.get("export") == "xlsx":
            return dispatch_workbook(report)
        chart = {
            "title": _("Completion of the annual investment plan, %(year)s-%(month)02d")
            % {"year": report.year, "month": report.month},
            "x": [_district_name(r) for r in report.districts],
            "unit": "%",
            "horizontal": True,
            "target": round(report.month / 12 * 100, 1),
            "target_label": _("Time progress"),
            "series": [{"name": _("Completion"), "data": [r.get("completion_pct") for r in report.districts]}],
            "empty_text": _("No annual plans for this year."),
        }
        return render(
            request,
            "projects/dispatch_report.html",
            {"form": form, "report": report, "chart": chart, "querystring": request.GET.urlencode()},
        )


def _district_name(row: dict[str, Any]) -> str:
    from django.utils.translation import get_language

    en = (get_language() or "").startswith("en")
    return row.get("district__name_en" if en else "district__name_zh") or row.get("group_code") or ""


class PipelineForecastView(LoginRequiredMixin, View):
    """Conversion rates and durations estimated from history; expected investment and output per year."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _require(request, "projects.view_keyproject")
        today = timezone.localdate()
        try:
            as_of = dt.date.fromisoformat(request.GET.get("as_of") or "") if request.GET.get("as_of") else today
        except ValueError:
            as_of = today
        end_year = max(as_of.year + 3, 2025)
        conversion = selectors.conversion_table(as_of=as_of)
        expected = selectors.pipeline_expected_by_year(as_of=as_of, end_year=end_year)
        increments = selectors.pipeline_expected_by_year(as_of=as_of, end_year=end_year, increments_only=True)
        rules = selectors.rules_active(as_of=as_of)
        years = list(range(as_of.year, end_year + 1))
        series = []
        for link in rules.forecast.indicators.values():
            label = _("Expected investment") if link.measure == "investment" else _("Expected output")
            by_year = dict(
                expected.filter(expected["indicator_code"] == link.code).select("year", "expected_value").rows()
            )
            inc = dict(
                increments.filter(increments["indicator_code"] == link.code).select("year", "expected_value").rows()
            )
            series.append({"name": label, "type": "bar", "data": [round(by_year.get(y, 0.0), 1) for y in years]})
            series.append(
                {
                    "name": _("%(label)s, new to the trend") % {"label": label},
                    "type": "line",
                    "dashed": True,
                    "data": [round(inc.get(y, 0.0), 1) for y in years],
                }
            )
        chart = {
            "title": _("Pipeline-weighted forecast"),
            "x": [str(y) for y in years],
            "unit": _("CNY 100M"),
            "series": series,
            "y_zero": True,
        }
        context = {
            "as_of": as_of,
            "conversion": [
                {
                    **row,
                    "stage_label": ProjectStage(row["stage"]).label,
                    "next_label": ProjectStage(row["next_stage"]).label,
                }
                for row in conversion.iter_rows(named=True)
            ],
            "chart": chart,
            "indicators": list(rules.forecast.indicators.values()),
        }
        return render(request, "projects/pipeline_forecast.html", context)
