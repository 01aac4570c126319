"""API: declarative cases for parcels (geometry validated as in the UI); the public gets parks, strategic areas
and available parcels only, without enterprise-level figures; analyses need a role."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from industria.core.testing import APICases
from industria.land.models import Parcel
from industria.land.tests.factories import ParcelFactory, ParkFactory, StrategicAreaFactory, square, square_in_district

from .fixtures import inefficiency_fixture


def parcel_body(district: Any) -> dict[str, Any]:
    return {
        "parcel_code": f"API-{district.code}-1",
        "district": district.code,
        "area_m2": "10000",
        "land_use_class": "industrial",
        "status": "available",
        "geometry": square_in_district(district.code, 100),
    }


class TestParcelAPI(APICases.Standard):
    model = Parcel
    factory = staticmethod(lambda district: ParcelFactory(district=district))
    api_data = staticmethod(parcel_body)
    patch_field = ("status", "idle")
    invalid_api_data = ({"geometry": square(121.5, 35.0, 100)}, "geometry")

    def test_anonymous_gets_401_problem(self, api_client: Any) -> None:
        """Parcels are partly public: anonymous callers get the available ones (see the tests below)."""
        assert api_client.get(self.api_url()).status_code == 200


@pytest.mark.django_db
def test_anonymous_gets_only_the_public_subset(api_client: Any) -> None:
    inefficiency_fixture()
    ParkFactory(code="PUB-PARK")
    StrategicAreaFactory(code="PUB-AREA")

    parcels = api_client.get(reverse("land-api:parcel-list")).json()["results"]
    parks = api_client.get(reverse("land-api:park-list")).json()["results"]
    areas = api_client.get(reverse("land-api:strategicarea-list"))
    hidden = Parcel.objects.get(parcel_code="INEF-E")

    assert {p["parcel_code"] for p in parcels} == {"INEF-A"}  # the only available parcel
    assert not {"agreed_output_cny_per_mu", "agreed_tax_cny_per_mu", "developed_share"} & set(parcels[0])
    assert api_client.get(reverse("land-api:parcel-detail", args=[hidden.pk])).status_code == 404
    assert [p["code"] for p in parks] == ["PUB-PARK"]
    assert areas.status_code == 200
    for name in (
        "land-api:landuse-list",
        "land-api:revitalisationaction-list",
        "land-api:density",
        "land-api:inefficient",
    ):
        response = api_client.get(reverse(name))
        assert response.status_code == 401, name
        assert b"output" not in response.content
        assert b"tax" not in response.content
    assert (
        api_client.post(reverse("land-api:parcel-list"), parcel_body(hidden.district), format="json").status_code == 401
    )


@pytest.mark.django_db
def test_density_api_masks_figures_outside_the_scope(api_client: Any, make_user: Any) -> None:
    inefficiency_fixture()
    api_client.force_authenticate(make_user("district_officer", district_code="310114"))

    districts = api_client.get(reverse("land-api:density") + "?level=district&year=2024").json()["results"]
    parcels = api_client.get(reverse("land-api:density") + "?level=parcel&year=2024").json()["results"]
    bad = api_client.get(reverse("land-api:density") + "?level=block")

    pudong = next(r for r in districts if r["key"] == "310115")
    assert pudong["enterprises"] == 4
    assert pudong["figures_visible"]
    assert parcels == []  # parcel rows are one enterprise's figures: only inside the scope
    assert bad.status_code == 400


@pytest.mark.django_db
def test_analyst_reads_all_but_may_not_write(api_client: Any, make_user: Any) -> None:
    inefficiency_fixture()
    api_client.force_authenticate(make_user("municipal_analyst"))

    listed = api_client.get(reverse("land-api:inefficient") + "?as_of=2025-06-30&year=2024")
    bad = api_client.get(reverse("land-api:inefficient") + "?as_of=yesterday")
    write = api_client.post(reverse("land-api:parcel-list"), {}, format="json")

    assert listed.status_code == 200
    assert listed.json()["count"] == 9
    assert bad.status_code == 400
    assert bad.json()["errors"][0]["field"] == "as_of"
    assert write.status_code == 403


@pytest.mark.django_db
def test_small_unit_aggregate_is_hidden_outside_the_scope(make_user: Any) -> None:
    from industria.land import selectors
    from industria.land.tests.factories import district

    from .fixtures import user_of

    park = ParkFactory(code="ONE-USER", district=district("310115"))
    user_of(ParcelFactory(district=park.district, park=park), output_cny="9000000", tax_cny="900000")

    outside = selectors.density_table(
        user=make_user("district_officer", district_code="310114"), level="park", year=2024
    )
    inside = selectors.density_table(
        user=make_user("district_officer", district_code="310115"), level="park", year=2024
    )

    assert [(r["key"], r["figures_visible"], r["output_cny"]) for r in outside] == [(park.pk, False, None)]
    assert inside[0]["figures_visible"]
    assert inside[0]["output_cny"] == 9_000_000
