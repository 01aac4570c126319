"""Economic density pages, the inefficient-land list, revitalisation actions (workflow views calling the
services) and the area revitalised per district against its target."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from industria.core.exceptions import DomainError
from industria.core.views.generic import Column, ObjectDetailView, ObjectListView
from industria.engines.land_inefficiency import KIND_THRESHOLDS
from industria.land import selectors, services
from industria.land.choices import ActionKind, ActionStatus, InefficiencyKind
from industria.land.exports import inefficient_workbook
from industria.land.filtersets import RevitalisationActionFilterSet, district_choices
from industria.land.forms import ActionCancelForm, ActionCompleteForm, ActionOpenForm
from industria.land.models import Parcel, RevitalisationAction
from industria.land.selectors.density import LEVELS, benchmarks_for, latest_year

from .registry import ChoiceColumn, TextColumn, trend_chart

LEVEL_LABELS = {
    "district": gettext_lazy("Districts"),
    "park": gettext_lazy("Parks"),
    "parcel": gettext_lazy("Parcels"),
}


def _int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


class DensityView(LoginRequiredMixin, View):
    """Output and tax per mu and per km² of districts, parks or parcels for a year, with the grade mix, the
    change on the previous year and the published benchmarks (source and confidence)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("land.view_parcel"):
            raise PermissionDenied
        level = request.GET.get("level") if request.GET.get("level") in LEVELS else "district"
        year = _int(request.GET.get("year")) or latest_year()
        errors = []
        if request.GET.get("year") and _int(request.GET.get("year")) is None:
            errors.append(_("year: enter a whole number such as 2024."))
        district_id = _int(request.GET.get("district"))
        rows = (
            selectors.density_table(user=request.user, level=level, year=year, filters={"district_id": district_id})
            if year
            else []
        )
        trend_key = request.GET.get("key")
        trend = []
        if trend_key and year:
            key: Any = trend_key if level == "district" else _int(trend_key)
            if key is not None:
                trend = selectors.density_trend(user=request.user, level=level, key=key, year=year)
        context = {
            "level": level,
            "levels": [(lv, LEVEL_LABELS[lv]) for lv in LEVELS],
            "year": year,
            "district_id": district_id,
            "districts": district_choices(),
            "rows": rows[:500],
            "row_count": len(rows),
            "trend": trend,
            "trend_chart": trend_chart(trend, gettext_lazy("Economic density trend")),
            "benchmarks": benchmarks_for(level=level),
            "errors": errors,
        }
        return render(request, "land/density.html", context)


class InefficientListView(LoginRequiredMixin, View):
    """The parcels that are D-grade, idle or below their agreed clauses (the five types), with the rules used
    (uncertain thresholds marked), filters and an xlsx export."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("land.view_parcel"):
            raise PermissionDenied
        today = timezone.localdate()
        errors = []
        as_of = _date(request.GET.get("as_of"))
        if request.GET.get("as_of") and as_of is None:
            errors.append(_("as_of: enter a date as YYYY-MM-DD."))
        as_of = as_of or today
        year = _int(request.GET.get("year")) or latest_year() or as_of.year
        kind = request.GET.get("kind") if request.GET.get("kind") in InefficiencyKind.values else None
        districts = [d for d in (_int(v) for v in request.GET.getlist("district")) if d is not None]
        listed = selectors.inefficient_parcels(
            user=request.user, year=year, as_of=as_of, filters={"district": districts, "kind": kind}
        )
        if request.GET.get("export") == "xlsx":
            return inefficient_workbook(listed)
        rules = selectors.inefficiency_rules()
        rule_rows = [
            {
                "kind": k,
                "label": InefficiencyKind(k).label,
                "thresholds": [
                    {
                        "name": name,
                        "value": getattr(rules, name).value,
                        "source": getattr(rules, name).source,
                        "uncertain": getattr(rules, name).uncertain,
                    }
                    for name in names
                ],
            }  # fmt: skip
            for k, names in KIND_THRESHOLDS.items()
        ]
        counts: dict[str, int] = {}
        for row in listed:
            for k in row.kinds:
                counts[k] = counts.get(k, 0) + 1
        context = {
            "listed": listed[:1000],
            "total": len(listed),
            "counts": [(k, InefficiencyKind(k).label, counts.get(k, 0)) for k in InefficiencyKind.values],
            "kind_labels": dict(InefficiencyKind.choices),
            "kinds": InefficiencyKind.choices,
            "kind": kind,
            "districts": district_choices(),
            "selected_districts": districts,
            "year": year,
            "as_of": as_of,
            "rule_rows": rule_rows,
            "errors": errors,
            "can_act": request.user.has_perm("land.add_revitalisationaction"),
            "querystring": request.GET.urlencode(),
        }
        return render(request, "land/inefficient_list.html", context)


class TargetProgressView(LoginRequiredMixin, View):
    """Area revitalised per district in a year against the district's target (table + progress bars)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not request.user.has_perm("land.view_revitalisationaction"):
            raise PermissionDenied
        year = _int(request.GET.get("year")) or timezone.localdate().year
        rows = selectors.revitalisation_progress(user=request.user, year=year)
        total_target = sum((r.target_area_m2 or 0) for r in rows)
        total_done = sum(r.achieved_area_m2 for r in rows)
        return render(
            request,
            "land/target_progress.html",
            {
                "year": year,
                "rows": rows,
                "total_target": total_target,
                "total_done": total_done,
                "total_pct": round(float(total_done) / float(total_target) * 100, 1) if total_target else None,
            },
        )


