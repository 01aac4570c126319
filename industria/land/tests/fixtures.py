"""Small hand-built fixtures shared by the land tests (the acceptance cases of the issue)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from industria.enterprises.tests.factories import EnterpriseFactory, YearFactFactory
from industria.evaluations.models import EvaluationRound, LandEfficiencyGrade, RuleSet
from industria.land.tests.factories import LandUseFactory, ParcelFactory, ParkFactory, district

AS_OF = dt.date(2025, 6, 30)
YEAR = 2024
NOT_YET = {"transfer_on": None, "construction_started_on": None, "completed_on": None, "producing_on": None}


def grade(enterprise: Any, letter: str, year: int = YEAR) -> LandEfficiencyGrade:
    ruleset = RuleSet.objects.filter(code="land-efficiency-zj").first() or RuleSet.objects.first()
    round_ = EvaluationRound.objects.create(
        name=f"test {letter} {enterprise.pk}", programme="land_efficiency", ruleset=ruleset, year=year, as_of=AS_OF
    )
    return LandEfficiencyGrade.objects.create(enterprise=enterprise, year=year, grade=letter, round=round_)


def user_of(parcel: Any, *, output_cny: str, tax_cny: str, letter: str | None = None) -> Any:
    enterprise = EnterpriseFactory(district=parcel.district)
    YearFactFactory(
        enterprise=enterprise, year=YEAR, gross_output_cny=Decimal(output_cny), tax_paid_cny=Decimal(tax_cny)
    )
    LandUseFactory(enterprise=enterprise, parcel=parcel, year=YEAR)
    if letter:
        grade(enterprise, letter)
    return enterprise


def inefficiency_fixture() -> dict[str, list[str]]:
    """Parcels of every kind (and two efficient ones) on 2025-06-30 with 2024 facts; returns the expected list
    ``{parcel_code: kinds}`` for a city-wide user."""
    pudong, jiading = district("310115"), district("310114")
    ParcelFactory(parcel_code="INEF-A", district=pudong, status="available", approved_on=dt.date(2022, 1, 1),
                  developed_share=None, **NOT_YET)  # fmt: skip
    ParcelFactory(parcel_code="INEF-B", district=pudong, status="under_construction", transfer_on=dt.date(2023, 1, 1),
                  construction_started_on=None, completed_on=None, producing_on=None, developed_share=None)  # fmt: skip
    ParcelFactory(parcel_code="INEF-C", district=pudong, developed_share=Decimal("0.3"))
    ParcelFactory(parcel_code="INEF-D", district=pudong, completed_on=dt.date(2023, 6, 1), producing_on=None)
    below = ParcelFactory(
        parcel_code="INEF-E",
        district=pudong,
        agreed_output_cny_per_mu=Decimal("1000000"),
        agreed_tax_cny_per_mu=Decimal("50000"),
    )
    user_of(below, output_cny="5000000", tax_cny="1500000")  # ≈333k/mu < 1M agreed
    graded = ParcelFactory(parcel_code="INEF-F", district=pudong)
    user_of(graded, output_cny="30000000", tax_cny="1500000", letter="D")
    ParcelFactory(parcel_code="INEF-G", district=pudong, status="idle")
    ParcelFactory(parcel_code="INEF-H", district=pudong, status="idle", developed_share=Decimal("0.2"))
    good = ParcelFactory(parcel_code="OK-1", district=pudong, agreed_output_cny_per_mu=Decimal("1000000"))
    user_of(good, output_cny="30000000", tax_cny="1500000", letter="A")
    ramping = ParcelFactory(
        parcel_code="OK-2",
        district=pudong,
        producing_on=dt.date(2023, 1, 1),
        agreed_output_cny_per_mu=Decimal("1000000"),
    )
    user_of(ramping, output_cny="1000000", tax_cny="100000", letter="B")
    ParcelFactory(parcel_code="OTHER-1", district=jiading, status="idle")
    return {
        "INEF-A": ["approved_not_supplied"],
        "INEF-B": ["supplied_not_used"],
        "INEF-C": ["used_not_fully"],
        "INEF-D": ["built_not_producing"],
        "INEF-E": ["below_standard"],
        "INEF-F": ["grade_d"],
        "INEF-G": ["idle"],
        "INEF-H": ["used_not_fully", "idle"],
        "OTHER-1": ["idle"],
    }


def site_fixture(group_code: str) -> dict[str, Any]:
    """Two parks and five parcels around the criteria of ``site_criteria``."""
    from industria.enterprises.models import IndustryGroup

    pudong, jiading = district("310115"), district("310114")
    group = IndustryGroup.objects.get(code=group_code, system__is_current=True)
    pk1 = ParkFactory(code="SS-PK1", district=pudong, available_land_mu=Decimal("200"), lead_groups=[group])
    pk2 = ParkFactory(code="SS-PK2", district=jiading, available_land_mu=Decimal("50"))
    available = {"status": "available", "floor_area_ratio": Decimal("2.0"), "available_from": None}
    s1 = ParcelFactory(parcel_code="SS-1", district=pudong, park=pk1, **available)
    s2 = ParcelFactory(parcel_code="SS-2", district=jiading, **available)
    ParcelFactory(parcel_code="SS-3", district=pudong, **{**available, "available_from": dt.date(2026, 1, 1)})
    ParcelFactory(parcel_code="SS-4", district=pudong, status="in_use")
    ParcelFactory(parcel_code="SS-5", district=pudong, side_m=200, **available)  # 60 mu: above the range
    ParcelFactory(parcel_code="SS-6", district=pudong, **{**available, "floor_area_ratio": Decimal("1.0")})
    return {"pk1": pk1, "pk2": pk2, "s1": s1, "s2": s2, "group": group}


def site_criteria(group_code: str) -> dict[str, Any]:
    return {
        "min_area_mu": 10,
        "max_area_mu": 30,
        "min_floor_area_ratio": 1.5,
        "industry_group_code": group_code,
        "preferred_district_codes": ["310115"],
        "available_by": "2025-06-30",
    }


def a_group_code() -> str:
    from industria.enterprises.models import IndustryGroup

    return (
        IndustryGroup.objects.filter(system__is_current=True, parent__isnull=True)
        .order_by("sort_order", "code")
        .values_list("code", flat=True)
        .first()
    )
