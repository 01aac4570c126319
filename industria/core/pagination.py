"""A paginator whose count stops at a cap, so a page of a 500,000-row list costs milliseconds, not a full count.

Past the cap the page says "more than N rows"; exact totals belong to reports and statistics, not to list pages.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.utils.functional import cached_property

COUNT_CAP = 10_000
#: a filtered or searched list counts only this far: the matches are spread over the table, so counting them
#: means scanning it; the user narrows the filter or exports instead of paging past the first thousand
FILTERED_COUNT_CAP = 1_000


class CappedPaginator(Paginator):
    """``count`` is exact up to ``COUNT_CAP`` and ``COUNT_CAP + 1`` beyond (``count_is_capped`` tells which)."""

    cap = COUNT_CAP

    def __init__(self, object_list: Any, per_page: int, *args: Any, cap: int | None = None, **kwargs: Any):
        super().__init__(object_list, per_page, *args, **kwargs)
        if cap is not None:
            self.cap = cap

    @cached_property
    def count(self) -> int:  # type: ignore[override]
        queryset: Any = self.object_list
        if not hasattr(queryset, "query"):
            return len(queryset)
        return queryset.order_by()[: self.cap + 1].count()

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.cap
