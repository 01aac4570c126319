"""Factories of the plan app."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from industria.plan.models import (
    DataSource,
    DevelopmentPlan,
    IndicatorActual,
    IndicatorTarget,
    PlanIndicator,
    PlanTask,
)


def source(code: str = "TEST-SOURCE") -> DataSource:
    obj, _ = DataSource.objects.get_or_create(
        code=code, defaults={"title": f"Test source {code}", "url": "https://example.org/stats"}
    )
    return obj


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    code = factory.Sequence(lambda n: f"TEST-PLAN-{n}")
    name_zh = factory.Sequence(lambda n: f"测试计划{n}")
    name_en = factory.Sequence(lambda n: f"Test plan {n}")
    start_year = 2023
    end_year = 2025
    is_current = False


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanIndicator

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"test_indicator_{n}")
    name_zh = factory.Sequence(lambda n: f"测试指标{n}")
    name_en = factory.Sequence(lambda n: f"Test indicator {n}")
    unit = "CNY_100M"
    unit_zh = "亿元"
    measure = "annual"
    target_kind = "level"
    value_kind = "level"
    is_public = False
    breakdown_district = True
    cadence = "yearly"
    rag_rule_set = "at_least"
    rag_rules = factory.LazyFunction(
        lambda: [
            {"status": "green", "when": "forecast >= target"},
            {"status": "amber", "when": "upper >= target or forecast >= 0.9 * target"},
            {"status": "red", "when": "true"},
        ]
    )


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    year = 2025
    value = Decimal("100")
    comparator = "gte"
    source = factory.LazyFunction(source)


class ActualFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorActual

    indicator = factory.SubFactory(IndicatorFactory)
    period = dt.date(2024, 12, 31)
    period_type = "year"
    value = Decimal("100")
    status = "published"
    as_of_date = dt.date(2025, 3, 1)
    source = factory.LazyFunction(source)
    confidence = "V"


def district_actual(district: Any) -> IndicatorActual:
    """A breakdown figure of a non-public indicator in ``district`` (for the declarative scope cases)."""
    indicator = IndicatorFactory(is_public=False, breakdown_district=True)
    return ActualFactory(indicator=indicator, district=district, citation=f"table {indicator.code}-{district.code}")


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanTask

    plan = factory.SubFactory(PlanFactory)
    number = factory.Sequence(lambda n: n + 100)
    name_zh = factory.Sequence(lambda n: f"测试任务{n}")
    name_en = factory.Sequence(lambda n: f"Test task {n}")
    cadence = "quarterly"
    next_due_on = dt.date(2025, 3, 31)


def series(indicator: PlanIndicator, values: dict[int, float], **kwargs: Any) -> list[IndicatorActual]:
    """Year actuals ``{year: value}``, each known on 1 March of the following year unless given."""
    rows = []
    for year, value in values.items():
        rows.append(
            ActualFactory(
                indicator=indicator,
                period=dt.date(year, 12, 31),
                value=Decimal(str(value)),
                as_of_date=kwargs.get("as_of_date") or dt.date(year + 1, 3, 1),
                **{k: v for k, v in kwargs.items() if k != "as_of_date"},
            )
        )
    return rows
