"""UI of tiers: the declarative CRUD/scope/audit cases, the list's filters and the expiry flag."""

from __future__ import annotations

import csv
import io
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from industria.core.testing import ViewCases
from industria.enterprises.models import Tier

from .factories import EnterpriseFactory, TierFactory


def tier_form(district: Any) -> dict[str, Any]:
    enterprise = EnterpriseFactory(district=district)
    return {
        "enterprise": enterprise.uscc,
        "kind": "little_giant",
        "level": "national",
        "batch": "第五批",
        "granted_on": "2023-07-01",
        "valid_until": "2026-06-30",
        "status": "valid",
        "source_document": "工信部企业函〔2023〕170号",
    }


class TestTierViews(ViewCases.Standard):
    model = Tier
    factory = staticmethod(lambda district: TierFactory(enterprise=EnterpriseFactory(district=district)))
    form_data = staticmethod(tier_form)
    edit_field = ("batch", "第六批")
    invalid_data = ({"granted_on": "2024-01-01", "valid_until": "2023-12-31"}, "valid_until")
    export_key = "source_document"

    def form_data_for(self, obj: Any) -> dict[str, Any]:
        return {
            "enterprise": obj.enterprise.uscc,
            "kind": obj.kind,
            "level": obj.level,
            "granted_on": obj.granted_on.isoformat(),
        }


pytestmark = pytest.mark.django_db


def test_unknown_credit_code_is_explained(client: Any, make_user: Any) -> None:
    from industria.accounts.tests.factories import district

    client.force_login(make_user("district_officer", district_code="310115"))

    response = client.post(reverse("enterprises:tier_add"), {**tier_form(district("310115")), "enterprise": "X"})

    assert response.status_code == 400
    assert "No enterprise with this credit code" in " ".join(response.context["form"].errors["enterprise"])


def test_add_form_is_prefilled_from_the_enterprise_page(client: Any, make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    client.force_login(make_user("programme_manager"))

    response = client.get(reverse("enterprises:tier_add") + f"?enterprise={enterprise.uscc}")

    assert response.status_code == 200
    assert f'value="{enterprise.uscc}"'.encode() in response.content


def test_edit_form_shows_the_credit_code(client: Any, make_user: Any) -> None:
    tier = TierFactory()
    client.force_login(make_user("programme_manager"))

    response = client.get(reverse("enterprises:tier_edit", args=[tier.pk]))

    assert f'value="{tier.enterprise.uscc}"'.encode() in response.content


def test_enterprise_user_may_view_but_not_add_tiers(client: Any, make_user: Any) -> None:
    tier = TierFactory()
    client.force_login(make_user("enterprise_user", enterprise=tier.enterprise))

    assert client.get(reverse("enterprises:tier_list")).status_code == 200
    assert client.get(reverse("enterprises:tier_add")).status_code == 403


@pytest.mark.parametrize(("days_left", "flagged"), [(89, True), (90, True), (91, False)])
def test_tier_list_and_enterprise_tab_flag_expiry_within_90_days(
    client: Any, make_user: Any, days_left: int, flagged: bool
) -> None:
    today = timezone.localdate()
    tier = TierFactory(granted_on=today - timedelta(days=300), valid_until=today + timedelta(days=days_left))
    client.force_login(make_user("municipal_analyst"))

    listing = client.get(reverse("enterprises:tier_list"))
    tab = client.get(tier.enterprise.get_absolute_url() + "?tab=tiers")

    assert (b"tier-expiring" in listing.content) is flagged
    assert (b"tier-expiring" in tab.content) is flagged


def test_tier_list_filters_by_kind_level_status_and_expiry(client: Any, make_user: Any) -> None:
    today = timezone.localdate()
    soon = TierFactory(
        kind="little_giant",
        level="national",
        valid_until=today + timedelta(days=20),
        granted_on=today - timedelta(days=100),
    )
    TierFactory(
        kind="little_giant",
        level="municipal",
        valid_until=today + timedelta(days=200),
        granted_on=today - timedelta(days=100),
    )
    TierFactory(kind="srdi_sme", status="revoked")
    client.force_login(make_user("municipal_analyst"))

    def ids(query: str) -> set[int]:
        response = client.get(reverse("enterprises:tier_list") + query)
        return {t.pk for t, _ in response.context["rows"]}

    assert len(ids("?kind=little_giant")) == 2
    assert ids("?kind=little_giant&level=national") == {soon.pk}
    assert len(ids("?status=revoked")) == 1
    assert ids("?expiring_within_days=30") == {soon.pk}


def test_tier_list_export_has_the_expiry_column(client: Any, make_user: Any) -> None:
    today = timezone.localdate()
    TierFactory(granted_on=today - timedelta(days=10), valid_until=today + timedelta(days=5))
    client.force_login(make_user("municipal_analyst"))

    response = client.get(reverse("enterprises:tier_list") + "?export=csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")

    header, row = list(csv.reader(io.StringIO(body)))[:2]
    assert dict(zip(header, row, strict=True))["Expires soon"] == "true"


def test_tier_list_query_count_does_not_grow_with_rows(
    client: Any, make_user: Any, django_assert_max_num_queries: Any
) -> None:
    client.force_login(make_user("municipal_analyst"))
    for _ in range(30):
        TierFactory()

    with django_assert_max_num_queries(12):
        response = client.get(reverse("enterprises:tier_list"))

    assert len(response.context["rows"]) == 30
