"""API of the registry: the declarative cases."""

from typing import Any

from industria.core.testing import APICases
from industria.enterprises.models import Enterprise

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
