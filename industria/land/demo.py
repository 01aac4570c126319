"""Demo land data for ``industria seed-demo`` (labelled synthetic everywhere).

What it loads, in order:

1. the **reference places** (``land.reference``): the real characteristic parks with their published areas and the
   strategic areas (Lingang, the five new cities, the Baoshan/Jinshan transformation areas), with schematic
   boundaries flagged synthetic;
2. **synthetic parks** (``DEMO-PK-…``, named "合成园区" / "Synthetic park", kind development zone or industrial
   base) so that every suburban district has a few (the city has > 80 parks; domain-rules.md §3.4);
3. **synthetic parcels** inside the real district polygons, calibrated at city scale to the published base map of
   48,501 parcels / 728 km² of industrial land (domain-rules.md §3.4): one parcel per land-owning synthetic
   enterprise sized from its own ``land_area_mu`` facts (largest year), plus parcels of other users, idle,
   available and under construction, whose lognormal sizes (σ = 1.24, the IQR ratio 15–80 mu of
   statistics-and-data.md §4.2) are scaled so that the total area hits the target.  Each parcel is a rotated
   rectangle (aspect 1–2.5) placed by rejection sampling (``shapely.contains_xy`` on its four corners, all
   vectorised) around the parks (``PARK_SHARE`` of the parcels) or around per-district industrial clusters;
   overlapping parcels are re-drawn (STRtree), first near their cluster, then anywhere in their district
   (at city scale about 1 % of the parcels still touch a neighbour after the last round);
4. **life cycles**: approved → transferred → construction → completed → producing dates, terms (50 years
   before 2014, 20 after: Shanghai's 2014 industrial-land reform [M]), developed share, statuses in use / idle /
   under construction / available, "standard land" clauses (investment, output and tax per mu, [U] levels) on
   most parcels transferred since 2017, and a few parcels in each inefficient-land situation;
5. **land uses**: each land-owning enterprise × its parcel × every year it reports land (the used area is the
   year's ``land_area_mu``, blank when the whole parcel);
6. **revitalisation**: a target per district and year, and a few actions per district in every status.

Set-based: numpy/shapely 2 array functions and ``core.bulk.insert_frame``; re-running replaces the synthetic
parcels, parks, uses and actions (real ones are never touched).  Deterministic for a seed.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import numpy as np
import polars as pl
import shapely
from django.db import connection, transaction
from django.utils import timezone

from industria.accounts.models import District
from industria.core.bulk import insert_frame, read_frame
from industria.core.changelog import bulk_change_record, suppress_row_logging
from industria.enterprises.imports.writing import timestamp_value
from industria.enterprises.models import Enterprise, EnterpriseYearFact
from industria.land.choices import (
    ActionKind,
    ActionStatus,
    InefficiencyKind,
    LandUseClass,
    ParcelStatus,
    ParkKind,
)
from industria.land.geometry import (
    COORDINATE_DECIMALS,
    areas_m2,
    geometry_apply,
    geometry_check,
    metres_per_degree,
    shanghai_districts,
)
from industria.land.models import (
    M2_PER_MU,
    LandUse,
    Parcel,
    Park,
    RevitalisationAction,
    RevitalisationTarget,
)
from industria.land.reference import reference_parks_load, reference_strategic_areas_load, schematic_boundary

DEMO_AS_OF = date(2025, 12, 31)
# parcels per scale: Shanghai's base map does not grow with the registry, so province and nation keep the city's
SCALES = {"tiny": 400, "city": 48_500, "province": 48_500, "nation": 48_500}
SYNTHETIC_PARKS = {"tiny": 0, "city": 64, "province": 64, "nation": 64}
ACTIONS_PER_DISTRICT = {"tiny": 1, "city": 12, "province": 12, "nation": 12}
CITY_PARCELS = 48_500
CITY_AREA_M2 = 728_000_000.0  # 728 km² (domain-rules.md §3.4 base map: 48,501 parcels, 728 km²)
PARCEL_SIGMA = 1.24  # lognormal σ: IQR 15–80 mu ⇒ ln(80/15) / (2 × 0.6745) (statistics-and-data.md §4.2) [U]
PARCEL_MIN_M2 = 400.0
PARCEL_MAX_DISTRICT_SHARE = 0.02  # no parcel larger than 2 % of its district (central districts are small)
OWNER_SHARE_MAX = 0.85  # at most this share of the parcels belongs to registry enterprises
PARK_SHARE = 0.3  # share of parcels drawn around a park of their district (when it has one)
CLUSTER_SD_M = 2_500.0  # spread of a district's industrial cluster
PARK_SD_MIN_M = 1_200.0  # parcels around a park spread at least this far (small parks overflow into their area)
PLACEMENT_ROUNDS = 40
OVERLAP_ROUNDS = 20
OVERLAP_ROUNDS_CLUSTERED = 4  # after these, overlapping parcels are re-drawn anywhere in their district
# Industrial land by district, relative weights [U] (suburban districts hold most; Pudong incl. Lingang the most)
DISTRICT_WEIGHTS = {
    "310101": 0.2, "310104": 0.6, "310105": 0.4, "310106": 0.3, "310107": 0.8, "310109": 0.2, "310110": 0.6,
    "310112": 9.0, "310113": 8.0, "310114": 12.0, "310115": 22.0, "310116": 9.0, "310117": 11.0, "310118": 9.0,
    "310120": 9.0, "310151": 3.0,
}  # fmt: skip
# Status mix of the parcels not owned by a registry enterprise [U]
OTHER_STATUS_MIX = {
    "in_use": 0.46,
    "available": 0.17,
    "approved_not_supplied": 0.05,
    "idle": 0.10,
    "under_construction": 0.14,
    "built_not_producing": 0.04,
    "used_not_fully": 0.04,
}
LAND_USE_MIX = {
    LandUseClass.INDUSTRIAL: 0.80,
    LandUseClass.RD: 0.10,
    LandUseClass.NEW_INDUSTRIAL: 0.04,
    LandUseClass.WAREHOUSE: 0.06,
}
FAR_MEDIAN = {"industrial": 1.6, "rd": 2.8, "new_industrial": 3.0, "warehouse": 1.2}
# "standard land" clauses on parcels transferred since 2017: medians in CNY/mu [U]; output ≈ the development-zone
# benchmark 83.66 亿元/km² ≈ 558万元/mu (domain-rules.md §3.4) lifted for new land; investment and tax [U]
STANDARD_LAND_FROM_YEAR = 2017
STANDARD_LAND_SHARE = 0.7
AGREED_MEDIANS_CNY_PER_MU = {"investment": 8_000_000.0, "output": 7_000_000.0, "tax": 450_000.0}
TERM_REFORM_YEAR = 2014
EPOCH = date(1970, 1, 1)


@dataclass
class _Parcels:
    """The generated parcels, column-wise."""

    district: np.ndarray  # district code
    area_target_m2: np.ndarray
    owner: np.ndarray  # enterprise id or -1
    kind: np.ndarray  # owner | in_use | available | …


def seed(*, scale: str, seed: int, log: Any) -> None:
    """``industria seed-demo``: the reference places and the synthetic land of the scale."""
    counts = land_demo_load(scale=scale, seed=seed)
    log("land: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items()))


def delete_synthetic() -> None:
    """Remove the synthetic land rows set-based (children first); reference parks are updated, not deleted."""
    q = connection.ops.quote_name
    parcels = q(Parcel._meta.db_table)
    synthetic = f"(SELECT id FROM {parcels} WHERE synthetic)"
    with connection.cursor() as cursor:
        for model in (LandUse, RevitalisationAction):
            cursor.execute(f"DELETE FROM {q(model._meta.db_table)} WHERE parcel_id IN {synthetic}")
        cursor.execute(f"DELETE FROM {q(RevitalisationTarget._meta.db_table)} WHERE synthetic")
        cursor.execute(f"DELETE FROM {parcels} WHERE synthetic")
    Park.objects.filter(code__startswith="DEMO-PK-").delete()


@transaction.atomic
def land_demo_load(*, scale: str, seed: int, as_of: date = DEMO_AS_OF) -> dict[str, Any]:
    """Replace the synthetic land of the scale (see the module docstring); returns counts and timings."""
    started = time.perf_counter()
    rng = np.random.default_rng([seed, 7007])
    n_target = SCALES.get(scale, CITY_PARCELS)
    area_target = CITY_AREA_M2 * n_target / CITY_PARCELS
    districts = dict(District.objects.values_list("code", "pk"))
    with suppress_row_logging():
        delete_synthetic()
        reference_parks_load()
        areas = reference_strategic_areas_load()
        _synthetic_parks(rng, SYNTHETIC_PARKS.get(scale, 0), districts)
        parks = _parks_frame()
        land = _enterprise_land()
        plan = _parcel_plan(rng, land, n_target, area_target)
        lon, lat, geoms = _place(rng, plan, parks)
        frame = _parcel_frame(rng, plan, lon, lat, geoms, parks, districts, as_of)
        now = timestamp_value(timezone.now())  # text: SQLite's executemany would adapt 100k datetimes one by one
        stamps = [pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at")]
        insert_frame(Parcel._meta.db_table, frame.with_columns(stamps), PARCEL_COLUMNS)
        ids = read_frame(
            f"SELECT parcel_code, id FROM {connection.ops.quote_name(Parcel._meta.db_table)} WHERE synthetic",
            [],
            {"parcel_code": pl.String, "parcel_id": pl.Int64},
        )
        frame = frame.join(ids, on="parcel_code")
        uses = _land_uses(frame, land).with_columns(stamps)
        insert_frame(LandUse._meta.db_table, uses, ["enterprise_id", "parcel_id", "year", "used_area_m2", *STAMPS])
        targets, actions = _revitalisation(rng, frame, districts, as_of, ACTIONS_PER_DISTRICT.get(scale, 1))
        _park_figures(frame)
    counts = {
        "parks": Park.objects.count(),
        "strategic areas": areas,
        "parcels": frame.height,
        "parcel area km2": round(float(frame["area_m2"].sum()) / 1e6, 1),
        "land uses": uses.height,
        "targets": targets,
        "actions": actions,
        "seconds": round(time.perf_counter() - started, 1),
    }
    bulk_change_record(
        model=Parcel,
        object_repr=f"synthetic land ({scale}, seed {seed})",
        summary={"scale": scale, "seed": seed, **{k: v for k, v in counts.items() if k != "seconds"}},
    )
    return counts


STAMPS = ["created_at", "updated_at"]
PARCEL_COLUMNS = [
    "parcel_code", "district_id", "park_id", "geometry", "longitude", "latitude", "min_lon", "min_lat", "max_lon",
    "max_lat", "area_m2", "area_mu", "land_use_class", "floor_area_ratio", "status", "available_from", "approved_on",
    "transfer_on", "term_years", "construction_started_on", "completed_on", "producing_on", "developed_share",
    "agreed_investment_cny_per_mu", "agreed_output_cny_per_mu", "agreed_tax_cny_per_mu", "synthetic", *STAMPS,
]  # fmt: skip


# ------------------------------------------------------------------------------------------------ parks
def _synthetic_parks(rng: np.random.Generator, n: int, districts: dict[str, int]) -> None:
    """``n`` synthetic parks spread over the suburban districts by industrial weight."""
    if n <= 0:
        return
    codes = [c for c in DISTRICT_WEIGHTS if DISTRICT_WEIGHTS[c] >= 1]
    weights = np.asarray([DISTRICT_WEIGHTS[c] for c in codes])
    chosen = rng.choice(len(codes), size=n, p=weights / weights.sum())
    sizes_km2 = np.clip(rng.lognormal(np.log(2.5), 0.7, n), 0.5, 12)
    per_district: dict[str, int] = {}
    for i in range(n):
        code = codes[chosen[i]]
        per_district[code] = per_district.get(code, 0) + 1
        lon, lat = _inside(rng, code)
        boundary = schematic_boundary((lon, lat), float(sizes_km2[i]), [code])
        info = geometry_check(shapely.to_geojson(boundary))
        number = per_district[code]
        development_zone = number == 1 or rng.random() < 0.5
        park = Park(
            code=f"DEMO-PK-{code}-{number:02d}",
            name_zh=f"合成园区 {code}-{number:02d}",
            name_en=f"Synthetic park {code}-{number:02d}",
            district_id=districts[code],
            kind=ParkKind.DEVELOPMENT_ZONE if development_zone else ParkKind.INDUSTRIAL_BASE,
            area_km2=(info.area_m2 / Decimal(1_000_000)).quantize(Decimal("0.0001")),
            source="synthetic demo data",
            confidence="U",
            synthetic=True,
        )
        geometry_apply(park, info)
        park.save()


@functools.cache
def _interior(code: str) -> Any:
    """The district shrunk by 1.5 km (the district itself when that leaves too little), prepared."""
    geom = shanghai_districts()[code]
    kx, _ky = metres_per_degree(31.2)
    inner = shapely.buffer(geom, -1_500 / kx)
    target = inner if not inner.is_empty and inner.area > 0.05 * geom.area else geom
    shapely.prepare(target)
    return target


def _inside(rng: np.random.Generator, code: str) -> tuple[float, float]:
    """A uniformly drawn point inside the district, well inside (1.5 km from its edge when possible)."""
    geom = shanghai_districts()[code]
    target = _interior(code)
    west, south, east, north = target.bounds
    for _attempt in range(1000):
        lons = rng.uniform(west, east, 64)
        lats = rng.uniform(south, north, 64)
        hits = np.flatnonzero(shapely.contains_xy(target, lons, lats))
        if hits.size:
            return float(lons[hits[0]]), float(lats[hits[0]])
    point = shapely.point_on_surface(geom)
    return point.x, point.y


def _parks_frame() -> pl.DataFrame:
    rows = list(Park.objects.values_list("pk", "district__code", "longitude", "latitude", "area_km2"))
    return pl.DataFrame(
        [(pk, code, float(lon), float(lat), float(area or 2)) for pk, code, lon, lat, area in rows],
        schema={"park_id": pl.Int64, "district": pl.String, "lon": pl.Float64, "lat": pl.Float64, "km2": pl.Float64},
        orient="row",
    )


# ------------------------------------------------------------------------------------------------ plan
def _enterprise_land() -> pl.DataFrame:
    """Synthetic enterprises' land by year: enterprise_id, district, year, land_m2 (only years with land)."""
    q = connection.ops.quote_name
    sql = (
        f"SELECT f.enterprise_id, d.code, f.year, f.land_area_mu FROM {q(EnterpriseYearFact._meta.db_table)} f "
        f"JOIN {q(Enterprise._meta.db_table)} e ON e.id = f.enterprise_id "
        f"JOIN {q(District._meta.db_table)} d ON d.id = e.district_id "
        "WHERE e.synthetic AND f.land_area_mu > 0"
    )
    frame = read_frame(
        sql, [], {"enterprise_id": pl.Int64, "district": pl.String, "year": pl.Int64, "land_mu": pl.Float64}
    )
    return frame.with_columns(land_m2=pl.col("land_mu") * float(M2_PER_MU)).drop("land_mu")


