"""Factories of the projects app (no JSON fixtures: reference templates and rules come from migrations)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory

from industria.accounts.models import Department, District
from industria.projects.models import KeyProject, NodeTemplate


class KeyProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyProject

    code = factory.Sequence(lambda n: f"KP-2025-T-{n:05d}")
    name_zh = factory.Sequence(lambda n: f"测试重点产业项目{n}")
    name_en = factory.Sequence(lambda n: f"Test key project {n}")
    investor_name = "测试投资有限公司"
    district = factory.LazyFunction(lambda: District.objects.get(code="310115"))
    project_type = "new_build"
    total_investment_cny = Decimal("500000000.00")
    fixed_asset_investment_cny = Decimal("400000000.00")
    expected_output_cny = Decimal("800000000.00")
    stage = "signed"
    lead_on = dt.date(2024, 1, 2)
    signed_on = dt.date(2024, 3, 1)


def template(code: str = "new_build-standard") -> NodeTemplate:
    return NodeTemplate.objects.get(code=code)


def department(name: str = "测试区经济委员会", district_code: str | None = "310115") -> Department:
    district = District.objects.get(code=district_code) if district_code else None
    return Department.objects.get_or_create(name_zh=name, district=district)[0]


def project(**kwargs: Any) -> KeyProject:
    return KeyProjectFactory(**kwargs)
