"""Entry point of the site-search engine: hard filters, soft scores, reasons and a deterministic ranking."""

from __future__ import annotations

import polars as pl

from industria.engines.common.schema import check_schema
from industria.engines.site_search.criteria import SiteCriteria, SiteSearchRules
from industria.engines.site_search.nearby import count_within

ENGINE_VERSION = "1.0.0"

PARCELS_SCHEMA: dict[str, pl.DataType] = {
    "parcel_id": pl.Int64(),
    "parcel_code": pl.String(),
    "district_code": pl.String(),
    "park_id": pl.Int64(),
    "status": pl.String(),
    "available_from": pl.Date(),
    "area_m2": pl.Float64(),
    "area_mu": pl.Float64(),
    "floor_area_ratio": pl.Float64(),
    "longitude": pl.Float64(),
    "latitude": pl.Float64(),
    "land_use_class": pl.String(),
}
PARCELS_REQUIRED = ("parcel_id", "district_code", "status", "area_m2", "area_mu")
PARKS_SCHEMA: dict[str, pl.DataType] = {
    "park_id": pl.Int64(),
    "code": pl.String(),
    "district_code": pl.String(),
    "lead_group_codes": pl.List(pl.String()),
    "available_land_mu": pl.Float64(),
    "available_floor_m2": pl.Float64(),
    "output_cny_per_mu": pl.Float64(),
    "longitude": pl.Float64(),
    "latitude": pl.Float64(),
}
PARKS_REQUIRED = ("park_id", "district_code", "available_land_mu", "available_floor_m2")
CHAIN_SCHEMA: dict[str, pl.DataType] = {
    "enterprise_id": pl.Int64(),
    "longitude": pl.Float64(),
    "latitude": pl.Float64(),
}
REASON_DTYPE = pl.Struct({"code": pl.String(), "params": pl.String()})
# the stable reason codes, in the order they are listed on a candidate
REASON_CODES = (
    "available",
    "area_in_range",
    "floor_space",
    "far_ok",
    "preferred_district",
    "preferred_park",
    "park_leads_group",
    "park_efficiency",
    "chain_nearby",
)
RESULT_SCHEMA: dict[str, pl.DataType] = {
    "kind": pl.String(),
    "id": pl.Int64(),
    "rank": pl.UInt32(),
    "score": pl.Float64(),
    "reasons": pl.List(REASON_DTYPE),
    "code": pl.String(),
    "district_code": pl.String(),
    "park_id": pl.Int64(),
    "area_mu": pl.Float64(),
    "floor_m2": pl.Float64(),
    "chain_nearby": pl.UInt32(),
    "longitude": pl.Float64(),
    "latitude": pl.Float64(),
}
_CANDIDATE = [
    "kind",
    "id",
    "code",
    "district_code",
    "park_id",
    "area_mu",
    "floor_m2",
    "longitude",
    "latitude",
    "_leads",
    "_percentile",
    "_park_output",
    "available_from",
    "floor_area_ratio",
]


def search_sites(
    parcels: pl.DataFrame,
    parks: pl.DataFrame,
    chain: pl.DataFrame,
    *,
    criteria: SiteCriteria,
    rules: SiteSearchRules,
) -> pl.DataFrame:
    """Rank the available parcels and parks that meet every hard criterion, best first.

    Parcels must be ``available`` (``available_from`` null or on/before ``available_by``), within the area
    range, with buildable floor (area_m2 × floor_area_ratio) and floor-area ratio at least the minimum (an unknown
    ratio fails a floor or ratio criterion).  Parks must offer some land or floor space, at least the minimum
    area (``available_land_mu``) and floor (``available_floor_m2``).  The score (0–100, 2 decimals) is the
    weighted share of the active preferences met (see ``SiteSearchRules``); ``reasons`` lists the hard criteria
    met and the preferences that scored, as ``{code, params}`` with ``params`` a JSON object.  Order: score desc,
    closeness of the area to the requested range, kind (``parcel`` before ``park``), id; ``rank`` is 1..n.
    Columns: ``RESULT_SCHEMA``.  Raises ``SchemaError`` naming missing or unreadable columns.
    """
    parcels = check_schema(parcels, PARCELS_SCHEMA, PARCELS_REQUIRED)
    parks = check_schema(parks, PARKS_SCHEMA, PARKS_REQUIRED)
    chain = check_schema(chain, CHAIN_SCHEMA, ("longitude", "latitude"))
    group = criteria.industry_group_code
    park_facts = parks.select(
        "park_id",
        (
            pl.col("lead_group_codes").list.contains(group).fill_null(False) if group is not None else pl.lit(False)
        ).alias("_leads"),
        # percentile of output per mu among the parks with a figure: the best is 1.0
        (pl.col("output_cny_per_mu").rank("max") / pl.col("output_cny_per_mu").count()).alias("_percentile"),
        pl.col("output_cny_per_mu").alias("_park_output"),
    ).unique("park_id", keep="first")

    frames = []
    if rules.include_parcels:
        frames.append(_parcel_candidates(parcels, park_facts, criteria))
    if rules.include_parks:
        frames.append(_park_candidates(parks, park_facts, criteria))
    candidates = pl.concat(frames, how="vertical") if frames else pl.DataFrame()
    if candidates.height == 0:
        return pl.DataFrame(schema=RESULT_SCHEMA)

    active_chain = group is not None
    if active_chain:
        counts = count_within(
            candidates.with_row_index("_index"), chain, radius_km=rules.nearby_radius_km, index="_index"
        )
    else:
        counts = pl.repeat(0, candidates.height, dtype=pl.UInt32, eager=True)
    candidates = candidates.with_columns(counts.alias("chain_nearby"))
    return _score_and_rank(candidates, criteria, rules, active_chain=active_chain)


