"""Workflows of the registry."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from industria.accounts.models import District
from industria.core.bulk import insert_frame
from industria.core.changelog import bulk_change_record, suppress_row_logging
from industria.core.exceptions import DomainError, OutOfScope
from industria.core.permissions import instance_in_scope

from .choices import MappingSource, TierStatus
from .models import Enterprise, EnterpriseGroup, EnterpriseYearFact, IndustryGroup, IndustryMapping, SizeRule, Tier

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


def year_fact_above_size(*, fact: EnterpriseYearFact) -> EnterpriseYearFact:
    """Re-evaluate ``above_size`` of one yearly fact under the size rule of its year (after a manual edit)."""
    threshold = SizeRule.threshold_for(fact.year)
    revenue = None if fact.main_revenue_cny is None else Decimal(str(fact.main_revenue_cny))
    above = bool(threshold is not None and revenue is not None and revenue >= threshold)
    if above != fact.above_size:
        fact.above_size = above
        fact.save(update_fields=["above_size", "updated_at"])
    return fact


@transaction.atomic
def tiers_expire_due(*, actor: Any, as_of: date) -> int:
    """Mark valid tiers whose validity ended before ``as_of`` as expired; one audit entry for the batch."""
    due = Tier.objects.filter(status=TierStatus.VALID, valid_until__lt=as_of)
    keys = list(due.values_list("pk", "enterprise__uscc", "kind", "valid_until")[:10000])
    count = due.update(status=TierStatus.EXPIRED)
    if count:
        bulk_change_record(
            model=Tier,
            object_repr=f"tiers expired as of {as_of.isoformat()}",
            summary={
                "expired": count,
                "as_of": as_of.isoformat(),
                "rows": [
                    {"id": pk, "uscc": uscc, "kind": kind, "valid_until": str(until)} for pk, uscc, kind, until in keys
                ],
            },
        )
    return count


def tiers_expiring(*, queryset: Any, as_of: date, within_days: int = 90) -> Any:
    """Tiers still valid on ``as_of`` whose validity ends within ``within_days``: flagged ahead of time."""
    return queryset.filter(
        status=TierStatus.VALID,
        granted_on__lte=as_of,
        valid_until__gte=as_of,
        valid_until__lte=as_of + timedelta(days=within_days),
    )


@transaction.atomic
def industry_rollup_refresh(*, enterprise_ids: list[int] | None = None) -> int:
    """Recompute the mapping-derived group memberships (set-based); explicit tags are kept.

    Resolution is done once per distinct industry code by the pure engine, then joined to the enterprises.
    """
    import polars as pl

    from industria.engines.taxonomy import resolve_groups

    enterprises = Enterprise.objects.all()
    if enterprise_ids is not None:
        enterprises = enterprises.filter(pk__in=enterprise_ids)
    rows = list(enterprises.exclude(industry_code="").values_list("pk", "industry_code"))
    system_groups = {g.code: g.pk for g in IndustryGroup.objects.filter(system__is_current=True)}
    rules = [
        {
            "industry_code": m.industry_code,
            "group_code": m.group.code,
            "weight": float(m.weight),
            "primary": m.primary,
            "exact": m.exact,
        }
        for m in IndustryMapping.objects.select_related("group").filter(group__system__is_current=True)
    ]
    links = EnterpriseGroup.objects.filter(source=MappingSource.MAPPING)
    if enterprise_ids is not None:
        links = links.filter(enterprise_id__in=enterprise_ids)
    links._raw_delete(links.db)  # derived rows, not audited: no need to load them for signals
    if not rows or not rules:
        return 0
    frame = pl.DataFrame(rows, schema={"enterprise_id": pl.Int64, "industry_code": pl.String}, orient="row")
    resolved = resolve_groups(frame["industry_code"].unique().to_list(), rules)
    joined = frame.join(resolved, on="industry_code", how="inner")
    groups = pl.DataFrame({"group_code": list(system_groups), "group_id": list(system_groups.values())})
    links_frame = joined.join(groups, on="group_code", how="inner").select(
        "enterprise_id",
        "group_id",
        pl.lit(MappingSource.MAPPING.value).alias("source"),
        pl.col("weight").round(4),
        "primary",
    )
    return insert_frame(EnterpriseGroup._meta.db_table, links_frame)


class GroupNotInCurrentSystem(DomainError):
    """Explicit tags name groups of the industrial system in force."""

    code = "group_not_current"
    default_message = _("%(group)s is not a group of the industrial system in force.")


def _check(actor: Any, enterprise: Enterprise) -> None:
    if actor is not None and not (
        actor.has_perm("enterprises.change_enterprise") and instance_in_scope(actor, enterprise)
    ):
        raise OutOfScope


def _record(enterprise: Enterprise, group: IndustryGroup, action: str) -> None:
    bulk_change_record(
        model=Enterprise,
        object_id=str(enterprise.pk),
        object_repr=str(enterprise),
        summary={
            "action": action,
            "group": group.code,
            "group_name": group.name_zh,
            "source": MappingSource.EXPLICIT.value,
        },
    )


@transaction.atomic
def enterprise_group_tag(*, actor: Any, enterprise: Enterprise, group: IndustryGroup) -> EnterpriseGroup:
    """Tag ``enterprise`` explicitly with ``group`` (idempotent: an existing tag is returned unchanged)."""
    _check(actor, enterprise)
    if not group.system.is_current:
        raise GroupNotInCurrentSystem(params={"group": group})
    link, created = EnterpriseGroup.objects.get_or_create(
        enterprise=enterprise, group=group, source=MappingSource.EXPLICIT, defaults={"weight": 1, "primary": False}
    )
    if created:
        _record(enterprise, group, "group_tag")
    return link


@transaction.atomic
def enterprise_group_untag(*, actor: Any, enterprise: Enterprise, group: IndustryGroup) -> None:
    """Remove the explicit tag of ``enterprise`` with ``group``; mapping rows are left alone (idempotent)."""
    _check(actor, enterprise)
    deleted, _rows = EnterpriseGroup.objects.filter(
        enterprise=enterprise, group=group, source=MappingSource.EXPLICIT
    ).delete()
    if deleted:
        _record(enterprise, group, "group_untag")


def industry_mapping_changed(*, actor: Any) -> Any:
    """After an edit of the default mapping: recompute every enterprise's groups as a background job."""
    from industria.core.services import job_enqueue

    from .tasks import industry_rollup_refresh_task

    return job_enqueue(
        actor=actor,
        kind="industry_rollup",
        name=str(_("Recompute industry groups after a mapping edit")),
        task=industry_rollup_refresh_task,
    )
