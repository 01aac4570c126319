"""Geometry of parks, strategic areas and parcels: GeoJSON validated with shapely, areas in square metres.

Every geometry a user or a file brings goes through ``geometry_check`` (one object) or ``geometries_check`` (an
array, vectorised with shapely 2 for imports and the demo), which apply, in this order:

1. **Readable** — a GeoJSON geometry object (a Feature's geometry is taken), or WKT text; ``invalid_json``.
2. **Supported** — Polygon, MultiPolygon or Point, WGS-84 ``[lon, lat]``; ``unsupported_type``.
3. **Valid** — OGC validity after the coordinates are rounded to ``COORDINATE_DECIMALS`` (6 decimals ≈ 0.1 m,
   what is stored): no self-intersection (a bow-tie), no ring with too few points …; ``invalid`` names the
   problem and where it is (lon, lat).
4. **Inside Shanghai** — covered by the union of the 16 district polygons grown by ``SHANGHAI_BUFFER_M``
   (500 m).  The boundaries are the ECharts 4.9.0 outlines, quantised to about 1/1024° (~100 m) and drawn
   coarsely along the coast and the Yangtze islands, so a parcel on the real shore may stick out of them by a few
   hundred metres; 500 m absorbs that and still rejects anything in Jiangsu/Zhejiang beyond the border strip or
   out at sea; ``outside_shanghai`` says how far outside (or which share of the area lies outside).
5. **Area consistent** (polygons with a stated area) — the stated area may differ from the polygon's computed
   area by at most ``AREA_TOLERANCE_SHARE`` (5 %) of the computed area or ``AREA_TOLERANCE_MIN_M2`` (100 m²),
   whichever is larger.  5 % is the usual gap between a transfer contract's surveyed area and a boundary
   digitised from a plan (rounded corners, road set-backs); the 100 m² floor keeps very small parcels from
   failing on rounding alone; ``area_mismatch`` gives both areas and the tolerance.

Areas are computed on the WGS-84 ellipsoid with an equal-area projection: the sinusoidal projection of the
authalic sphere (authalic latitude β, radius R_q), centred on ``PROJECTION_LON0``.  It preserves areas exactly
(up to the straight-edge approximation of each polygon side, far below a square metre for parcel-sized edges);
distances are only approximate away from the central meridian, which is good enough for "about 1,070 km
outside".

The district boundaries are the vendored ``vendor/shanghai-districts.geojson`` built by ``make static``; it is
found through the staticfiles finders (or STATIC_ROOT), and a missing file raises ``BoundariesMissing`` with
the command to run.
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import shapely
from django.utils.translation import gettext_lazy as _

from industria.core.exceptions import DomainError

DISTRICTS_STATIC_PATH = "vendor/shanghai-districts.geojson"
COORDINATE_DECIMALS = 6
SHANGHAI_BUFFER_M = 500.0
AREA_TOLERANCE_SHARE = Decimal("0.05")
AREA_TOLERANCE_MIN_M2 = Decimal("100")
PROJECTION_LON0 = 121.47  # central meridian of the equal-area projection (People's Square)
SUPPORTED_TYPES = ("Polygon", "MultiPolygon", "Point")
_TYPE_IDS = {0: "Point", 3: "Polygon", 6: "MultiPolygon"}
_Q = Decimal("0.000001")

# WGS-84 ellipsoid and its authalic sphere
_A = 6378137.0
_F = 1 / 298.257223563
_E2 = _F * (2 - _F)
_E = math.sqrt(_E2)


def _q(sin_phi: np.ndarray | float) -> np.ndarray | float:
    return (1 - _E2) * (
        sin_phi / (1 - _E2 * sin_phi**2) - (1 / (2 * _E)) * np.log((1 - _E * sin_phi) / (1 + _E * sin_phi))
    )


_QP = float(_q(1.0 - 1e-15))
_RQ = _A * math.sqrt(_QP / 2)

MESSAGES: dict[str, Any] = {
    "invalid_json": _("The geometry is not GeoJSON (nor WKT): %(detail)s."),
    "unsupported_type": _("A geometry of type “%(type)s” is not accepted; use a Polygon, a MultiPolygon or a Point."),
    "empty": _("The geometry is empty: it has no coordinates."),
    "self_intersection": _(
        "The polygon is not valid: its boundary crosses itself at %(lon)s, %(lat)s (a bow-tie or figure of "
        "eight); redraw it so that no edge crosses another."
    ),
    "too_few_points": _(
        "The polygon is not valid: a ring has too few points (a ring needs at least four, the last repeating the "
        "first), near %(lon)s, %(lat)s."
    ),
    "invalid": _("The polygon is not valid (%(reason)s) at %(lon)s, %(lat)s."),
    "bad_coordinates": _(
        "The coordinates are not longitude/latitude in degrees (WGS-84, [lon, lat]): %(lon)s, %(lat)s is off the map."
    ),
    "outside_shanghai": _(
        "The geometry lies outside Shanghai: about %(distance_km)s km beyond the city boundary (its centre is at "
        "%(lon)s, %(lat)s)."
    ),
    "partly_outside_shanghai": _(
        "The geometry lies partly outside Shanghai: %(share_pct)s%% of its area is beyond the city boundary (by up "
        "to %(distance_m)s m; %(buffer_m)s m are tolerated for the coarse coastline)."
    ),
    "area_mismatch": _(
        "The stated area %(stated_m2)s m² does not match the area of the polygon, %(computed_m2)s m² (a difference "
        "of %(difference_pct)s%%); at most %(tolerance_pct)s%% or %(tolerance_min_m2)s m² is accepted."
    ),
}
# which GeometryError.code each message belongs to (the contract's five codes)
MESSAGE_CODES = {
    "invalid_json": "invalid_json",
    "unsupported_type": "unsupported_type",
    "empty": "invalid",
    "self_intersection": "invalid",
    "too_few_points": "invalid",
    "invalid": "invalid",
    "bad_coordinates": "outside_shanghai",
    "outside_shanghai": "outside_shanghai",
    "partly_outside_shanghai": "outside_shanghai",
    "area_mismatch": "area_mismatch",
}


class GeometryError(DomainError):
    """A geometry was refused.  ``code`` is one of invalid_json, unsupported_type, invalid, outside_shanghai,
    area_mismatch; ``problem`` is the finer message key (e.g. ``self_intersection``); the message names the
    problem, where it is and by how much."""

    code = "invalid"
    default_message = _("The geometry is not valid.")

    def __init__(self, problem: str, params: dict[str, Any] | None = None):
        self.problem = problem
        super().__init__(MESSAGES[problem], params=params or {}, code=MESSAGE_CODES[problem])


class BoundariesMissing(DomainError):
    """The vendored district boundaries are not there (``make static`` has not run)."""

    code = "boundaries_missing"
    default_message = _(
        "The Shanghai district boundaries (%(path)s) are missing, so geometries cannot be checked; run “make static”."
    )
    http_status = 503


@dataclass(frozen=True)
class GeometryInfo:
    """A checked geometry: normalised GeoJSON, its area (None for a point), centroid, bounding box, district."""

    geometry: dict[str, Any]
    area_m2: Decimal | None
    longitude: Decimal
    latitude: Decimal
    min_lon: Decimal
    min_lat: Decimal
    max_lon: Decimal
    max_lat: Decimal
    district_code: str | None


# ------------------------------------------------------------------------------------------------ projection
def project(coords: np.ndarray) -> np.ndarray:
    """``[[lon, lat], …]`` in degrees → ``[[x, y], …]`` in metres of the equal-area projection (see the module)."""
    coords = np.asarray(coords, dtype=float)
    lon = np.radians(coords[:, 0] - PROJECTION_LON0)
    beta = np.arcsin(np.clip(_q(np.sin(np.radians(np.clip(coords[:, 1], -89.9, 89.9)))) / _QP, -1, 1))
    return np.column_stack([_RQ * lon * np.cos(beta), _RQ * beta])


def metres_per_degree(lat: float | np.ndarray) -> tuple[Any, Any]:
    """(metres per degree of longitude, metres per degree of latitude) at ``lat`` (local scale for drawing)."""
    phi = np.radians(lat)
    n = _A / np.sqrt(1 - _E2 * np.sin(phi) ** 2)
    m = _A * (1 - _E2) / (1 - _E2 * np.sin(phi) ** 2) ** 1.5
    return np.radians(1) * n * np.cos(phi), np.radians(1) * m


def _projected(geoms: Any) -> Any:
    return shapely.transform(geoms, project)


def area_m2_of(geometry: Any) -> float:
    """Area in m² of a GeoJSON geometry (dict or text) or a shapely geometry; 0 for points."""
    geom = geometry if isinstance(geometry, shapely.Geometry) else _parse_one(geometry)
    return float(shapely.area(_projected(geom)))


def areas_m2(geoms: np.ndarray) -> np.ndarray:
    """Areas in m² of an array of shapely geometries (vectorised)."""
    return shapely.area(_projected(np.asarray(geoms, dtype=object)))


# ------------------------------------------------------------------------------------------------ districts
def boundaries_path() -> Path:
    """Where the vendored district boundaries are (staticfiles finders, then STATIC_ROOT)."""
    from django.conf import settings
    from django.contrib.staticfiles import finders

    found = finders.find(DISTRICTS_STATIC_PATH)
    if found:
        return Path(found if isinstance(found, str) else found[0])
    candidate = Path(settings.STATIC_ROOT) / DISTRICTS_STATIC_PATH
    if candidate.is_file():
        return candidate
    raise BoundariesMissing(params={"path": DISTRICTS_STATIC_PATH})


@functools.cache
def district_features() -> tuple[dict[str, Any], ...]:
    """The district features (properties code, name_zh, name_en, cp) of the vendored file."""
    data = json.loads(boundaries_path().read_text(encoding="utf-8"))
    return tuple(data["features"])


@functools.cache
def shanghai_districts() -> dict[str, Any]:
    """District code → shapely geometry (lon/lat degrees), made valid, prepared for fast point tests."""
    out = {}
    for feature in district_features():
        geom = shapely.make_valid(shapely.from_geojson(json.dumps(feature["geometry"])))
        shapely.prepare(geom)
        out[str(feature["properties"]["code"])] = geom
    return out


@functools.cache
def _shanghai_projected() -> tuple[Any, Any]:
    """(the city in projected metres, the same grown by SHANGHAI_BUFFER_M), both prepared."""
    city = _projected(shapely.union_all(list(shanghai_districts().values())))
    grown = shapely.buffer(city, SHANGHAI_BUFFER_M, quad_segs=4)
    shapely.prepare(city)
    shapely.prepare(grown)
    return city, grown


def district_code_at(lon: float, lat: float) -> str | None:
    """The code of the district containing the point (None outside every district)."""
    for code, geom in shanghai_districts().items():
        if shapely.contains_xy(geom, lon, lat):
            return code
    return None


def district_codes_at(lons: np.ndarray, lats: np.ndarray, *, nearest: bool = False) -> np.ndarray:
    """Vectorised ``district_code_at``: an object array of codes (None outside; the nearest district's code
    when ``nearest``, for points in the tolerance strip along the coast)."""
    lons, lats = np.asarray(lons, dtype=float), np.asarray(lats, dtype=float)
    out = np.full(lons.shape, None, dtype=object)
    for code, geom in shanghai_districts().items():
        inside = shapely.contains_xy(geom, lons, lats) & (out == None)  # noqa: E711 - element-wise
        out[inside] = code
    if nearest and (out == None).any():  # noqa: E711
        missing = np.flatnonzero(out == None)  # noqa: E711
        points = shapely.points(lons[missing], lats[missing])
        codes = list(shanghai_districts())
        distances = np.column_stack([shapely.distance(shanghai_districts()[c], points) for c in codes])
        out[missing] = np.asarray(codes, dtype=object)[distances.argmin(axis=1)]
    return out


# ------------------------------------------------------------------------------------------------ parsing
def _parse_one(value: Any) -> Any:
    """A shapely geometry from a GeoJSON dict/text (geometry or Feature) or WKT; GeometryError otherwise."""
    if isinstance(value, shapely.Geometry):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        raise GeometryError("invalid_json", {"detail": str(_("no geometry given"))})
    if isinstance(value, dict):
        data = value
    else:
        text = str(value).strip()
        if text[:1].isalpha():  # WKT: POLYGON ((…)), POINT (…)
            try:
                return shapely.from_wkt(text)
            except shapely.errors.GEOSException as exc:
                raise GeometryError("invalid_json", {"detail": _short(exc)}) from exc
        try:
            data = json.loads(text)
        except ValueError as exc:
            raise GeometryError("invalid_json", {"detail": _short(exc)}) from exc
    if not isinstance(data, dict) or "type" not in data:
        raise GeometryError("invalid_json", {"detail": str(_("an object with a “type” is expected"))})
    if data["type"] == "Feature":
        data = data.get("geometry") or {}
    kind = data.get("type")
    if kind not in SUPPORTED_TYPES:
        raise GeometryError("unsupported_type", {"type": str(kind)})
    try:
        return shapely.from_geojson(json.dumps(data))
    except (shapely.errors.GEOSException, ValueError, TypeError) as exc:
        raise GeometryError("invalid_json", {"detail": _short(exc)}) from exc


def _short(exc: Exception) -> str:
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return text[:160]


def _fmt_coord(value: float) -> str:
    return f"{value:.6f}"


def _round(geoms: Any) -> Any:
    return shapely.transform(geoms, lambda c: np.round(c, COORDINATE_DECIMALS))


_REASON = re.compile(r"^(?P<reason>.*?)\s*\[(?P<x>[-+\d.eE]+)\s+(?P<y>[-+\d.eE]+)\]\s*$")


def _validity_error(geom: Any) -> GeometryError:
    reason = shapely.is_valid_reason(geom)
    match = _REASON.match(reason or "")
    name, lon, lat = reason, "?", "?"
    if match:
        name, lon, lat = match["reason"], _fmt_coord(float(match["x"])), _fmt_coord(float(match["y"]))
    params = {"reason": name, "lon": lon, "lat": lat}
    lowered = name.lower()
    if "self-intersection" in lowered:
        return GeometryError("self_intersection", params)
    if "too few points" in lowered:
        return GeometryError("too_few_points", params)
    return GeometryError("invalid", params)


# ------------------------------------------------------------------------------------------------ checking
def geometry_check(geojson: dict | str | Any, *, stated_area_m2: Decimal | None = None) -> GeometryInfo:
    """Validate one geometry (see the module docstring for the rules); raises GeometryError."""
    outcome = geometries_check([geojson], [stated_area_m2])[0]
    if isinstance(outcome, GeometryError):
        raise outcome
    return outcome


def geometries_check(
    values: Sequence[Any], stated_areas_m2: Sequence[Decimal | float | None] | None = None
) -> list[GeometryInfo | GeometryError]:
    """Validate many geometries at once (shapely array functions); one GeometryInfo or GeometryError each."""
    checked = geometries_checked(values, stated_areas_m2)
    out: list[GeometryInfo | GeometryError] = []
    for i, error in enumerate(checked.errors):
        if error is not None:
            out.append(error)
            continue
        out.append(
            GeometryInfo(
                geometry=json.loads(checked.geojson[i]),
                area_m2=None if np.isnan(checked.area_m2[i]) else Decimal(f"{checked.area_m2[i]:.2f}"),
                longitude=_dec(checked.longitude[i]),
                latitude=_dec(checked.latitude[i]),
                min_lon=_dec(checked.bounds[i, 0]),
                min_lat=_dec(checked.bounds[i, 1]),
                max_lon=_dec(checked.bounds[i, 2]),
                max_lat=_dec(checked.bounds[i, 3]),
                district_code=checked.district_code[i],
            )
        )
    return out


@dataclass
class CheckedGeometries:
    """Column-wise outcome of ``geometries_checked``: ``errors[i]`` is None for an accepted geometry, whose
    normalised GeoJSON text, area (NaN for a point), centroid, bounds and district are in the arrays."""

    errors: list[GeometryError | None]
    geojson: np.ndarray
    area_m2: np.ndarray
    longitude: np.ndarray
    latitude: np.ndarray
    bounds: np.ndarray
    district_code: np.ndarray


def _parse_many(values: Sequence[Any], errors: list[GeometryError | None]) -> np.ndarray:
    """Shapely geometries (None where ``errors`` got the reason); GeoJSON text is parsed in one GEOS call."""
    n = len(values)
    parsed = np.full(n, None, dtype=object)
    texts = [i for i, v in enumerate(values) if isinstance(v, str) and v.lstrip().startswith("{")]
    if texts:
        parsed[texts] = shapely.from_geojson(np.asarray([values[i] for i in texts], dtype=object), on_invalid="ignore")
    for i, value in enumerate(values):
        if parsed[i] is not None:
            continue
        try:
            parsed[i] = _parse_one(value)
        except GeometryError as error:
            errors[i] = error
    return parsed


def geometries_checked(
    values: Sequence[Any], stated_areas_m2: Sequence[Decimal | float | None] | None = None
) -> CheckedGeometries:
    """The vectorised core of the checks (for imports and the demo: no per-row GeoJSON objects)."""
    n = len(values)
    stated = list(stated_areas_m2) if stated_areas_m2 is not None else [None] * n
    errors: list[GeometryError | None] = [None] * n
    parsed = _parse_many(values, errors)
    result = CheckedGeometries(
        errors=errors,
        geojson=np.full(n, None, dtype=object),
        area_m2=np.full(n, np.nan),
        longitude=np.full(n, np.nan),
        latitude=np.full(n, np.nan),
        bounds=np.full((n, 4), np.nan),
        district_code=np.full(n, None, dtype=object),
    )
    ok = np.flatnonzero(parsed != None)  # noqa: E711
    if ok.size:
        geoms = _round(parsed[ok])
        parsed[ok] = geoms
        type_ids = shapely.get_type_id(geoms)
        for j in np.flatnonzero(~np.isin(type_ids, list(_TYPE_IDS))):
            errors[ok[j]] = GeometryError("unsupported_type", {"type": _TYPE_NAMES.get(int(type_ids[j]), "?")})
        empty = shapely.is_empty(geoms)
        for j in np.flatnonzero(empty):
            errors[ok[j]] = errors[ok[j]] or GeometryError("empty")
        bounds = shapely.bounds(geoms)
        off_map = (np.abs(bounds[:, [0, 2]]) > 180).any(axis=1) | (np.abs(bounds[:, [1, 3]]) > 90).any(axis=1)
        for j in np.flatnonzero(off_map & ~empty):
            lon = bounds[j, 0] if abs(bounds[j, 0]) > 180 else bounds[j, 2]
            lat = bounds[j, 1] if abs(bounds[j, 1]) > 90 else bounds[j, 3]
            errors[ok[j]] = errors[ok[j]] or GeometryError(
                "bad_coordinates", {"lon": _fmt_coord(lon), "lat": _fmt_coord(lat)}
            )
        valid = shapely.is_valid(geoms)
        for j in np.flatnonzero(~valid & ~empty):
            errors[ok[j]] = errors[ok[j]] or _validity_error(geoms[j])
    todo = np.asarray([i for i in ok if errors[i] is None], dtype=int)
    if todo.size:
        _check_placed(parsed, todo, stated, result)
    return result


_TYPE_NAMES = {
    0: "Point",
    1: "LineString",
    2: "LinearRing",
    3: "Polygon",
    4: "MultiPoint",
    5: "MultiLineString",
    6: "MultiPolygon",
    7: "GeometryCollection",
}


def _check_placed(parsed: np.ndarray, todo: np.ndarray, stated: list[Any], result: CheckedGeometries) -> None:
    """Inside-Shanghai and area checks of valid geometries; fills the arrays of the accepted ones."""
    errors = result.errors
    geoms = parsed[todo]
    metric = _projected(geoms)
    city, grown = _shanghai_projected()
    inside = shapely.covered_by(metric, grown)
    areas = shapely.area(metric)
    centroids = shapely.centroid(geoms)
    cx, cy = shapely.get_x(centroids), shapely.get_y(centroids)
    for j in np.flatnonzero(~inside):
        distance = float(shapely.distance(metric[j], city))
        if distance > SHANGHAI_BUFFER_M or areas[j] == 0:
            errors[todo[j]] = GeometryError(
                "outside_shanghai",
                {"distance_km": f"{distance / 1000:,.1f}", "lon": _fmt_coord(cx[j]), "lat": _fmt_coord(cy[j])},
            )
        else:
            share = 100 * float(shapely.area(shapely.difference(metric[j], city))) / float(areas[j])
            errors[todo[j]] = GeometryError(
                "partly_outside_shanghai",
                {
                    "share_pct": f"{share:.1f}",
                    "distance_m": f"{_farthest_outside_m(metric[j], city):,.0f}",
                    "buffer_m": f"{SHANGHAI_BUFFER_M:,.0f}",
                },
            )
    is_point = shapely.get_type_id(geoms) == 0
    areas = np.where(is_point, np.nan, np.round(areas, 2))
    for j in np.flatnonzero(inside & ~is_point):
        claimed = stated[todo[j]]
        if claimed is None or claimed == "" or (isinstance(claimed, float) and math.isnan(claimed)):
            continue
        claimed = Decimal(str(claimed))
        area = Decimal(f"{areas[j]:.2f}")
        tolerance = max(area * AREA_TOLERANCE_SHARE, AREA_TOLERANCE_MIN_M2)
        if abs(claimed - area) > tolerance:
            errors[todo[j]] = GeometryError(
                "area_mismatch",
                {
                    "stated_m2": f"{claimed:,.2f}",
                    "computed_m2": f"{area:,.2f}",
                    "difference_pct": f"{100 * abs(claimed - area) / area:.1f}" if area else "∞",
                    "tolerance_pct": f"{100 * AREA_TOLERANCE_SHARE:.0f}",
                    "tolerance_min_m2": f"{AREA_TOLERANCE_MIN_M2:,.0f}",
                },
            )
    accepted = np.asarray([j for j in range(len(todo)) if errors[todo[j]] is None], dtype=int)
    if not accepted.size:
        return
    rows = todo[accepted]
    result.geojson[rows] = shapely.to_geojson(geoms[accepted])
    result.area_m2[rows] = areas[accepted]
    result.longitude[rows] = np.round(cx[accepted], COORDINATE_DECIMALS)
    result.latitude[rows] = np.round(cy[accepted], COORDINATE_DECIMALS)
    result.bounds[rows] = shapely.bounds(geoms[accepted])
    result.district_code[rows] = district_codes_at(cx[accepted], cy[accepted], nearest=True)


def _farthest_outside_m(metric_geom: Any, city: Any) -> float:
    """How far the farthest vertex of a geometry lies from the city (metres)."""
    coords = shapely.get_coordinates(metric_geom)
    return float(shapely.distance(city, shapely.points(coords)).max()) if len(coords) else 0.0


def _dec(value: float) -> Decimal:
    return Decimal(str(round(float(value), COORDINATE_DECIMALS))).quantize(_Q)


def geometry_apply(obj: Any, info: GeometryInfo) -> None:
    """Set ``obj``'s geometry, centroid and bounding box from a checked geometry (the caller saves)."""
    obj.geometry = info.geometry
    obj.longitude, obj.latitude = info.longitude, info.latitude
    obj.min_lon, obj.min_lat, obj.max_lon, obj.max_lat = info.min_lon, info.min_lat, info.max_lon, info.max_lat