def _json(**fields: pl.Expr) -> pl.Expr:
    return pl.struct([expr.alias(name) for name, expr in fields.items()]).struct.json_encode()


def _lit(value: object) -> pl.Expr:
    return pl.lit(value)


def _parcel_candidates(parcels: pl.DataFrame, park_facts: pl.DataFrame, criteria: SiteCriteria) -> pl.DataFrame:
    """The parcels passing every hard filter, with their park's facts and the hard reasons."""
    available_by = pl.lit(criteria.available_by, pl.Date)
    floor = pl.col("area_m2") * pl.col("floor_area_ratio")
    keep = (pl.col("status") == "available") & (
        pl.col("available_from").is_null() | (pl.col("available_from") <= available_by)
    )
    if criteria.min_area_mu is not None:
        keep &= pl.col("area_mu") >= float(criteria.min_area_mu)
    if criteria.max_area_mu is not None:
        keep &= pl.col("area_mu") <= float(criteria.max_area_mu)
    if criteria.min_floor_m2 is not None:
        keep &= floor >= float(criteria.min_floor_m2)
    if criteria.min_floor_area_ratio is not None:
        keep &= pl.col("floor_area_ratio") >= float(criteria.min_floor_area_ratio)
    return (
        parcels.filter(keep.fill_null(False))
        .with_columns(floor_m2=floor)
        .join(park_facts, on="park_id", how="left")
        .with_columns(pl.col("_leads").fill_null(False))
        .select(
            pl.lit("parcel").alias("kind"),
            pl.col("parcel_id").alias("id"),
            pl.col("parcel_code").alias("code"),
            "district_code",
            "park_id",
            "area_mu",
            "floor_m2",
            "longitude",
            "latitude",
            "_leads",
            "_percentile",
            "_park_output",
            "available_from",
            "floor_area_ratio",
        )
    )


def _park_candidates(parks: pl.DataFrame, park_facts: pl.DataFrame, criteria: SiteCriteria) -> pl.DataFrame:
    """The parks offering enough land and floor space."""
    land, floor = pl.col("available_land_mu"), pl.col("available_floor_m2")
    keep = (land > 0) | (floor > 0)
    if criteria.min_area_mu is not None:
        keep &= land >= float(criteria.min_area_mu)
    if criteria.min_floor_m2 is not None:
        keep &= floor >= float(criteria.min_floor_m2)
    return (
        parks.filter(keep.fill_null(False))
        .unique("park_id", keep="first")
        .join(park_facts, on="park_id", how="left")
        .select(
            pl.lit("park").alias("kind"),
            pl.col("park_id").alias("id"),
            "code",
            "district_code",
            "park_id",
            land.alias("area_mu"),
            floor.alias("floor_m2"),
            "longitude",
            "latitude",
            "_leads",
            "_percentile",
            "_park_output",
            pl.lit(None, pl.Date).alias("available_from"),
            pl.lit(None, pl.Float64).alias("floor_area_ratio"),
        )
    )


def _score_and_rank(
    candidates: pl.DataFrame, criteria: SiteCriteria, rules: SiteSearchRules, *, active_chain: bool
) -> pl.DataFrame:
    group = criteria.industry_group_code
    districts, park_ids = list(criteria.preferred_district_codes), list(criteria.preferred_park_ids)
    in_district = pl.col("district_code").is_in(districts).fill_null(False)
    in_park = pl.col("park_id").is_in(park_ids).fill_null(False)
    chain_share = (pl.col("chain_nearby").cast(pl.Float64) / rules.chain_saturation_count).clip(upper_bound=1.0)
    # (weight, component in [0, 1]) of each active preference
    parts: list[tuple[float, pl.Expr]] = [(rules.weight_park_efficiency, pl.col("_percentile").fill_null(0.0))]
    if group is not None:
        parts.append((rules.weight_industry_match, pl.col("_leads").cast(pl.Float64)))
    if districts:
        parts.append((rules.weight_preferred_district, in_district.cast(pl.Float64)))
    if park_ids:
        parts.append((rules.weight_preferred_park, in_park.cast(pl.Float64)))
    if active_chain:
        parts.append((rules.weight_chain_nearby, chain_share))
    total_weight = sum(w for w, _ in parts)
    if total_weight > 0:
        score = (pl.sum_horizontal([w * part for w, part in parts if w > 0]) * (100.0 / total_weight)).round(2)
    else:
        score = pl.lit(0.0)

    target = criteria.target_area_mu
    gap = (pl.col("area_mu") - float(target)).abs() if target is not None else pl.lit(None, pl.Float64)
    ranked = (
        candidates.with_columns(score=score, _gap=gap)
        .sort(["score", "_gap", "kind", "id"], descending=[True, False, False, False], nulls_last=True)
        .with_row_index("rank", offset=1)
    )
    ranked = ranked.with_columns(reasons=_reasons(ranked, _reason_specs(criteria, rules, active_chain=active_chain)))
    return ranked.select(
        pl.col(name).cast(dtype) if name in ranked.columns else pl.lit(None, dtype).alias(name)
        for name, dtype in RESULT_SCHEMA.items()
    )


