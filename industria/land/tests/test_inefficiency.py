"""Acceptance: the inefficient-land list equals a hand-built expectation on a small fixture; scoping, the
page, the filters and the export."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from industria.land import selectors

from .fixtures import AS_OF, YEAR, inefficiency_fixture

pytestmark = pytest.mark.django_db


def test_inefficient_list_equals_the_hand_built_expectation(make_user: Any) -> None:
    expected = inefficiency_fixture()

    listed = selectors.inefficient_parcels(user=make_user("municipal_analyst"), year=YEAR, as_of=AS_OF)

    assert {row.parcel.parcel_code: row.kinds for row in listed} == expected
    assert {row.parcel.parcel_code: row.primary_kind for row in listed}["INEF-H"] == "used_not_fully"


def test_district_officer_sees_own_district_and_kind_filter(make_user: Any) -> None:
    expected = inefficiency_fixture()
    officer = make_user("district_officer", district_code="310115")

    listed = selectors.inefficient_parcels(user=officer, year=YEAR, as_of=AS_OF)
    idle = selectors.inefficient_parcels(user=officer, year=YEAR, as_of=AS_OF, filters={"kind": "idle"})

    assert {r.parcel.parcel_code for r in listed} == set(expected) - {"OTHER-1"}
    assert {r.parcel.parcel_code for r in idle} == {"INEF-G", "INEF-H"}


def test_explanation_hides_enterprise_figures_without_fact_scope(make_user: Any, monkeypatch: Any) -> None:
    inefficiency_fixture()
    user = make_user("municipal_analyst")
    monkeypatch.setattr(
        type(user), "has_perm", lambda self, perm, obj=None: perm != "enterprises.view_enterpriseyearfact"
    )

    listed = {r.parcel.parcel_code: r for r in selectors.inefficient_parcels(user=user, year=YEAR, as_of=AS_OF)}

    facts = listed["INEF-E"].explanation["below_standard"]["facts"]
    assert "output_cny_per_mu" not in facts
    assert "tax_cny_per_mu" not in facts
    assert "grade" not in listed["INEF-F"].explanation["grade_d"]["facts"]
    assert not listed["INEF-E"].figures_visible


def test_page_lists_marks_uncertain_rules_and_exports(client: Any, make_user: Any) -> None:
    expected = inefficiency_fixture()
    client.force_login(make_user("district_officer", district_code="310115"))
    url = reverse("land:inefficient_list") + f"?year={YEAR}&as_of={AS_OF.isoformat()}"

    page = client.get(url)
    export = client.get(url + "&export=xlsx")

    assert page.status_code == 200
    for code in set(expected) - {"OTHER-1"}:
        assert f'data-parcel="{code}"'.encode() in page.content
    assert b'data-parcel="OTHER-1"' not in page.content
    assert b"data-uncertain=" in page.content
    sheet = openpyxl.load_workbook(io.BytesIO(export.content)).active
    codes = {row[0] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert codes == set(expected) - {"OTHER-1"}


def test_bad_date_is_a_message_not_a_500(client: Any, make_user: Any) -> None:
    client.force_login(make_user("municipal_analyst"))

    response = client.get(reverse("land:inefficient_list") + "?as_of=30-06-2025&year=abc")

    assert response.status_code == 200
    assert b"as_of" in response.content
