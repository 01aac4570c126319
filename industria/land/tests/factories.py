"""Factories of the land app (used by the land, maps and projects tests).

``ParcelFactory`` draws a valid square of ``side_m`` metres inside a real district polygon (default Pudong) and
fills geometry, centroid, bounding box, area in m² and mu through ``land.geometry`` — exactly as the import and
the services do — so a factory parcel passes every geometry check.  Squares of successive parcels of a district
are laid on a grid around the district's interior point, so they do not overlap.  ``ParkFactory`` and
``StrategicAreaFactory`` do the same with a larger square (``side_m``).  Pass ``geometry=None`` for a parcel
without geometry, or ``lon``/``lat`` to place the square's centre.
"""

from __future__ import annotations

import itertools
import json
from datetime import date
from decimal import Decimal
from typing import Any

import factory
import shapely

from industria.accounts.models import District
from industria.enterprises.tests.factories import EnterpriseFactory
from industria.land.choices import (
    ActionKind,
    ActionStatus,
    InefficiencyKind,
    LandUseClass,
    ParcelStatus,
    ParkKind,
    StrategicAreaKind,
)
from industria.land.geometry import geometry_apply, geometry_check, metres_per_degree, shanghai_districts
from industria.land.models import (
    M2_PER_MU,
    LandUse,
    Parcel,
    Park,
    RevitalisationAction,
    RevitalisationTarget,
    StrategicArea,
)

DEFAULT_DISTRICT = "310115"
_UNSET: Any = object()
_slots: dict[str, itertools.count] = {}


def district(code: str = DEFAULT_DISTRICT) -> District:
    """A district of the reference list (loaded by migration)."""
    return District.objects.get(code=code)


def square(lon: float, lat: float, side_m: float) -> dict[str, Any]:
    """A GeoJSON square of ``side_m`` metres centred on (lon, lat)."""
    kx, ky = metres_per_degree(lat)
    dx, dy = side_m / 2 / kx, side_m / 2 / ky
    ring = [
        [lon - dx, lat - dy],
        [lon + dx, lat - dy],
        [lon + dx, lat + dy],
        [lon - dx, lat + dy],
        [lon - dx, lat - dy],
    ]
    return {"type": "Polygon", "coordinates": [[[round(x, 6), round(y, 6)] for x, y in ring]]}


def square_in_district(code: str, side_m: float, slot: int | None = None) -> dict[str, Any]:
    """A square inside district ``code``; successive slots walk a grid (spacing 2×side) around an interior
    point, skipping squares that would leave the district."""
    geom = shanghai_districts()[code]
    anchor = shapely.point_on_surface(geom)
    lon0, lat0 = anchor.x, anchor.y
    kx, ky = metres_per_degree(lat0)
    counter = _slots.setdefault(code, itertools.count())
    for _attempt in range(2000):
        n = next(counter) if slot is None else slot
        slot = None
        cell_x, cell_y = _spiral(n)
        candidate = square(lon0 + cell_x * 2 * side_m / kx, lat0 + cell_y * 2 * side_m / ky, side_m)
        if shapely.contains(geom, shapely.from_geojson(json.dumps(candidate))):
            return candidate
    raise RuntimeError(f"no room for a {side_m} m square in district {code}")


def _spiral(n: int) -> tuple[int, int]:
    """The n-th cell of a square spiral around (0, 0)."""
    if n == 0:
        return 0, 0
    k = 1
    while (2 * k + 1) ** 2 <= n:
        k += 1
    cells = [(x, y) for x in range(-k, k + 1) for y in range(-k, k + 1) if max(abs(x), abs(y)) == k]
    return cells[(n - (2 * k - 1) ** 2) % len(cells)]


