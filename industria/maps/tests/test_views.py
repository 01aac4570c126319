"""Map pages, the summary fragments, the nav entry, and the projects' parcel link."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

pytestmark = pytest.mark.django_db


def test_map_requires_sign_in(client: Any) -> None:
    response = client.get("/map/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_map_page_for_an_analyst(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    response = client.get("/map/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="industrial-map"' in html
    assert "js/industrial-map.js" in html
    assert "css/industrial-map.css" in html
    assert "<script>" not in html  # CSP: no inline code
    config = json.loads(html.split('id="imap-config" type="application/json">')[1].split("</script>")[0])
    assert set(config["endpoints"]) == {"districts", "areas", "parks", "parcels", "projects", "enterprises"}
    assert config["grades"] == ["A", "B", "C", "D"]
    assert 'href="/map/"' in html
    assert 'aria-current="page"' in html


def test_chinese_labels(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    html = client.get("/map/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "浦东新区" in html


def test_parcel_summary_for_an_analyst(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    html = client.get(f"/map/summary/parcel/{world.in_use.pk}/").content.decode()
    assert "MAP-INUSE" in html
    assert world.pudong_firm.name_en in html
    assert "<dd>D</dd>" in html


def test_summaries_of_every_kind(client: Any, world: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))
    for kind, pk, expect in (
        ("park", world.park.pk, "Zhangjiang Test Park"),
        ("area", world.area.pk, "Test New City"),
        ("project", world.project_on_parcel.pk, "KP-MAP-1"),
        ("enterprise", world.pudong_firm.pk, world.pudong_firm.name_en),
        ("district", "310115", "Pudong"),
    ):
        response = client.get(f"/map/summary/{kind}/{pk}/")
        assert response.status_code == 200, kind
        assert expect in response.content.decode()
    html = client.get(f"/map/summary/project/{world.project_on_parcel.pk}/").content.decode()
    assert f'href="/projects/{world.project_on_parcel.pk}/"' in html
    assert client.get("/map/summary/bogus/1/").status_code == 404
    assert client.get("/map/summary/parcel/abc/").status_code == 404


def test_public_summary_of_an_available_parcel(client: Any, world: Any) -> None:
    response = client.get(f"/map/public/summary/parcel/{world.available.pk}/")
    assert response.status_code == 200
    assert "MAP-AVAIL" in response.content.decode()
    assert "imap-record-link" not in response.content.decode()


def test_project_form_links_a_parcel(world: Any, make_user: Any) -> None:
    from industria.projects.forms import KeyProjectForm

    user = make_user("municipal_admin")
    project = world.project_in_park
    data = {
        "code": project.code,
        "name_zh": project.name_zh,
        "investor_name": "测试投资",
        "district": project.district_id,
        "project_type": "new_build",
        "total_investment_cny": "500000000",
        "parcel_code": "MAP-IDLE",
    }
    form = KeyProjectForm(data, instance=project, user=user)
    assert form.is_valid(), form.errors
    assert form.save().parcel == world.idle
    form = KeyProjectForm({**data, "parcel_code": "NOPE"}, instance=project, user=user)
    assert not form.is_valid()
    assert "parcel_code" in form.errors


def test_project_api_exposes_the_parcel(api_client: Any, world: Any, make_user: Any) -> None:
    api_client.force_authenticate(make_user("municipal_admin"))
    response = api_client.get(f"/api/projects/projects/{world.project_on_parcel.pk}/")
    if response.status_code == 404:  # route name differs: find it through the list
        response = api_client.get("/api/projects/")
    assert response.status_code == 200
    assert "MAP-AVAIL" in response.content.decode()


def test_deleting_a_parcel_keeps_the_project(world: Any) -> None:
    world.project_on_parcel.refresh_from_db()
    world.available.key_projects.all().update()  # related name exists
    from industria.land.models import Parcel

    Parcel.objects.filter(pk=world.available.pk).delete()
    world.project_on_parcel.refresh_from_db()
    assert world.project_on_parcel.parcel_id is None
    assert world.project_on_parcel.total_investment_cny == Decimal("5e8")
