"""The inefficient-land list (engine ``land_inefficiency`` over the parcels in scope) and the area revitalised
per district against its target."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Count, Q, Sum

from industria.accounts.models import District
from industria.engines.land_inefficiency import InefficiencyRules, classify_inefficient_land, parse_rules
from industria.evaluations.models import LandEfficiencyGrade
from industria.land.choices import ActionStatus
from industria.land.models import LandUse, Parcel, RevitalisationAction, RevitalisationTarget

from .density import GRADE_RANK, _density, may_see_enterprise_figures
from .frames import GRADE_COLUMNS, USE_COLUMNS, queryset_frame

INEFFICIENCY_PARCEL_COLUMNS: dict[str, tuple[str, Any]] = {
    "parcel_id": ("pk", pl.Int64),
    "status": ("status", pl.String),
    "approved_on": ("approved_on", pl.Date),
    "transfer_on": ("transfer_on", pl.Date),
    "construction_started_on": ("construction_started_on", pl.Date),
    "completed_on": ("completed_on", pl.Date),
    "producing_on": ("producing_on", pl.Date),
    "developed_share": ("developed_share", pl.Float64),
    "area_mu": ("area_mu", pl.Float64),
    "agreed_output_cny_per_mu": ("agreed_output_cny_per_mu", pl.Float64),
    "agreed_tax_cny_per_mu": ("agreed_tax_cny_per_mu", pl.Float64),
}


def inefficiency_rules() -> InefficiencyRules:
    """The engine's cited defaults, overridden by ``settings.LAND_INEFFICIENCY_RULES`` (a mapping in the
    engine's ``parse_rules`` format, versioned with the deployment's settings) where a city sets its own."""
    raw = getattr(settings, "LAND_INEFFICIENCY_RULES", None)
    return parse_rules(raw) if raw else InefficiencyRules()


def inefficiency_frame(*, parcels: Any, year: int) -> pl.DataFrame:
    """The engine's input: the parcels' life cycle and clauses, with the output and tax attributed to each
    parcel in ``year`` (pro rata by used area, as economic density does) and the worst grade of its users."""
    frame = queryset_frame(parcels, INEFFICIENCY_PARCEL_COLUMNS)
    density = _density("parcel", year, parcels).filter(pl.col("year") == year)
    attributed = density.select(
        pl.col("parcel_id").cast(pl.Int64),
        pl.col("output_cny").cast(pl.Float64),
        pl.col("tax_cny").cast(pl.Float64),
    )
    uses = LandUse.objects.filter(year=year, parcel__in=parcels.values("pk"))
    use_frame = queryset_frame(uses, USE_COLUMNS)
    grades = queryset_frame(
        LandEfficiencyGrade.objects.filter(year=year, enterprise_id__in=uses.values("enterprise_id")), GRADE_COLUMNS
    )
    rank = {v: k for k, v in GRADE_RANK.items()}
    worst = (
        use_frame.join(grades.select("enterprise_id", "grade"), on="enterprise_id", how="inner")
        .with_columns(pl.col("grade").replace_strict(GRADE_RANK, default=None, return_dtype=pl.Int64).alias("rank"))
        .group_by("parcel_id")
        .agg(pl.col("rank").max())
        .select("parcel_id", pl.col("rank").replace_strict(rank, default=None, return_dtype=pl.String).alias("grade"))
    )
    return frame.join(attributed, on="parcel_id", how="left").join(worst, on="parcel_id", how="left")


@dataclass
class InefficientParcel:
    """A listed parcel: the engine's row joined to the parcel."""

    parcel: Parcel
    kinds: list[str]
    primary_kind: str
    explanation: dict[str, Any]
    figures_visible: bool
    open_actions: list[RevitalisationAction] = field(default_factory=list)


