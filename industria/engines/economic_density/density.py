"""Entry point of the economic-density engine: output and tax per unit of industrial land, by parcel, park or
district and year, with the enterprises' grade mix and the year-on-year trend."""

from __future__ import annotations

from typing import Literal

import polars as pl

from industria.engines.common.schema import check_schema

ENGINE_VERSION = "1.0.0"
M2_PER_MU = 10_000 / 15  # 1 mu = 666.67 m²
M2_PER_KM2 = 1_000_000
CNY_PER_100M = 100_000_000
GRADES = ("A", "B", "C", "D")
LEVEL_KEYS: dict[str, str] = {"parcel": "parcel_id", "park": "park_id", "district": "district_code"}

USES_SCHEMA: dict[str, pl.DataType] = {
    "enterprise_id": pl.Int64(),
    "parcel_id": pl.Int64(),
    "year": pl.Int32(),
    "used_area_m2": pl.Float64(),
}
FACTS_SCHEMA: dict[str, pl.DataType] = {
    "enterprise_id": pl.Int64(),
    "year": pl.Int32(),
    "gross_output_cny": pl.Float64(),
    "tax_paid_cny": pl.Float64(),
}
PARCELS_SCHEMA: dict[str, pl.DataType] = {
    "parcel_id": pl.Int64(),
    "park_id": pl.Int64(),
    "district_code": pl.String(),
    "area_m2": pl.Float64(),
}
GRADES_SCHEMA: dict[str, pl.DataType] = {"enterprise_id": pl.Int64(), "year": pl.Int32(), "grade": pl.String()}


def allocate(uses: pl.DataFrame, facts: pl.DataFrame, parcels: pl.DataFrame) -> pl.DataFrame:
    """Each enterprise-year's output and tax split over its parcels pro rata by used area (whole parcel if null).

    One row per use whose parcel is known: ``enterprise_id``, ``parcel_id``, ``year``, ``share`` (the weights of an
    enterprise-year sum to 1), ``output_cny``, ``tax_cny`` (null when the enterprise did not report it).  Uses of
    unknown parcels are dropped before the shares are taken, so the allocation conserves each enterprise's totals.
    """
    uses = check_schema(uses, USES_SCHEMA, ("enterprise_id", "parcel_id", "year"))
    facts = check_schema(facts, FACTS_SCHEMA, ("enterprise_id", "year"))
    parcels = check_schema(parcels, PARCELS_SCHEMA, ("parcel_id", "district_code", "area_m2"))
    return _allocate(uses, _facts_per_year(facts), parcels.select("parcel_id", "area_m2"))


def _facts_per_year(facts: pl.DataFrame) -> pl.DataFrame:
    """One row per enterprise-year (duplicates summed; null when every duplicate is null)."""
    return facts.group_by("enterprise_id", "year").agg(
        pl.when(pl.col(c).count() > 0).then(pl.col(c).sum()).alias(c) for c in ("gross_output_cny", "tax_paid_cny")
    )


def _allocate(uses: pl.DataFrame, facts: pl.DataFrame, areas: pl.DataFrame) -> pl.DataFrame:
    weighted = (
        uses.join(areas, on="parcel_id", how="inner")
        .with_columns(weight=pl.coalesce(pl.col("used_area_m2"), pl.col("area_m2")).clip(lower_bound=0))
        .with_columns(
            total=pl.col("weight").sum().over("enterprise_id", "year"),
            users=pl.len().over("enterprise_id", "year"),
        )
        .with_columns(
            share=pl.when(pl.col("total") > 0).then(pl.col("weight") / pl.col("total")).otherwise(1 / pl.col("users"))
        )
    )
    return weighted.join(facts, on=["enterprise_id", "year"], how="left").select(
        "enterprise_id",
        "parcel_id",
        "year",
        "share",
        (pl.col("gross_output_cny") * pl.col("share")).alias("output_cny"),
        (pl.col("tax_paid_cny") * pl.col("share")).alias("tax_cny"),
    )


