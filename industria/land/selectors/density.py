"""Economic density reads: the engine's input frames built set-based from land uses, enterprise facts, parcels
and published grades; the result masked where it would show one enterprise's figures to a user out of scope.

Aggregates of a park or district are statistics; a unit with fewer than ``MIN_DISCLOSURE_ENTERPRISES``
enterprises would reveal them, so its money figures are shown only to users who may see those enterprises'
facts (the usual minimum-count rule of statistical disclosure).  Parcel rows are one or two enterprises:
shown only inside the user's fact scope.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from industria.accounts.models import District
from industria.engines.economic_density import PUBLISHED_BENCHMARKS, economic_density
from industria.enterprises.models import EnterpriseYearFact
from industria.evaluations.models import LandEfficiencyGrade
from industria.land.models import LandUse, Parcel, Park

from .frames import FACT_COLUMNS, GRADE_COLUMNS, PARCEL_COLUMNS, USE_COLUMNS, queryset_frame

LEVELS = ("district", "park", "parcel")
KEY_OF_LEVEL = {"district": "district_code", "park": "park_id", "parcel": "parcel_id"}
MIN_DISCLOSURE_ENTERPRISES = 3
TREND_YEARS = 5
GRADE_RANK = {"A": 1, "B": 2, "C": 3, "D": 4}
MONEY_COLUMNS = (
    "output_cny",
    "tax_cny",
    "output_cny_per_mu",
    "tax_cny_per_mu",
    "output_100m_cny_per_km2",
    "tax_100m_cny_per_km2",
    "output_growth_pct",
)


def may_see_enterprise_figures(user: Any, *, district_id: int | None = None) -> bool:
    """Whether ``user`` may see enterprise-level output and tax (of enterprises in ``district_id``)."""
    if user is None or not user.is_authenticated:
        return False
    if not user.has_perm("enterprises.view_enterpriseyearfact"):
        return False
    scope = "city" if user.is_superuser else (getattr(user, "scope", "city") or "city")
    if scope == "city":
        return True
    return scope == "district" and district_id is not None and district_id == user.district_id


def density_frames(*, years: tuple[int, int], parcels: Any = None) -> dict[str, pl.DataFrame]:
    """The four engine inputs for ``years`` (first, last inclusive); ``parcels`` restricts the parcels."""
    first, last = years
    parcel_qs = parcels if parcels is not None else Parcel.objects.all()
    uses = LandUse.objects.filter(year__gte=first, year__lte=last)
    if parcels is not None:
        uses = uses.filter(parcel__in=parcel_qs.values("pk"))
    enterprise_ids = uses.values("enterprise_id")
    facts = EnterpriseYearFact.objects.filter(year__gte=first, year__lte=last, enterprise_id__in=enterprise_ids)
    grades = LandEfficiencyGrade.objects.filter(year__gte=first, year__lte=last, enterprise_id__in=enterprise_ids)
    return {
        "uses": queryset_frame(uses, USE_COLUMNS),
        "facts": queryset_frame(facts, FACT_COLUMNS),
        "parcels": queryset_frame(parcel_qs, PARCEL_COLUMNS),
        "grades": queryset_frame(grades, GRADE_COLUMNS),
    }


def _density(level: str, year: int, parcels: Any = None) -> pl.DataFrame:
    frames = density_frames(years=(year - TREND_YEARS + 1, year), parcels=parcels)
    return economic_density(frames["uses"], frames["facts"], frames["parcels"], frames["grades"], level=level)


def _labels(level: str, keys: list[Any]) -> dict[Any, tuple[str, str, int | None]]:
    """key → (label, url, district_id)."""
    if level == "district":
        return {d.code: (str(d), d.get_absolute_url(), d.pk) for d in District.objects.filter(code__in=keys)}
    if level == "park":
        return {
            p.pk: (str(p), p.get_absolute_url(), p.district_id)
            for p in Park.objects.filter(pk__in=[k for k in keys if k is not None])
        }
    return {
        p.pk: (p.parcel_code, p.get_absolute_url(), p.district_id)
        for p in Parcel.objects.filter(pk__in=keys).only("pk", "parcel_code", "district_id")
    }


def _visible(user: Any, level: str, row: dict[str, Any], district_id: int | None) -> bool:
    if may_see_enterprise_figures(user, district_id=district_id):
        return True
    if level == "parcel":
        return False
    return (row.get("enterprises") or 0) >= MIN_DISCLOSURE_ENTERPRISES and user.has_perm("land.view_parcel")


def _masked(user: Any, level: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    key = KEY_OF_LEVEL[level]
    labels = _labels(level, list({r[key] for r in rows}))
    out = []
    for row in rows:
        label, url, district_id = labels.get(row[key], (str(row[key]), "", None))
        visible = _visible(user, level, row, district_id)
        row = {**row, "key": row[key], "label": label, "url": url, "figures_visible": visible}
        if not visible:
            row.update(dict.fromkeys(MONEY_COLUMNS))
            if level == "parcel":
                row.update(grade_a=None, grade_b=None, grade_c=None, grade_d=None)
        out.append(row)
    return out


def density_table(*, user: Any, level: str, year: int, filters: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per unit of ``level`` for ``year``, densest first, masked for ``user``.

    ``filters``: ``district_id`` (parks and parcels of one district), ``park_id`` (parcels of one park).
    Parcel rows are limited to the parcels the user may see.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    filters = filters or {}
    parcels = None
    if level == "parcel":
        parcels = Parcel.objects.for_user(user, "view")
    if filters.get("district_id"):
        parcels = (parcels if parcels is not None else Parcel.objects.all()).filter(district_id=filters["district_id"])
    if filters.get("park_id"):
        parcels = (parcels if parcels is not None else Parcel.objects.all()).filter(park_id=filters["park_id"])
    result = _density(level, year, parcels).filter(pl.col("year") == year)
    key = KEY_OF_LEVEL[level]
    result = result.filter(pl.col(key).is_not_null()).sort(
        ["output_100m_cny_per_km2", key], descending=[True, False], nulls_last=True
    )
    return _masked(user, level, result.to_dicts())


def density_trend(*, user: Any, level: str, key: Any, year: int) -> list[dict[str, Any]]:
    """One unit's rows for the ``TREND_YEARS`` years up to ``year``, oldest first, masked for ``user``."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}")
    if level == "parcel":
        parcels = Parcel.objects.filter(pk=key)
    elif level == "park":
        parcels = Parcel.objects.filter(park_id=key)
    else:
        parcels = Parcel.objects.filter(district__code=key)
    column = KEY_OF_LEVEL[level]
    result = _density(level, year, parcels).filter(pl.col(column) == key).sort("year")
    return _masked(user, level, result.to_dicts())


def benchmarks_for(*, level: str, kind: str | None = None) -> list[dict[str, Any]]:
    """The published benchmarks to compare a unit with (a park: those of its kind; else all)."""
    rows = list(PUBLISHED_BENCHMARKS)
    if level == "park" and kind:
        matching = [b for b in rows if b.get("kind") == kind]
        return matching or rows
    return rows


def parcel_grade(*, parcel: Parcel, year: int) -> str | None:
    """The worst published grade among the parcel's users in ``year`` (enterprise data: caller checks scope)."""
    grades = LandEfficiencyGrade.objects.filter(
        year=year, enterprise_id__in=LandUse.objects.filter(parcel=parcel, year=year).values("enterprise_id")
    ).values_list("grade", flat=True)
    ranked = sorted((g for g in grades if g in GRADE_RANK), key=GRADE_RANK.__getitem__)
    return ranked[-1] if ranked else None


def latest_year() -> int | None:
    """The latest year with land uses (the default year of the density and inefficiency pages)."""
    return LandUse.objects.order_by("-year").values_list("year", flat=True).first()
