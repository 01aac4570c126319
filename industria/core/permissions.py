"""Row-level scoping: the one path by which every view, endpoint, export and job reads rows.

``Model.objects.for_user(user, action)`` returns only the rows ``user`` may ``action`` (view, add, change,
delete).  Two checks, both required:

1. the role grants the model permission ``<app>.<action>_<model>`` (roles are groups, see accounts.roles);
2. the row lies inside the user's scope: the whole city, one district, or one enterprise.

A model declares how its rows relate to a scope with class attributes:

* ``scope_district_path``   — lookup path to the row's district id (``"district"``, ``"enterprise__district"``);
* ``scope_enterprise_path`` — lookup path to the row's enterprise id (``"pk"`` on Enterprise itself);
* ``scope_owner_path``      — lookup path to an owning user (jobs: a non-city user sees their own);
* ``scope_shared = True``   — reference data every signed-in user may read (districts, industry codes);
* ``scope_public_q()``      — classmethod returning a ``Q`` of rows the anonymous public may read.

A model that declares nothing is visible to city-wide users only: the safe default.
"""

from __future__ import annotations

from typing import Any

from django.db import models

ACTIONS = ("view", "add", "change", "delete")


def perm_name(model: type[models.Model], action: str) -> str:
    """The Django permission string for ``action`` on ``model``."""
    return f"{model._meta.app_label}.{action}_{model._meta.model_name}"


def _scope_of(user: Any) -> str:
    if getattr(user, "is_superuser", False):
        return "city"
    return getattr(user, "scope", "city") or "city"


class ScopedQuerySet(models.QuerySet):
    """QuerySet with ``for_user``; every model of the platform uses it as its default manager."""

    def for_user(self, user: Any, action: str = "view") -> ScopedQuerySet:
        """Rows ``user`` may ``action``; ``none()`` when the role lacks the permission."""
        if action not in ACTIONS:
            raise ValueError(f"unknown action {action!r}")
        model = self.model
        if user is None or not user.is_authenticated:
            public_q = getattr(model, "scope_public_q", None)
            if action == "view" and public_q is not None:
                return self.filter(public_q())
            return self.none()
        if getattr(model, "scope_shared", False) and action == "view":
            return self.all()
        if not user.has_perm(perm_name(model, action)):
            return self.none()
        return self.filter(scope_q(model, user))


def scope_q(model: type[models.Model], user: Any) -> models.Q:
    """The ``Q`` that restricts ``model`` to ``user``'s scope (empty ``Q`` for the whole city)."""
    scope = _scope_of(user)
    if scope == "city":
        return models.Q()
    owner_path = getattr(model, "scope_owner_path", None)
    if scope == "district":
        path = getattr(model, "scope_district_path", None)
        if path is not None:
            return models.Q(**{path: user.district_id})
    elif scope == "enterprise":
        path = getattr(model, "scope_enterprise_path", None)
        if path is not None:
            return models.Q(**{path: user.enterprise_id})
    if owner_path is not None:
        return models.Q(**{owner_path: user.pk})
    return models.Q(pk__in=[])


def _resolve(instance: Any, path: str) -> Any:
    """Follow ``a__b__c`` on an unsaved or saved instance; ``pk`` and ``*_id`` are read directly."""
    value = instance
    parts = path.split("__")
    for i, part in enumerate(parts):
        if value is None:
            return None
        last = i == len(parts) - 1
        if last and part != "pk" and hasattr(value, f"{part}_id"):
            return getattr(value, f"{part}_id")
        value = getattr(value, part)
    return value


def instance_in_scope(user: Any, instance: models.Model) -> bool:
    """Whether a (possibly unsaved) instance lies inside ``user``'s scope: used before creating rows."""
    scope = _scope_of(user)
    if scope == "city":
        return True
    model = type(instance)
    if scope == "district" and getattr(model, "scope_district_path", None):
        return _resolve(instance, model.scope_district_path) == user.district_id
    if scope == "enterprise" and getattr(model, "scope_enterprise_path", None):
        return _resolve(instance, model.scope_enterprise_path) == user.enterprise_id
    owner_path = getattr(model, "scope_owner_path", None)
    if owner_path:
        return _resolve(instance, owner_path) == user.pk
    return False
