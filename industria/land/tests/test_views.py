"""UI: declarative CRUD/scope/audit cases for parcels; geometry errors named on the form; every land page
renders; enterprise-level figures only inside the user's scope."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.urls import reverse

from industria.core.testing import ViewCases
from industria.land.models import Parcel
from industria.land.tests.factories import ParcelFactory, ParkFactory, square, square_in_district

from .fixtures import AS_OF, inefficiency_fixture


def parcel_form(district: Any) -> dict[str, Any]:
    return {
        "parcel_code": f"NEW-{district.code}-1",
        "district": district.pk,
        "area_m2": "10000",
        "land_use_class": "industrial",
        "status": "available",
        "geometry_text": json.dumps(square_in_district(district.code, 100)),
    }


class TestParcelViews(ViewCases.Standard):
    model = Parcel
    factory = staticmethod(lambda district: ParcelFactory(district=district))
    form_data = staticmethod(parcel_form)
    edit_field = ("status", "idle")
    invalid_data = ({"area_m2": "abc"}, "area_m2")
    export_key = "parcel_code"

    def form_data_for(self, obj: Any) -> dict[str, Any]:
        return {"parcel_code": obj.parcel_code, "area_m2": str(obj.area_m2), "geometry_text": json.dumps(obj.geometry)}


@pytest.fixture
def officer_client(client: Any, make_user: Any) -> Any:
    client.force_login(make_user("district_officer", district_code="310115"))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("geometry", "problem"),
    [
        ("{not json", "geometry"),
        (json.dumps(square(121.5, 35.0, 100)), "Shanghai"),  # far north of the city
        (
            json.dumps(
                {
                    "type": "Polygon",
                    "coordinates": [[[121.5, 31.2], [121.51, 31.21], [121.51, 31.2], [121.5, 31.21], [121.5, 31.2]]],
                }
            ),
            "",
        ),  # noqa: E501  (bow tie)
    ],
)
def test_bad_geometry_is_a_field_error(officer_client: Any, geometry: str, problem: str) -> None:
    from industria.accounts.tests.factories import district

    data = {**parcel_form(district("310115")), "geometry_text": geometry}

    response = officer_client.post(reverse("land:parcel_add"), data)

    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["geometry_text"])
    assert problem in errors or problem == ""


@pytest.mark.django_db
def test_area_mismatch_names_the_stated_area(officer_client: Any) -> None:
    from industria.accounts.tests.factories import district

    data = {**parcel_form(district("310115")), "area_m2": "50000"}

    response = officer_client.post(reverse("land:parcel_add"), data)

    assert response.status_code == 400
    assert response.context["form"].errors["geometry_text"]


@pytest.mark.django_db
def test_every_land_page_renders(officer_client: Any) -> None:
    inefficiency_fixture()
    park = ParkFactory()
    parcel = Parcel.objects.get(parcel_code="INEF-E")
    pages = [
        reverse("land:park_list"),
        reverse("land:park_detail", args=[park.pk]),
        reverse("land:strategicarea_list"),
        reverse("land:parcel_list") + "?min_area_mu=1&max_area_mu=100&status=idle",
        reverse("land:parcel_detail", args=[parcel.pk]),
        reverse("land:parcel_detail", args=[parcel.pk]) + "?tab=history",
        reverse("land:density") + "?level=district&year=2024",
        reverse("land:density") + "?level=park&year=2024",
        reverse("land:density") + "?level=parcel&year=2024&key=" + str(parcel.pk),
        reverse("land:inefficient_list") + f"?as_of={AS_OF.isoformat()}",
        reverse("land:action_list"),
        reverse("land:target_progress"),
        reverse("land:sitesearch"),
        reverse("land:sitesearch_saved_list"),
    ]
    for url in pages:
        assert officer_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_enterprise_figures_only_inside_the_scope(client: Any, make_user: Any) -> None:
    inefficiency_fixture()
    parcel = Parcel.objects.get(parcel_code="INEF-E")
    client.force_login(make_user("district_officer", district_code="310115"))
    own = client.get(reverse("land:parcel_detail", args=[parcel.pk]))
    client.force_login(make_user("district_officer", district_code="310114"))
    other_parcel = client.get(reverse("land:parcel_detail", args=[parcel.pk]))
    density = client.get(reverse("land:density") + "?level=parcel&year=2024")

    assert own.status_code == 200
    assert b"figures-hidden" not in own.content
    assert b"333" in own.content  # 5,000,000 CNY over ≈15 mu
    assert other_parcel.status_code == 404
    assert f'data-key="{parcel.pk}"'.encode() not in density.content


@pytest.mark.django_db
def test_enterprise_user_and_anonymous_get_no_land_pages(client: Any, make_user: Any) -> None:
    assert client.get(reverse("land:density")).status_code == 302
    client.force_login(make_user("auditor"))
    assert client.get(reverse("land:density")).status_code == 200
