"""The capped paginator counts exactly up to its cap and says when it stopped."""

from typing import Any

import pytest

from industria.core.pagination import CappedPaginator
from industria.enterprises.models import Enterprise
from industria.enterprises.tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("rows", "cap", "count", "capped"), [(3, 5, 3, False), (5, 5, 5, False), (7, 5, 6, True)])
def test_count_is_exact_up_to_the_cap(rows: int, cap: int, count: int, capped: bool, monkeypatch: Any) -> None:
    for _ in range(rows):
        EnterpriseFactory()
    paginator = CappedPaginator(Enterprise.objects.order_by("uscc"), 2)
    monkeypatch.setattr(paginator, "cap", cap)

    assert (paginator.count, paginator.count_is_capped) == (count, capped)
    assert len(paginator.page(1).object_list) == 2
