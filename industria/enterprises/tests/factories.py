"""Factories of the registry."""

from __future__ import annotations

import factory
from stdnum.cn import uscc as stdnum_uscc

from industria.accounts.models import District
from industria.enterprises.models import Enterprise


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