def _parcel_plan(rng: np.random.Generator, land: pl.DataFrame, n_target: int, area_target: float) -> _Parcels:
    """Districts, target areas, owners and kinds of the parcels to draw."""
    owners = (
        land.group_by("enterprise_id").agg(pl.col("district").first(), pl.col("land_m2").max()).sort("enterprise_id")
    )
    limit = int(n_target * OWNER_SHARE_MAX)
    if owners.height > limit:
        keep = np.sort(rng.choice(owners.height, size=limit, replace=False))
        owners = owners[keep]
    district_area = {code: _district_area_m2(code) for code in DISTRICT_WEIGHTS}
    owner_area = owners["land_m2"].to_numpy()
    n_other = max(n_target - owners.height, int(0.1 * n_target))
    codes = list(DISTRICT_WEIGHTS)
    weights = np.asarray([DISTRICT_WEIGHTS[c] for c in codes])
    other_district = np.asarray(codes, dtype=object)[rng.choice(len(codes), size=n_other, p=weights / weights.sum())]
    raw = rng.lognormal(0.0, PARCEL_SIGMA, n_other)
    remainder = max(area_target - float(owner_area.sum()), n_other * 3_000.0)
    other_area = np.maximum(raw * remainder / raw.sum(), PARCEL_MIN_M2)
    kinds = list(OTHER_STATUS_MIX)
    mix = np.asarray([OTHER_STATUS_MIX[k] for k in kinds])
    other_kind = np.asarray(kinds, dtype=object)[rng.choice(len(kinds), size=n_other, p=mix / mix.sum())]
    district = np.concatenate([owners["district"].to_numpy().astype(object), other_district])
    area = np.concatenate([owner_area, other_area])
    cap = np.asarray([district_area[c] * PARCEL_MAX_DISTRICT_SHARE for c in district])
    return _Parcels(
        district=district,
        area_target_m2=np.minimum(area, cap),
        owner=np.concatenate([owners["enterprise_id"].to_numpy(), np.full(n_other, -1)]),
        kind=np.concatenate([np.full(owners.height, "owner", dtype=object), other_kind]),
    )


