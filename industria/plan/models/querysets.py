"""Row scope of the plan app: the core ``for_user`` path plus two plan rules.

1. Public rows (``scope_public_q``) stay readable for every signed-in user, not only for the anonymous public:
   an enterprise user without a plan role still sees what the public sees.
2. A model may declare ``scope_view_q(user)`` for reads: indicator actuals show a district officer the
   city-wide rows and their own district's breakdown, never another district's (unless the indicator is public).

Writes (add/change/delete) keep the core rules unchanged: role permission plus ``scope_district_path``.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from industria.core.permissions import ScopedQuerySet, perm_name, scope_q


class PlanScopedQuerySet(ScopedQuerySet):
    """``for_user`` with the public fallback and per-model read scopes described in the module docstring."""

    def for_user(self, user: Any, action: str = "view") -> ScopedQuerySet:
        if action != "view":
            return super().for_user(user, action)
        model = self.model
        public_q = getattr(model, "scope_public_q", None)
        if user is None or not user.is_authenticated:
            return self.filter(public_q()) if public_q is not None else self.none()
        if getattr(model, "scope_shared", False):
            return self.all()
        if not user.has_perm(perm_name(model, "view")):
            return self.filter(public_q()) if public_q is not None else self.none()
        view_q = getattr(model, "scope_view_q", None)
        q: models.Q = view_q(user) if view_q is not None else scope_q(model, user)
        if not q:  # the whole city
            return self.all()
        return self.filter(q | public_q()) if public_q is not None else self.filter(q)


def user_scope(user: Any) -> str:
    """``city``, ``district`` or ``enterprise`` (superusers and anonymous callers count as city-wide readers)."""
    if user is None or getattr(user, "is_superuser", False):
        return "city"
    return getattr(user, "scope", "city") or "city"
