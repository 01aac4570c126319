"""Viewport parsing and zoom-dependent simplification (no database)."""

from __future__ import annotations

import json

import pytest

from industria.maps import geojson as gj


def test_viewport_defaults_to_shanghai_and_zoom_9() -> None:
    vp = gj.parse_viewport({})
    assert (vp.min_lon, vp.min_lat, vp.max_lon, vp.max_lat) == gj.SHANGHAI_BBOX
    assert vp.zoom == 9


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"bbox": "122,31,121,32"}, "bbox"),
        ({"bbox": "121,31,122,nan"}, "bbox"),
        ({"bbox": "121,31,200,32"}, "bbox"),
        ({"zoom": "x"}, "zoom"),
        ({"zoom": "21"}, "zoom"),
        ({"zoom": "-1"}, "zoom"),
    ],
)
def test_bad_viewport_names_the_field(params: dict, field: str) -> None:
    with pytest.raises(gj.ParamError) as exc:
        gj.parse_viewport(params)
    assert exc.value.field == field


def test_precision_grows_with_zoom() -> None:
    decimals = [gj.Viewport(0, 0, 1, 1, z).decimals for z in (0, 8, 12, 16, 20)]
    assert decimals == sorted(decimals)
    assert decimals[0] == 2
    assert decimals[-1] == 6
    assert gj.Viewport(0, 0, 1, 1, 12).pixel_deg == pytest.approx(360 / (256 * 4096))


def test_simplify_rounds_and_drops_collapsed_rings() -> None:
    square = {
        "type": "Polygon",
        "coordinates": [[[121.1, 31.1], [121.1001, 31.1], [121.1001, 31.1001], [121.1, 31.1001], [121.1, 31.1]]],
    }
    fine = gj.simplify(square, gj.Viewport(0, 0, 1, 1, 16))
    assert fine["type"] == "Polygon"
    assert len(fine["coordinates"][0]) == 5
    # at zoom 6 the 10 m square collapses to a point: the caller draws the centroid instead
    assert gj.simplify(square, gj.Viewport(0, 0, 1, 1, 6)) is None


def test_simplify_large_rings_with_shapely() -> None:
    import math

    ring = [
        [121.5 + 0.05 * math.cos(2 * math.pi * i / 400), 31.2 + 0.05 * math.sin(2 * math.pi * i / 400)]
        for i in range(400)
    ]
    ring.append(ring[0])
    out = gj.simplify({"type": "Polygon", "coordinates": [ring]}, gj.Viewport(0, 0, 1, 1, 9))
    assert out is not None
    assert 4 <= len(out["coordinates"][0]) < 100


def test_collection_is_valid_json_with_foreign_members() -> None:
    body = gj.collection(
        [gj.feature("parcel.1", {"type": "Point", "coordinates": [121.0, 31.0]}, {"name": "地块"})],
        layer="parcels",
        truncated=True,
    )
    data = json.loads(body)
    assert data["type"] == "FeatureCollection"
    assert data["truncated"] is True
    assert data["features"][0]["properties"]["name"] == "地块"


def test_simplify_text_cuts_precision_without_parsing() -> None:
    ring = "[[121.1234567, 31.1234567], [121.2, 31.1], [121.2, 31.2], [121.1234567, 31.1234567]]"
    text = '{"type": "Polygon", "coordinates": [' + ring + "]}"
    out = gj.simplify_text(text, gj.Viewport(0, 0, 1, 1, 12))
    assert json.loads(out)["coordinates"][0][0] == [121.12345, 31.12345]
    assert gj.simplify_text("", gj.Viewport(0, 0, 1, 1, 12)) is None
