"""Revitalisation actions: open → advance → complete (area revitalised) or cancel, with actor, scope and
change log; the area revitalised per district against the target."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from industria.core.exceptions import ConflictError, DomainError, OutOfScope
from industria.core.testing.base import CaseBase
from industria.land import selectors, services
from industria.land.tests.factories import ParcelFactory, RevitalisationTargetFactory, district

pytestmark = pytest.mark.django_db
changes_for = CaseBase.changes_for


def _idle(code: str = "310115") -> Any:
    return ParcelFactory(district=district(code), status="idle", side_m=100)


def test_action_life_cycle_sets_area_and_counts_against_the_target(make_user: Any) -> None:
    officer = make_user("district_officer", district_code="310115")
    parcel = _idle()
    RevitalisationTargetFactory(district=district("310115"), year=2025, target_area_m2=Decimal("20000"))

    action = services.revitalisation_action_open(
        actor=officer, parcel=parcel, kind="re_let", reason="idle", opened_on=dt.date(2025, 1, 10)
    )
    action = services.revitalisation_action_advance(actor=officer, action=action)
    action = services.revitalisation_action_complete(actor=officer, action=action, completed_on=dt.date(2025, 5, 1))

    assert (action.status, action.area_m2) == ("completed", parcel.area_m2)
    change = changes_for(action).filter(action="update").latest("time")
    assert change.user == officer
    assert change.after["status"] == "completed"
    [row] = selectors.revitalisation_progress(user=officer, year=2025)
    assert row.achieved_area_m2 == parcel.area_m2
    assert row.achieved_pct == round(float(parcel.area_m2) / 20000 * 100, 1)


def test_transitions_refused_with_clear_messages(make_user: Any) -> None:
    officer = make_user("district_officer", district_code="310115")
    parcel = _idle()
    action = services.revitalisation_action_open(
        actor=officer, parcel=parcel, kind="take_back", reason="idle", opened_on=dt.date(2025, 1, 10)
    )

    with pytest.raises(ConflictError, match="already has an open action"):
        services.revitalisation_action_open(
            actor=officer, parcel=parcel, kind="take_back", reason="idle", opened_on=dt.date(2025, 2, 1)
        )
    with pytest.raises(DomainError, match="area_m2"):
        services.revitalisation_action_complete(
            actor=officer, action=action, completed_on=dt.date(2025, 3, 1), area_m2=parcel.area_m2 * 2
        )
    with pytest.raises(DomainError, match="completed_on"):
        services.revitalisation_action_complete(actor=officer, action=action, completed_on=dt.date(2024, 1, 1))
    cancelled = services.revitalisation_action_cancel(actor=officer, action=action, reason="owner resumed production")
    with pytest.raises(ConflictError, match="Cancelled"):
        services.revitalisation_action_advance(actor=officer, action=cancelled)
    assert "owner resumed production" in cancelled.notes


def test_scope_and_role_are_enforced(make_user: Any) -> None:
    other_district = _idle("310114")
    officer = make_user("district_officer", district_code="310115")
    analyst = make_user("municipal_analyst")

    with pytest.raises(OutOfScope):
        services.revitalisation_action_open(
            actor=officer, parcel=other_district, kind="re_let", reason="idle", opened_on=dt.date(2025, 1, 1)
        )
    with pytest.raises(PermissionDenied):
        services.revitalisation_action_open(
            actor=analyst, parcel=other_district, kind="re_let", reason="idle", opened_on=dt.date(2025, 1, 1)
        )


def test_workflow_through_the_ui(client: Any, make_user: Any) -> None:
    officer = make_user("district_officer", district_code="310115")
    client.force_login(officer)
    parcel = _idle()

    form = client.get(reverse("land:action_add", args=[parcel.pk]) + "?reason=idle")
    bad = client.post(reverse("land:action_add", args=[parcel.pk]), {"kind": "re_let", "reason": "idle"})
    created = client.post(
        reverse("land:action_add", args=[parcel.pk]),
        {"kind": "raise_far", "reason": "idle", "opened_on": "2025-01-10"},
    )
    action = parcel.actions.get()
    advanced = client.post(reverse("land:action_advance", args=[action.pk]))
    bad_complete = client.post(reverse("land:action_complete", args=[action.pk]), {"completed_on": "soon"})
    completed = client.post(reverse("land:action_complete", args=[action.pk]), {"completed_on": "2025-04-01"})
    again = client.post(reverse("land:action_advance", args=[action.pk]))
    detail = client.get(reverse("land:action_detail", args=[action.pk]))
    targets = client.get(reverse("land:target_progress") + "?year=2025")

    assert form.status_code == 200
    assert bad.status_code == 400
    assert bad.context["form"].errors["opened_on"]
    assert created.status_code == 302
    assert advanced.status_code == 302
    assert bad_complete.status_code == 400
    assert completed.status_code == 302
    assert again.status_code == 400
    action.refresh_from_db()
    assert action.status == "completed"
    assert action.area_m2 == parcel.area_m2
    assert detail.status_code == 200
    assert targets.status_code == 200
    assert b'data-district="310115"' in targets.content


def test_workflow_through_the_api(api_client: Any, make_user: Any) -> None:
    officer = make_user("district_officer", district_code="310115")
    api_client.force_authenticate(officer)
    parcel = _idle()
    other = _idle("310114")

    opened = api_client.post(
        reverse("land-api:revitalisationaction-list"),
        {"parcel": parcel.parcel_code, "kind": "urban_renewal", "reason": "idle", "opened_on": "2025-01-10"},
        format="json",
    )
    refused = api_client.post(
        reverse("land-api:revitalisationaction-list"),
        {"parcel": other.parcel_code, "kind": "urban_renewal", "reason": "idle", "opened_on": "2025-01-10"},
        format="json",
    )
    pk = opened.json()["id"]
    done = api_client.post(
        reverse("land-api:revitalisationaction-complete", args=[pk]), {"completed_on": "2025-03-01"}, format="json"
    )
    twice = api_client.post(
        reverse("land-api:revitalisationaction-complete", args=[pk]), {"completed_on": "2025-03-01"}, format="json"
    )

    assert opened.status_code == 201, opened.content
    assert refused.status_code == 403
    assert done.status_code == 200
    assert done.json()["status"] == "completed"
    assert twice.status_code == 409
    assert twice.json()["code"] == "action_transition_refused"
