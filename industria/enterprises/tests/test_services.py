"""Services of the registry: demo city, roll-up to industry groups, size rule, tier expiry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command

from industria.core.models import ObjectChange
from industria.enterprises import services
from industria.enterprises.models import (
    Enterprise,
    EnterpriseGroup,
    EnterpriseYearFact,
    IndustryGroup,
    IndustryMapping,
    SizeRule,
    Tier,
)

from .factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


def test_seed_demo_is_deterministic_labelled_and_rerunnable() -> None:
    call_command("seed_demo", "--scale", "tiny", "--seed", "7")
    first = sorted(Enterprise.objects.values_list("uscc", flat=True))
    facts = EnterpriseYearFact.objects.count()

    call_command("seed_demo", "--scale", "tiny", "--seed", "7")

    assert sorted(Enterprise.objects.values_list("uscc", flat=True)) == first
    assert EnterpriseYearFact.objects.count() == facts > 0
    assert not Enterprise.objects.filter(synthetic=False).exists()
    assert not EnterpriseYearFact.objects.filter(synthetic=False).exists()
    assert Tier.objects.filter(synthetic=True).exists()
    assert EnterpriseGroup.objects.exists(), "synthetic enterprises roll up to industry groups"
    assert ObjectChange.objects.filter(action="bulk", object_repr__startswith="synthetic city").count() == 2


def test_roll_up_uses_the_longest_matching_code_per_kind() -> None:
    ic = IndustryGroup.objects.get(code="lead-ic")
    electronics = IndustryGroup.objects.get(code="cluster-electronic-info")
    chip = EnterpriseFactory(industry_code="3973")  # integrated-circuit manufacturing
    steel = EnterpriseFactory(industry_code="3110")

    services.industry_rollup_refresh()

    chip_groups = set(EnterpriseGroup.objects.filter(enterprise=chip).values_list("group__code", flat=True))
    assert {ic.code, electronics.code} <= chip_groups
    assert not EnterpriseGroup.objects.filter(enterprise=steel, group=ic).exists()


def test_roll_up_follows_an_edited_mapping_and_keeps_explicit_tags() -> None:
    enterprise = EnterpriseFactory(industry_code="3110")
    future = IndustryGroup.objects.filter(kind="future_industry").first()
    EnterpriseGroup.objects.create(enterprise=enterprise, group=future, source="explicit")
    IndustryMapping.objects.create(industry_code="31", group=IndustryGroup.objects.get(code="lead-ai"), weight="0.5")

    services.industry_rollup_refresh()

    links = dict(EnterpriseGroup.objects.filter(enterprise=enterprise).values_list("group__code", "source"))
    assert links["lead-ai"] == "mapping"
    assert links[future.code] == "explicit"


@pytest.mark.parametrize(("revenue", "above"), [("19999999.99", False), ("20000000.00", True)])
def test_above_size_follows_the_size_rule_of_the_year(revenue: str, above: bool) -> None:
    fact = EnterpriseYearFact.objects.create(enterprise=EnterpriseFactory(), year=2024, main_revenue_cny=revenue)

    services.year_fact_above_size(fact=fact)

    assert fact.above_size is above
    assert SizeRule.threshold_for(2024) == Decimal("20000000.00")
    assert SizeRule.threshold_for(2008) == Decimal("5000000.00")


def test_tiers_expire_after_their_validity_in_one_audit_entry(make_user: Any) -> None:
    enterprise = EnterpriseFactory()
    ending = Tier.objects.create(
        enterprise=enterprise, kind="srdi_sme", granted_on=date(2021, 1, 1), valid_until=date(2023, 12, 31)
    )
    lasting = Tier.objects.create(
        enterprise=enterprise, kind="high_tech", granted_on=date(2023, 1, 1), valid_until=date(2025, 12, 31)
    )

    expired = services.tiers_expire_due(actor=None, as_of=date(2024, 1, 1))

    assert expired == 1
    assert Tier.objects.get(pk=ending.pk).status == "expired"
    assert Tier.objects.get(pk=lasting.pk).status == "valid"
    assert ObjectChange.objects.filter(action="bulk", content_type__model="tier").count() == 1


@pytest.mark.parametrize(("days_left", "flagged"), [(89, True), (90, True), (91, False)])
def test_expiring_tiers_are_flagged_ahead_of_time(days_left: int, flagged: bool) -> None:
    from datetime import timedelta

    as_of = date(2025, 3, 1)
    tier = Tier.objects.create(
        enterprise=EnterpriseFactory(),
        kind="srdi_sme",
        granted_on=date(2022, 3, 1),
        valid_until=as_of + timedelta(days=days_left),
    )

    result = services.tiers_expiring(queryset=Tier.objects.all(), as_of=as_of, within_days=90)

    assert (tier in result) is flagged
    assert tier.expires_within(as_of, 90) is flagged


def test_editing_the_mapping_in_the_ui_recomputes_memberships(
    client: Any, make_user: Any, django_capture_on_commit_callbacks: Any
) -> None:
    enterprise = EnterpriseFactory(industry_code="3110")
    client.force_login(make_user("municipal_admin"))
    ai = IndustryGroup.objects.get(code="lead-ai")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/enterprises/mapping/add/", {"industry_code": "31", "group": ai.pk, "weight": "0.5", "rationale": "test"}
        )

    assert response.status_code == 302, response.content[:2000]
    assert EnterpriseGroup.objects.filter(enterprise=enterprise, group=ai, source="mapping").exists()
