"""Fixtures of the projects tests.

``accounts/roles.py`` belongs to another capability; until it carries the projects patterns (listed in
``PROJECT_ROLE_PATTERNS`` and in the issue report), every test here runs with them added to the role table.
"""

from __future__ import annotations

from typing import Any

import pytest

PROJECT_ROLE_PATTERNS: dict[str, tuple[str, ...]] = {
    "district_officer": (
        "projects.*",
        "!projects.reopen_keyproject",
        "!projects.add_nodetemplate*",
        "!projects.change_nodetemplate*",
        "!projects.delete_nodetemplate*",
        "!projects.*_projectruleset",
    ),
    "enterprise_user": ("projects.view_keyproject",),
}


def grant_project_roles(monkeypatch: Any) -> None:
    """Add the projects patterns to the code-declared roles for the duration of a test."""
    from industria.accounts import roles

    for role, patterns in PROJECT_ROLE_PATTERNS.items():
        key = roles.Role(role)
        current = roles.ROLE_PERMISSIONS.get(key, ())
        missing = tuple(p for p in patterns if p not in current)
        if missing:
            # exclusions first so they win over the existing inclusions of the role
            excluded = tuple(p for p in missing if p.startswith("!"))
            included = tuple(p for p in missing if not p.startswith("!"))
            monkeypatch.setitem(roles.ROLE_PERMISSIONS, key, (*excluded, *current, *included))


@pytest.fixture(autouse=True)
def _project_roles(monkeypatch: Any) -> None:
    grant_project_roles(monkeypatch)
