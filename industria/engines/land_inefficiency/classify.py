"""Entry point of the inefficient-land engine: which parcels are inefficient on a date, and why."""

from __future__ import annotations

import json
from datetime import date

import polars as pl

from industria.engines.common.schema import check_schema
from industria.engines.land_inefficiency.rules import KIND_ORDER, InefficiencyRules

ENGINE_VERSION = "1.0.0"

PARCELS_SCHEMA: dict[str, pl.DataType] = {
    "parcel_id": pl.Int64(),
    "status": pl.String(),
    "approved_on": pl.Date(),
    "transfer_on": pl.Date(),
    "construction_started_on": pl.Date(),
    "completed_on": pl.Date(),
    "producing_on": pl.Date(),
    "developed_share": pl.Float64(),
    "area_mu": pl.Float64(),
    "agreed_output_cny_per_mu": pl.Float64(),
    "agreed_tax_cny_per_mu": pl.Float64(),
    "output_cny": pl.Float64(),
    "tax_cny": pl.Float64(),
    "grade": pl.String(),
}
REQUIRED_COLUMNS = ("parcel_id", "status")
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "parcel_id": pl.Int64(),
    "kinds": pl.List(pl.String()),
    "primary_kind": pl.String(),
    "explanation": pl.String(),
}
# which thresholds each kind uses (named as in InefficiencyRules)
KIND_THRESHOLDS: dict[str, tuple[str, ...]] = {
    "approved_not_supplied": ("approved_not_supplied_days",),
    "supplied_not_used": ("supplied_not_used_days",),
    "used_not_fully": ("used_not_fully_share",),
    "built_not_producing": ("built_not_producing_days",),
    "below_standard": ("below_standard_ratio", "below_standard_ramp_up_years"),
    "grade_d": ("grade_d_grades",),
    "idle": ("idle_statuses",),
}


