"""Reference places of the land app: real parks and strategic areas from fixtures/reference/land/ (idempotent).

Names, districts, kinds, published areas, sources and confidence tags are facts from the reference files
(statistics-and-data.md §2.2-2.3).  Boundaries are not: no surveyed boundary was available, so each one is
**schematic** and stored with ``synthetic=True`` for the UI to label — a disc of the stated area around a
documented approximate centre, clipped to the place's districts and grown (bisection on the radius) until the
clipped area equals the stated area, so the boundary passes the area check of ``land.geometry``; a
transformation area is drawn as its whole district.  A park without a published area keeps ``area_km2`` empty
and is drawn at the file's ``schematic_area_km2``.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import shapely
import yaml
from shapely import affinity

from industria.accounts.models import District
from industria.enterprises.models import IndustryGroup
from industria.land.geometry import area_m2_of, geometry_apply, geometry_check, metres_per_degree, shanghai_districts
from industria.land.models import Park, StrategicArea

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reference" / "land"
DISC_SEGMENTS = 16  # quarter-circle segments of a schematic disc (64-gon: within 0.2 % of a circle's area)
BISECTION_STEPS = 40
AREA_PRECISION = 0.001  # relative precision of a schematic boundary's area


def read_reference(name: str) -> Any:
    return yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))


def parks_reference() -> list[dict[str, Any]]:
    """The reference parks (parks.yaml), as written."""
    return list(read_reference("parks.yaml")["parks"])


def strategic_areas_reference() -> list[dict[str, Any]]:
    """The reference strategic areas (strategic-areas.yaml), as written."""
    return list(read_reference("strategic-areas.yaml")["strategic_areas"])


def _disc(lon: float, lat: float, radius_m: float) -> Any:
    kx, ky = metres_per_degree(lat)
    unit = shapely.Point(lon, lat).buffer(1.0, quad_segs=DISC_SEGMENTS)
    return affinity.scale(unit, xfact=radius_m / kx, yfact=radius_m / ky, origin=(lon, lat))


def schematic_boundary(centre: tuple[float, float], area_km2: float, district_codes: list[str]) -> Any:
    """A disc around ``centre`` clipped to the districts, whose clipped area is ``area_km2`` (within 0.1 %).

    When the districts hold less than the area (it cannot happen with the reference files), the whole of the
    districts is returned."""
    lon, lat = centre
    clip = shapely.union_all([shanghai_districts()[code] for code in district_codes])
    target = area_km2 * 1_000_000
    low, high = 0.0, (target / 3.14159) ** 0.5
    while area_m2_of(shapely.intersection(_disc(lon, lat, high), clip)) < target:
        high *= 1.5
        if high > 200_000:
            return clip
    shape = None
    for _step in range(BISECTION_STEPS):
        middle = (low + high) / 2
        shape = shapely.intersection(_disc(lon, lat, middle), clip)
        area = area_m2_of(shape)
        if abs(area - target) <= AREA_PRECISION * target:
            break
        low, high = (middle, high) if area < target else (low, middle)
    return _largest_polygons(shape)


def _largest_polygons(geom: Any) -> Any:
    """Drop slivers a clip leaves (points, lines) so that the boundary is a Polygon or MultiPolygon."""
    parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if len(parts) > 1 else parts[0]


def _to_geojson(geom: Any) -> str:
    return shapely.to_geojson(geom)


def _groups(codes: list[str]) -> list[IndustryGroup]:
    return list(IndustryGroup.objects.filter(code__in=codes))


def reference_parks_load() -> int:
    """Create or update the reference parks (matched on ``code``); returns the number of parks."""
    districts = {d.code: d for d in District.objects.all()}
    count = 0
    for item in parks_reference():
        published = item.get("area_km2")
        drawn = float(published if published is not None else item["schematic_area_km2"])
        boundary = schematic_boundary(tuple(item["centre"]), drawn, [item["district"]])
        stated = Decimal(str(published)) * 1_000_000 if published is not None else None
        info = geometry_check(_to_geojson(boundary), stated_area_m2=stated)
        park = Park.objects.filter(code=item["code"]).first() or Park(code=item["code"])
        park.name_zh, park.name_en = item["name_zh"], item.get("name_en", "")
        park.district = districts[item["district"]]
        park.kind = item["kind"]
        park.area_km2 = Decimal(str(published)) if published is not None else None
        park.source = item.get("source", "")
        park.confidence = item.get("confidence", "")
        park.synthetic = True  # the boundary is schematic
        geometry_apply(park, info)
        park.full_clean()
        park.save()
        park.lead_groups.set(_groups(item.get("lead_groups", [])))
        count += 1
    return count


def reference_strategic_areas_load() -> int:
    """Create or update the reference strategic areas (matched on ``code``); returns their number."""
    districts = {d.code: d for d in District.objects.all()}
    count = 0
    for item in strategic_areas_reference():
        codes = [str(c) for c in item["districts"]]
        published = item.get("area_km2")
        if item.get("whole_district"):
            boundary = _largest_polygons(shapely.union_all([shanghai_districts()[c] for c in codes]))
        else:
            boundary = schematic_boundary(tuple(item["centre"]), float(published), codes)
        stated = Decimal(str(published)) * 1_000_000 if published is not None else None
        info = geometry_check(_to_geojson(boundary), stated_area_m2=stated)
        area = StrategicArea.objects.filter(code=item["code"]).first() or StrategicArea(code=item["code"])
        area.name_zh, area.name_en = item["name_zh"], item.get("name_en", "")
        area.kind = item["kind"]
        area.area_km2 = Decimal(str(published)) if published is not None else None
        area.source = item.get("source", "")
        area.confidence = item.get("confidence", "")
        area.synthetic = True
        geometry_apply(area, info)
        area.full_clean()
        area.save()
        area.districts.set([districts[c] for c in codes])
        count += 1
    return count