def inefficient_parcels(
    *,
    user: Any,
    year: int,
    as_of: dt.date,
    filters: dict[str, Any] | None = None,
    rules: InefficiencyRules | None = None,
) -> list[InefficientParcel]:
    """The inefficient parcels in the user's scope on ``as_of`` (facts of ``year``), by district and code.

    ``filters``: ``district`` (ids), ``park`` (id), ``kind`` (an InefficiencyKind: any of the parcel's kinds).
    The explanation's facts (actual output and tax) are enterprise figures: kept only where the user may see
    them.
    """
    filters = filters or {}
    parcels = Parcel.objects.for_user(user, "view")
    if filters.get("district"):
        parcels = parcels.filter(district_id__in=filters["district"])
    if filters.get("park"):
        parcels = parcels.filter(park_id=filters["park"])
    result = classify_inefficient_land(
        inefficiency_frame(parcels=parcels, year=year), rules=rules or inefficiency_rules(), as_of=as_of
    )
    if filters.get("kind"):
        result = result.filter(pl.col("kinds").list.contains(filters["kind"]))
    rows = result.to_dicts()
    by_pk = Parcel.objects.select_related("district", "park").in_bulk([r["parcel_id"] for r in rows])
    open_actions: dict[int, list[RevitalisationAction]] = {}
    for action in RevitalisationAction.objects.filter(
        parcel_id__in=list(by_pk), status__in=(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS)
    ):
        open_actions.setdefault(action.parcel_id, []).append(action)
    listed = []
    for row in rows:
        parcel = by_pk[row["parcel_id"]]
        visible = may_see_enterprise_figures(user, district_id=parcel.district_id)
        explanation = json.loads(row["explanation"]) if row["explanation"] else {}
        if not visible:
            explanation = _without_enterprise_facts(explanation)
        listed.append(
            InefficientParcel(
                parcel=parcel,
                kinds=list(row["kinds"]),
                primary_kind=row["primary_kind"],
                explanation=explanation,
                figures_visible=visible,
                open_actions=open_actions.get(parcel.pk, []),
            )
        )
    listed.sort(key=lambda r: (r.parcel.district.code, r.parcel.parcel_code))
    return listed


ENTERPRISE_FACT_KEYS = ("output", "tax", "grade")


def _without_enterprise_facts(explanation: dict[str, Any]) -> dict[str, Any]:
    """Drop the facts that are an enterprise's figures (actual output, tax, grade) from an explanation."""
    cleaned = {}
    for kind, detail in explanation.items():
        if isinstance(detail, dict) and isinstance(detail.get("facts"), dict):
            facts = {k: v for k, v in detail["facts"].items() if not any(k.startswith(p) for p in ENTERPRISE_FACT_KEYS)}
            detail = {**detail, "facts": facts}
        cleaned[kind] = detail
    return cleaned


@dataclass
class DistrictProgress:
    district: Any
    year: int
    target_area_m2: Decimal | None
    achieved_area_m2: Decimal
    open_actions: int
    target: RevitalisationTarget | None = None

    @property
    def achieved_pct(self) -> float | None:
        if not self.target_area_m2:
            return None
        return round(float(self.achieved_area_m2) / float(self.target_area_m2) * 100, 1)

    @property
    def bar_pct(self) -> float:
        return min(self.achieved_pct or 0.0, 100.0)


def revitalisation_progress(*, user: Any, year: int) -> list[DistrictProgress]:
    """Per district in scope: the area revitalised by actions completed in ``year`` against the year's target."""
    targets = {
        t.district_id: t
        for t in RevitalisationTarget.objects.for_user(user, "view").filter(year=year).select_related("district")
    }
    actions = RevitalisationAction.objects.for_user(user, "view")
    achieved = {
        row["parcel__district_id"]: row
        for row in actions.values("parcel__district_id").annotate(
            area=Sum("area_m2", filter=Q(status=ActionStatus.COMPLETED, completed_on__year=year)),
            open=Count("pk", filter=Q(status__in=(ActionStatus.PLANNED, ActionStatus.IN_PROGRESS))),
        )
    }
    district_ids = set(targets) | {k for k, v in achieved.items() if v["area"] or v["open"]}
    districts = District.objects.in_bulk(list(district_ids))
    rows = []
    for pk in sorted(district_ids, key=lambda pk: districts[pk].code):
        target = targets.get(pk)
        done = achieved.get(pk, {})
        rows.append(
            DistrictProgress(
                district=districts[pk],
                year=year,
                target_area_m2=target.target_area_m2 if target else None,
                achieved_area_m2=done.get("area") or Decimal("0"),
                open_actions=done.get("open") or 0,
                target=target,
            )
        )
    return rows
