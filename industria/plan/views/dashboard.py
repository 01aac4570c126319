"""The dashboard: plan overview, indicator page, district map, public pages, indicator export.

Every page takes ``?as_of=YYYY-MM-DD`` and then shows the dashboard as it was on that date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views import View

from industria.core.exports import export_csv, export_filename, export_xlsx
from industria.core.views.generic import Column, ObjectDetailView, ObjectListView
from industria.plan.choices import COMPARATOR_SYMBOLS
from industria.plan.computed import parse_computed
from industria.plan.filtersets import PlanIndicatorFilterSet
from industria.plan.forms import AsOfForm
from industria.plan.freshness import month_end
from industria.plan.models import PlanIndicator
from industria.plan.permissions import may_administer
from industria.plan.progress import PROGRESS_CACHE_TTL_S, plan_progress, progress_cache_key
from industria.plan.selectors import (
    breakdown_values,
    district_indicators,
    indicator_history,
    may_view_all_indicators,
    plan_current,
    visible_codes,
)
from industria.plan.services import may_record_actual

from . import presenters as p


def as_of_from(request: HttpRequest, *, public: bool = False) -> tuple[dt.date, dt.date, AsOfForm]:
    """(as_of, today, form): ``?as_of=`` when valid and not in the future, else today.

    The public pages snap a past date to the end of its month: anonymous visitors cannot make the server
    compute a fresh dashboard for every day of the past (each date is a separate engine run).
    """
    today = timezone.localdate()
    form = AsOfForm(request.GET or None)
    as_of = today
    if form.is_bound and form.is_valid() and form.cleaned_data.get("as_of"):
        as_of = min(form.cleaned_data["as_of"], today)
        if public and as_of < today:
            as_of = min(month_end(as_of.year, as_of.month), today)
    return as_of, today, form


def _current_plan() -> Any:
    plan = plan_current()
    if plan is None:
        raise Http404(_("No plan has been loaded."))
    return plan


def _query(as_of: dt.date, today: dt.date) -> str:
    return "" if as_of >= today else f"?as_of={as_of.isoformat()}"


def _keep_params(request: HttpRequest) -> list[tuple[str, str]]:
    """The page's other query parameters, kept by the "as of" form."""
    return [(k, v) for k, v in request.GET.items() if k != "as_of"]


