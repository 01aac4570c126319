"""Demo accounts, one per role (and two district officers), for `make demo`.  Never used by tests' assertions
about real data; the password is a published demo password, not a secret."""

from __future__ import annotations

from typing import Any

from industria.core.choices import ScopeKind

from .models import District
from .reference import reference_data_ensure
from .roles import Role
from .services import user_upsert

DEMO_PASSWORD = "Industria-demo-2025"

# username, role, district code (district scope) — enterprise users are added by the registry's demo
DEMO_USERS: list[tuple[str, str, str | None]] = [
    ("admin", Role.MUNICIPAL_ADMIN, None),
    ("analyst", Role.MUNICIPAL_ANALYST, None),
    ("officer_pudong", Role.DISTRICT_OFFICER, "310115"),
    ("officer_jiading", Role.DISTRICT_OFFICER, "310114"),
    ("manager", Role.PROGRAMME_MANAGER, None),
    ("auditor", Role.AUDITOR, None),
]


def seed(*, scale: str, seed: int, log: Any) -> None:
    """Create or reset the demo accounts."""
    reference_data_ensure()
    for username, role, district_code in DEMO_USERS:
        fields: dict[str, Any] = {
            "scope": ScopeKind.CITY,
            "district": None,
            "enterprise": None,
            "is_staff": role == Role.MUNICIPAL_ADMIN,
        }
        if district_code:
            fields.update(scope=ScopeKind.DISTRICT, district=District.objects.get(code=district_code))
        user_upsert(actor=None, username=username, password=DEMO_PASSWORD, role=role, **fields)
    log(f"demo accounts: {len(DEMO_USERS)}")
