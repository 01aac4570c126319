"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def make_user(db: Any) -> Callable[..., Any]:
    """``make_user(role, district_code=…, enterprise=…)`` → a user with that role and scope."""
    from industria.accounts.tests.factories import make_user as factory

    return factory


@pytest.fixture
def api_client() -> Any:
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture(autouse=True)
def _english_by_default(settings: Any) -> None:
    """Tests read English messages unless they ask for Chinese explicitly (the product default stays zh-hans)."""
    settings.LANGUAGE_CODE = "en"
