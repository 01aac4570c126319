"""Fixtures of the plan tests: the plan app's role grants (PLAN_ROLE_GRANTS) and an empty cache per test."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _plan_role_grants(monkeypatch: Any) -> None:
    """Apply the grants the plan app asks accounts.roles for (see industria/plan/permissions.py)."""
    from industria.accounts import roles
    from industria.plan.permissions import PLAN_ROLE_GRANTS

    for role, patterns in PLAN_ROLE_GRANTS.items():
        current = roles.ROLE_PERMISSIONS.get(role, ())
        monkeypatch.setitem(roles.ROLE_PERMISSIONS, role, tuple(dict.fromkeys((*current, *patterns))))


@pytest.fixture(autouse=True)
def _empty_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def shanghai_plan(db: Any) -> Any:
    """The shipped plan, loaded by the data migration."""
    from industria.plan.models import DevelopmentPlan

    return DevelopmentPlan.objects.get(code="SH-MFG-HQD-2023-2025")


def pytest_collection_modifyitems(session: Any, config: Any, items: list[Any]) -> None:
    """Run the plan's browser tests after tests/browser/.

    tests/browser/test_login_and_home.py only passes when its tests are the session's first transactional tests
    (its demo accounts need the roles created by migration, which it finds missing after an earlier transactional
    test); until that is fixed there, the plan's browser tests go last.
    """
    ours = [item for item in items if "industria/plan/tests/test_browser.py" in str(item.fspath)]
    if ours:
        items[:] = [item for item in items if item not in ours] + ours
