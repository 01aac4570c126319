"""The enterprise and tier filters against hand-built data."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from industria.enterprises.choices import MappingSource, TierKind, TierStatus
from industria.enterprises.filtersets import EnterpriseFilterSet, IndustryMappingFilterSet, TierFilterSet
from industria.enterprises.models import Enterprise, IndustryMapping, Tier

from .factories import EnterpriseFactory, TierFactory, YearFactFactory, group, group_link

pytestmark = pytest.mark.django_db


def uscc_of(data: dict[str, Any]) -> set[str]:
    filterset = EnterpriseFilterSet(data, queryset=Enterprise.objects.all())
    assert filterset.is_valid(), filterset.errors
    return set(filterset.qs.values_list("uscc", flat=True))


def test_group_filter_follows_mapping_and_explicit_links_and_sub_areas() -> None:
    mapped, tagged, in_sub_area, outside = (EnterpriseFactory() for _ in range(4))
    group_link(mapped, "cluster-electronic-info", weight="0.5", primary=True)
    group_link(tagged, "cluster-electronic-info", source=MappingSource.EXPLICIT)
    sub_area = group("cluster-electronic-info").children.first()
    group_link(in_sub_area, sub_area.code)
    group_link(outside, "cluster-auto")

    result = uscc_of({"group": group("cluster-electronic-info").pk})
    result_sub = uscc_of({"group": sub_area.pk})

    assert result == {mapped.uscc, tagged.uscc, in_sub_area.uscc}
    assert result_sub == {in_sub_area.uscc}


def test_group_filter_lists_an_enterprise_once_whatever_its_links() -> None:
    enterprise = EnterpriseFactory()
    group_link(enterprise, "cluster-electronic-info", weight="0.5")
    group_link(enterprise, "cluster-electronic-info", source=MappingSource.EXPLICIT)

    filterset = EnterpriseFilterSet({"group": group("cluster-electronic-info").pk}, queryset=Enterprise.objects.all())

    assert filterset.qs.count() == 1


def test_tier_filter_holds_the_kind_valid_on_the_day() -> None:
    day = date(2025, 6, 30)
    valid = TierFactory(kind=TierKind.SRDI_SME, granted_on=date(2024, 1, 1), valid_until=date(2025, 6, 30)).enterprise
    ended = TierFactory(kind=TierKind.SRDI_SME, granted_on=date(2022, 1, 1), valid_until=date(2025, 6, 29)).enterprise
    revoked = TierFactory(kind=TierKind.SRDI_SME, status=TierStatus.REVOKED, valid_until=None).enterprise
    future = TierFactory(kind=TierKind.SRDI_SME, granted_on=date(2025, 7, 1), valid_until=None).enterprise
    other_kind = TierFactory(kind=TierKind.LITTLE_GIANT, valid_until=None).enterprise
    open_ended = TierFactory(kind=TierKind.SRDI_SME, granted_on=date(2020, 1, 1), valid_until=None).enterprise

    result = uscc_of({"tier": TierKind.SRDI_SME, "tier_on": day.isoformat()})

    assert result == {valid.uscc, open_ended.uscc}
    assert not {ended.uscc, revoked.uscc, future.uscc, other_kind.uscc} & result


def test_tier_filter_defaults_to_today(settings: Any) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    current = TierFactory(granted_on=today - timedelta(days=10), valid_until=today).enterprise
    TierFactory(granted_on=today - timedelta(days=400), valid_until=today - timedelta(days=1))

    assert uscc_of({"tier": TierKind.SRDI_SME}) == {current.uscc}


def test_size_class_uses_the_chosen_year() -> None:
    grew, shrank, new = EnterpriseFactory(), EnterpriseFactory(), EnterpriseFactory()
    YearFactFactory(enterprise=grew, year=2023, above_size=False)
    YearFactFactory(enterprise=grew, year=2024, above_size=True)
    YearFactFactory(enterprise=shrank, year=2023, above_size=True)
    YearFactFactory(enterprise=shrank, year=2024, above_size=False)
    YearFactFactory(enterprise=new, year=2024, above_size=True)

    assert uscc_of({"size_class": "above", "year": 2023}) == {shrank.uscc}
    assert uscc_of({"size_class": "below", "year": 2023}) == {grew.uscc}
    assert uscc_of({"size_class": "unknown", "year": 2023}) == {new.uscc}
    assert uscc_of({"size_class": "above", "year": 2024}) == {grew.uscc, new.uscc}


def test_size_class_without_year_uses_the_latest_year_with_facts() -> None:
    above, below = EnterpriseFactory(), EnterpriseFactory()
    YearFactFactory(enterprise=above, year=2022, above_size=False)
    YearFactFactory(enterprise=above, year=2024, above_size=True)
    YearFactFactory(enterprise=below, year=2024, above_size=False)

    assert uscc_of({"size_class": "above"}) == {above.uscc}


def test_year_alone_does_not_filter() -> None:
    with_facts, without = EnterpriseFactory(), EnterpriseFactory()
    YearFactFactory(enterprise=with_facts, year=2024)

    assert uscc_of({"year": 2024}) == {with_facts.uscc, without.uscc}


def test_year_out_of_range_is_invalid() -> None:
    filterset = EnterpriseFilterSet({"year": 1800}, queryset=Enterprise.objects.all())

    assert not filterset.is_valid()
    assert "year" in filterset.errors


def test_search_by_name_and_by_credit_code() -> None:
    one = EnterpriseFactory(name_zh="上海宝山精密齿轮有限公司", name_en="Baoshan Gears")
    two = EnterpriseFactory(name_zh="上海浦东芯片有限公司", name_en="Pudong Chips")

    assert uscc_of({"q": "齿轮"}) == {one.uscc}
    assert uscc_of({"q": "chips"}) == {two.uscc}
    assert uscc_of({"q": two.uscc.lower()}) == {two.uscc}


def test_ownership_and_flags() -> None:
    listed = EnterpriseFactory(is_listed=True, ownership_type="state")
    EnterpriseFactory(is_listed=False, is_headquarters=True)

    assert uscc_of({"is_listed": "true", "ownership_type": ["state"]}) == {listed.uscc}


def test_tier_filter_expiring_within_days_as_of_a_day() -> None:
    as_of = date(2025, 3, 1)
    soon = TierFactory(granted_on=date(2022, 1, 1), valid_until=as_of + timedelta(days=30))
    later = TierFactory(granted_on=date(2022, 1, 1), valid_until=as_of + timedelta(days=31))
    gone = TierFactory(granted_on=date(2022, 1, 1), valid_until=as_of - timedelta(days=1))

    filterset = TierFilterSet({"expiring_within_days": 30, "as_of": as_of.isoformat()}, queryset=Tier.objects.all())

    assert set(filterset.qs) == {soon}
    assert later not in filterset.qs
    assert gone not in filterset.qs


def test_mapping_filter_by_code_lists_the_rules_that_apply_to_it() -> None:
    filterset = IndustryMappingFilterSet({"industry_code": "3973"}, queryset=IndustryMapping.objects.all())

    codes = set(filterset.qs.values_list("industry_code", flat=True))

    assert codes
    assert all("3973".startswith(code) or code.startswith("3973") for code in codes)
