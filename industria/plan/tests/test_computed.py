"""Computed indicators: definitions as data, evaluated live over the registry, set-based (one query each)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from industria.accounts.tests.factories import district
from industria.enterprises.models import EnterpriseGroup, IndustryGroup
from industria.enterprises.tests.factories import EnterpriseFactory, TierFactory, YearFactFactory
from industria.plan.computed import (
    ComputedDefinitionError,
    CountTiers,
    SumFact,
    describe,
    evaluate_computed,
    evaluate_many,
    parse_computed,
)
from industria.plan.progress import plan_progress_build

from .factories import IndicatorFactory, PlanFactory, TargetFactory, series

pytestmark = pytest.mark.django_db
DATES = [dt.date(2022, 12, 31), dt.date(2023, 12, 31), dt.date(2024, 12, 31), dt.date(2025, 6, 30)]
SRDI = {"kind": "count_tiers", "tier_kind": "srdi_sme", "status": "valid", "as_of": "period_end"}
AUTO = {"kind": "sum_fact", "fact": "gross_output_cny", "industry_group": "cluster-auto", "divide_by": 100000000}


@pytest.fixture
def tiers():
    a, b, c = EnterpriseFactory(), EnterpriseFactory(district=district("310114")), EnterpriseFactory()
    TierFactory(enterprise=a, granted_on=dt.date(2022, 3, 1), valid_until=dt.date(2024, 3, 1))
    TierFactory(enterprise=a, granted_on=dt.date(2024, 3, 2), valid_until=None)  # renewed: counted once
    TierFactory(enterprise=b, granted_on=dt.date(2023, 3, 2), valid_until=None, level="national")
    TierFactory(enterprise=c, granted_on=dt.date(2023, 5, 1), valid_until=None, status="revoked")
    return a, b, c


def _values(points):
    return [p.value for p in points]


def test_count_of_valid_tiers_at_each_period_end(tiers, django_assert_num_queries):
    with django_assert_num_queries(1):
        points = evaluate_computed(parse_computed(SRDI), dates=DATES)

    assert _values(points) == [1, 2, 2, 2]  # revoked tiers never count; a renewal is one enterprise


def test_count_of_one_level_only(tiers):
    national = parse_computed({**SRDI, "level": "national"})

    assert _values(evaluate_computed(national, dates=DATES)) == [1, 1, 1]  # from the first national grant (2023)


def test_count_of_holders_first_granted_since_a_date(tiers):
    new_since_2023 = parse_computed({**SRDI, "first_granted_from": "2023-01-01"})

    assert _values(evaluate_computed(new_since_2023, dates=DATES)) == [0, 1, 1, 1]  # a's first grant was 2022


def test_a_tier_kind_the_registry_does_not_hold_gives_no_values_not_zero(tiers):
    assert evaluate_computed(parse_computed({**SRDI, "tier_kind": "unicorn"}), dates=DATES) == []


def test_count_by_district_and_by_industry_group(tiers):
    auto = IndustryGroup.objects.get(code="cluster-auto")
    EnterpriseGroup.objects.create(enterprise=tiers[0], group=auto, source="mapping", weight=Decimal("0.3"))

    by_district = evaluate_computed(parse_computed(SRDI), dates=DATES[-1:], breakdown="district")
    by_group = evaluate_computed(parse_computed(SRDI), dates=DATES[-1:], breakdown="industry_group")

    assert {(p.district_code, p.value) for p in by_district} == {("310115", 1.0), ("310114", 1.0)}
    assert {(p.group_code, p.value) for p in by_group} == {("cluster-auto", 1.0)}


@pytest.fixture
def outputs():
    auto = IndustryGroup.objects.get(code="cluster-auto")
    nev = IndustryGroup.objects.get(code="cluster-auto-nev")
    a, b, c = EnterpriseFactory(), EnterpriseFactory(district=district("310114")), EnterpriseFactory()
    EnterpriseGroup.objects.create(enterprise=a, group=auto, source="mapping", weight=Decimal("0.5"))
    EnterpriseGroup.objects.create(enterprise=a, group=nev, source="explicit", weight=Decimal("1"))  # sub-area
    EnterpriseGroup.objects.create(enterprise=b, group=auto, source="mapping", weight=Decimal("0.25"))
    YearFactFactory(enterprise=a, year=2023, gross_output_cny=Decimal("100000000"))
    YearFactFactory(enterprise=a, year=2024, gross_output_cny=Decimal("200000000"))
    YearFactFactory(enterprise=b, year=2024, gross_output_cny=Decimal("400000000"), synthetic=True)
    YearFactFactory(enterprise=c, year=2024, gross_output_cny=Decimal("999000000"))  # not in the group
    return a, b, c


def test_sum_of_a_fact_over_a_group_and_its_sub_areas_each_enterprise_once_at_its_largest_weight(outputs):
    points = evaluate_computed(parse_computed(AUTO), dates=DATES)

    assert [(p.period.year, p.value) for p in points] == [(2023, 1.0), (2024, 3.0)]  # 2 + 4 x 0.25 (亿元)
    assert points[-1].synthetic is True


def test_sum_by_district_for_the_latest_complete_year(outputs):
    points = evaluate_computed(parse_computed(AUTO), dates=DATES, breakdown="district")

    assert {(p.district_code, p.value) for p in points} == {("310115", 2.0), ("310114", 1.0)}


def test_many_definitions_cost_one_tier_query_and_one_query_per_sum(tiers, outputs, django_assert_num_queries):
    definitions = {
        "srdi": parse_computed(SRDI),
        "giants": parse_computed({**SRDI, "tier_kind": "little_giant"}),
        "new": parse_computed({**SRDI, "first_granted_from": "2023-01-01"}),
        "auto": parse_computed(AUTO),
        "materials": parse_computed({**AUTO, "industry_group": "cluster-advanced-materials"}),
    }

    with django_assert_num_queries(4):  # all tier counts at once, the group tree, one sum per group
        values = evaluate_many(definitions, dates=DATES)

    assert _values(values["srdi"]) == [1, 2, 2, 2]
    assert values["giants"] == []
    assert _values(values["new"]) == [0, 1, 1, 1]
    assert _values(values["auto"]) == [1.0, 3.0]
    assert values["materials"] == []


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"kind": "count_tiers", "tier_kind": "smart_factory_benchmark"}, "computed.tier_kind"),
        ({"kind": "count_tiers", "tier_kind": "srdi_sme", "level": "provincial"}, "computed.level"),
        ({"kind": "sum_fact", "fact": "password", "industry_group": "cluster-auto"}, "computed.fact"),
        ({"kind": "sum_fact", "fact": "gross_output_cny"}, "computed.industry_group"),
        ({"kind": "median"}, "computed.kind"),
        ({**SRDI, "extra": 1}, "computed: unknown keys"),
    ],
)
def test_malformed_definitions_fail_naming_the_field(raw, path):
    with pytest.raises(ComputedDefinitionError, match=path):
        parse_computed(raw)


def test_definitions_read_in_words():
    assert "valid tier" in describe(CountTiers(tier_kind="little_giant", level="national"))
    text = describe(
        SumFact(fact="gross_output_cny", industry_group="cluster-auto", divide_by=Decimal(100000000)),
        names={"cluster-auto": "Automotive"},
    )
    assert "Automotive" in text
    assert "100,000,000" in text


def test_registry_values_fill_years_without_a_recorded_figure_and_synthetic_ones_never_mix_with_real(tiers):
    plan = PlanFactory()
    recorded = IndicatorFactory(plan=plan, target_kind="count", value_kind="count", computed=SRDI, cadence="")
    TargetFactory(indicator=recorded, value=Decimal("10"))
    series(recorded, {2023: 5})
    pure = IndicatorFactory(plan=plan, target_kind="count", value_kind="count", computed=SRDI, cadence="")
    TargetFactory(indicator=pure, value=Decimal("10"))

    snapshot = plan_progress_build(plan=plan, as_of=dt.date(2025, 6, 30))

    mixed = {r["year"]: (r["value"], r["computed"]) for r in snapshot["indicators"][recorded.code]["annual"]}
    assert mixed[2023] == (5.0, False)  # the recorded figure wins
    assert mixed[2024] == (2.0, True)  # the registry fills the gap
    only_registry = [r["value"] for r in snapshot["indicators"][pure.code]["annual"]]
    assert only_registry == [1.0, 2.0, 2.0, 2.0]


def test_synthetic_registry_values_are_not_mixed_into_real_figures(outputs):
    plan = PlanFactory()
    indicator = IndicatorFactory(plan=plan, computed=AUTO, cadence="")
    TargetFactory(indicator=indicator, value=Decimal("10"))
    series(indicator, {2023: 1.5})

    annual = plan_progress_build(plan=plan, as_of=dt.date(2025, 6, 30))["indicators"][indicator.code]["annual"]

    assert [(r["year"], r["computed"]) for r in annual] == [(2023, False)]  # 2024 registry sum is synthetic


def test_ratio_of_two_indicators_is_computed_for_years_where_both_exist():
    plan = PlanFactory()
    num = IndicatorFactory(plan=plan, code="va")
    den = IndicatorFactory(plan=plan, code="gdp", target_kind="context")
    share = IndicatorFactory(
        plan=plan,
        code="va_share",
        unit="pct",
        target_kind="ratio",
        value_kind="ratio",
        computed={"kind": "ratio_of_indicators", "numerator": "va", "denominator": "gdp", "scale": 100},
        cadence="",
    )
    TargetFactory(indicator=share, value=Decimal("25"))
    series(num, {2021: 25, 2022: 27})
    series(den, {2020: 90, 2021: 100, 2022: 108})

    annual = plan_progress_build(plan=plan, as_of=dt.date(2025, 6, 30))["indicators"]["va_share"]["annual"]

    assert [(r["year"], round(r["value"], 6), r["status"]) for r in annual] == [
        (2021, 25.0, "estimated"),
        (2022, 25.0, "estimated"),
    ]
