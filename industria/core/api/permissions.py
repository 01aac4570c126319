"""API permission: the role's model permission for the HTTP method; rows come scoped from ``for_user``."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from industria.core.permissions import perm_name

METHOD_ACTIONS = {"POST": "add", "PUT": "change", "PATCH": "change", "DELETE": "delete"}


class ScopedModelPermissions(BasePermission):
    """Reads need ``view`` (or public rows for anonymous users); writes need add/change/delete."""

    def has_permission(self, request: Any, view: Any) -> bool:
        model = getattr(getattr(view, "queryset", None), "model", None)
        if model is None:
            return bool(request.user and request.user.is_authenticated)
        if request.method in SAFE_METHODS:
            if not request.user.is_authenticated:
                return getattr(model, "scope_public_q", None) is not None
            return getattr(model, "scope_shared", False) or request.user.has_perm(perm_name(model, "view"))
        if not request.user.is_authenticated:
            return False
        action = METHOD_ACTIONS.get(request.method, "change")
        return request.user.has_perm(perm_name(model, action))
