"""Acceptance: site search returns the hand-expected ranking and reasons on a small fixture; the page, saved
searches (owner-scoped), re-run, the investor workbook and the API."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from industria.land import selectors
from industria.land.models import SavedSiteSearch
from industria.land.selectors.sitesearch import criteria_from_dict

from .fixtures import a_group_code, site_criteria, site_fixture

pytestmark = pytest.mark.django_db


def test_site_search_returns_the_hand_expected_ranking_and_reasons(make_user: Any) -> None:
    code = a_group_code()
    f = site_fixture(code)

    results = selectors.site_search(
        user=make_user("municipal_analyst"), criteria=criteria_from_dict(site_criteria(code))
    )

    # weights: efficiency 20 (no figures → 0), industry 30, preferred district 15, chain 20 (none nearby) = 85
    # SS-1 and SS-PK1 lead the group in Pudong: (30 + 15) / 85 = 52.94; SS-1 is closer to the 20 mu midpoint
    assert [(r.kind, r.obj.pk, r.rank, r.score) for r in results] == [
        ("parcel", f["s1"].pk, 1, 52.94),
        ("park", f["pk1"].pk, 2, 52.94),
        ("parcel", f["s2"].pk, 3, 0.0),
        ("park", f["pk2"].pk, 4, 0.0),
    ]
    first = results[0]
    assert [r.code for r in first.reasons] == [
        "available",
        "area_in_range",
        "far_ok",
        "preferred_district",
        "park_leads_group",
    ]
    assert {r.code for r in results[2].reasons} == {"available", "area_in_range", "far_ok"}


def test_reasons_render_in_the_users_language(client: Any, make_user: Any) -> None:
    code = a_group_code()
    f = site_fixture(code)
    client.force_login(make_user("municipal_analyst"))
    query = "min_area_mu=10&max_area_mu=30&min_floor_area_ratio=1.5&available_by=2025-06-30"
    query += f"&industry_group={f['group'].pk}&districts={f['pk1'].district_id}"

    english = client.get(reverse("land:sitesearch") + "?" + query)
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(reverse("land:sitesearch") + "?" + query, HTTP_ACCEPT_LANGUAGE="zh-hans")

    assert english.status_code == 200
    assert b'data-kind="parcel"' in english.content
    assert f"leads the industry {f['group'].name_en or f['group'].name_zh}".encode() in english.content
    assert chinese.status_code == 200


def test_invalid_criteria_name_the_field(client: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))

    response = client.get(reverse("land:sitesearch") + "?min_area_mu=50&max_area_mu=10&available_by=tomorrow")

    assert response.status_code == 400
    assert response.context["form"].errors["max_area_mu"]
    assert response.context["form"].errors["available_by"]


def test_save_rerun_and_export_are_owner_scoped(client: Any, make_user: Any) -> None:
    code = a_group_code()
    f = site_fixture(code)
    analyst, other = make_user("municipal_analyst"), make_user("municipal_analyst")
    client.force_login(analyst)
    data = {
        "min_area_mu": "10",
        "max_area_mu": "30",
        "min_floor_area_ratio": "1.5",
        "available_by": "2025-06-30",
        "industry_group": str(f["group"].pk),
        "districts": [str(f["pk1"].district_id)],
        "name": "Investor A",
    }

    saved = client.post(reverse("land:sitesearch"), data)
    search = SavedSiteSearch.objects.get(owner=analyst)
    rerun = client.get(reverse("land:sitesearch_saved", args=[search.pk]))
    export = client.get(reverse("land:sitesearch_saved", args=[search.pk]) + "?export=xlsx")
    client.force_login(other)
    foreign = client.get(reverse("land:sitesearch_saved", args=[search.pk]))

    assert saved.status_code == 302
    assert search.criteria["industry_group_code"] == code
    assert search.criteria["preferred_district_codes"] == ["310115"]
    assert rerun.status_code == 200
    assert f'data-id="{f["s1"].pk}"'.encode() in rerun.content
    book = openpyxl.load_workbook(io.BytesIO(export.content))
    assert len(book.sheetnames) == 2
    rows = list(book.worksheets[1].iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == 1
    assert rows[0][3] == "SS-1"
    assert "leads the industry" in rows[0][-1]
    assert foreign.status_code == 404


def test_api_site_search_and_saved_searches(api_client: Any, make_user: Any) -> None:
    code = a_group_code()
    f = site_fixture(code)
    analyst = make_user("municipal_analyst")
    api_client.force_authenticate(analyst)

    response = api_client.post(reverse("land-api:sitesearch"), site_criteria(code), format="json")
    bad = api_client.post(reverse("land-api:sitesearch"), {"min_area_mu": 5, "max_area_mu": 1}, format="json")
    created = api_client.post(
        reverse("land-api:savedsitesearch-list"), {"name": "A", "criteria": site_criteria(code)}, format="json"
    )
    run = api_client.get(reverse("land-api:savedsitesearch-run", args=[created.json()["id"]]))

    assert response.status_code == 200
    first = response.json()["results"][0]
    assert (first["kind"], first["id"], first["rank"]) == ("parcel", f["s1"].pk, 1)
    assert "park_leads_group" in [r["code"] for r in first["reasons"]]
    assert bad.status_code == 400
    assert any(e["field"] == "max_area_mu" for e in bad.json()["errors"])
    assert created.status_code == 201, created.content
    assert run.json()["results"][0]["id"] == f["s1"].pk


def test_anonymous_may_not_search(api_client: Any) -> None:
    assert api_client.post(reverse("land-api:sitesearch"), {}, format="json").status_code == 401