def overview_context(request: HttpRequest, *, public: bool) -> dict[str, Any]:
    """Cards for the headline indicators and a row for every indicator the viewer may see, by goal."""
    plan = _current_plan()
    as_of, today, form = as_of_from(request, public=public)
    snapshot = plan_progress(plan=plan, as_of=as_of)
    codes = visible_codes(user=request.user, snapshot=snapshot, public_only=public)
    rows = [p.card(snapshot["indicators"][c], snapshot, public=public) for c in codes]
    if as_of < today:  # due dates are today's: an "update overdue" flag would not be what was shown then
        for row in rows:
            row["stale"] = False
    cards = [r for r, c in zip(rows, codes, strict=True) if snapshot["indicators"][c]["is_headline"]]
    groups: list[tuple[str, list[dict[str, Any]]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row["goal"]:
            groups.append((row["goal"], []))
        groups[-1][1].append(row)
    counts = {s: sum(1 for r in rows if r["status"] == s) for s in ("green", "amber", "red", "grey")}
    return {
        "plan": plan,
        "as_of": as_of,
        "today": today,
        "as_of_form": form,
        "as_of_note": p.as_of_note(as_of, today),
        "keep_params": _keep_params(request),
        "query": _query(as_of, today),
        "cards": cards,
        "groups": groups,
        "counts": counts,
        "computed_at": snapshot["computed_at"],
        "engine_version": snapshot["engine_version"],
        "public": public,
    }


def overview_page(request: HttpRequest, *, public: bool) -> dict[str, Any]:
    """The page's context with its body (cards and table) rendered once per data version, date, language and view.

    The body depends only on the engine snapshot (cached under the plan's data version), the language and
    whether the viewer sees every indicator or the public ones; caching its HTML keeps a warm overview of
    hundreds of indicators at a few milliseconds and a constant number of queries.
    """
    plan = _current_plan()
    as_of, today, form = as_of_from(request, public=public)
    everything = may_view_all_indicators(request.user) and not public
    key = ":".join(
        [
            progress_cache_key(plan, as_of),
            "overview",
            get_language() or "",
            str(int(everything)),
            str(int(public)),
            str(int(as_of < today)),
        ]
    )
    body = cache.get(key)
    if body is None:
        body = render_to_string("plan/partials/_overview_body.html", overview_context(request, public=public))
        cache.set(key, body, PROGRESS_CACHE_TTL_S)
    return {
        "plan": plan,
        "as_of": as_of,
        "today": today,
        "as_of_form": form,
        "as_of_note": p.as_of_note(as_of, today),
        "keep_params": _keep_params(request),
        "query": _query(as_of, today),
        "body": mark_safe(body),  # noqa: S308 (our own template's output)
        "public": public,
    }


class OverviewView(LoginRequiredMixin, View):
    """The plan overview the commission opens every morning."""

    def get(self, request: HttpRequest) -> HttpResponse:
        context = overview_page(request, public=False)
        context["can_administer"] = may_administer(request.user)
        return render(request, "plan/overview.html", context)


class PublicOverviewView(View):
    """The public, read-only view of the indicators marked public (no sign-in)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, "plan/public_overview.html", overview_page(request, public=True))


def indicator_context(request: HttpRequest, indicator: PlanIndicator, *, public: bool) -> dict[str, Any]:
    """Chart, progress per target year, breakdowns, sources and update history of one indicator."""
    as_of, today, form = as_of_from(request, public=public)
    snapshot = plan_progress(plan=indicator.plan, as_of=as_of)
    entry = snapshot["indicators"].get(indicator.code)
    if entry is None:
        raise Http404
    user = request.user
    history = list(indicator_history(user=user, indicator=indicator, as_of=as_of)[:200])
    sources = {}
    for row in history:
        if row.source_id and row.source_id not in sources:
            sources[row.source_id] = row.source
    breakdowns = {}
    for dimension, allowed in (
        ("district", indicator.breakdown_district),
        ("industry_group", indicator.breakdown_industry_group),
    ):
        if allowed:
            breakdowns[dimension] = breakdown_values(user=user, indicator=indicator, dimension=dimension, as_of=as_of)
    definition = parse_computed(indicator.computed)
    names = {i["code"]: p.name_of(i) for i in snapshot["indicators"].values()}
    if definition is not None:
        from industria.enterprises.models import IndustryGroup

        group_code = getattr(definition, "industry_group", None)
        if group_code:
            group = IndustryGroup.objects.filter(system__is_current=True, code=group_code).first()
            names[group_code] = group.name if group else group_code
    progress_rows = []
    for row in entry["progress"]:
        progress_rows.append(
            {
                **row,
                "comparator_symbol": COMPARATOR_SYMBOLS.get(row.get("comparator") or "", ""),
                "status_class": row["status"] if row["status"] in p.STATUS_CLASSES else "grey",
                "status_label": p.status_label(row["status"])
                if row["status"]
                else p.reason_label(row["status_reason"]),
                "outlook": p.outlook_text(entry, row),
                "projection_label": p.projection_label(row["projection_source"]),
                "projected": p.fmt_estimate(row["projected_value"]),
                "lower": p.fmt_estimate(row["projected_lower"]),
                "upper": p.fmt_estimate(row["projected_upper"]),
                "target": p.fmt_figure(row["target_value"]),
            }
        )
    district_rows = breakdowns.get("district") or []
    return {
        "indicator": indicator,
        "entry": entry,
        "card": {**p.card(entry, snapshot, public=public), **({"stale": False} if as_of < today else {})},
        "chart": p.indicator_chart(entry, snapshot),
        "map": p.district_map(indicator.name, indicator.unit_label, district_rows) if district_rows else None,
        "progress_rows": progress_rows,
        "annual": [p.figure(r) for r in entry["annual"]],
        "forecast_rows": [
            {
                "year": f["year"],
                "point": p.fmt_estimate(f["point"]),
                "lower": p.fmt_estimate(f["lower"]),
                "upper": p.fmt_estimate(f["upper"]),
                "pipeline": f["pipeline_increment"],
            }
            for f in entry["forecast"]
        ],
        "fit": {**entry["fit"], "method_label": p.method_label(entry["fit"]["method"])} if entry["fit"] else None,
        "history": history,
        "sources": list(sources.values()),
        "breakdowns": {k: [{**r, "text": p.fmt_figure(r["value"])} for r in v] for k, v in breakdowns.items()},
        "definition": p.describe_definition(definition, names) if definition else "",
        "as_of": as_of,
        "today": today,
        "as_of_form": form,
        "as_of_note": p.as_of_note(as_of, today),
        "keep_params": _keep_params(request),
        "query": _query(as_of, today),
        "engine_version": snapshot["engine_version"],
        "public": public,
        "can_record": (not public) and may_record_actual(actor=user, indicator=indicator),
    }


class IndicatorDetailView(ObjectDetailView):
    """The indicator page (with the History tab of the change log)."""

    model = PlanIndicator
    template_name = "plan/planindicator_detail.html"
    select_related = ("plan", "goal", "action", "owner", "responsible_department", "baseline_source")

    def get_context(self, obj: Any) -> dict[str, Any]:
        return indicator_context(self.request, obj, public=False)


class PublicIndicatorView(View):
    """A public indicator's page, by code (no sign-in)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        plan = _current_plan()
        indicator = get_object_or_404(
            PlanIndicator.objects.filter(plan=plan, is_public=True).select_related("plan"), code=code
        )
        return render(request, "plan/public_indicator.html", indicator_context(request, indicator, public=True))


class DistrictMapView(LoginRequiredMixin, View):
    """A choropleth of any district-level indicator on the Shanghai district map."""

    def get(self, request: HttpRequest) -> HttpResponse:
        plan = _current_plan()
        as_of, today, form = as_of_from(request)
        choices = list(district_indicators(user=request.user, plan=plan).order_by("sort_order"))
        code = request.GET.get("indicator") or (choices[0].code if choices else "")
        indicator = next((i for i in choices if i.code == code), None)
        year = None
        if request.GET.get("year", "").isdigit():
            year = int(request.GET["year"])
        rows = (
            breakdown_values(user=request.user, indicator=indicator, dimension="district", as_of=as_of, year=year)
            if indicator
            else []
        )
        data = None
        if indicator is not None:
            url = reverse("plan:planindicator_detail", args=[indicator.pk])
            data = p.district_map(indicator.name, indicator.unit_label, rows, url=url)
        context = {
            "plan": plan,
            "choices": choices,
            "indicator": indicator,
            "year": year,
            "years": list(range(plan.start_year - 5, min(plan.end_year, today.year) + 1)),
            "rows": [{**r, "text": p.fmt_figure(r["value"])} for r in rows],
            "map": data,
            "as_of": as_of,
            "today": today,
            "as_of_form": form,
            "as_of_note": p.as_of_note(as_of, today),
        }
        return render(request, "plan/district_map.html", context)


EXPORT_HEADERS = [
    ("code", gettext_lazy("Code")),
    ("ref", gettext_lazy("Reference")),
    ("name_zh", gettext_lazy("Name (Chinese)")),
    ("name_en", gettext_lazy("Name (English)")),
    ("goal", gettext_lazy("Goal")),
    ("unit", gettext_lazy("Unit")),
    ("target_year", gettext_lazy("Target year")),
    ("comparator", gettext_lazy("Comparator")),
    ("target_value", gettext_lazy("Target")),
    ("latest_year", gettext_lazy("Latest year")),
    ("latest_value", gettext_lazy("Latest value")),
    ("latest_qualifier", gettext_lazy("Qualifier")),
    ("latest_status", gettext_lazy("Figure status")),
    ("latest_uncertain", gettext_lazy("Uncertain")),
    ("latest_computed", gettext_lazy("Computed")),
    ("source", gettext_lazy("Source")),
    ("source_url", gettext_lazy("Source address")),
    ("forecast", gettext_lazy("Forecast")),
    ("forecast_lower", gettext_lazy("Forecast lower (80 %)")),
    ("forecast_upper", gettext_lazy("Forecast upper (80 %)")),
    ("projection_source", gettext_lazy("Projection from")),
    ("status", gettext_lazy("Status")),
    ("outlook", gettext_lazy("Outlook")),
    ("progress_pct", gettext_lazy("Progress (%)")),
    ("shortfall", gettext_lazy("Shortfall")),
    ("shortfall_pct", gettext_lazy("Shortfall (%)")),
    ("public", gettext_lazy("Public")),
    ("cadence", gettext_lazy("Update cadence")),
    ("next_due_on", gettext_lazy("Next update due on")),
    ("as_of", gettext_lazy("As of")),
]


def export_rows(snapshot: dict[str, Any], codes: list[str]) -> list[list[Any]]:
    """The indicator table as exported: one row per indicator, the end-year target and its projection."""
    out = []
    for code in codes:
        e = snapshot["indicators"][code]
        final, latest = e["final"], e["latest"] or {}
        point = p.forecast_point(e, final["target_year"] if final else snapshot["end_year"]) or {}
        values = {
            "code": code,
            "ref": e["ref"],
            "name_zh": e["name_zh"],
            "name_en": e["name_en"],
            "goal": e.get("goal__code") or "",
            "unit": p.unit_label(e),
            "target_year": final["target_year"] if final else None,
            "comparator": COMPARATOR_SYMBOLS.get((final or {}).get("comparator") or "", ""),
            "target_value": final["target_value"] if final else None,
            "latest_year": latest.get("year"),
            "latest_value": latest.get("value"),
            "latest_qualifier": latest.get("qualifier") or "",
            "latest_status": latest.get("status") or "",
            "latest_uncertain": bool(latest.get("uncertain")),
            "latest_computed": bool(latest.get("computed")),
            "source": latest.get("source_title") or "",
            "source_url": latest.get("source_url") or "",
            "forecast": point.get("point"),
            "forecast_lower": point.get("lower"),
            "forecast_upper": point.get("upper"),
            "projection_source": (final or {}).get("projection_source") or "",
            "status": (final or {}).get("status") or (final or {}).get("status_reason") or "",
            "outlook": p.outlook_text(e, final),
            "progress_pct": (final or {}).get("progress_pct"),
            "shortfall": (final or {}).get("shortfall_value"),
            "shortfall_pct": (final or {}).get("shortfall_pct"),
            "public": e["is_public"],
            "cadence": e["cadence"],
            "next_due_on": e["next_due_on"],
            "as_of": snapshot["as_of"],
        }
        out.append([values[key] for key, _label in EXPORT_HEADERS])
    return out


class IndicatorListView(ObjectListView):
    """The indicator table (filters; the export is the indicator table with actual, forecast and status)."""

    model = PlanIndicator
    filterset_class = PlanIndicatorFilterSet
    select_related = ("plan", "goal", "owner")
    title = gettext_lazy("Plan indicators")
    export_stem = "plan-indicators"
    create_url_name = "plan:planindicator_add"
    columns = [
        Column("name", gettext_lazy("Indicator"), link=True),
        Column("ref", gettext_lazy("Reference")),
        Column("code", gettext_lazy("Code")),
        Column("goal", gettext_lazy("Goal")),
        Column("unit_label", gettext_lazy("Unit")),
        Column("target_kind", gettext_lazy("Target kind")),
        Column("is_public", gettext_lazy("Public")),
        Column("cadence", gettext_lazy("Update cadence")),
        Column("owner", gettext_lazy("Owner")),
        Column("next_due_on", gettext_lazy("Next update due on")),
    ]

    def export(self, queryset: Any, fmt: str) -> HttpResponse:
        as_of, _today, _form = as_of_from(self.request)
        by_plan: dict[Any, list[str]] = {}
        for plan_obj, code in ((i.plan, i.code) for i in queryset.select_related("plan")):
            by_plan.setdefault(plan_obj, []).append(code)
        rows: list[list[Any]] = []
        for plan_obj, codes in by_plan.items():
            rows.extend(export_rows(plan_progress(plan=plan_obj, as_of=as_of), codes))
        headers = [str(label) for _key, label in EXPORT_HEADERS]
        name = export_filename(self.export_stem)
        return export_csv(name, headers, rows) if fmt == "csv" else export_xlsx(name, headers, rows, sheet="indicators")