class _Located(factory.django.DjangoModelFactory):
    """Fills geometry/centroid/bbox (and the area fields the model has) from a checked square."""

    class Meta:
        abstract = True

    @classmethod
    def _place(cls, kwargs: dict[str, Any], code: str, side_m: float, area_field: str | None) -> dict[str, Any]:
        geometry = kwargs.pop("geometry", _UNSET)
        lon, lat = kwargs.pop("lon", None), kwargs.pop("lat", None)
        if geometry is None:
            return kwargs
        if geometry is _UNSET:
            geometry = square(lon, lat, side_m) if lon is not None else square_in_district(code, side_m)
        info = geometry_check(geometry)
        holder = type("Holder", (), {})()
        geometry_apply(holder, info)
        for name in ("geometry", "longitude", "latitude", "min_lon", "min_lat", "max_lon", "max_lat"):
            kwargs.setdefault(name, getattr(holder, name))
        if area_field == "area_m2" and info.area_m2 is not None:
            kwargs.setdefault("area_m2", info.area_m2)
        elif area_field == "area_km2" and info.area_m2 is not None:
            kwargs.setdefault("area_km2", (info.area_m2 / Decimal(1_000_000)).quantize(Decimal("0.0001")))
        return kwargs


class ParkFactory(_Located):
    class Meta:
        model = Park
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-PARK-{n:03d}")
    name_zh = factory.Sequence(lambda n: f"测试产业园{n}")
    name_en = factory.Sequence(lambda n: f"Test industrial park {n}")
    district = factory.LazyFunction(district)
    kind = ParkKind.CHARACTERISTIC_PARK
    available_land_mu = Decimal("120.00")
    available_floor_m2 = Decimal("50000.00")
    source = "test"
    confidence = "U"
    synthetic = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        side = kwargs.pop("side_m", 1000)
        return cls._place(kwargs, kwargs["district"].code, side, "area_km2")

    @factory.post_generation
    def lead_groups(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.lead_groups.set(extracted)


class StrategicAreaFactory(_Located):
    class Meta:
        model = StrategicArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"TEST-AREA-{n:03d}")
    name_zh = factory.Sequence(lambda n: f"测试战略区域{n}")
    name_en = factory.Sequence(lambda n: f"Test strategic area {n}")
    kind = StrategicAreaKind.NEW_CITY
    source = "test"
    confidence = "U"
    synthetic = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        side = kwargs.pop("side_m", 3000)
        code = kwargs.pop("district_code", DEFAULT_DISTRICT)
        return cls._place(kwargs, code, side, "area_km2")

    @factory.post_generation
    def districts(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.districts.set(extracted)


class ParcelFactory(_Located):
    """A parcel with a valid ``side_m`` (default 100 m, i.e. ≈1 ha ≈ 15 mu) square inside its district."""

    class Meta:
        model = Parcel
        django_get_or_create = ("parcel_code",)

    parcel_code = factory.Sequence(lambda n: f"TEST-P-{n:05d}")
    district = factory.LazyFunction(district)
    park = None
    land_use_class = LandUseClass.INDUSTRIAL
    floor_area_ratio = Decimal("2.00")
    status = ParcelStatus.IN_USE
    approved_on = date(2015, 3, 1)
    transfer_on = date(2015, 9, 1)
    term_years = 20
    construction_started_on = date(2016, 1, 15)
    completed_on = date(2017, 6, 30)
    producing_on = date(2017, 10, 1)
    developed_share = Decimal("0.9000")
    synthetic = True

    @classmethod
    def _adjust_kwargs(cls, **kwargs: Any) -> dict[str, Any]:
        side = kwargs.pop("side_m", 100)
        kwargs = cls._place(kwargs, kwargs["district"].code, side, "area_m2")
        kwargs.setdefault("area_m2", Decimal(side * side).quantize(Decimal("0.01")))
        kwargs.setdefault("area_mu", (Decimal(kwargs["area_m2"]) / M2_PER_MU).quantize(Decimal("0.01")))
        return kwargs


class LandUseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LandUse

    enterprise = factory.SubFactory(EnterpriseFactory)
    parcel = factory.SubFactory(ParcelFactory)
    year = 2024
    used_area_m2 = None


class RevitalisationActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevitalisationAction

    parcel = factory.SubFactory(ParcelFactory, status=ParcelStatus.IDLE)
    kind = ActionKind.RE_LET
    reason = InefficiencyKind.IDLE
    status = ActionStatus.PLANNED
    opened_on = date(2024, 3, 1)
    due_on = date(2025, 3, 1)


class RevitalisationTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RevitalisationTarget
        django_get_or_create = ("district", "year")

    district = factory.LazyFunction(district)
    year = 2024
    target_area_m2 = Decimal("500000.00")
    source = "test"
    confidence = "U"
    synthetic = True
