"""Dispatch statistics (调度统计): projects and investment signed, started, completed and producing in a period,
by district and industry group, the completion of the annual investment plan and the red/yellow/blue ranking.

Every figure is one aggregate query over the scoped projects (conditional counts and sums), never a loop.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.db.models import Count, DecimalField, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce

from industria.accounts.models import District
from industria.engines.scheduling import rank_completion
from industria.enterprises.models import IndustryGroup
from industria.projects.models import InvestmentReport, KeyProject, ProjectYearPlan

from .rules import rules_active

MEASURES = ("signed", "started", "completed", "producing")
ZERO = Value(Decimal(0), output_field=DecimalField(max_digits=20, decimal_places=2))


@dataclass
class DispatchFilters:
    """The period and the slices of a dispatch statistic."""

    start: dt.date
    end: dt.date
    district_ids: list[int] = field(default_factory=list)
    group: IndustryGroup | None = None


def filtered(queryset: QuerySet[KeyProject], filters: DispatchFilters) -> QuerySet[KeyProject]:
    """The projects of the slices (the industry group includes its sub-areas)."""
    if filters.district_ids:
        queryset = queryset.filter(district_id__in=filters.district_ids)
    if filters.group is not None:
        queryset = queryset.filter(Q(industry_group=filters.group) | Q(industry_group__parent=filters.group))
    return queryset


def _aggregates(start: dt.date, end: dt.date, prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for measure in MEASURES:
        when = Q(**{f"{measure}_on__gte": start, f"{measure}_on__lte": end})
        out[f"{prefix}{measure}_count"] = Count("id", filter=when)
        out[f"{prefix}{measure}_investment_cny"] = Coalesce(Sum("total_investment_cny", filter=when), ZERO)
    return out


def _sum_rows(rows: list[dict[str, Any]], prefix: str = "") -> dict[str, Any]:
    """Totals of grouped rows (the districts add up to the whole: every project has one district)."""
    out: dict[str, Any] = {}
    for measure in MEASURES:
        out[f"{measure}_count"] = sum(r[f"{prefix}{measure}_count"] for r in rows)
        out[f"{measure}_investment_cny"] = sum((r[f"{prefix}{measure}_investment_cny"] for r in rows), Decimal(0))
    return out


def dispatch_totals(queryset: QuerySet[KeyProject], filters: DispatchFilters) -> dict[str, Any]:
    """Counts and total investment of the projects signed/started/completed/producing in the period."""
    return filtered(queryset, filters).order_by().aggregate(**_aggregates(filters.start, filters.end))


def _with_district_names(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Add code and names to rows grouped by ``district_id`` (grouping on the id alone spares a join)."""
    names = {
        pk: (code, zh, en) for pk, code, zh, en in District.objects.values_list("pk", "code", "name_zh", "name_en")
    }
    for row in rows:
        code, zh, en = names.get(row["district_id"], ("", "", ""))
        row.update({"district__code": code, "district__name_zh": zh, "district__name_en": en})
    return sorted(rows, key=lambda r: r["district__code"])


def dispatch_by_district(queryset: QuerySet[KeyProject], filters: DispatchFilters) -> list[dict[str, Any]]:
    """The same figures per district (one grouped query)."""
    return _with_district_names(
        list(
            filtered(queryset, filters)
            .order_by()
            .values("district_id")
            .annotate(**_aggregates(filters.start, filters.end))
        )
    )


def plan_completion(queryset: QuerySet[KeyProject], filters: DispatchFilters, *, year: int, month: int) -> pl.DataFrame:
    """Per district: annual planned investment of ``year`` and investment completed January … ``month``,
    with completion %, time progress, colour (red/yellow/blue) and rank (engine ``rank_completion``)."""
    projects = filtered(queryset, filters)
    codes_by_id = dict(District.objects.values_list("pk", "code"))
    planned = {
        codes_by_id[district_id]: total
        for district_id, total in ProjectYearPlan.objects.filter(project__in=projects, year=year)
        .order_by()
        .values_list("project__district_id")
        .annotate(total=Sum("planned_investment_cny"))
        .values_list("project__district_id", "total")
    }
    completed = {
        codes_by_id[district_id]: total
        for district_id, total in InvestmentReport.objects.filter(project__in=projects, year=year, month__lte=month)
        .order_by()
        .values_list("project__district_id")
        .annotate(total=Sum("completed_investment_cny"))
        .values_list("project__district_id", "total")
    }
    codes = sorted(set(planned) | set(completed))
    frame = pl.DataFrame(
        {
            "group_code": codes,
            "planned_cny": [float(planned.get(c) or 0) for c in codes],
            "completed_cny": [float(completed.get(c) or 0) for c in codes],
        },
        schema={"group_code": pl.String, "planned_cny": pl.Float64, "completed_cny": pl.Float64},
    )
    yellow = float(rules_active(as_of=dt.date(year, month, 1)).ranking_yellow_points.value)
    return rank_completion(frame, month=month, yellow_points=yellow)


def month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


@dataclass
class DispatchReport:
    """The monthly dispatch report: the month, the year to date, districts with ranking, the plan overall."""

    year: int
    month: int
    month_totals: dict[str, Any]
    ytd_totals: dict[str, Any]
    districts: list[dict[str, Any]]
    plan_planned_cny: float
    plan_completed_cny: float

    @property
    def plan_completion_pct(self) -> float | None:
        if not self.plan_planned_cny:
            return None
        return round(self.plan_completed_cny / self.plan_planned_cny * 100, 1)


def dispatch_report(
    queryset: QuerySet[KeyProject],
    *,
    year: int,
    month: int,
    district_ids: list[int] | None = None,
    group: IndustryGroup | None = None,
) -> DispatchReport:
    """Everything the monthly dispatch page and its xlsx show, in a constant number of queries."""
    first, last = month_bounds(year, month)
    ytd_filters = DispatchFilters(dt.date(year, 1, 1), last, list(district_ids or []), group)
    # one scan of the projects for the month and the year to date, by district
    grouped = _with_district_names(
        list(
            filtered(queryset, ytd_filters)
            .order_by()
            .values("district_id")
            .annotate(**_aggregates(ytd_filters.start, last), **_aggregates(first, last, prefix="month_"))
        )
    )
    by_district = {row["district__code"]: row for row in grouped}
    ranking = plan_completion(queryset, ytd_filters, year=year, month=month)
    rows = []
    for rank_row in ranking.iter_rows(named=True):
        rows.append({**by_district.pop(rank_row["group_code"], {"district__code": rank_row["group_code"]}), **rank_row})
    for code, rest in sorted(by_district.items()):
        rows.append(
            {
                **rest,
                "group_code": code,
                "colour": "grey",
                "rank": None,
                "completion_pct": None,
                "planned_cny": 0.0,
                "completed_cny": 0.0,
            }
        )
    return DispatchReport(
        year=year,
        month=month,
        month_totals=_sum_rows(grouped, prefix="month_"),
        ytd_totals=_sum_rows(grouped),
        districts=rows,
        plan_planned_cny=float(ranking.get_column("planned_cny").sum() or 0),
        plan_completed_cny=float(ranking.get_column("completed_cny").sum() or 0),
    )