def _district_area_m2(code: str) -> float:
    from industria.land.geometry import area_m2_of

    return area_m2_of(shanghai_districts()[code])


# ------------------------------------------------------------------------------------------------ placement
def _place(rng: np.random.Generator, plan: _Parcels, parks: pl.DataFrame) -> tuple[np.ndarray, np.ndarray, Any]:
    """Centres and rectangles of every parcel inside its district, clustered around parks and district clusters."""
    n = plan.district.size
    aspect = rng.uniform(1.0, 2.5, n)
    width = np.sqrt(plan.area_target_m2 / aspect)
    height = width * aspect
    theta = rng.uniform(0, np.pi / 2, n)
    anchor_lon, anchor_lat, spread = _anchors(rng, plan, parks)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    pending = np.arange(n)
    redrawn = np.arange(n)
    for overlap_round in range(OVERLAP_ROUNDS + 1):
        pending = redrawn
        for round_ in range(PLACEMENT_ROUNDS):
            if not pending.size:
                break
            if round_ >= PLACEMENT_ROUNDS // 2:  # stubborn ones: anywhere in the district, then smaller
                spread[pending] = 1e9
                width[pending] *= 0.9
                height[pending] *= 0.9
            accepted, at_lon, at_lat = _try_place(
                rng, plan, pending, anchor_lon, anchor_lat, spread, width, height, theta
            )
            lon[pending[accepted]], lat[pending[accepted]] = at_lon, at_lat
            pending = np.delete(pending, accepted)
        if pending.size:  # pragma: no cover - a district too small for its parcels
            raise RuntimeError(f"{pending.size} parcels could not be placed")
        if overlap_round == OVERLAP_ROUNDS:
            break
        redrawn = _overlapping(_rectangles(lon, lat, width, height, theta), None if overlap_round == 0 else redrawn)
        if not redrawn.size:
            break
        if overlap_round >= OVERLAP_ROUNDS_CLUSTERED:
            spread[redrawn] = 1e9
    geoms = _rectangles(lon, lat, width, height, theta)
    return lon, lat, geoms


