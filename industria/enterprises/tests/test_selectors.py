"""Read models of the registry pages: list annotations, tier expiry, facts series, group roll-ups."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from industria.enterprises import selectors
from industria.enterprises.choices import Confidence, MappingSource, TierStatus

from .factories import (
    EnterpriseFactory,
    MonthFactFactory,
    TierFactory,
    YearFactFactory,
    group,
    group_link,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(make_user: Any) -> Any:
    return make_user("municipal_admin")


def test_enterprise_list_prefetches_the_year_facts_and_the_primary_group(
    admin: Any, django_assert_num_queries: Any
) -> None:
    enterprise = EnterpriseFactory()
    YearFactFactory(enterprise=enterprise, year=2023, main_revenue_cny=Decimal("100.00"))
    YearFactFactory(enterprise=enterprise, year=2024, main_revenue_cny=Decimal("200.00"), above_size=False)
    group_link(enterprise, "lead-ic", primary=True)
    group_link(enterprise, "cluster-electronic-info", primary=True)
    group_link(enterprise, "track-digital-economy")
    EnterpriseFactory()
    admin.has_perm("enterprises.view_enterprise")  # the role's permissions are loaded once per user

    with django_assert_num_queries(3):
        rows = list(selectors.enterprise_list(user=admin, year=2023))

    fact = selectors.enterprise_year_fact(rows[0])
    assert fact is not None
    assert (fact.year, fact.main_revenue_cny, fact.above_size) == (2023, Decimal("100.00"), True)
    assert selectors.enterprise_primary_group(rows[0]) == group("cluster-electronic-info")
    assert selectors.enterprise_year_fact(rows[1]) is None
    assert selectors.enterprise_primary_group(rows[1]) is None


def test_enterprise_list_without_a_facts_year_has_no_facts(admin: Any) -> None:
    YearFactFactory(year=2020)

    row = selectors.enterprise_list(user=admin, year=None).get()

    assert selectors.enterprise_year_fact(row) is None


def test_enterprise_list_is_scoped(make_user: Any) -> None:
    from industria.accounts.tests.factories import district

    own = EnterpriseFactory()
    EnterpriseFactory(district=district("310114"))
    officer = make_user("district_officer", district_code="310115")

    assert list(selectors.enterprise_list(user=officer, year=None)) == [own]


@pytest.mark.parametrize(("days_left", "flagged"), [(89, True), (90, True), (91, False)])
def test_tier_expiry_flag_at_the_90_day_boundary(days_left: int, flagged: bool, admin: Any) -> None:
    as_of = date(2025, 5, 20)
    tier = TierFactory(granted_on=date(2023, 1, 1), valid_until=as_of + timedelta(days=days_left))

    on_page = selectors.enterprise_tiers(enterprise=tier.enterprise, as_of=as_of)[0]
    in_list = selectors.tier_list(user=admin, as_of=as_of).get()

    assert on_page.expiring is flagged
    assert in_list.expiring is flagged
    assert on_page.days_left == days_left


def test_tier_past_its_validity_or_revoked_is_not_flagged(admin: Any) -> None:
    as_of = date(2025, 5, 20)
    ended = TierFactory(granted_on=date(2023, 1, 1), valid_until=as_of - timedelta(days=1))
    revoked = TierFactory(
        granted_on=date(2023, 1, 1), valid_until=as_of + timedelta(days=10), status=TierStatus.REVOKED
    )

    rows = {t.pk: t for t in selectors.tier_list(user=admin, as_of=as_of)}

    assert rows[ended.pk].expiring is False
    assert rows[ended.pk].valid_now is False
    assert rows[revoked.pk].expiring is False
    assert rows[revoked.pk].valid_now is False


def test_year_fact_charts_scale_money_to_ten_thousands_and_keep_gaps() -> None:
    enterprise = EnterpriseFactory()
    YearFactFactory(enterprise=enterprise, year=2022, main_revenue_cny=Decimal("12345678.90"), tax_paid_cny=None)
    YearFactFactory(enterprise=enterprise, year=2023, main_revenue_cny=Decimal("20000000.00"), employees_avg=150)

    charts = selectors.year_fact_charts(selectors.enterprise_year_facts(enterprise=enterprise))

    finance = {s["name"]: s["data"] for s in charts["finance"]["series"]}
    assert charts["finance"]["x"] == ["2022", "2023"]
    assert finance["Main-business revenue"] == [1234.57, 2000.0]
    assert finance["Tax paid"] == [None, 150.0]
    assert charts["employees"]["series"][0]["data"] == [120, 150]


def test_month_chart_covers_24_months_up_to_the_latest_report() -> None:
    enterprise = EnterpriseFactory()
    MonthFactFactory(enterprise=enterprise, year=2023, month=2, gross_output_cny=Decimal("10000"))
    MonthFactFactory(enterprise=enterprise, year=2024, month=12, gross_output_cny=Decimal("30000"))
    MonthFactFactory(enterprise=enterprise, year=2025, month=3, gross_output_cny=Decimal("99999"))
    MonthFactFactory(enterprise=enterprise, year=2022, month=12, gross_output_cny=Decimal("50000"))

    chart = selectors.month_output_chart(enterprise=enterprise, as_of=date(2025, 2, 15))

    assert len(chart["x"]) == 24
    assert chart["x"][0] == "2023-01"
    assert chart["x"][-1] == "2024-12"
    output = chart["series"][0]["data"]
    assert output[1] == 1.0
    assert output[-1] == 3.0
    assert output.count(None) == 22


def test_month_chart_without_data_is_empty() -> None:
    chart = selectors.month_output_chart(enterprise=EnterpriseFactory(), as_of=date(2025, 1, 1))

    assert chart["x"] == []
    assert chart["series"] == []


def test_group_rollup_counts_each_enterprise_once_with_weighted_output(admin: Any) -> None:
    parent = group("cluster-electronic-info")
    sub_area = parent.children.first()
    half, tagged_twice, in_sub_and_parent, no_facts = (EnterpriseFactory() for _ in range(4))
    group_link(half, parent.code, weight="0.5")
    group_link(tagged_twice, parent.code, weight="0.3")
    group_link(tagged_twice, parent.code, source=MappingSource.EXPLICIT)
    group_link(in_sub_and_parent, parent.code, weight="0.6")
    group_link(in_sub_and_parent, sub_area.code, weight="0.6")
    group_link(no_facts, parent.code)
    for enterprise in (half, tagged_twice, in_sub_and_parent):
        YearFactFactory(enterprise=enterprise, year=2024, gross_output_cny=Decimal("1000.00"))
        YearFactFactory(enterprise=enterprise, year=2023, gross_output_cny=Decimal("7777.00"))

    rollup = selectors.industry_group_rollup(
        user=admin, group_ids=selectors.industry_group_subtree_ids(parent), year=2024
    )
    sub_rollup = selectors.industry_group_rollup(user=admin, group_ids=[sub_area.pk], year=2024)

    assert rollup.enterprises == 4
    assert rollup.gross_output_cny == Decimal("2500.00")  # 0.5 + min(1.3, 1) + min(1.2, 1) thousand
    assert sub_rollup.enterprises == 1
    assert sub_rollup.gross_output_cny == Decimal("600.00")


def test_group_rollup_is_scoped_to_the_district(make_user: Any) -> None:
    from industria.accounts.tests.factories import district

    own, other = EnterpriseFactory(), EnterpriseFactory(district=district("310114"))
    for enterprise in (own, other):
        group_link(enterprise, "cluster-auto")
        YearFactFactory(enterprise=enterprise, year=2024, gross_output_cny=Decimal("100.00"))
    officer = make_user("district_officer", district_code="310115")

    rollup = selectors.industry_group_rollup(user=officer, group_ids=[group("cluster-auto").pk], year=2024)

    assert (rollup.enterprises, rollup.gross_output_cny) == (1, Decimal("100.00"))


def test_group_target_marks_memory_and_uncertain_values() -> None:
    cluster = group("cluster-auto")
    cluster.target_confidence = Confidence.M
    confirmed = selectors.group_target(group("cluster-electronic-info"))

    from_memory = selectors.group_target(cluster)

    assert confirmed is not None
    assert not confirmed.uncertain
    assert confirmed.value == Decimal("10000")
    assert confirmed.unit == "CNY 100 million"
    assert from_memory is not None
    assert from_memory.uncertain
    assert from_memory.uncertain_label == "from memory"


def test_group_tree_has_layers_in_order_with_sub_areas() -> None:
    layers = selectors.industry_group_tree(system=selectors.industry_system_current())

    kinds = [layer.kind for layer in layers]
    clusters = next(layer for layer in layers if layer.kind == "key_cluster")
    assert kinds == ["transformation", "leading_industry", "key_cluster", "new_track", "future_industry"]
    assert len(clusters.nodes) == 6
    assert all(child.group.parent_id == node.group.pk for node in clusters.nodes for child in node.children)


def test_industry_category_path_runs_from_section_to_class() -> None:
    path = selectors.industry_category_path("3973")

    assert [c.level for c in path][:2] == ["section", "division"]
    assert path[0].code == "C"
    assert path[1].code == "39"
