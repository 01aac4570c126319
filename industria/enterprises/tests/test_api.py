"""API of the registry: the declarative cases."""

from typing import Any

import pytest

from industria.core.testing import APICases
from industria.enterprises.models import Enterprise, EnterpriseYearFact, Tier

from .factories import EnterpriseFactory, valid_uscc


class TestEnterpriseAPI(APICases.Standard):
    model = Enterprise
    factory = staticmethod(lambda district: EnterpriseFactory(district=district))
    api_data = staticmethod(
        lambda district: {
            "uscc": valid_uscc(888, district.code),
            "name_zh": "上海接口测试有限公司",
            "district": district.code,
            "industry_code": "3973",
        }
    )
    patch_field = ("name_en", "Patched Co.")
    invalid_api_data: tuple[dict[str, Any], str] = ({"uscc": "123"}, "uscc")


def _tier(district: Any) -> Any:
    from datetime import date

    from industria.enterprises.models import Tier

    return Tier.objects.create(
        enterprise=EnterpriseFactory(district=district),
        kind="srdi_sme",
        granted_on=date(2024, 1, 1),
        valid_until=date(2026, 12, 31),
    )


def _year_fact(district: Any) -> Any:
    from industria.enterprises.models import EnterpriseYearFact

    return EnterpriseYearFact.objects.create(
        enterprise=EnterpriseFactory(district=district), year=2024, main_revenue_cny="30000000.00"
    )


class TestTierAPI(APICases.Standard):
    model = Tier
    factory = staticmethod(_tier)
    api_data = staticmethod(
        lambda district: {
            "enterprise": EnterpriseFactory(district=district).uscc,
            "kind": "little_giant",
            "level": "national",
            "granted_on": "2024-07-01",
            "valid_until": "2027-06-30",
            "source_document": "工信部公告",
        }
    )
    patch_field = ("batch", "2024-5")
    invalid_api_data: tuple[dict[str, Any], str] = ({"kind": "no-such-tier"}, "kind")


class TestYearFactAPI(APICases.Standard):
    model = EnterpriseYearFact
    factory = staticmethod(_year_fact)
    api_data = staticmethod(
        lambda district: {
            "enterprise": EnterpriseFactory(district=district).uscc,
            "year": 2023,
            "main_revenue_cny": "25000000.00",
            "employees_avg": 120,
        }
    )
    patch_field = ("tax_paid_cny", "1200000.00")
    invalid_api_data: tuple[dict[str, Any], str] = ({"employees_avg": -5}, "employees_avg")


@pytest.mark.django_db
def test_api_year_fact_gets_above_size_from_the_rule(api_client: Any, make_user: Any) -> None:
    api_client.force_authenticate(make_user("municipal_admin"))
    enterprise = EnterpriseFactory()

    response = api_client.post(
        "/api/enterprises/year-facts/",
        {"enterprise": enterprise.uscc, "year": 2024, "main_revenue_cny": "20000000.00"},
        format="json",
    )

    assert response.status_code == 201, response.content
    assert response.json()["above_size"] is True


@pytest.mark.django_db
def test_reference_taxonomy_is_public(api_client: Any) -> None:
    groups = api_client.get("/api/enterprises/industry-groups/", {"kind": "key_cluster", "page_size": 100}).json()
    codes = api_client.get("/api/enterprises/industry-codes/", {"level": "division", "page_size": 100}).json()

    assert {g["code"] for g in groups["results"]} >= {"cluster-electronic-info", "cluster-auto"}
    assert codes["count"] >= 31 + 7 + 3  # manufacturing 13-43, mining 06-12, utilities 44-46


@pytest.mark.django_db
def test_district_officer_cannot_edit_the_mapping(api_client: Any, make_user: Any) -> None:
    api_client.force_authenticate(make_user("district_officer", district_code="310115"))

    response = api_client.post(
        "/api/enterprises/industry-mappings/",
        {"industry_code": "31", "group": "lead-ai", "weight": "0.5"},
        format="json",
    )

    assert response.status_code == 403
