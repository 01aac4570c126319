"""Fixtures shared by every app's tests."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def pytest_sessionstart(session: Any) -> None:
    """Compile stale translation catalogues (build output, not committed) so a bare `pytest` works too."""
    from pathlib import Path

    import polib

    for po_path in (Path(__file__).parent / "industria" / "locale").glob("*/LC_MESSAGES/*.po"):
        mo_path = po_path.with_suffix(".mo")
        if not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime:
            polib.pofile(str(po_path)).save_as_mofile(str(mo_path))


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
def _english_by_default(request: Any) -> None:
    """Tests read English messages unless they ask for Chinese explicitly (the product default stays zh-hans).

    Engine tests also run without Django (``-p no:django``); then there is nothing to set.
    """
    if request.config.pluginmanager.hasplugin("django"):
        request.getfixturevalue("settings").LANGUAGE_CODE = "en"
