"""The demo land at tiny scale (the CI smoke runs it): fast, valid, calibrated, idempotent."""

from __future__ import annotations

import time

import pytest
import shapely

from industria.enterprises.demo import synthetic_city_load
from industria.land.demo import SCALES, land_demo_load
from industria.land.geometry import geometries_checked
from industria.land.models import LandUse, Parcel, Park, RevitalisationAction, RevitalisationTarget, StrategicArea
from industria.land.reference import parks_reference, strategic_areas_reference

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_land() -> dict:
    synthetic_city_load(scale="tiny", seed=7, monthly=False)
    started = time.perf_counter()
    counts = land_demo_load(scale="tiny", seed=7)
    counts["elapsed"] = time.perf_counter() - started
    return counts


def test_tiny_demo_is_fast_and_complete(tiny_land: dict) -> None:
    assert tiny_land["elapsed"] < 20
    assert Parcel.objects.filter(synthetic=True).count() == SCALES["tiny"]
    assert Park.objects.filter(code__in=[p["code"] for p in parks_reference()]).count() == len(parks_reference())
    assert StrategicArea.objects.count() == len(strategic_areas_reference())
    statuses = set(Parcel.objects.values_list("status", flat=True))
    assert {"in_use", "idle", "available", "under_construction"} <= statuses
    assert LandUse.objects.exists()
    assert RevitalisationTarget.objects.filter(synthetic=True).exists()
    assert RevitalisationAction.objects.filter(status="completed").exists()
    assert Parcel.objects.exclude(agreed_output_cny_per_mu=None).exists()  # standard-land clauses


def test_demo_parcels_pass_the_geometry_checks_in_their_district(tiny_land: dict) -> None:
    rows = list(Parcel.objects.values_list("geometry", "area_m2", "district__code"))
    checked = geometries_checked([shapely.to_geojson(shapely.from_geojson(_j(g))) for g, _a, _d in rows],
                                 [a for _g, a, _d in rows])  # fmt: skip
    assert [e for e in checked.errors if e is not None] == []
    assert list(checked.district_code) == [d for _g, _a, d in rows]


def test_reference_boundaries_are_schematic_with_published_areas(tiny_land: dict) -> None:
    park = Park.objects.get(code="SH-CP-IC-ZJ")
    assert park.synthetic
    assert float(park.area_km2) == 4
    lingang = StrategicArea.objects.get(code="LINGANG")
    assert lingang.synthetic
    assert float(lingang.area_km2) == 873
    assert lingang.geometry["type"] in ("Polygon", "MultiPolygon")


def test_land_uses_follow_the_enterprises_land_facts(tiny_land: dict) -> None:
    from industria.enterprises.models import EnterpriseYearFact

    use = LandUse.objects.select_related("parcel").order_by("pk").first()
    fact = EnterpriseYearFact.objects.get(enterprise=use.enterprise_id, year=use.year)
    used = use.used_area_m2 if use.used_area_m2 is not None else use.parcel.area_m2
    assert float(used) == pytest.approx(float(fact.land_area_mu) * 666.6667, rel=0.01)


def test_reseeding_replaces_the_synthetic_land(tiny_land: dict) -> None:
    first = sorted(Parcel.objects.values_list("parcel_code", flat=True))
    land_demo_load(scale="tiny", seed=7)
    assert sorted(Parcel.objects.values_list("parcel_code", flat=True)) == first
    assert Parcel.objects.count() == SCALES["tiny"]


def _j(value: object) -> str:
    import json

    return value if isinstance(value, str) else json.dumps(value)