def _anchors(rng: np.random.Generator, plan: _Parcels, parks: pl.DataFrame) -> tuple[np.ndarray, ...]:
    """Per parcel: the point it is drawn around and the spread (metres)."""
    n = plan.district.size
    lon, lat, spread = np.zeros(n), np.zeros(n), np.full(n, CLUSTER_SD_M)
    for code in np.unique(plan.district):
        members = np.flatnonzero(plan.district == code)
        clusters = max(4, members.size // 250)
        centres = np.asarray([_inside(rng, code) for _ in range(clusters)])
        pick = rng.integers(0, clusters, members.size)
        lon[members], lat[members] = centres[pick, 0], centres[pick, 1]
        local = parks.filter(pl.col("district") == code)
        if local.height:
            near = members[rng.random(members.size) < PARK_SHARE]
            which = rng.integers(0, local.height, near.size)
            lon[near] = local["lon"].to_numpy()[which]
            lat[near] = local["lat"].to_numpy()[which]
            spread[near] = np.maximum(np.sqrt(local["km2"].to_numpy()[which] * 1e6 / np.pi), PARK_SD_MIN_M)
    return lon, lat, spread


def _corners(lon: np.ndarray, lat: np.ndarray, width: np.ndarray, height: np.ndarray, theta: np.ndarray) -> np.ndarray:
    """(n, 5, 2) closed rings of rotated rectangles (metres → degrees with the local scale)."""
    kx, ky = metres_per_degree(lat)
    half = np.stack([[-1, -1], [1, -1], [1, 1], [-1, 1], [-1, -1]]) / 2  # (5, 2)
    dx = half[None, :, 0] * width[:, None]
    dy = half[None, :, 1] * height[:, None]
    cos, sin = np.cos(theta)[:, None], np.sin(theta)[:, None]
    x = lon[:, None] + (dx * cos - dy * sin) / kx[:, None]
    y = lat[:, None] + (dx * sin + dy * cos) / ky[:, None]
    return np.round(np.stack([x, y], axis=-1), COORDINATE_DECIMALS)


def _rectangles(lon: np.ndarray, lat: np.ndarray, width: np.ndarray, height: np.ndarray, theta: np.ndarray) -> Any:
    return shapely.polygons(_corners(lon, lat, width, height, theta))


def _try_place(
    rng: np.random.Generator,
    plan: _Parcels,
    pending: np.ndarray,
    anchor_lon: np.ndarray,
    anchor_lat: np.ndarray,
    spread: np.ndarray,
    width: np.ndarray,
    height: np.ndarray,
    theta: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """One draw for each pending parcel; returns (positions in ``pending`` accepted, their lon, their lat)."""
    kx, ky = metres_per_degree(anchor_lat[pending])
    wide = spread[pending] > 1e8
    lon = anchor_lon[pending] + rng.normal(0, 1, pending.size) * spread[pending] / kx
    lat = anchor_lat[pending] + rng.normal(0, 1, pending.size) * spread[pending] / ky
    for code in np.unique(plan.district[pending[wide]]):  # uniform inside the district's bounding box
        rows = np.flatnonzero(wide & (plan.district[pending] == code))
        west, south, east, north = shanghai_districts()[code].bounds
        lon[rows], lat[rows] = rng.uniform(west, east, rows.size), rng.uniform(south, north, rows.size)
    corners = _corners(lon, lat, width[pending], height[pending], theta[pending])
    ok = np.zeros(pending.size, dtype=bool)
    for code in np.unique(plan.district[pending]):
        rows = np.flatnonzero(plan.district[pending] == code)
        geom = shanghai_districts()[code]
        xs = np.column_stack([corners[rows, :4, 0], lon[rows]]).ravel()  # the four corners and the centre
        ys = np.column_stack([corners[rows, :4, 1], lat[rows]]).ravel()
        ok[rows] = shapely.contains_xy(geom, xs, ys).reshape(-1, 5).all(axis=1)
    accepted = np.flatnonzero(ok)
    return accepted, lon[accepted], lat[accepted]


def _overlapping(geoms: Any, moved: np.ndarray | None) -> np.ndarray:
    """Indexes of parcels to re-draw: of each overlapping pair the later one; after the first round only the
    parcels just re-drawn (``moved``) are checked, and they are the ones to move again."""
    tree = shapely.STRtree(geoms)
    if moved is None:
        left, right = tree.query(geoms, predicate="intersects")
        return np.unique(np.maximum(left, right)[left != right])
    left, right = tree.query(geoms[moved], predicate="intersects")
    return np.unique(moved[left][moved[left] != right])


# ------------------------------------------------------------------------------------------------ attributes
def _days(values: np.ndarray) -> pl.Series:
    """Day numbers since 1970 (NaN → null) as a Date series."""
    series = pl.Series(values)
    return pl.select(pl.when(series.is_nan()).then(None).otherwise(series).cast(pl.Int32).cast(pl.Date)).to_series()


def _parcel_frame(
    rng: np.random.Generator,
    plan: _Parcels,
    lon: np.ndarray,
    lat: np.ndarray,
    geoms: Any,
    parks: pl.DataFrame,
    districts: dict[str, int],
    as_of: date,
) -> pl.DataFrame:
    """Every column of the parcels (geometry text, areas, class, FAR, status, life-cycle dates, clauses)."""
    n = plan.district.size
    area = np.round(areas_m2(geoms), 2)
    centroids = shapely.centroid(geoms)
    bounds = shapely.bounds(geoms)
    today = (as_of - EPOCH).days
    nan = np.full(n, np.nan)
    kind = plan.kind
    classes = list(LAND_USE_MIX)
    shares = np.asarray([LAND_USE_MIX[c] for c in classes])
    land_use = np.asarray([str(c) for c in classes], dtype=object)[rng.choice(len(classes), n, p=shares)]
    far = np.round(np.clip(np.asarray([FAR_MEDIAN[c] for c in land_use]) * rng.lognormal(0, 0.25, n), 0.6, 6.0), 2)
    # life cycle: transfer date by kind, the rest follows
    transfer = today - rng.uniform(365 * 3, 365 * 30, n)  # in use: transferred 3–30 years ago
    recent = np.isin(kind, ["under_construction", "built_not_producing"])
    transfer = np.where(kind == "idle", today - rng.uniform(400, 365 * 8, n), transfer)
    transfer = np.where(recent, today - rng.uniform(500, 365 * 4, n), transfer)
    no_transfer = np.isin(kind, ["available", "approved_not_supplied"])
    transfer = np.where(no_transfer, np.nan, transfer)
    approved = transfer - rng.uniform(60, 365, n)
    approved = np.where(kind == "approved_not_supplied", today - rng.uniform(760, 365 * 5, n), approved)
    approved = np.where(
        kind == "available", np.where(rng.random(n) < 0.5, today - rng.uniform(30, 700, n), nan), approved
    )
    started = transfer + rng.uniform(60, 300, n)
    started = np.where(np.isin(kind, ["idle", "available", "approved_not_supplied"]), np.nan, started)
    completed = started + rng.uniform(365, 730, n)
    completed = np.where(kind == "under_construction", np.nan, completed)
    completed = np.where(
        kind == "built_not_producing", np.minimum(completed, today - rng.uniform(400, 900, n)), completed
    )
    started = np.where(kind == "built_not_producing", np.minimum(started, completed - 300), started)
    producing = completed + rng.uniform(30, 180, n)
    producing = np.where(kind == "built_not_producing", np.nan, producing)
    # anything scheduled after as_of has not happened yet
    for series in (started, completed, producing):
        series[series > today] = np.nan
    status = np.full(n, ParcelStatus.IN_USE.value, dtype=object)
    status[kind == "idle"] = ParcelStatus.IDLE.value
    status[np.isin(kind, ["available", "approved_not_supplied"])] = ParcelStatus.AVAILABLE.value
    status[kind == "under_construction"] = ParcelStatus.UNDER_CONSTRUCTION.value
    status[(kind != "idle") & ~no_transfer & np.isnan(completed) & ~np.isnan(transfer)] = (
        ParcelStatus.UNDER_CONSTRUCTION.value
    )
    available_from = np.where(
        status == ParcelStatus.AVAILABLE.value,
        np.where(rng.random(n) < 0.5, np.nan, today + rng.uniform(0, 720, n)),
        np.nan,
    )
    developed = np.where(kind == "used_not_fully", rng.uniform(0.15, 0.49, n), np.clip(rng.beta(8, 2, n), 0.5, 1))
    developed = np.where(np.isnan(completed), np.nan, np.round(developed, 4))
    term = np.where(np.isnan(transfer), np.nan, np.where(_year(transfer) < TERM_REFORM_YEAR, 50, 20))
    standard = (
        ~np.isnan(transfer) & (_year(transfer) >= STANDARD_LAND_FROM_YEAR) & (rng.random(n) < STANDARD_LAND_SHARE)
    ) | ((status == ParcelStatus.AVAILABLE.value) & (rng.random(n) < 0.5))
    clause = {
        key: np.where(standard, np.round(median * rng.lognormal(0, 0.3, n), -3), np.nan)
        for key, median in AGREED_MEDIANS_CNY_PER_MU.items()
    }
    park_id = _park_of(centroids, plan.district, parks)
    codes = [f"SYN-{d}-{i + 1:06d}" for i, d in enumerate(plan.district)]
    return pl.DataFrame(
        {
            "parcel_code": codes,
            "district_code": plan.district.astype(str),
            "district_id": [districts[d] for d in plan.district],
            "park_id": pl.Series(park_id.tolist(), dtype=pl.Int64),
            "geometry": shapely.to_geojson(geoms).astype(str),
            "longitude": np.round(shapely.get_x(centroids), COORDINATE_DECIMALS),
            "latitude": np.round(shapely.get_y(centroids), COORDINATE_DECIMALS),
            "min_lon": bounds[:, 0],
            "min_lat": bounds[:, 1],
            "max_lon": bounds[:, 2],
            "max_lat": bounds[:, 3],
            "area_m2": area,
            "area_mu": np.round(area / float(M2_PER_MU), 2),
            "land_use_class": land_use.astype(str),
            "floor_area_ratio": far,
            "status": status.astype(str),
            "available_from": _days(available_from),
            "approved_on": _days(np.floor(approved)),
            "transfer_on": _days(np.floor(transfer)),
            "term_years": pl.Series(term).fill_nan(None).cast(pl.Int16),
            "construction_started_on": _days(np.floor(started)),
            "completed_on": _days(np.floor(completed)),
            "producing_on": _days(np.floor(producing)),
            "developed_share": pl.Series(developed).fill_nan(None),
            "agreed_investment_cny_per_mu": pl.Series(clause["investment"]).fill_nan(None),
            "agreed_output_cny_per_mu": pl.Series(clause["output"]).fill_nan(None),
            "agreed_tax_cny_per_mu": pl.Series(clause["tax"]).fill_nan(None),
            "synthetic": True,
            "owner": plan.owner,
            "kind": kind.astype(str),
        }
    )


def _year(days: np.ndarray) -> np.ndarray:
    return 1970 + np.nan_to_num(days, nan=0) / 365.2425


def _park_of(centroids: Any, district: np.ndarray, parks: pl.DataFrame) -> np.ndarray:
    """The park whose boundary holds each parcel's centroid (None outside every park)."""
    out = np.full(district.size, None, dtype=object)
    xs, ys = shapely.get_x(centroids), shapely.get_y(centroids)
    for park in Park.objects.exclude(geometry=None).only("pk", "geometry"):
        geom = shapely.from_geojson(_json(park.geometry))
        shapely.prepare(geom)
        west, south, east, north = geom.bounds
        near = np.flatnonzero((xs >= west) & (xs <= east) & (ys >= south) & (ys <= north))
        if near.size:
            inside = near[shapely.contains_xy(geom, xs[near], ys[near])]
            out[inside[np.equal(out[inside], None)]] = park.pk
    return out


def _json(value: Any) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value)


# ------------------------------------------------------------------------------------------------ uses etc.
def _land_uses(parcels: pl.DataFrame, land: pl.DataFrame) -> pl.DataFrame:
    """Enterprise × its parcel × each year it reports land; the used area when smaller than the parcel."""
    owned = parcels.filter(pl.col("owner") >= 0).select(
        pl.col("owner").alias("enterprise_id"), "parcel_id", parcel_m2="area_m2"
    )
    return (
        land.join(owned, on="enterprise_id", how="inner")
        .with_columns(
            used_area_m2=pl.when(pl.col("land_m2") < pl.col("parcel_m2") * 0.995)
            .then(pl.col("land_m2").round(2))
            .otherwise(None)
        )
        .select("enterprise_id", "parcel_id", "year", "used_area_m2")
        .sort("parcel_id", "year")
    )


def _revitalisation(
    rng: np.random.Generator, parcels: pl.DataFrame, districts: dict[str, int], as_of: date, per_district: int
) -> tuple[int, int]:
    """Targets per district for the two last years (30 % of its idle-ish area, [U]) and a few actions."""
    inefficient = parcels.filter(pl.col("kind").is_in(["idle", "built_not_producing", "used_not_fully"]))
    by_district = inefficient.group_by("district_code").agg(pl.col("area_m2").sum())
    targets = []
    for code, area in by_district.iter_rows():
        for year in (as_of.year - 1, as_of.year):
            targets.append(
                RevitalisationTarget(
                    district_id=districts[code],
                    year=year,
                    target_area_m2=Decimal(str(round(area * 0.3, 2))),
                    source="synthetic demo data: 30 % of the district's inefficient parcel area",
                    confidence="U",
                    synthetic=True,
                )
            )
    RevitalisationTarget.objects.bulk_create(targets)
    reasons = {"idle": InefficiencyKind.IDLE, "built_not_producing": InefficiencyKind.BUILT_NOT_PRODUCING,
               "used_not_fully": InefficiencyKind.USED_NOT_FULLY}  # fmt: skip
    kinds = list(ActionKind)
    statuses = [ActionStatus.PLANNED, ActionStatus.IN_PROGRESS, ActionStatus.COMPLETED, ActionStatus.CANCELLED]
    actions = []
    for _key, group in inefficient.sort("parcel_code").group_by(["district_code"], maintain_order=True):
        chosen = group.sample(n=min(per_district, group.height), seed=int(rng.integers(1 << 31)))
        for k, row in enumerate(chosen.iter_rows(named=True)):
            status = statuses[k % len(statuses)] if k else ActionStatus.COMPLETED
            opened = as_of - timedelta(days=int(rng.integers(60, 700)))
            done = status == ActionStatus.COMPLETED
            actions.append(
                RevitalisationAction(
                    parcel_id=row["parcel_id"],
                    kind=kinds[int(rng.integers(len(kinds)))],
                    reason=reasons[row["kind"]],
                    status=status,
                    opened_on=opened,
                    due_on=opened + timedelta(days=365),
                    completed_on=min(opened + timedelta(days=int(rng.integers(60, 360))), as_of) if done else None,
                    area_m2=Decimal(str(row["area_m2"])) if done else None,
                    notes="synthetic demo data",
                )
            )
    RevitalisationAction.objects.bulk_create(actions)
    return len(targets), len(actions)


def _park_figures(parcels: pl.DataFrame) -> None:
    """Each park's available land (available parcels) and floor space (theirs plus 8 % vacancy of built floor)."""
    figures = (
        parcels.filter(pl.col("park_id").is_not_null())
        .with_columns(floor=pl.col("area_m2") * pl.col("floor_area_ratio"))
        .group_by("park_id")
        .agg(
            land_mu=pl.col("area_mu").filter(pl.col("status") == "available").sum(),
            floor_m2=pl.col("floor").filter(pl.col("status") == "available").sum()
            + 0.08
            * (pl.col("floor") * pl.col("developed_share").fill_null(0)).filter(pl.col("status") == "in_use").sum(),
        )
    )
    for park_id, land_mu, floor_m2 in figures.iter_rows():
        Park.objects.filter(pk=park_id).update(
            available_land_mu=Decimal(str(round(land_mu or 0, 2))),
            available_floor_m2=Decimal(str(round(floor_m2 or 0, 2))),
        )
