"""Loading of the accounts app's reference data (districts) from fixtures/reference/, idempotently."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "fixtures" / "reference"


def district_rows() -> list[dict[str, Any]]:
    """The district rows of fixtures/reference/districts.yaml."""
    data = yaml.safe_load((REFERENCE_DIR / "districts.yaml").read_text(encoding="utf-8"))
    return [{**row, "area_km2": Decimal(str(row["area_km2"]))} for row in data["districts"]]


def districts_load(district_model: Any) -> int:
    """Create or update the districts; returns how many rows changed.  Usable from a data migration."""
    changed = 0
    for row in district_rows():
        code = row.pop("code")
        obj, created = district_model.objects.get_or_create(code=code, defaults=row)
        if not created and any(getattr(obj, k) != v for k, v in row.items()):
            for k, v in row.items():
                setattr(obj, k, v)
            obj.save()
            changed += 1
        changed += int(created)
    return changed


ROLE_CODES = [
    "municipal_admin",
    "municipal_analyst",
    "district_officer",
    "programme_manager",
    "enterprise_user",
    "auditor",
]


def roles_load(group_model: Any) -> int:
    """One group per role (accounts.roles.Role); what each may do is declared in code."""
    return sum(int(group_model.objects.get_or_create(name=code)[1]) for code in ROLE_CODES)


def reference_data_ensure() -> None:
    """Make sure the districts and role groups exist (after a test flushed the tables, or on a new database)."""
    from django.contrib.auth.models import Group

    from .models import District

    districts_load(District)
    roles_load(Group)
