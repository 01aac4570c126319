"""Reads of the plan app, always scoped through ``for_user`` (the dashboard's engine read model is progress.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from industria.accounts.models import District
from industria.core.permissions import perm_name
from industria.enterprises.models import IndustryGroup
from industria.plan.choices import SeriesKind, TaskStatus
from industria.plan.computed import RatioOfIndicators, evaluate_computed, parse_computed
from industria.plan.models import DevelopmentPlan, IndicatorActual, PlanIndicator, PlanTask
from industria.plan.models.querysets import user_scope

BREAKDOWNS = ("district", "industry_group")


def plan_current() -> DevelopmentPlan | None:
    """The plan the dashboard shows: the current one with the latest start."""
    return DevelopmentPlan.objects.filter(is_current=True).order_by("-start_year", "code").first()


def may_view_all_indicators(user: Any) -> bool:
    """Signed-in users whose role reads indicators see all of them; everyone else the public ones."""
    return bool(user is not None and user.is_authenticated and user.has_perm(perm_name(PlanIndicator, "view")))


def visible_codes(*, user: Any, snapshot: dict[str, Any], public_only: bool = False) -> list[str]:
    """The snapshot's indicator codes the user may see, in plan order."""
    everything = may_view_all_indicators(user) and not public_only
    return [c for c in snapshot["order"] if everything or snapshot["indicators"][c]["is_public"]]


def indicator_get(*, user: Any, pk: int) -> PlanIndicator:
    """One indicator the user may see (404 otherwise)."""
    from django.shortcuts import get_object_or_404

    return get_object_or_404(
        PlanIndicator.objects.for_user(user, "view").select_related("plan", "goal", "action", "owner"), pk=pk
    )


def indicator_history(*, user: Any, indicator: PlanIndicator, as_of: dt.date | None = None) -> QuerySet:
    """Every figure of the indicator the user may see (breakdowns and growth rows included), latest known first."""
    rows = IndicatorActual.objects.for_user(user, "view").filter(indicator=indicator)
    if as_of is not None:
        rows = rows.filter(as_of_date__lte=as_of)
    return rows.select_related("source", "district", "industry_group", "recorded_by").order_by(
        "-as_of_date", "-period", "-id"
    )


def breakdown_district_ids(*, user: Any, indicator: PlanIndicator) -> set[int] | None:
    """Districts whose breakdown the user may see: all (``None``), or only their own for non-public indicators."""
    if indicator.is_public or user_scope(user) == "city":
        return None
    return {user.district_id} if user_scope(user) == "district" and user.district_id else set()


def breakdown_values(
    *, user: Any, indicator: PlanIndicator, dimension: str, as_of: dt.date, year: int | None = None
) -> list[dict[str, Any]]:
    """The latest value per district (or industry group) known on ``as_of`` (in ``year`` when given).

    Computed indicators are evaluated live from the registry (one grouped query); recorded ones read their
    breakdown rows through ``for_user``, so a district officer sees only their own district of a non-public
    indicator. Rows: ``{code, name, value, period, status, uncertain, qualifier, source, computed, synthetic}``.
    """
    if dimension not in BREAKDOWNS:
        raise ValueError(dimension)
    allowed = breakdown_district_ids(user=user, indicator=indicator)
    definition = parse_computed(indicator.computed)
    if definition is not None and not isinstance(definition, RatioOfIndicators):
        return _computed_breakdown(definition, dimension, as_of, year, allowed)
    rows = IndicatorActual.objects.for_user(user, "view").filter(
        indicator=indicator, series=SeriesKind.VALUE, as_of_date__lte=as_of, period__lte=as_of
    )
    if dimension == "district":
        rows = rows.filter(district__isnull=False, industry_group__isnull=True)
    else:
        rows = rows.filter(industry_group__isnull=False, district__isnull=True)
    if year is not None:
        rows = rows.filter(period__year=year)
    rows = rows.exclude(period_type="ytd").select_related("district", "industry_group", "source")
    latest: dict[int, IndicatorActual] = {}
    for row in rows.order_by("period", "as_of_date", "id"):
        key = row.district_id if dimension == "district" else row.industry_group_id
        latest[key] = row
    out = []
    for row in latest.values():
        place = row.district if dimension == "district" else row.industry_group
        out.append(
            {
                "code": place.code,
                "name": place.name,
                "value": float(row.value),
                "period": row.period,
                "status": row.status,
                "uncertain": row.uncertain,
                "qualifier": row.qualifier,
                "source": row.source,
                "computed": False,
                "synthetic": row.status == "synthetic",
            }
        )
    return sorted(out, key=lambda r: r["code"])


