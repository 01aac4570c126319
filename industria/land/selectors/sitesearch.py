"""Investor site search: an SQL prefilter of the available parcels and the parks with room, then the
``site_search`` engine ranks them and gives its reasons (codes with parameters, rendered by the UI in the
user's language).

The hard criteria (status available, area range, floor-area ratio, buildable floor, availability date) run in
the database on indexed columns, so the engine sees only the candidates: a search over 50,000 parcels stays
well under 200 ms (bench/bench_site_search.py).  Available parcels and parks are public information, so the
search reads them unscoped; the only enterprise data used (same-chain enterprises nearby) leaves as a count.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import polars as pl
from django.core.cache import cache
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language

from industria.engines.site_search import SiteCriteria, SiteSearchRules, search_sites
from industria.enterprises.models import EnterpriseGroup, IndustryGroup
from industria.land.models import LandUse, Parcel, Park

from .density import _density, latest_year
from .frames import rows_frame

PARK_EFFICIENCY_CACHE_S = 600

SEARCH_PARCEL_COLUMNS: dict[str, tuple[str, Any]] = {
    "parcel_id": ("pk", pl.Int64),
    "parcel_code": ("parcel_code", pl.String),
    "district_code": ("district__code", pl.String),
    "park_id": ("park_id", pl.Int64),
    "status": ("status", pl.String),
    "available_from": ("available_from", pl.Date),
    "area_m2": ("area_m2", pl.Float64),
    "area_mu": ("area_mu", pl.Float64),
    "floor_area_ratio": ("floor_area_ratio", pl.Float64),
    "longitude": ("longitude", pl.Float64),
    "latitude": ("latitude", pl.Float64),
    "land_use_class": ("land_use_class", pl.String),
}
SEARCH_PARK_COLUMNS: dict[str, tuple[str, Any]] = {
    "park_id": ("pk", pl.Int64),
    "code": ("code", pl.String),
    "district_code": ("district__code", pl.String),
    "available_land_mu": ("available_land_mu", pl.Float64),
    "available_floor_m2": ("available_floor_m2", pl.Float64),
    "longitude": ("longitude", pl.Float64),
    "latitude": ("latitude", pl.Float64),
}
CHAIN_COLUMNS: dict[str, tuple[str, Any]] = {
    "enterprise_id": ("enterprise_id", pl.Int64),
    "longitude": ("parcel__longitude", pl.Float64),
    "latitude": ("parcel__latitude", pl.Float64),
}


def criteria_from_dict(raw: dict[str, Any]) -> SiteCriteria:
    """A ``SiteCriteria`` from the JSON form kept in ``SavedSiteSearch.criteria`` (and the search form)."""

    def number(name: str) -> float | None:
        value = raw.get(name)
        return None if value in (None, "") else float(value)

    available_by = raw.get("available_by")
    if isinstance(available_by, str):
        available_by = dt.date.fromisoformat(available_by)
    return SiteCriteria(
        min_area_mu=number("min_area_mu"),
        max_area_mu=number("max_area_mu"),
        min_floor_m2=number("min_floor_m2"),
        industry_group_code=raw.get("industry_group_code") or None,
        preferred_district_codes=tuple(raw.get("preferred_district_codes") or ()),
        preferred_park_ids=tuple(int(p) for p in raw.get("preferred_park_ids") or ()),
        min_floor_area_ratio=number("min_floor_area_ratio"),
        available_by=available_by,
    )


def candidate_parcels(criteria: SiteCriteria) -> Any:
    """The SQL prefilter: the hard criteria on indexed columns."""
    queryset = Parcel.objects.filter(Parcel.scope_public_q())
    if criteria.min_area_mu is not None:
        queryset = queryset.filter(area_mu__gte=criteria.min_area_mu)
    if criteria.max_area_mu is not None:
        queryset = queryset.filter(area_mu__lte=criteria.max_area_mu)
    if criteria.available_by is not None:
        queryset = queryset.filter(Q(available_from__isnull=True) | Q(available_from__lte=criteria.available_by))
    if criteria.min_floor_area_ratio is not None:
        queryset = queryset.filter(floor_area_ratio__gte=criteria.min_floor_area_ratio)
    if criteria.min_floor_m2 is not None:
        queryset = queryset.alias(floor_m2=F("area_m2") * F("floor_area_ratio")).filter(
            floor_m2__gte=criteria.min_floor_m2
        )
    return queryset


def candidate_parks(criteria: SiteCriteria) -> Any:
    queryset = Park.objects.all()
    if criteria.min_area_mu is not None:
        queryset = queryset.filter(available_land_mu__gte=criteria.min_area_mu)
    if criteria.min_floor_m2 is not None:
        queryset = queryset.filter(available_floor_m2__gte=criteria.min_floor_m2)
    return queryset.exclude(available_land_mu=0, available_floor_m2=0)


def park_efficiency(year: int | None) -> pl.DataFrame:
    """Output per mu of every park in ``year`` (park_id, output_cny_per_mu): a city-wide density run, cached
    for ``PARK_EFFICIENCY_CACHE_S`` seconds (a soft score of the search; a few minutes' lag is harmless)."""
    if year is None:
        return pl.DataFrame(schema={"park_id": pl.Int64, "output_cny_per_mu": pl.Float64})
    key = f"land:park-efficiency:{year}"
    rows = cache.get(key)
    if rows is None:
        table = _density("park", year, Parcel.objects.filter(park__isnull=False)).filter(pl.col("year") == year)
        rows = table.select("park_id", "output_cny_per_mu").rows()
        cache.set(key, rows, PARK_EFFICIENCY_CACHE_S)
    return pl.DataFrame(rows, schema={"park_id": pl.Int64, "output_cny_per_mu": pl.Float64}, orient="row")


def parks_frame(criteria: SiteCriteria, *, year: int | None) -> pl.DataFrame:
    """The parks with room for the criteria, with their lead groups (and those groups' parents) and efficiency."""
    parks = candidate_parks(criteria)
    frame = rows_frame(parks, SEARCH_PARK_COLUMNS)
    links = Park.lead_groups.through.objects.filter(park__in=parks.values("pk"))
    lead = pl.DataFrame(
        list(links.values_list("park_id", "industrygroup__code"))
        + list(links.filter(industrygroup__parent__isnull=False).values_list("park_id", "industrygroup__parent__code")),
        schema={"park_id": pl.Int64, "code": pl.String},
        orient="row",
    )
    groups = lead.group_by("park_id").agg(pl.col("code").unique().sort().alias("lead_group_codes"))
    return (
        frame.join(groups, on="park_id", how="left")
        .with_columns(pl.col("lead_group_codes").fill_null(pl.lit([], pl.List(pl.String))))
        .join(park_efficiency(year), on="park_id", how="left")
    )


def chain_frame(criteria: SiteCriteria, *, year: int | None) -> pl.DataFrame:
    """Enterprises of the requested group (or its sub-areas), located at the centroids of the parcels they use."""
    empty = pl.DataFrame(schema={name: dtype for name, (_lookup, dtype) in CHAIN_COLUMNS.items()})
    if not criteria.industry_group_code or year is None:
        return empty
    groups = IndustryGroup.objects.filter(
        Q(code=criteria.industry_group_code) | Q(parent__code=criteria.industry_group_code), system__is_current=True
    ).values("pk")
    members = EnterpriseGroup.objects.filter(group__in=groups).values("enterprise_id")
    uses = LandUse.objects.filter(year=year, enterprise_id__in=members, parcel__longitude__isnull=False)
    return rows_frame(uses, CHAIN_COLUMNS).unique("enterprise_id", keep="first")


@dataclass
class Reason:
    code: str
    params: dict[str, Any]


@dataclass
class Candidate:
    """What a result shows of its parcel or park, read with ``values_list`` (no model instances: a hundred
    ChangeLoggedModel rows with their related rows would cost more than the search itself)."""

    kind: str
    pk: int
    code: str
    name: str
    district: str
    park: str
    park_id: int | None
    area_mu: Any
    floor_area_ratio: Any
    buildable_floor_m2: Any
    available_from: Any
    available_land_mu: Any = None
    available_floor_m2: Any = None

    def __str__(self) -> str:
        return self.code if self.kind == "parcel" else self.name

    def get_absolute_url(self) -> str:
        name = "land:parcel_detail" if self.kind == "parcel" else "land:park_detail"
        return reverse(name, args=[self.pk])


def _names(zh: str, en: str) -> str:
    english = (get_language() or "").startswith("en")
    return en if english and en else zh


def _candidates(parcel_ids: list[int], park_ids: list[int]) -> dict[str, dict[int, Candidate]]:
    parcels = Parcel.objects.filter(pk__in=parcel_ids).values_list(
        "pk", "parcel_code", "district__name_zh", "district__name_en", "park_id", "park__name_zh", "park__name_en",
        "area_mu", "area_m2", "floor_area_ratio", "available_from",
    )  # fmt: skip
    parks = Park.objects.filter(pk__in=park_ids).values_list(
        "pk", "code", "name_zh", "name_en", "district__name_zh", "district__name_en", "available_land_mu",
        "available_floor_m2",
    )  # fmt: skip
    return {
        "parcel": {
            pk: Candidate(
                kind="parcel",
                pk=pk,
                code=code,
                name=code,
                district=_names(dzh, den),
                park=_names(pzh, pen) if park_id else "",
                park_id=park_id,
                area_mu=area_mu,
                floor_area_ratio=far,
                buildable_floor_m2=(area_m2 * far).quantize(Decimal("0.01")) if far else None,
                available_from=available_from,
            )  # fmt: skip
            for pk, code, dzh, den, park_id, pzh, pen, area_mu, area_m2, far, available_from in parcels
        },
        "park": {
            pk: Candidate(
                kind="park",
                pk=pk,
                code=code,
                name=_names(zh, en),
                district=_names(dzh, den),
                park="",
                park_id=pk,
                area_mu=land,
                floor_area_ratio=None,
                buildable_floor_m2=floor,
                available_from=None,
                available_land_mu=land,
                available_floor_m2=floor,
            )  # fmt: skip
            for pk, code, zh, en, dzh, den, land, floor in parks
        },
    }


@dataclass
class SiteResult:
    """One ranked candidate, joined to its parcel or park."""

    kind: str
    id: int
    rank: int
    score: float
    reasons: list[Reason] = field(default_factory=list)
    obj: Any = None

    @property
    def label(self) -> str:
        return str(self.obj) if self.obj is not None else str(self.id)


def site_search(
    *, user: Any, criteria: SiteCriteria, rules: SiteSearchRules | None = None, limit: int | None = 100
) -> list[SiteResult]:
    """Ranked parcels and parks for ``criteria`` (best first, at most ``limit``), each with its reasons."""
    year = latest_year()
    parcels = rows_frame(candidate_parcels(criteria), SEARCH_PARCEL_COLUMNS)
    result = search_sites(
        parcels,
        parks_frame(criteria, year=year),
        chain_frame(criteria, year=year),
        criteria=criteria,
        rules=rules or SiteSearchRules(),
    )
    if limit is not None:
        result = result.head(limit)
    rows = result.to_dicts()
    parcel_ids = [r["id"] for r in rows if r["kind"] == "parcel"]
    park_ids = [r["id"] for r in rows if r["kind"] == "park"]
    objects = _candidates(parcel_ids, park_ids)
    return [
        SiteResult(
            kind=r["kind"],
            id=r["id"],
            rank=r["rank"],
            score=r["score"],
            reasons=[Reason(code=x["code"], params=_params(x.get("params"))) for x in r["reasons"] or []],
            obj=objects[r["kind"]].get(r["id"]),
        )
        for r in rows
    ]


def _params(raw: Any) -> dict[str, Any]:
    if isinstance(raw, dict):
        return raw
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except (TypeError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
