"""Who sees what (issue 7, point 7): the public gets parks, strategic areas and available parcels only, and no
enterprise-level figures from ANY map endpoint — acceptance test."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.django_db

FORBIDDEN_KEYS = {
    "grade",
    "grade_year",
    "tax",
    "tax_cny",
    "tax_paid_cny",
    "gross_output",
    "gross_output_cny",
    "output",
    "output_cny",
    "investor",
    "investment_100m_cny",
    "enterprise",
    "enterprises",
}


def keys_of(value: Any) -> set[str]:
    if isinstance(value, dict):
        return set(value) | set().union(*(keys_of(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(keys_of(v) for v in value)) if value else set()
    return set()


def all_map_urls(world: Any) -> list[str]:
    """Every map endpoint and page, with parameters that would reveal the most."""
    from django.urls import reverse

    from industria.maps.api.views import LAYERS
    from industria.maps.selectors import INDICATORS, SUMMARY_KINDS

    urls = []
    for name in LAYERS:
        base = reverse(f"maps-api:{name}")
        for params in ("", "?zoom=3", "?zoom=16", "?zoom=16&colour_by=grade", "?grade=D", "?status=in_use"):
            urls.append(base + params)
    for indicator in INDICATORS:
        urls.append(reverse("maps-api:districts") + f"?indicator={indicator.code}")
    objects = {
        "park": [world.park.pk],
        "area": [world.area.pk],
        "parcel": [world.available.pk, world.in_use.pk, world.idle.pk, world.minhang_parcel.pk],
        "project": [world.project_on_parcel.pk],
        "enterprise": [world.pudong_firm.pk, world.minhang_firm.pk],
        "district": ["310115", "310112"],
    }
    for kind in SUMMARY_KINDS:
        for pk in objects[kind]:
            urls.append(reverse("maps:summary_public", args=[kind, pk]))
            urls.append(reverse("maps:summary", args=[kind, pk]))
    urls += [reverse("maps:public"), reverse("maps:map")]
    return urls


def test_anonymous_users_get_no_enterprise_level_figures_from_any_map_endpoint(client: Any, world: Any) -> None:
    secrets = [*world.enterprise_names, world.in_use.parcel_code, world.minhang_parcel.parcel_code, "987654321"]
    checked = 0
    for url in all_map_urls(world):
        response = client.get(url)
        assert response.status_code in (200, 302, 400, 403, 404), url
        body = response.content.decode()
        for secret in secrets:
            assert secret not in body, f"{secret!r} leaked by {url}"
        if response.status_code == 200 and "json" in response["Content-Type"]:
            leaked = keys_of(json.loads(body)) & FORBIDDEN_KEYS
            assert not leaked, f"{leaked} in {url}"
            checked += 1
    assert checked >= 10


def test_anonymous_gets_only_available_parcels_and_public_layers(client: Any, world: Any) -> None:
    codes = {f["properties"]["code"] for f in json.loads(client.get("/api/maps/parcels/").content)["features"]}
    assert codes == {"MAP-AVAIL"}
    assert client.get("/api/maps/enterprises/").status_code == 403
    assert client.get("/api/maps/projects/").status_code == 403
    assert client.get("/api/maps/parks/").status_code == 200
    assert client.get("/api/maps/areas/").status_code == 200
    indicators = json.loads(client.get("/api/maps/districts/?indicator=parks").content)["indicators"]
    assert {i["code"] for i in indicators} == {"parcels", "available_land", "parks"}


def test_the_public_page_offers_public_layers_only(client: Any, world: Any) -> None:
    response = client.get("/map/public/")
    assert response.status_code == 200
    html = response.content.decode()
    config = json.loads(html.split('id="imap-config" type="application/json">')[1].split("</script>")[0])
    assert config["public"] is True
    assert set(config["endpoints"]) == {"districts", "areas", "parks", "parcels"}
    assert config["grades"] == []


def test_signed_in_page_is_the_same_map_without_enterprise_figures_for_the_public_page(
    client: Any, world: Any, make_user: Any
) -> None:
    """A signed-in user on the public page gets the public view too (what they would share)."""
    client.force_login(make_user("municipal_analyst"))
    body = client.get(f"/map/public/summary/parcel/{world.in_use.pk}/")
    assert body.status_code == 404


def test_enterprise_user_sees_only_their_own_enterprise(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("enterprise_user", enterprise=world.pudong_firm))
    body = client.get("/api/maps/enterprises/?zoom=16").content.decode()
    assert world.pudong_firm.name_en in body or world.pudong_firm.name_zh in body
    assert world.minhang_firm.name_zh not in body
    assert world.minhang_firm.name_en not in body
    summary = client.get(f"/map/summary/enterprise/{world.minhang_firm.pk}/")
    assert summary.status_code == 404