def _computed_breakdown(
    definition: Any, dimension: str, as_of: dt.date, year: int | None, allowed: set[int] | None
) -> list[dict[str, Any]]:
    day = dt.date(year, 12, 31) if year is not None else as_of
    day = min(day, as_of)
    if (day.month, day.day) != (12, 31) and definition.kind == "sum_fact":
        day = dt.date(day.year - 1, 12, 31)  # sums use complete years
    points = evaluate_computed(definition, dates=[day], breakdown=dimension)
    if dimension == "district":
        places = {d.code: d for d in District.objects.all()}
        codes_allowed = None if allowed is None else {d.code for d in places.values() if d.pk in allowed}
    else:
        places = {g.code: g for g in IndustryGroup.objects.filter(system__is_current=True)}
        codes_allowed = None if allowed is None else set()
    out = []
    for p in points:
        code = p.district_code or p.group_code
        if code not in places or (codes_allowed is not None and code not in codes_allowed):
            continue
        out.append(
            {
                "code": code,
                "name": places[code].name,
                "value": p.value,
                "period": p.period,
                "status": "synthetic" if p.synthetic else "estimated",
                "uncertain": False,
                "qualifier": "",
                "source": None,
                "computed": True,
                "synthetic": p.synthetic,
            }
        )
    return sorted(out, key=lambda r: r["code"])


def district_indicators(*, user: Any, plan: DevelopmentPlan) -> QuerySet:
    """Indicators the user may see that are broken down by district (the choropleth's choices)."""
    return PlanIndicator.objects.for_user(user, "view").filter(plan=plan, breakdown_district=True)


def my_updates(*, user: Any) -> dict[str, list[Any]]:
    """What ``user`` owns and must keep up to date: hand-updated indicators and open tasks, most overdue first."""
    indicators = list(
        PlanIndicator.objects.filter(owner=user, computed__isnull=True)
        .exclude(cadence="")
        .select_related("plan")
        .order_by("next_due_on", "sort_order")
    )
    tasks = list(
        PlanTask.objects.filter(owners=user)
        .exclude(status=TaskStatus.COMPLETED)
        .select_related("plan", "action")
        .order_by("next_due_on", "number")
    )
    return {"indicators": indicators, "tasks": tasks}


def overdue_items(*, plan: DevelopmentPlan, today: dt.date) -> dict[str, list[Any]]:
    """For the administrator: hand-updated indicators and open tasks whose update is overdue or that lack an owner."""
    indicators = list(
        PlanIndicator.objects.filter(plan=plan, computed__isnull=True)
        .exclude(cadence="")
        .filter(Q(next_due_on__lt=today) | Q(owner__isnull=True))
        .select_related("owner", "responsible_department")
        .order_by("next_due_on", "sort_order")
    )
    tasks = list(
        PlanTask.objects.filter(plan=plan)
        .exclude(status=TaskStatus.COMPLETED)
        .filter(Q(next_due_on__lt=today) | Q(owners__isnull=True) | Q(deadline__lt=today))
        .distinct()
        .select_related("action")
        .prefetch_related("owners")
        .order_by("next_due_on", "number")
    )
    return {"indicators": indicators, "tasks": tasks}
