"""Factories of the registry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import factory
from stdnum.cn import uscc as stdnum_uscc

from industria.accounts.models import District
from industria.enterprises.choices import MappingSource, TierKind, TierLevel, TierStatus
from industria.enterprises.models import (
    Enterprise,
    EnterpriseGroup,
    EnterpriseMonthFact,
    EnterpriseYearFact,
    IndustryGroup,
    Tier,
)


def valid_uscc(n: int, region: str = "310115") -> str:
    """A valid credit code: registration authority 9, type 1, region, organisation code, check digit."""
    body = f"91{region}{n:09d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


class EnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enterprise

    district = factory.LazyFunction(lambda: District.objects.get(code="310115"))
    uscc = factory.Sequence(lambda n: valid_uscc(n + 1000))
    name_zh = factory.Sequence(lambda n: f"上海测试制造有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Shanghai Test Manufacturing Co. {n}")
    industry_code = "3973"


class YearFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseYearFact

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    main_revenue_cny = Decimal("30000000.00")
    gross_output_cny = Decimal("32000000.00")
    value_added_cny = Decimal("8000000.00")
    tax_paid_cny = Decimal("1500000.00")
    employees_avg = 120
    above_size = True


class MonthFactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EnterpriseMonthFact

    enterprise = factory.SubFactory(EnterpriseFactory)
    year = 2024
    month = 1
    gross_output_cny = Decimal("2500000.00")
    value_added_cny = Decimal("600000.00")


class TierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tier

    enterprise = factory.SubFactory(EnterpriseFactory)
    kind = TierKind.SRDI_SME
    level = TierLevel.MUNICIPAL
    batch = "2024-1"
    granted_on = date(2024, 1, 1)
    valid_until = date(2026, 12, 31)
    source_document = factory.Sequence(lambda n: f"沪经信企〔2024〕{n + 100}号")
    status = TierStatus.VALID


def group(code: str) -> IndustryGroup:
    """A group of the reference industrial system (loaded by migration)."""
    return IndustryGroup.objects.get(code=code)


def group_link(
    enterprise: Enterprise,
    code: str,
    *,
    source: str = MappingSource.MAPPING,
    weight: str | Decimal = "1",
    primary: bool = False,
) -> EnterpriseGroup:
    """An enterprise's membership of the reference group ``code``."""
    return EnterpriseGroup.objects.create(
        enterprise=enterprise, group=group(code), source=source, weight=Decimal(str(weight)), primary=primary
    )
