"""A small map world: parks, a strategic area, parcels in two districts, land uses, facts, grades and projects."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from industria.projects.tests.conftest import grant_project_roles


@pytest.fixture(autouse=True)
def _project_roles(monkeypatch: Any) -> None:
    grant_project_roles(monkeypatch)


@dataclass
class World:
    park: Any
    area: Any
    available: Any
    in_use: Any
    idle: Any
    minhang_parcel: Any
    pudong_firm: Any
    minhang_firm: Any
    project_on_parcel: Any
    project_in_park: Any
    project_in_district: Any

    @property
    def enterprise_names(self) -> list[str]:
        return [e.name_zh for e in (self.pudong_firm, self.minhang_firm)] + [
            e.name_en for e in (self.pudong_firm, self.minhang_firm)
        ]


def grade_round() -> Any:
    from industria.evaluations.models import EvaluationRound, RuleSet

    ruleset = RuleSet.objects.filter(programme="land_efficiency").first()
    return EvaluationRound.objects.create(
        name="land 2024", programme="land_efficiency", ruleset=ruleset, year=2024, as_of=dt.date(2025, 3, 1)
    )


@pytest.fixture
def world(db: Any) -> World:
    from industria.enterprises.tests.factories import EnterpriseFactory, YearFactFactory, group_link
    from industria.evaluations.models import LandEfficiencyGrade
    from industria.land.choices import ParcelStatus
    from industria.land.tests.factories import LandUseFactory, ParcelFactory, ParkFactory, StrategicAreaFactory
    from industria.land.tests.factories import district as district_of
    from industria.projects.models import KeyProject

    pudong, minhang = district_of("310115"), district_of("310112")
    park = ParkFactory(name_zh="张江测试园", name_en="Zhangjiang Test Park", district=pudong, lon=121.60, lat=31.20)
    area = StrategicAreaFactory(name_zh="测试新城", name_en="Test New City", lon=121.375, lat=31.11)
    available = ParcelFactory(
        parcel_code="MAP-AVAIL", district=pudong, park=park, status=ParcelStatus.AVAILABLE, lon=121.600, lat=31.200
    )
    in_use = ParcelFactory(
        parcel_code="MAP-INUSE", district=pudong, park=park, status=ParcelStatus.IN_USE, lon=121.603, lat=31.200
    )
    idle = ParcelFactory(parcel_code="MAP-IDLE", district=pudong, status=ParcelStatus.IDLE, lon=121.606, lat=31.200)
    minhang_parcel = ParcelFactory(
        parcel_code="MAP-MINHANG", district=minhang, status=ParcelStatus.IN_USE, lon=121.376, lat=31.112
    )
    pudong_firm = EnterpriseFactory(
        name_zh="浦东秘密制造有限公司", name_en="Pudong Secret Manufacturing Co", district=pudong
    )
    minhang_firm = EnterpriseFactory(
        name_zh="闵行机密科技有限公司", name_en="Minhang Confidential Tech Co", district=minhang
    )
    group_link(pudong_firm, _any_group_code())
    for firm, parcel in ((pudong_firm, in_use), (minhang_firm, minhang_parcel)):
        LandUseFactory(enterprise=firm, parcel=parcel, year=2024)
        YearFactFactory(
            enterprise=firm,
            year=2024,
            gross_output_cny=Decimal("987654321.00"),
            tax_paid_cny=Decimal("12345678.00"),
            land_area_mu=Decimal("15.00"),
        )
    round_ = grade_round()
    LandEfficiencyGrade.objects.create(enterprise=pudong_firm, year=2024, grade="D", round=round_)
    LandEfficiencyGrade.objects.create(enterprise=minhang_firm, year=2024, grade="A", round=round_)
    common = {"investor_name": "测试投资", "project_type": "new_build", "total_investment_cny": Decimal("5e8")}
    project_on_parcel = KeyProject.objects.create(
        code="KP-MAP-1", name_zh="地块项目", district=pudong, parcel=available, stage="signed", **common
    )
    project_in_park = KeyProject.objects.create(
        code="KP-MAP-2", name_zh="园区项目", district=pudong, park="张江测试园", stage="lead", **common
    )
    project_in_district = KeyProject.objects.create(
        code="KP-MAP-3", name_zh="区级项目", district=minhang, stage="negotiating", **common
    )
    return World(
        park, area, available, in_use, idle, minhang_parcel, pudong_firm, minhang_firm,
        project_on_parcel, project_in_park, project_in_district,
    )  # fmt: skip


def _any_group_code() -> str:
    from industria.enterprises.models import IndustryGroup

    return IndustryGroup.objects.filter(system__is_current=True).order_by("sort_order", "code").first().code