def _reason_specs(
    criteria: SiteCriteria, rules: SiteSearchRules, *, active_chain: bool
) -> list[tuple[str, pl.Expr, dict[str, pl.Expr]]]:
    """(code, when, params) of every reason that can apply to this search, in listing order."""
    parcel, park = pl.col("kind") == "parcel", pl.col("kind") == "park"
    group = criteria.industry_group_code
    area, floor = pl.col("area_mu"), pl.col("floor_m2")
    specs: list[tuple[str, pl.Expr, dict[str, pl.Expr]]] = [
        (
            "available",
            parcel,
            {"available_from": pl.col("available_from"), "available_by": pl.lit(criteria.available_by, pl.Date)},
        ),
        ("available", park, {"available_land_mu": area, "available_floor_m2": floor}),
    ]
    if criteria.min_area_mu is not None or criteria.max_area_mu is not None:
        bounds = {"min_area_mu": _lit(criteria.min_area_mu), "max_area_mu": _lit(criteria.max_area_mu)}
        specs.append(("area_in_range", parcel, {"area_mu": area, **bounds}))
    if criteria.min_area_mu is not None:
        specs.append(("area_in_range", park, {"area_mu": area, "min_area_mu": _lit(criteria.min_area_mu)}))
    if criteria.min_floor_m2 is not None:
        specs.append(
            ("floor_space", pl.lit(True), {"floor_m2": floor.round(2), "min_floor_m2": _lit(criteria.min_floor_m2)})
        )
    if criteria.min_floor_area_ratio is not None:
        far = {
            "floor_area_ratio": pl.col("floor_area_ratio"),
            "min_floor_area_ratio": _lit(criteria.min_floor_area_ratio),
        }
        specs.append(("far_ok", parcel, far))
    if criteria.preferred_district_codes:
        specs.append(
            (
                "preferred_district",
                pl.col("district_code").is_in(list(criteria.preferred_district_codes)),
                {"district_code": pl.col("district_code")},
            )
        )
    if criteria.preferred_park_ids:
        specs.append(
            (
                "preferred_park",
                pl.col("park_id").is_in(list(criteria.preferred_park_ids)),
                {"park_id": pl.col("park_id")},
            )
        )
    if group is not None:
        specs.append(("park_leads_group", pl.col("_leads"), {"park_id": pl.col("park_id"), "group_code": _lit(group)}))
    if rules.weight_park_efficiency > 0:
        specs.append(
            (
                "park_efficiency",
                pl.col("_percentile").is_not_null(),
                {
                    "park_id": pl.col("park_id"),
                    "output_cny_per_mu": pl.col("_park_output").round(2),
                    "percentile": (pl.col("_percentile") * 100).round(1),
                },
            )
        )
    if active_chain:
        specs.append(
            (
                "chain_nearby",
                pl.col("chain_nearby") > 0,
                {"count": pl.col("chain_nearby"), "radius_km": _lit(rules.nearby_radius_km)},
            )
        )
    return specs


def _reasons(ranked: pl.DataFrame, specs: list[tuple[str, pl.Expr, dict[str, pl.Expr]]]) -> pl.Series:
    """The ``reasons`` column, gathered in long form (one filtered slice per reason, grouped by row): far faster
    than concatenating lists of mostly-null structs on every row (as ``common.findings`` does for findings)."""
    base = ranked.lazy().with_row_index("_row")
    slices = [
        base.filter(when.fill_null(False)).select(
            "_row",
            pl.lit(order, pl.UInt32).alias("_order"),
            pl.lit(code, pl.String).alias("code"),
            _json(**params).alias("params"),
        )
        for order, (code, when, params) in enumerate(specs)
    ]
    grouped = (
        pl.concat(slices)
        .sort("_row", "_order")
        .group_by("_row", maintain_order=True)
        .agg(pl.struct("code", "params").alias("reasons"))
    )
    rows = pl.LazyFrame({"_row": pl.int_range(ranked.height, dtype=pl.UInt32, eager=True)})
    reasons = rows.join(grouped, on="_row", how="left", maintain_order="left").collect().get_column("reasons")
    return reasons.fill_null(pl.lit([], pl.List(REASON_DTYPE))).cast(pl.List(REASON_DTYPE))