def economic_density(
    uses: pl.DataFrame,
    facts: pl.DataFrame,
    parcels: pl.DataFrame,
    grades: pl.DataFrame,
    *,
    level: Literal["parcel", "park", "district"],
) -> pl.DataFrame:
    """Output and tax per mu and per km² for every unit of ``level`` and every year found in ``uses``.

    The denominator is all the unit's land (every parcel in ``parcels``, idle ones included), so a unit without
    users in a year appears with zero output.  ``output_cny``/``tax_cny`` are null when the unit has users but none
    of them reported the figure.  Grade counts and ``enterprises`` count distinct enterprises using the unit's land
    that year (an enterprise with several grades in a year counts with its worst).  ``output_growth_pct`` compares
    with the same unit's previous calendar year (null without it or when it was zero).  Sorted by key, then year.
    """
    if level not in LEVEL_KEYS:
        raise ValueError(f"level must be one of {', '.join(LEVEL_KEYS)}, got {level!r}")
    key = LEVEL_KEYS[level]
    uses = check_schema(uses, USES_SCHEMA, ("enterprise_id", "parcel_id", "year"))
    facts = check_schema(facts, FACTS_SCHEMA, ("enterprise_id", "year"))
    parcels = check_schema(parcels, PARCELS_SCHEMA, ("parcel_id", "district_code", "area_m2"))
    grades = check_schema(grades, GRADES_SCHEMA, GRADES_SCHEMA)
    parcels = parcels.unique("parcel_id", keep="first", maintain_order=True)

    allocated = _allocate(uses, _facts_per_year(facts), parcels.select("parcel_id", "area_m2"))
    worst = grades.filter(pl.col("grade").is_in(GRADES)).group_by("enterprise_id", "year").agg(pl.col("grade").max())
    keyed = allocated
    if key != "parcel_id":
        keyed = allocated.join(parcels.select("parcel_id", key), on="parcel_id", how="left").drop("parcel_id")
    keyed = keyed.filter(pl.col(key).is_not_null())
    sums = keyed.group_by(key, "year").agg(
        pl.when(pl.col("output_cny").count() > 0).then(pl.col("output_cny").sum()).alias("output_cny"),
        pl.when(pl.col("tax_cny").count() > 0).then(pl.col("tax_cny").sum()).alias("tax_cny"),
    )
    users = keyed.select(key, "year", "enterprise_id").unique().join(worst, on=["enterprise_id", "year"], how="left")
    counts = users.group_by(key, "year").agg(
        pl.len().cast(pl.Int64).alias("enterprises"),
        *((pl.col("grade") == g).sum().cast(pl.Int64).alias(f"grade_{g.lower()}") for g in GRADES),
    )
    land = parcels.filter(pl.col(key).is_not_null()).group_by(key).agg(pl.col("area_m2").sum().alias("land_area_m2"))
    years = uses.select(pl.col("year").unique().sort())
    grid = land.join(years, how="cross")  # units × years: small (a few years), not a spatial cross join
    count_columns = ["enterprises", *(f"grade_{g.lower()}" for g in GRADES)]
    table = (
        grid.join(sums, on=[key, "year"], how="left")
        .join(counts, on=[key, "year"], how="left")
        .with_columns(pl.col(c).fill_null(0) for c in count_columns)
        .with_columns(
            pl.when(pl.col("enterprises") == 0).then(0.0).otherwise(pl.col(c)).alias(c)
            for c in ("output_cny", "tax_cny")
        )
    )
    area_mu = pl.col("land_area_m2") / M2_PER_MU
    area_km2 = pl.col("land_area_m2") / M2_PER_KM2
    positive = pl.col("land_area_m2") > 0
    table = table.with_columns(land_area_mu=area_mu).with_columns(
        output_cny_per_mu=pl.when(positive).then(pl.col("output_cny") / area_mu),
        tax_cny_per_mu=pl.when(positive).then(pl.col("tax_cny") / area_mu),
        output_100m_cny_per_km2=pl.when(positive).then(pl.col("output_cny") / CNY_PER_100M / area_km2),
        tax_100m_cny_per_km2=pl.when(positive).then(pl.col("tax_cny") / CNY_PER_100M / area_km2),
    )
    previous = table.select(key, (pl.col("year") + 1).alias("year"), pl.col("output_cny").alias("_previous"))
    table = table.join(previous, on=[key, "year"], how="left").with_columns(
        output_growth_pct=pl.when(pl.col("_previous") > 0).then(
            (pl.col("output_cny") - pl.col("_previous")) / pl.col("_previous") * 100
        )
    )
    return table.select(
        key,
        "year",
        "land_area_m2",
        "land_area_mu",
        "output_cny",
        "tax_cny",
        "output_cny_per_mu",
        "tax_cny_per_mu",
        "output_100m_cny_per_km2",
        "tax_100m_cny_per_km2",
        *count_columns,
        "output_growth_pct",
    ).sort(key, "year")