# ------------------------------------------------------------------------------------------------ actions
class ActionListView(ObjectListView):
    model = RevitalisationAction
    filterset_class = RevitalisationActionFilterSet
    title = gettext_lazy("Revitalisation actions")
    export_stem = "revitalisation-actions"
    select_related = ("parcel", "parcel__district")
    template_name = "core/object_list.html"
    columns = [
        Column("pk", gettext_lazy("No."), link=True),
        TextColumn("parcel", gettext_lazy("Parcel")),
        TextColumn("parcel__district", gettext_lazy("District")),
        ChoiceColumn("kind", gettext_lazy("Action"), ActionKind),
        ChoiceColumn("reason", gettext_lazy("Reason"), InefficiencyKind),
        ChoiceColumn("status", gettext_lazy("Status"), ActionStatus),
        Column("opened_on", gettext_lazy("Opened on")),
        Column("due_on", gettext_lazy("Due on")),
        Column("completed_on", gettext_lazy("Completed on")),
        Column("area_m2", gettext_lazy("Area revitalised (m²)"), numeric=True),
        Column("notes", gettext_lazy("Notes"), export_only=True),
    ]


class ActionDetailView(ObjectDetailView):
    model = RevitalisationAction
    select_related = ("parcel", "parcel__district", "department")

    def get_context(self, obj: RevitalisationAction) -> dict[str, Any]:
        user = self.request.user
        may = user.has_perm("land.change_revitalisationaction") and (
            RevitalisationAction.objects.for_user(user, "change").filter(pk=obj.pk).exists()
        )
        return {
            "may_act": may,
            "is_open": obj.status in services.OPEN_STATUSES,
            "complete_form": ActionCompleteForm(initial={"completed_on": timezone.localdate()}),
            "cancel_form": ActionCancelForm(),
        }


class ActionOpenView(LoginRequiredMixin, View):
    """Plan an action on a parcel (from the inefficient-land list: ``?reason=`` preselects the reason)."""

    def _parcel(self, request: HttpRequest, pk: int) -> Parcel:
        if not request.user.has_perm("land.add_revitalisationaction"):
            raise PermissionDenied
        return get_object_or_404(Parcel.objects.for_user(request.user, "change").select_related("district"), pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        parcel = self._parcel(request, pk)
        initial = {"opened_on": timezone.localdate()}
        if request.GET.get("reason") in InefficiencyKind.values:
            initial["reason"] = request.GET["reason"]
        return self.render(parcel, ActionOpenForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        parcel = self._parcel(request, pk)
        form = ActionOpenForm(request.POST)
        if form.is_valid():
            try:
                action = services.revitalisation_action_open(actor=request.user, parcel=parcel, **form.cleaned_data)
            except DomainError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("Planned %(action)s.") % {"action": action})
                return HttpResponseRedirect(action.get_absolute_url())
        return self.render(parcel, form, status=400)

    def render(self, parcel: Parcel, form: Any, status: int = 200) -> HttpResponse:
        return render(
            self.request,
            "land/action_form.html",
            {"parcel": parcel, "form": form, "title": _("Plan a revitalisation action")},
            status=status,
        )


class ActionTransitionView(LoginRequiredMixin, View):
    """POST-only workflow steps of an action: advance, complete, cancel (each through its service)."""

    step = ""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.has_perm("land.change_revitalisationaction"):
            raise PermissionDenied
        action = get_object_or_404(RevitalisationAction.objects.for_user(request.user, "change"), pk=pk)
        form: Any = None
        try:
            if self.step == "advance":
                action = services.revitalisation_action_advance(actor=request.user, action=action)
            elif self.step == "complete":
                form = ActionCompleteForm(request.POST)
                if form.is_valid():
                    action = services.revitalisation_action_complete(
                        actor=request.user, action=action, **form.cleaned_data
                    )
            else:
                form = ActionCancelForm(request.POST)
                if form.is_valid():
                    action = services.revitalisation_action_cancel(
                        actor=request.user, action=action, reason=form.cleaned_data["reason"]
                    )
        except DomainError as exc:
            return render(request, "land/action_step_error.html", {"object": action, "error": exc}, status=400)
        if form is not None and not form.is_valid():
            errors = "; ".join(
                f"{form.fields[f].label if f in form.fields else ''}: {' '.join(e)}" for f, e in form.errors.items()
            )
            return render(request, "land/action_step_error.html", {"object": action, "error": errors}, status=400)
        messages.success(
            request, _("%(action)s is now %(status)s.") % {"action": action, "status": action.get_status_display()}
        )
        return HttpResponseRedirect(action.get_absolute_url())
