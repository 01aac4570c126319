"""The GeoJSON layer endpoints: viewport, zoom, filters, truncation, scoping, caching, errors."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

PUDONG_PARCEL_BBOX = None


def get(client: Any, url: str, **params: Any) -> Any:
    return client.get(url, params)


def features(response: Any) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/geo+json")
    return json.loads(response.content)["features"]


def around(parcel: Any, pad: float = 0.0001) -> str:
    bounds = (
        float(parcel.min_lon) - pad,
        float(parcel.min_lat) - pad,
        float(parcel.max_lon) + pad,
        float(parcel.max_lat) + pad,
    )
    return ",".join(str(v) for v in bounds)


def test_parcels_polygons_at_high_zoom_points_below(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    high = features(client.get("/api/maps/parcels/", {"bbox": around(world.in_use), "zoom": 15}))
    assert [f["properties"]["code"] for f in high] == ["MAP-INUSE"]
    assert high[0]["geometry"]["type"] == "Polygon"
    low = json.loads(client.get("/api/maps/parcels/", {"zoom": 8}).content)
    assert low["geometry"] == "point"
    assert {f["geometry"]["type"] for f in low["features"]} == {"Point"}
    assert {f["properties"]["code"] for f in low["features"]} >= {"MAP-AVAIL", "MAP-INUSE", "MAP-IDLE", "MAP-MINHANG"}


def test_parcels_carry_the_worst_grade_and_filter_by_it(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    rows = {f["properties"]["code"]: f["properties"] for f in features(client.get("/api/maps/parcels/"))}
    assert rows["MAP-INUSE"]["grade"] == "D"
    assert rows["MAP-MINHANG"]["grade"] == "A"
    assert "grade" not in rows["MAP-AVAIL"]
    only_d = features(client.get("/api/maps/parcels/", {"grade": "D"}))
    assert [f["properties"]["code"] for f in only_d] == ["MAP-INUSE"]
    only_available = features(client.get("/api/maps/parcels/", {"status": "available"}))
    assert [f["properties"]["code"] for f in only_available] == ["MAP-AVAIL"]
    minhang = features(client.get("/api/maps/parcels/", {"district": "310112"}))
    assert [f["properties"]["code"] for f in minhang] == ["MAP-MINHANG"]


def test_truncated_flag_and_limit(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    data = json.loads(client.get("/api/maps/parcels/", {"limit": 2}).content)
    assert data["truncated"] is True
    assert data["limit"] == 2
    assert len(data["features"]) == 2
    data = json.loads(client.get("/api/maps/parcels/", {"limit": 100}).content)
    assert data["truncated"] is False


def test_district_officer_sees_only_their_district(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("district_officer", district_code="310112"))
    codes = {f["properties"]["code"] for f in features(client.get("/api/maps/parcels/"))}
    assert codes == {"MAP-MINHANG"}
    body = client.get("/api/maps/enterprises/", {"zoom": 16}).content.decode()
    assert world.minhang_firm.name_en in body or world.minhang_firm.name_zh in body
    assert world.pudong_firm.name_zh not in body
    assert world.pudong_firm.name_en not in body


def test_enterprises_cluster_at_low_zoom_and_separate_at_high(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    low = features(client.get("/api/maps/enterprises/", {"zoom": 3}))
    assert sum(f["properties"]["count"] for f in low) == 2
    assert all("name" not in f["properties"] for f in low if f["properties"]["count"] > 1)
    high = features(client.get("/api/maps/enterprises/", {"zoom": 16}))
    assert {f["properties"].get("pk") for f in high} == {world.pudong_firm.pk, world.minhang_firm.pk}
    assert all(f["properties"]["url"].startswith("/enterprises/") for f in high)


def test_projects_located_by_parcel_then_park_then_district(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    rows = {f["properties"]["code"]: f for f in features(client.get("/api/maps/projects/"))}
    assert rows["KP-MAP-1"]["properties"]["located_by"] == "parcel"
    assert rows["KP-MAP-1"]["geometry"]["coordinates"] == pytest.approx(
        [float(world.available.longitude), float(world.available.latitude)], abs=1e-3
    )
    assert rows["KP-MAP-2"]["properties"]["located_by"] == "park"
    assert rows["KP-MAP-3"]["properties"]["located_by"] == "district"
    signed = features(client.get("/api/maps/projects/", {"stage": "signed"}))
    assert [f["properties"]["code"] for f in signed] == ["KP-MAP-1"]


def test_parks_and_areas(client: Any, world: Any) -> None:
    parks = features(client.get("/api/maps/parks/", {"zoom": 12}))
    assert [f["properties"]["name"] for f in parks] == ["Zhangjiang Test Park"]
    areas = features(client.get("/api/maps/areas/"))
    assert areas[0]["properties"]["synthetic"] is True
    assert "schematic" in areas[0]["properties"]["label_text"]


def test_labels_follow_the_active_language(client: Any, world: Any) -> None:
    parks = features(client.get("/api/maps/parks/", HTTP_ACCEPT_LANGUAGE="zh-hans"))
    assert parks[0]["properties"]["name"] == "张江测试园"


def test_bbox_outside_returns_nothing(client: Any, world: Any) -> None:
    assert features(client.get("/api/maps/parcels/", {"bbox": "100,10,101,11"})) == []


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/api/maps/parcels/", {"bbox": "x"}, "bbox"),
        ("/api/maps/parcels/", {"bbox": "122,31,121,32"}, "bbox"),
        ("/api/maps/parcels/", {"zoom": "99"}, "zoom"),
        ("/api/maps/parcels/", {"status": "bogus"}, "status"),
        ("/api/maps/parcels/", {"grade": "Z"}, "grade"),
        ("/api/maps/parcels/", {"district": "999999"}, "district"),
        ("/api/maps/parks/", {"group": "abc"}, "group"),
        ("/api/maps/parcels/", {"limit": "0"}, "limit"),
        ("/api/maps/districts/", {"indicator": "bogus"}, "indicator"),
        ("/api/maps/districts/", {"indicator": "tax"}, "indicator"),  # not public
    ],
)
def test_bad_parameters_are_problem_json_naming_the_field(
    client: Any, world: Any, url: str, params: dict, field: str
) -> None:
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    body = json.loads(response.content)
    assert body["errors"][0]["field"] == field


def test_etag_gives_304(client: Any, world: Any) -> None:
    first = client.get("/api/maps/parks/")
    assert first.has_header("ETag")
    assert "max-age" in first["Cache-Control"]
    again = client.get("/api/maps/parks/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304


def test_district_indicators(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))

    def values(indicator: str) -> dict[str, Any]:
        data = json.loads(client.get("/api/maps/districts/", {"indicator": indicator}).content)
        return {v["code"]: v["value"] for v in data["values"]}

    assert values("parcels") == {"310112": 1, "310115": 3}
    assert values("enterprises")["310115"] >= 1
    assert values("gross_output")["310115"] == pytest.approx(9.88, abs=0.01)
    assert values("output_per_mu")["310115"] == pytest.approx(6584.36, abs=0.1)
    assert values("grade_a_share") == {"310112": 100.0, "310115": 0.0}
    assert values("available_land")["310115"] == pytest.approx(float(world.available.area_mu))
    assert values("parks") == {"310115": 1}
    assert values("above_size") == {"310112": 1, "310115": 1}
    assert values("tax")["310112"] == pytest.approx(0.12, abs=0.01)


def test_queries_do_not_grow_with_rows(
    client: Any, world: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    from industria.land.tests.factories import ParcelFactory

    client.force_login(make_user("municipal_analyst"))
    client.get("/api/maps/parcels/")
    for i in range(10):
        ParcelFactory(lon=121.55 + i * 0.003, lat=31.25)
    with django_assert_max_num_queries(12):
        client.get("/api/maps/parcels/", {"zoom": 14})
