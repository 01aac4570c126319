"""GeoJSON writing for the map layers: viewport parameters, zoom-dependent simplification, fast serialisation.

Why a module of its own: every layer endpoint answers the same questions (which viewport, how much detail, how
many features) and must build large FeatureCollections quickly.  Features are written as strings from
``values_list`` tuples — no model instances, no serializer per row — and the geometry is reduced to what the
zoom can show:

* ``zoom`` follows the web-map convention: at zoom *z* the world is 256·2^z pixels wide, so one pixel is
  ``360 / (256 · 2^z)`` degrees of longitude.  The client derives it from the visible span.
* The simplification tolerance is one pixel; coordinates are rounded to a quarter of a pixel (2–6 decimals).
  Rounding alone is the simplification for the small polygons of parcels (consecutive duplicate vertices are
  dropped); larger rings (parks, strategic areas) go through shapely's topology-preserving ``simplify``.
* Below a layer's polygon zoom, features are centroids (points), read from the indexed decimal columns without
  touching the geometry at all.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils.translation import gettext as _

GEOJSON = "application/geo+json; charset=utf-8"
PROBLEM = "application/problem+json"
SHANGHAI_BBOX = (120.8, 30.6, 122.2, 31.9)
DEFAULT_ZOOM = 9
MAX_ZOOM = 20
SHAPELY_MIN_VERTICES = 32  # rings with fewer vertices are only rounded (cheap); longer ones are simplified
_DUMPS = DjangoJSONEncoder(ensure_ascii=False, separators=(",", ":")).encode  # lazy labels → str


class ParamError(Exception):
    """A bad query parameter: answered with problem+json 400 naming the field."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Viewport:
    """The visible bounding box (degrees, WGS-84) and the zoom level."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float
    zoom: int

    @property
    def pixel_deg(self) -> float:
        """One screen pixel in degrees of longitude at this zoom."""
        return 360.0 / (256.0 * 2**self.zoom)

    @property
    def decimals(self) -> int:
        """Coordinate decimals that resolve a quarter of a pixel (2–6)."""
        return max(2, min(6, math.ceil(-math.log10(self.pixel_deg / 4))))


def parse_viewport(params: Mapping[str, str]) -> Viewport:
    """``bbox=minLon,minLat,maxLon,maxLat`` (default: all of Shanghai) and ``zoom`` (0–20, default 9)."""
    raw = (params.get("bbox") or "").strip()
    if raw:
        parts = raw.split(",")
        if len(parts) != 4:
            raise ParamError("bbox", _("bbox must be four numbers: minLon,minLat,maxLon,maxLat."))
        try:
            min_lon, min_lat, max_lon, max_lat = (float(p) for p in parts)
        except ValueError:
            raise ParamError("bbox", _("bbox must be four numbers: minLon,minLat,maxLon,maxLat.")) from None
        if not all(math.isfinite(v) for v in (min_lon, min_lat, max_lon, max_lat)):
            raise ParamError("bbox", _("bbox must be four finite numbers."))
        if not (-180 <= min_lon < max_lon <= 180 and -90 <= min_lat < max_lat <= 90):
            raise ParamError(
                "bbox", _("bbox must have minLon < maxLon and minLat < maxLat, within −180…180 and −90…90.")
            )
    else:
        min_lon, min_lat, max_lon, max_lat = SHANGHAI_BBOX
    zoom = parse_int(params, "zoom", default=DEFAULT_ZOOM, minimum=0, maximum=MAX_ZOOM)
    return Viewport(min_lon, min_lat, max_lon, max_lat, zoom)


def parse_int(params: Mapping[str, str], field: str, *, default: int | None, minimum: int, maximum: int) -> int | None:
    """An integer parameter within bounds, or ``default`` when absent."""
    raw = (params.get(field) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError(field, _("%(field)s must be a whole number.") % {"field": field}) from None
    if not minimum <= value <= maximum:
        raise ParamError(
            field,
            _("%(field)s must be between %(min)s and %(max)s.") % {"field": field, "min": minimum, "max": maximum},
        )
    return value


def parse_choice(params: Mapping[str, str], field: str, choices: Iterable[str]) -> str:
    """A parameter that must be one of ``choices`` ('' when absent)."""
    raw = (params.get(field) or "").strip()
    allowed = list(choices)
    if raw and raw not in allowed:
        raise ParamError(
            field, _("%(field)s must be one of: %(choices)s.") % {"field": field, "choices": ", ".join(allowed)}
        )
    return raw


# ------------------------------------------------------------------------------------------------ geometry


def _round_ring(ring: list[list[float]], decimals: int) -> list[list[float]]:
    out: list[list[float]] = []
    last: tuple[float, float] | None = None
    for point in ring:
        p = (round(point[0], decimals), round(point[1], decimals))
        if p != last:
            out.append([p[0], p[1]])
            last = p
    if len(out) >= 2 and out[0] != out[-1]:
        out.append(list(out[0]))
    return out


def _vertex_count(geometry: dict[str, Any]) -> int:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return sum(len(r) for r in coords)
    if kind == "MultiPolygon":
        return sum(len(r) for poly in coords for r in poly)
    return 1


def simplify(geometry: dict[str, Any] | None, viewport: Viewport) -> dict[str, Any] | None:
    """The geometry as the zoom can show it: 1-pixel tolerance, quarter-pixel precision; rings that collapse
    below a triangle are dropped (a polygon that vanishes entirely returns None: the caller draws its centroid)."""
    if not geometry:
        return None
    kind = geometry.get("type")
    decimals = viewport.decimals
    if kind == "Point":
        x, y = geometry["coordinates"][:2]
        return {"type": "Point", "coordinates": [round(x, decimals), round(y, decimals)]}
    if kind not in ("Polygon", "MultiPolygon"):
        return None
    if _vertex_count(geometry) > SHAPELY_MIN_VERTICES:
        import shapely
        from shapely.geometry import mapping, shape

        simplified = shapely.simplify(shape(geometry), viewport.pixel_deg, preserve_topology=True)
        if simplified.is_empty:
            return None
        geometry = mapping(simplified)
        kind = geometry["type"]
    polys = [geometry["coordinates"]] if kind == "Polygon" else list(geometry["coordinates"])
    out = []
    for poly in polys:
        rings = [_round_ring([list(p) for p in ring], decimals) for ring in poly]
        if not rings or len(rings[0]) < 4:
            continue
        out.append([r for r in rings if len(r) >= 4])
    if not out:
        return None
    if len(out) == 1:
        return {"type": "Polygon", "coordinates": out[0]}
    return {"type": "MultiPolygon", "coordinates": out}


_NUMBER_TAILS = {d: re.compile(r"(\.\d{" + str(d) + r"})\d+") for d in range(2, 7)}
LONG_GEOMETRY_CHARS = 900  # ≈ 32 vertices of 6-decimal coordinates: longer geometries are parsed and simplified


def simplify_text(text: str, viewport: Viewport) -> str | None:
    """``simplify`` for geometry stored as GeoJSON text, without parsing it when it is short: the coordinates are
    cut to the zoom's precision by one regular-expression pass over the text (a cut, not a rounding: the error
    stays under a quarter pixel).  Long geometries go through ``simplify`` (shapely)."""
    if not text:
        return None
    if len(text) > LONG_GEOMETRY_CHARS:
        geometry = simplify(json.loads(text), viewport)
        return None if geometry is None else _DUMPS(geometry)
    if viewport.decimals >= 6:
        return text  # stored with 6 decimals already
    return _NUMBER_TAILS[viewport.decimals].sub(r"\1", text)


def point(lon: Any, lat: Any, decimals: int = 6) -> dict[str, Any] | None:
    """A GeoJSON point from decimal columns (None when either is missing)."""
    if lon is None or lat is None:
        return None
    return {"type": "Point", "coordinates": [round(float(lon), decimals), round(float(lat), decimals)]}


# ---------------------------------------------------------------------------------------------- collections


def feature(fid: str, geometry: dict[str, Any] | str | None, properties: dict[str, Any]) -> str | dict[str, Any]:
    """One feature: a dict when the geometry is a dict (encoded later with all the others in one C-level
    ``json`` call — a per-feature encode costs more than the whole layer's query), else a JSON string around the
    pre-serialised geometry text."""
    if not isinstance(geometry, str):
        return {"type": "Feature", "id": fid, "geometry": geometry, "properties": properties}
    return f'{{"type":"Feature","id":{_DUMPS(fid)},"geometry":{geometry},"properties":{_DUMPS(properties)}}}'


def collection(features: list[str | dict[str, Any]], **members: Any) -> str:
    """A FeatureCollection with foreign members (layer, truncated, limit, zoom, legend…); feature order is kept."""
    extra = "".join(f",{_DUMPS(k)}:{_DUMPS(v)}" for k, v in members.items())
    parts: list[str] = []
    batch: list[dict[str, Any]] = []
    for item in features:
        if isinstance(item, dict):
            batch.append(item)
            continue
        if batch:
            parts.append(_DUMPS(batch)[1:-1])
            batch = []
        parts.append(item)
    if batch:
        parts.append(_DUMPS(batch)[1:-1])
    return '{{"type":"FeatureCollection"{},"features":[{}]}}'.format(extra, ",".join(parts))


def respond(request: HttpRequest, body: str, *, content_type: str = GEOJSON, public: bool = False) -> HttpResponse:
    """The response with an ETag (hash of the body) and short caching; 304 when the client has it already."""
    data = body.encode()
    etag = f'"{hashlib.blake2b(data, digest_size=12).hexdigest()}"'
    vary = "Cookie, Accept-Language"
    cache = "public, max-age=300" if public else "private, max-age=60"
    if etag in [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]:
        response: HttpResponse = HttpResponseNotModified()
    else:
        response = HttpResponse(data, content_type=content_type)
    response["ETag"] = etag
    response["Cache-Control"] = cache
    response["Vary"] = vary
    return response


def problem_response(error: ParamError) -> HttpResponse:
    """problem+json 400 naming the bad parameter (same shape as core.api's exception handler)."""
    body = {
        "type": "urn:industria:error:invalid",
        "title": _("The input is not valid."),
        "status": 400,
        "code": "invalid",
        "detail": f"{error.field}: {error.message}",
        "errors": [{"field": error.field, "code": "invalid", "message": error.message}],
    }
    return HttpResponse(_DUMPS(body), status=400, content_type=PROBLEM)


def forbidden_response() -> HttpResponse:
    """problem+json 403 for a layer the anonymous public may not read."""
    body = {
        "type": "urn:industria:error:not_authenticated",
        "title": _("Authentication required."),
        "status": 403,
        "code": "not_authenticated",
        "detail": _("Sign in to see this layer."),
    }
    return HttpResponse(_DUMPS(body), status=403, content_type=PROBLEM)
