"""Synthetic demo enterprises for `make demo` (labelled synthetic), and the demo enterprise user."""

from __future__ import annotations

from typing import Any

from industria.accounts.demo import DEMO_PASSWORD
from industria.accounts.roles import Role
from industria.accounts.services import user_upsert
from industria.core.choices import ScopeKind

from .services import synthetic_enterprises_load


def seed(*, scale: str, seed: int, log: Any) -> None:
    """Load the synthetic enterprises and give the first one a demo enterprise user."""
    enterprises = synthetic_enterprises_load(scale=scale, seed=seed)
    log(f"synthetic enterprises: {enterprises}")
    from .models import Enterprise

    first = Enterprise.objects.filter(synthetic=True).order_by("uscc").first()
    if first is not None:
        user_upsert(
            actor=None,
            username="enterprise_user",
            password=DEMO_PASSWORD,
            role=Role.ENTERPRISE_USER,
            scope=ScopeKind.ENTERPRISE,
            enterprise=first,
            district=first.district,
        )