def classify_inefficient_land(parcels: pl.DataFrame, *, rules: InefficiencyRules, as_of: date) -> pl.DataFrame:
    """The parcels that are inefficient on ``as_of``, in input order, with every kind that applies.

    A life-cycle date counts only when it is on or before ``as_of`` (a later date has not happened yet), so the
    list can be rebuilt for any past date.  Missing facts never make a parcel inefficient: a kind needs every
    fact it tests.  Returns ``parcel_id``, ``kinds`` (``KIND_ORDER`` order), ``primary_kind`` (the first) and
    ``explanation`` (a JSON object: per kind ``facts``, ``threshold`` and ``source``).  Raises ``SchemaError``
    naming missing or unreadable columns.
    """
    frame = check_schema(parcels, PARCELS_SCHEMA, REQUIRED_COLUMNS)
    day = pl.lit(as_of, pl.Date)

    def happened(column: str) -> pl.Expr:
        return pl.col(column).is_not_null() & (pl.col(column) <= day)

    def days_since(column: str) -> pl.Expr:
        return (day - pl.col(column)).dt.total_days()

    ratio = float(rules.below_standard_ratio.value)
    output_per_mu = pl.when(pl.col("area_mu") > 0).then(pl.col("output_cny") / pl.col("area_mu"))
    tax_per_mu = pl.when(pl.col("area_mu") > 0).then(pl.col("tax_cny") / pl.col("area_mu"))
    output_short = output_per_mu < pl.col("agreed_output_cny_per_mu") * ratio
    tax_short = tax_per_mu < pl.col("agreed_tax_cny_per_mu") * ratio
    ramp_up_end = pl.col("producing_on").dt.offset_by(f"{int(rules.below_standard_ramp_up_years.value)}y")

    conditions: dict[str, pl.Expr] = {
        "approved_not_supplied": happened("approved_on")
        & ~happened("transfer_on")
        & (days_since("approved_on") >= rules.approved_not_supplied_days.value),
        "supplied_not_used": happened("transfer_on")
        & ~happened("construction_started_on")
        & (days_since("transfer_on") >= rules.supplied_not_used_days.value),
        "used_not_fully": happened("construction_started_on")
        & (pl.col("developed_share") < rules.used_not_fully_share.value),
        "built_not_producing": happened("completed_on")
        & ~happened("producing_on")
        & (days_since("completed_on") >= rules.built_not_producing_days.value),
        "below_standard": happened("producing_on")
        & (ramp_up_end <= day)
        & (output_short.fill_null(False) | tax_short.fill_null(False)),
        "grade_d": pl.col("grade").is_in(list(rules.grade_d_grades.value)),
        "idle": pl.col("status").is_in(list(rules.idle_statuses.value)),
    }
    facts: dict[str, pl.Expr] = {
        "approved_not_supplied": pl.struct(
            approved_on=pl.col("approved_on"), transfer_on=pl.col("transfer_on"), days=days_since("approved_on")
        ),
        "supplied_not_used": pl.struct(
            transfer_on=pl.col("transfer_on"),
            construction_started_on=pl.col("construction_started_on"),
            days=days_since("transfer_on"),
        ),
        "used_not_fully": pl.struct(
            construction_started_on=pl.col("construction_started_on"), developed_share=pl.col("developed_share")
        ),
        "built_not_producing": pl.struct(
            completed_on=pl.col("completed_on"), producing_on=pl.col("producing_on"), days=days_since("completed_on")
        ),
        "below_standard": pl.struct(
            producing_on=pl.col("producing_on"),
            enforced_from=ramp_up_end,
            area_mu=pl.col("area_mu"),
            output_cny_per_mu=output_per_mu.round(2),
            agreed_output_cny_per_mu=pl.col("agreed_output_cny_per_mu"),
            output_below=output_short.fill_null(False),
            tax_cny_per_mu=tax_per_mu.round(2),
            agreed_tax_cny_per_mu=pl.col("agreed_tax_cny_per_mu"),
            tax_below=tax_short.fill_null(False),
        ),
        "grade_d": pl.struct(grade=pl.col("grade")),
        "idle": pl.struct(status=pl.col("status")),
    }
    masks = frame.select(pl.col("parcel_id"), **{kind: conditions[kind].fill_null(False) for kind in KIND_ORDER})
    hit = masks.select(pl.any_horizontal(KIND_ORDER)).to_series()
    flagged = frame.filter(hit)
    masks = masks.filter(hit)
    if flagged.height == 0:
        return pl.DataFrame(schema=RESULT_SCHEMA)

    explained = [
        pl.when(pl.col(kind)).then(
            pl.concat_str(
                pl.lit(f'"{kind}":{{"facts":'),
                pl.col(f"_facts_{kind}").struct.json_encode(),
                pl.lit("," + _static_json(kind, rules)[1:]),
            )
        )
        for kind in KIND_ORDER
    ]
    kinds = pl.concat_list([pl.when(pl.col(kind)).then(pl.lit(kind)) for kind in KIND_ORDER]).list.drop_nulls()
    return (
        masks.with_columns(flagged.select(**{f"_facts_{k}": v for k, v in facts.items()}))
        .select(
            pl.col("parcel_id"),
            kinds.alias("kinds"),
            pl.concat_str(explained, separator=",", ignore_nulls=True).alias("_body"),
        )
        .select(
            "parcel_id",
            "kinds",
            pl.col("kinds").list.first().alias("primary_kind"),
            pl.concat_str(pl.lit("{"), pl.col("_body"), pl.lit("}")).alias("explanation"),
        )
    )


def _static_json(kind: str, rules: InefficiencyRules) -> str:
    """``{"threshold": …, "source": …}`` of one kind (one source, or one per threshold when it has several)."""
    thresholds = {name: getattr(rules, name) for name in KIND_THRESHOLDS[kind]}
    sources = {name: t.source.as_dict() for name, t in thresholds.items()}
    body = {
        "threshold": {name: t.as_dict()["value"] for name, t in thresholds.items()},
        "source": next(iter(sources.values())) if len(sources) == 1 else sources,
    }
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))
