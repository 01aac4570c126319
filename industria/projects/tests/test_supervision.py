"""A responsible unit sees the supervision orders addressed to it (UI and API) and replies; others do not."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from industria.projects import exceptions as errors
from industria.projects import services

from .factories import department, project

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 3)


@pytest.fixture
def orders() -> dict[str, Any]:
    unit = department("上海市规划和自然资源局", district_code=None)
    other_unit = department("上海市生态环境局", district_code=None)
    ours = services.supervision_order_raise(
        actor=None, project=project(), reason="土地出让滞后", today=TODAY, department=unit
    )
    theirs = services.supervision_order_raise(
        actor=None, project=project(), reason="环评滞后", today=TODAY, department=other_unit
    )
    return {"unit": unit, "ours": ours, "theirs": theirs}


def test_a_responsible_unit_sees_its_orders_and_only_those(client: Any, make_user: Any, orders: dict) -> None:
    member = make_user("auditor", department=orders["unit"])
    member.groups.clear()  # no role at all: membership of the unit is what lets it see its orders
    client.force_login(member)

    page = client.get(reverse("projects:supervisionorder_list")).content.decode()
    detail = client.get(orders["ours"].get_absolute_url())
    hidden = client.get(orders["theirs"].get_absolute_url())
    mine = client.get(reverse("projects:keyproject_mine")).content.decode()

    assert orders["ours"].number in page
    assert orders["theirs"].number not in page
    assert detail.status_code == 200
    assert b"reply-submit" in detail.content
    assert hidden.status_code == 404
    assert orders["ours"].number in mine


def test_the_unit_replies_and_the_order_is_answered(client: Any, make_user: Any, orders: dict) -> None:
    member = make_user("municipal_analyst", department=orders["unit"])
    client.force_login(member)

    response = client.post(
        reverse("projects:supervisionorder_reply", args=[orders["ours"].pk]),
        {"text": "已完成土地出让，预计下月开工", "expected_resolution_on": "2025-04-01"},
    )

    orders["ours"].refresh_from_db()
    assert response.status_code == 302
    assert orders["ours"].status == "replied"
    assert orders["ours"].replies.get().author == member


def test_another_unit_may_not_reply(make_user: Any, orders: dict) -> None:
    outsider = make_user("municipal_analyst", department=department("上海市地方金融管理局", district_code=None))

    with pytest.raises(errors.NotResponsibleUnit):
        services.supervision_order_reply(actor=outsider, order=orders["ours"], text="x", today=TODAY)


def test_the_api_lists_the_units_orders_and_takes_its_reply(api_client: Any, make_user: Any, orders: dict) -> None:
    member = make_user("municipal_analyst", department=orders["unit"])
    member.groups.clear()
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=member).key}")

    listed = api_client.get(reverse("projects-api:supervisionorder-list")).json()
    reply = api_client.post(
        reverse("projects-api:supervisionorder-reply", args=[orders["ours"].pk]), {"text": "已协调"}, format="json"
    )

    assert [o["number"] for o in listed["results"]] == [orders["ours"].number]
    assert reply.status_code == 201
    assert reply.json()["status"] == "replied"


def test_the_officer_sees_the_orders_of_the_district_and_closes_answered_ones(
    client: Any, make_user: Any, orders: dict
) -> None:
    officer = make_user("district_officer", district_code="310115")
    client.force_login(officer)
    services.supervision_order_reply(
        actor=make_user("municipal_analyst", department=orders["unit"]), order=orders["ours"], text="ok", today=TODAY
    )

    page = client.get(reverse("projects:supervisionorder_list")).content.decode()
    closed = client.post(reverse("projects:supervisionorder_close", args=[orders["ours"].pk]))

    assert orders["ours"].number in page  # both projects are in Pudong
    assert orders["theirs"].number in page
    assert closed.status_code == 302
    orders["ours"].refresh_from_db()
    assert orders["ours"].status == "closed"
