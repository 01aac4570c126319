"""Workflows of the registry."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from industria.accounts.models import District
from industria.core.changelog import bulk_change_record, suppress_row_logging

from .models import Enterprise

ENTERPRISE_FIELDS = [
    "uscc",
    "name_zh",
    "name_en",
    "industry_code",
    "ownership_type",
    "established_on",
    "registered_capital_cny",
    "is_listed",
    "is_headquarters",
    "synthetic",
]
BATCH_ROWS = 2000


@transaction.atomic
def enterprises_upsert_rows(*, actor: Any, rows: list[dict[str, Any]], label: str) -> dict[str, int]:
    """Insert or update enterprises by credit code in bulk; one change-log entry for the whole batch.

    ``rows`` carry ``district_code`` instead of a district id.  Returns counts.
    """
    districts = dict(District.objects.values_list("code", "pk"))
    existing = set(Enterprise.objects.filter(uscc__in=[r["uscc"] for r in rows]).values_list("uscc", flat=True))
    objects = []
    for row in rows:
        values = {k: row.get(k) for k in ENTERPRISE_FIELDS if k in row}
        if values.get("registered_capital_cny") is not None:
            values["registered_capital_cny"] = Decimal(str(values["registered_capital_cny"])).quantize(Decimal("0.01"))
        objects.append(Enterprise(district_id=districts[row["district_code"]], **values))
    with suppress_row_logging():
        for start in range(0, len(objects), BATCH_ROWS):
            Enterprise.objects.bulk_create(
                objects[start : start + BATCH_ROWS],
                update_conflicts=True,
                unique_fields=["uscc"],
                update_fields=[f for f in ENTERPRISE_FIELDS if f != "uscc"] + ["district"],
            )
    counts = {"rows": len(rows), "created": len(rows) - len(existing), "updated": len(existing)}
    bulk_change_record(model=Enterprise, summary={**counts, "label": label}, object_repr=label)
    return counts


def synthetic_enterprises_load(*, scale: str, seed: int) -> int:
    """Generate the synthetic city's enterprises (engines.synthetic) and upsert them; returns the count."""
    from industria.engines.synthetic import generate_enterprises_for_demo

    frame = generate_enterprises_for_demo(
        scale=scale, seed=seed, district_codes=list(District.objects.values_list("code", flat=True))
    )
    rows = frame.to_dicts()
    enterprises_upsert_rows(actor=None, rows=rows, label=f"synthetic demo enterprises ({scale}, seed {seed})")
    return len(rows)
