"""Fixtures of the land tests: a clean cache (the park efficiency of the site search is cached)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _clear_cache() -> Any:
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
