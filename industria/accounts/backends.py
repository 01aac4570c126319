"""Authentication backend that adds the code-declared role permissions (accounts.roles) to Django's."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from django.contrib.auth.backends import ModelBackend

from .roles import ROLE_PERMISSIONS


def role_allows(role_codes: list[str], perm: str) -> bool:
    """Whether any of the roles grants ``perm`` (exclusions first)."""
    patterns = [p for code in role_codes for p in ROLE_PERMISSIONS.get(code, ())]
    if any(fnmatchcase(perm, p[1:]) for p in patterns if p.startswith("!")):
        return False
    return any(fnmatchcase(perm, p) for p in patterns if not p.startswith("!"))


class RoleBackend(ModelBackend):
    """Model permissions from the user's roles (groups) plus any granted in the database."""

    def has_perm(self, user_obj: Any, perm: str, obj: Any = None) -> bool:
        if not user_obj.is_active or user_obj.is_anonymous:
            return False
        if super().has_perm(user_obj, perm, obj):
            return True
        return role_allows(user_obj.role_codes, perm)
