"""UI of the registry: the declarative CRUD/scope/audit cases, plus the credit-code messages."""

from typing import Any

import pytest

from industria.core.testing import ViewCases
from industria.enterprises.models import Enterprise

from .factories import EnterpriseFactory, valid_uscc


def enterprise_form(district: Any) -> dict[str, Any]:
    return {
        "uscc": valid_uscc(777, district.code),
        "name_zh": "上海示例精密机械有限公司",
        "name_en": "Example Precision",
        "district": district.pk,
        "industry_code": "3460",
        "ownership_type": "private",
        "registered_capital_cny": "1000000.00",
    }


class TestEnterpriseViews(ViewCases.Standard):
    model = Enterprise
    factory = staticmethod(lambda district: EnterpriseFactory(district=district))
    form_data = staticmethod(enterprise_form)
    edit_field = ("name_en", "Renamed Co.")
    invalid_data = ({"uscc": "91310115MA1FL0000X"}, "uscc")
    export_key = "uscc"

    def form_data_for(self, obj: Any) -> dict[str, Any]:
        return {"uscc": obj.uscc, "name_zh": obj.name_zh}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("uscc", "message"),
    [
        ("91310115MA1FL0000", "has 18 characters; this one has 17"),
        ("91310115MA1FL0O00X", "Character 15"),
        (valid_uscc(5)[:17] + ("0" if valid_uscc(5)[17] != "0" else "1"), "check digit of the credit code is wrong"),
    ],
)
def test_bad_credit_code_is_explained(client: Any, make_user: Any, uscc: str, message: str) -> None:
    from industria.accounts.tests.factories import district

    client.force_login(make_user("district_officer", district_code="310115"))

    response = client.post("/enterprises/add/", {**enterprise_form(district("310115")), "uscc": uscc})

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["uscc"])
