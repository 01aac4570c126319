"""One pagination convention for every endpoint: ``?page=N&page_size=M`` (max 500).

``count`` is exact up to 10,000 rows; beyond, ``count_is_capped`` is true (see core.pagination).
"""

from typing import Any

from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from industria.core.pagination import CappedPaginator


class StandardPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500
    django_paginator_class = CappedPaginator

    def get_paginated_response(self, data: Any) -> Response:
        response = super().get_paginated_response(data)
        response.data["count_is_capped"] = self.page.paginator.count_is_capped
        return response

    def get_paginated_response_schema(self, schema: dict) -> dict:
        result = super().get_paginated_response_schema(schema)
        result["properties"]["count_is_capped"] = {"type": "boolean"}
        return result
