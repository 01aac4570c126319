"""The shipped plan: loaded by migration from fixtures/reference/plan/, idempotent, sources everywhere."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone

from industria.enterprises.choices import TierKind
from industria.enterprises.models import IndustryGroup
from industria.plan.computed import CountTiers, SumFact, parse_computed
from industria.plan.models import (
    DataSource,
    IndicatorActual,
    IndicatorTarget,
    PlanAction,
    PlanGoal,
    PlanIndicator,
    PlanTask,
)
from industria.plan.reference import SHANGHAI_PLAN, plan_reference_load, read_plan

pytestmark = pytest.mark.django_db


def test_shipped_plan_loads_with_its_goals_actions_tasks_and_indicators(shanghai_plan):
    doc = read_plan()

    assert shanghai_plan.document_no == "沪府办发〔2023〕8号"
    assert (shanghai_plan.start_year, shanghai_plan.end_year) == (2023, 2025)
    assert PlanGoal.objects.filter(plan=shanghai_plan).count() == len(doc["goals"])
    assert list(PlanAction.objects.filter(plan=shanghai_plan).values_list("number", flat=True)) == [1, 2, 3, 4, 5, 6]
    assert list(PlanTask.objects.filter(plan=shanghai_plan).values_list("number", flat=True)) == list(range(1, 23))
    assert PlanIndicator.objects.filter(plan=shanghai_plan).count() == len(doc["indicators"]) + len(
        doc["context_series"]
    )
    assert PlanIndicator.objects.filter(plan=shanghai_plan, is_headline=True).count() == 10


def test_headline_target_of_industrial_value_added_is_more_than_13000_yi(shanghai_plan):
    target = IndicatorTarget.objects.get(indicator__plan=shanghai_plan, indicator__code="industrial_value_added")

    assert (target.year, target.value, target.comparator) == (2025, Decimal("13000"), "gt")
    assert target.source.code == "PLAN-2023"


def test_every_real_figure_has_a_source_and_uncertain_ones_are_never_confirmed(shanghai_plan):
    actuals = IndicatorActual.objects.filter(indicator__plan=shanghai_plan)

    assert actuals.count() > 50
    assert not actuals.filter(source__isnull=True).exclude(status="synthetic").exists()
    uncertain = actuals.filter(uncertain=True)
    assert uncertain.exists()
    assert set(uncertain.values_list("status", flat=True)) == {"estimated"}


def test_known_on_dates_come_from_the_yaml_or_are_marked_inferred(shanghai_plan):
    gdp_2023 = IndicatorActual.objects.filter(indicator__code="gdp", period=dt.date(2023, 12, 31))

    assert set(gdp_2023.values_list("vintage", "as_of_date", "as_of_inferred")) == {
        ("first_release", dt.date(2024, 1, 29), False),
        ("census_revised", dt.date(2025, 3, 24), False),
    }
    inferred = IndicatorActual.objects.filter(as_of_inferred=True)
    assert inferred.exists()
    assert all(a.as_of_date >= a.period for a in inferred)


def test_tasks_the_text_does_not_name_are_marked_for_the_administrator(shanghai_plan):
    todo = PlanTask.objects.filter(plan=shanghai_plan, to_be_completed_by_admin=True)

    assert set(range(7, 23)) <= set(todo.values_list("number", flat=True))
    first = PlanTask.objects.get(plan=shanghai_plan, number=1)
    assert first.name_zh == "打造世界级产业集群"
    assert {d.name_zh for d in first.responsible_departments.all()} == {"市经济信息化委", "市发展改革委"}
    assert first.responsible_units_complete is False


def test_computed_definitions_use_registry_tier_kinds_and_industry_groups(shanghai_plan):
    groups = set(IndustryGroup.objects.filter(system__is_current=True).values_list("code", flat=True))
    computed = PlanIndicator.objects.filter(plan=shanghai_plan, computed__isnull=False)

    kinds = set()
    for indicator in computed:
        definition = parse_computed(indicator.computed)
        if isinstance(definition, CountTiers):
            assert definition.tier_kind in TierKind.values
            kinds.add(definition.tier_kind)
        if isinstance(definition, SumFact):
            assert definition.industry_group in groups
    assert {"srdi_sme", "little_giant", "ten_billion", "high_tech"} <= kinds
    assert computed.filter(code="cluster_automotive_output").get().computed["industry_group"] == "cluster-auto"


def test_loading_again_changes_nothing_and_keeps_what_administrators_set(shanghai_plan, make_user):
    admin = make_user("municipal_admin")
    indicator = PlanIndicator.objects.get(plan=shanghai_plan, code="sei_output_share")
    indicator.owner, indicator.cadence, indicator.next_due_on = admin, "quarterly", dt.date(2027, 1, 1)
    indicator.save()
    task = PlanTask.objects.get(plan=shanghai_plan, number=9)
    task.name_zh, task.status = "管理员补充的任务名称", "on_track"
    task.save()
    before = {
        model: model.objects.count()
        for model in (DataSource, PlanIndicator, IndicatorTarget, IndicatorActual, PlanTask, PlanGoal, PlanAction)
    }

    plan_reference_load(apps.get_model, SHANGHAI_PLAN, now=timezone.now())

    assert {model: model.objects.count() for model in before} == before
    indicator.refresh_from_db()
    task.refresh_from_db()
    assert (indicator.owner, indicator.cadence, indicator.next_due_on) == (admin, "quarterly", dt.date(2027, 1, 1))
    assert (task.name_zh, task.status) == ("管理员补充的任务名称", "on_track")
