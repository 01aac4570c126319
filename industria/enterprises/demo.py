"""The synthetic demo city for `make demo` (labelled synthetic everywhere), and the demo enterprise user.

The generator is the pure engine ``engines.synthetic``; this module feeds it the reference data from the database
and writes its frames set-based.  Re-running replaces the synthetic rows (real rows are never touched).
"""

from __future__ import annotations

from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from industria.accounts.demo import DEMO_PASSWORD
from industria.accounts.models import District
from industria.accounts.roles import Role
from industria.accounts.services import user_upsert
from industria.core.bulk import insert_frame
from industria.core.changelog import bulk_change_record, suppress_row_logging
from industria.core.choices import ScopeKind
from industria.engines.synthetic import generate_city

from .models import (
    Enterprise,
    EnterpriseGroup,
    EnterpriseMonthFact,
    EnterpriseYearFact,
    IndustryCategory,
    IndustryMapping,
    Tier,
)
from .services import industry_rollup_refresh

YEAR_FACT_COLUMNS = [
    "main_revenue_cny",
    "operating_revenue_cny",
    "gross_output_cny",
    "value_added_cny",
    "tax_paid_cny",
    "profit_cny",
    "total_assets_cny",
    "total_liabilities_cny",
    "rd_expense_cny",
    "employees_avg",
    "rd_staff",
    "energy_tce",
    "electricity_kwh",
    "emissions_t",
    "land_area_mu",
    "floor_area_m2",
    "above_size",
]


def _delete_synthetic() -> None:
    """Remove the previous synthetic city in set-based DELETEs (the ORM would load every row to send signals)."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    get_user_model().objects.filter(enterprise__synthetic=True).delete()  # demo enterprise users, recreated below
    enterprise_table = connection.ops.quote_name(Enterprise._meta.db_table)
    with connection.cursor() as cursor:
        for model in (EnterpriseMonthFact, EnterpriseYearFact, Tier, EnterpriseGroup):
            cursor.execute(
                f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE enterprise_id IN "
                f"(SELECT id FROM {enterprise_table} WHERE synthetic)"
            )
        cursor.execute(f"DELETE FROM {enterprise_table} WHERE synthetic")


def seed(*, scale: str, seed: int, log: Any) -> None:
    """Generate and load the synthetic city; give its first enterprise a demo enterprise user."""
    counts = synthetic_city_load(scale=scale, seed=seed)
    log("synthetic city: " + ", ".join(f"{k} {v:,}" for k, v in counts.items()))
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


@transaction.atomic
def synthetic_city_load(*, scale: str, seed: int, monthly: bool = True) -> dict[str, int]:
    """Replace the synthetic enterprises, facts and tiers with a freshly generated city (one audit entry).

    ``monthly=False`` skips the monthly facts (31 million rows at nation scale; benchmarks do without them).
    """
    codes = list(
        IndustryCategory.objects.filter(level__in=["division", "class"], section="C").values_list("code", flat=True)
    )
    rules = [
        {
            "industry_code": m.industry_code,
            "group_code": m.group.code,
            "weight": float(m.weight),
            "primary": m.primary,
            "exact": m.exact,
        }
        for m in IndustryMapping.objects.select_related("group")
    ]
    districts = dict(District.objects.values_list("code", "pk"))
    city = generate_city(
        scale, seed, districts=list(districts), industry_codes=codes, mapping=rules or None, monthly=monthly
    )
    now = timezone.now()
    stamps = [pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at")]

    with suppress_row_logging():
        _delete_synthetic()

        district_ids = pl.DataFrame({"district_code": list(districts), "district_id": list(districts.values())})
        enterprises = city.enterprises.join(district_ids, on="district_code", how="left").with_columns(
            *stamps, name_en=pl.col("name_en").fill_null("")
        )
        insert_frame(
            Enterprise._meta.db_table,
            enterprises,
            [
                "uscc",
                "name_zh",
                "name_en",
                "district_id",
                "industry_code",
                "ownership_type",
                "established_on",
                "registered_capital_cny",
                "is_listed",
                "is_headquarters",
                "synthetic",
                "created_at",
                "updated_at",
            ],
        )
        ids = pl.DataFrame(
            list(Enterprise.objects.filter(synthetic=True).values_list("uscc", "pk")),
            schema={"uscc": pl.String, "enterprise_id": pl.Int64},
            orient="row",
        )

        def with_ids(frame: pl.DataFrame) -> pl.DataFrame:
            return frame.join(ids, on="uscc", how="inner").with_columns(*stamps, synthetic=pl.lit(True))

        yearly = city.yearly_facts.with_columns(
            pl.col("energy_tce", "emissions_t").round(3), pl.col("land_area_mu", "floor_area_m2").round(2)
        )
        insert_frame(
            EnterpriseYearFact._meta.db_table,
            with_ids(yearly),
            ["enterprise_id", "year", *YEAR_FACT_COLUMNS, "synthetic", "created_at", "updated_at"],
        )
        insert_frame(
            EnterpriseMonthFact._meta.db_table,
            with_ids(city.monthly_facts),
            [
                "enterprise_id",
                "year",
                "month",
                "gross_output_cny",
                "value_added_cny",
                "synthetic",
                "created_at",
                "updated_at",
            ],
        )
        tiers = with_ids(city.tiers).with_columns(
            source_document=pl.lit("synthetic"), batch=pl.col("batch").cast(pl.String).fill_null("")
        )
        insert_frame(
            Tier._meta.db_table,
            tiers,
            [
                "enterprise_id",
                "kind",
                "level",
                "batch",
                "granted_on",
                "valid_until",
                "source_document",
                "status",
                "synthetic",
                "created_at",
                "updated_at",
            ],
        )
    memberships = industry_rollup_refresh()
    counts = {
        "enterprises": city.enterprises.height,
        "yearly facts": city.yearly_facts.height,
        "monthly facts": city.monthly_facts.height,
        "tiers": city.tiers.height,
        "memberships": memberships,
    }
    bulk_change_record(
        model=Enterprise,
        object_repr=f"synthetic city ({scale}, seed {seed})",
        summary={"scale": scale, "seed": seed, **counts},
    )
    return counts
