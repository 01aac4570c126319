"""Acceptance: invalid geometry, a polygon outside Shanghai and an area mismatch are rejected with clear messages
(in English and in Chinese); valid geometries give area, centroid, bounding box and district."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.utils import translation

from industria.land.geometry import (
    AREA_TOLERANCE_MIN_M2,
    MESSAGES,
    GeometryError,
    area_m2_of,
    district_code_at,
    geometries_check,
    geometry_apply,
    geometry_check,
    shanghai_districts,
)
from industria.land.tests.factories import square

BOW_TIE = {
    "type": "Polygon",
    "coordinates": [[[121.50, 31.20], [121.51, 31.21], [121.51, 31.20], [121.50, 31.21], [121.50, 31.20]]],
}
BEIJING = square(116.397, 39.909, 200)  # Tiananmen
EAST_CHINA_SEA = square(122.60, 31.00, 200)  # ~60 km east of the Nanhui coast
PUDONG = square(121.60, 31.20, 100)  # Zhangjiang, 100 m × 100 m


def _message(error: GeometryError, language: str) -> str:
    with translation.override(language):
        return str(error)


def _is_translated(problem: str) -> bool:
    with translation.override("en"):
        english = str(MESSAGES[problem])
    with translation.override("zh-hans"):
        return str(MESSAGES[problem]) != english


def _check_zh(error: GeometryError, *numbers: str) -> None:
    """The zh-hans message carries the same facts; it is Chinese once the catalogue translates it."""
    text = _message(error, "zh-hans")
    for number in numbers:
        assert number in text
    if _is_translated(error.problem):
        assert re.search(r"[\u4e00-\u9fff]", text)


def test_self_intersecting_bow_tie_is_rejected_with_where_it_crosses() -> None:
    with pytest.raises(GeometryError) as caught:
        geometry_check(BOW_TIE)
    error = caught.value
    assert error.code == "invalid"
    assert error.problem == "self_intersection"
    text = _message(error, "en")
    assert "crosses itself at 121.505000, 31.205000" in text
    assert "bow-tie" in text
    _check_zh(error, "121.505000", "31.205000")


@pytest.mark.parametrize(("geometry", "distance_km"), [(BEIJING, 900), (EAST_CHINA_SEA, 20)])
def test_polygon_outside_shanghai_is_rejected_with_the_distance(geometry: dict, distance_km: int) -> None:
    with pytest.raises(GeometryError) as caught:
        geometry_check(geometry)
    error = caught.value
    assert error.code == "outside_shanghai"
    text = _message(error, "en")
    assert "lies outside Shanghai" in text
    found = float(error.params["distance_km"].replace(",", ""))
    assert found > distance_km
    _check_zh(error, error.params["distance_km"], error.params["lon"])


def test_polygon_straddling_the_border_is_rejected_with_the_share_outside() -> None:
    # a 4 km square centred on the Shanghai/Jiangsu border west of Qingpu (120.90, 31.00 is in Jiangsu)
    geometry = square(120.87, 31.05, 6000)
    with pytest.raises(GeometryError) as caught:
        geometry_check(geometry)
    assert caught.value.code == "outside_shanghai"
    assert "%" in _message(caught.value, "en")


def test_area_mismatch_is_rejected_with_both_areas_and_the_tolerance() -> None:
    with pytest.raises(GeometryError) as caught:
        geometry_check(PUDONG, stated_area_m2=Decimal("12000"))
    error = caught.value
    assert error.code == "area_mismatch"
    text = _message(error, "en")
    assert "12,000.00 m²" in text
    assert f"polygon, {error.params['computed_m2']} m²" in text  # ≈ 10,000 m², the 100 m square
    assert "at most 5% or 100 m²" in text
    _check_zh(error, "12,000.00", error.params["computed_m2"])


def test_area_within_tolerance_is_accepted() -> None:
    info = geometry_check(PUDONG, stated_area_m2=Decimal("10300"))  # 3 % off
    assert float(info.area_m2) == pytest.approx(10_000, rel=1e-3)  # 6-decimal coordinates: ±0.1 m a side
    # a tiny parcel: the 100 m² floor applies instead of 5 %
    small = square(121.60, 31.20, 20)  # 400 m²
    assert geometry_check(small, stated_area_m2=Decimal("400") + AREA_TOLERANCE_MIN_M2 - 1).area_m2


def test_valid_polygon_gives_area_centroid_bbox_and_district() -> None:
    info = geometry_check(PUDONG)
    assert info.district_code == "310115"
    assert info.geometry["type"] == "Polygon"
    assert info.longitude == Decimal("121.600000")
    assert info.latitude == Decimal("31.200000")
    assert info.min_lon < info.longitude < info.max_lon
    assert info.min_lat < info.latitude < info.max_lat
    # 100 m × 100 m within 0.1 %: the equal-area projection
    assert float(info.area_m2) == pytest.approx(10_000, rel=1e-3)

    class Holder:
        pass

    holder = Holder()
    geometry_apply(holder, info)
    assert holder.geometry == info.geometry
    assert holder.min_lat == info.min_lat


def test_point_has_no_area_and_skips_the_area_check() -> None:
    info = geometry_check({"type": "Point", "coordinates": [121.47, 31.23]}, stated_area_m2=Decimal("5"))
    assert info.area_m2 is None
    assert info.district_code in {"310101", "310106"}


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("{not json", "invalid_json"),
        ({"type": "LineString", "coordinates": [[121.5, 31.2], [121.6, 31.3]]}, "unsupported_type"),
        ({"type": "Polygon", "coordinates": [[[121.5, 31.2], [121.6, 31.2], [121.5, 31.2]]]}, "invalid"),
        ("", "invalid_json"),
    ],
)
def test_unreadable_or_unsupported_geometries(value: object, code: str) -> None:
    with pytest.raises(GeometryError) as caught:
        geometry_check(value)  # type: ignore[arg-type]
    assert caught.value.code == code
    assert str(caught.value)


def test_feature_and_wkt_are_accepted() -> None:
    feature = {"type": "Feature", "properties": {}, "geometry": PUDONG}
    assert geometry_check(feature).district_code == "310115"
    assert geometry_check("POINT (121.6 31.2)").district_code == "310115"


def test_batch_check_matches_single_checks() -> None:
    outcomes = geometries_check([PUDONG, BOW_TIE, BEIJING], [None, None, None])
    assert outcomes[0].district_code == "310115"  # type: ignore[union-attr]
    assert isinstance(outcomes[1], GeometryError)
    assert outcomes[1].code == "invalid"
    assert isinstance(outcomes[2], GeometryError)
    assert outcomes[2].code == "outside_shanghai"


def test_districts_and_areas() -> None:
    districts = shanghai_districts()
    assert len(districts) == 16
    # the coarse outline of Minhang (inland, no tidal flats) is within 2 % of its official 370.75 km²
    assert area_m2_of(districts["310112"]) / 1e6 == pytest.approx(370.75, rel=0.02)
    assert district_code_at(121.60, 31.20) == "310115"
    assert district_code_at(116.40, 39.90) is None
