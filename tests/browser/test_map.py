"""The industrial map in headless Chromium under the strict CSP: the district boundaries render, a layer
toggles, a click on a feature shows its summary with a link to the record (acceptance, issue 7)."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def map_world(settings: Any, monkeypatch: Any) -> Any:
    """Demo accounts, a park and a few parcels in Pudong."""
    from industria.accounts import demo
    from industria.land.choices import ParcelStatus
    from industria.land.tests.factories import ParcelFactory, ParkFactory, StrategicAreaFactory
    from industria.land.tests.factories import district as district_of
    from industria.projects.tests.conftest import grant_project_roles

    grant_project_roles(monkeypatch)
    settings.LANGUAGE_CODE = "zh-hans"
    demo.seed(scale="tiny", seed=1, log=lambda *_: None)
    pudong = district_of("310115")
    park = ParkFactory(
        code="BROWSER-PARK", name_zh="浏览器测试园区", name_en="Browser Test Park", district=pudong,
        lon=121.60, lat=31.20, side_m=4000,
    )  # fmt: skip
    StrategicAreaFactory(code="BROWSER-AREA", name_zh="浏览器测试新城", lon=121.40, lat=31.10, side_m=6000)
    statuses = [ParcelStatus.AVAILABLE, ParcelStatus.IN_USE, ParcelStatus.IDLE]
    for i in range(12):
        ParcelFactory(
            parcel_code=f"BROWSER-{i:03d}", district=pudong, park=park, status=statuses[i % 3],
            lon=121.585 + (i % 4) * 0.01, lat=31.19 + (i // 4) * 0.01, side_m=600,
        )  # fmt: skip
    return park


def login(page: Any, username: str) -> None:
    from industria.accounts.demo import DEMO_PASSWORD

    page.goto(page.base_url + "/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-submit")
    page.wait_for_selector("#home-role")


def first_username(role: str) -> str:
    from industria.accounts.models import User

    return User.objects.filter(groups__name=role).order_by("username").values_list("username", flat=True).first()


def click_feature(page: Any, layer: str, index: int = 0) -> None:
    """Click the pixel of a feature of ``layer`` (its first coordinate's centroid, converted by ECharts)."""
    point = page.evaluate(
        """([layer, index]) => {
            const el = document.querySelector('#industrial-map');
            const st = Industria.industrialMap.get(el);
            const f = st.data[layer].features[index];
            const g = f.geometry;
            let lonlat = g.type === 'Point' ? g.coordinates : null;
            if (!lonlat) {
              const ring = g.type === 'Polygon' ? g.coordinates[0] : g.coordinates[0][0];
              const xs = ring.map(p => p[0]), ys = ring.map(p => p[1]);
              lonlat = [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
            }
            const px = st.chart.convertToPixel({geoIndex: 0}, lonlat);
            const box = el.getBoundingClientRect();
            return [box.left + px[0], box.top + px[1]];
        }""",
        [layer, index],
    )
    page.mouse.click(point[0], point[1])


def test_map_renders_toggles_a_layer_and_shows_a_summary(page: Any, map_world: Any) -> None:
    username = first_username("municipal_analyst") or first_username("municipal_admin")
    login(page, username)
    page.goto(page.base_url + "/map/")
    page.wait_for_selector("#industrial-map[data-rendered]", timeout=30000)
    assert page.get_attribute("#industrial-map", "data-districts") == "16"
    assert page.locator("#industrial-map canvas").count() >= 1
    layers = page.get_attribute("#industrial-map", "data-layers") or ""
    assert "parcels" in layers
    assert "parks" in layers
    assert page.locator("#imap-legend .imap-legend-row").count() >= 4

    # toggle the parcel layer off and on again
    page.uncheck("#layer-parcels")
    page.wait_for_function("() => !document.querySelector('#industrial-map').dataset.layers.includes('parcels')")
    page.check("#layer-parcels")
    page.wait_for_function("() => document.querySelector('#industrial-map').dataset.layers.includes('parcels')")

    # click the park: its summary comes in with a link to the record
    click_feature(page, "parks")
    page.wait_for_selector("#imap-card")
    assert "浏览器测试园区" in page.inner_text("#imap-summary")
    screenshot(page, "map-industrial-zh")
    assert not [e for e in page.js_errors if "Content Security Policy" in e or "Refused" in e], page.js_errors
    assert not page.js_errors, page.js_errors


def test_public_map_for_anonymous_visitors(page: Any, map_world: Any) -> None:
    page.goto(page.base_url + "/map/public/")
    page.wait_for_selector("#industrial-map[data-rendered]", timeout=30000)
    assert page.locator("#layer-enterprises").count() == 0
    click_feature(page, "parcels")
    page.wait_for_selector("#imap-card")
    text = page.inner_text("#imap-summary")
    assert "BROWSER-" in text
    screenshot(page, "map-public-zh")
    assert not page.js_errors, page.js_errors
