"""Counting points within a radius of each candidate without a cross join: both sides are binned to a grid of
cells at least one radius wide, each candidate is matched only with the points of its own and the 8 surrounding
cells, and the exact (equirectangular, exact enough at city scale) distance decides."""

from __future__ import annotations

import math

import polars as pl

KM_PER_DEGREE = 6371.0088 * math.pi / 180  # mean Earth radius (IUGG)
_ROW = 1 << 21  # cell key = ix * _ROW + iy; |iy| < 2^20 for any latitude at cells ≥ 10 m
_NEIGHBOURS = pl.DataFrame(
    {"_dx": [dx for dx in (-1, 0, 1) for _ in range(3)], "_dy": [-1, 0, 1] * 3},
    schema={"_dx": pl.Int64, "_dy": pl.Int64},
)


def count_within(
    candidates: pl.DataFrame, points: pl.DataFrame, *, radius_km: float, index: str = "_index"
) -> pl.Series:
    """For each row of ``candidates`` (``longitude``, ``latitude`` and an id column ``index``) the number of
    ``points`` (``longitude``, ``latitude``) at most ``radius_km`` away, as a UInt32 series in candidate order.

    Rows with a missing coordinate count 0 and are never counted.  Cells are sized from the highest latitude
    present so that a cell is at least ``radius_km`` wide everywhere; the result does not depend on row order.
    """
    located = candidates.select(index, "longitude", "latitude").drop_nulls()
    spots = points.select("longitude", "latitude").drop_nulls()
    if located.height == 0 or spots.height == 0:
        return pl.repeat(0, candidates.height, dtype=pl.UInt32, eager=True).alias("count")
    latitudes = pl.concat([located.get_column("latitude"), spots.get_column("latitude")])
    max_abs_lat = float(latitudes.abs().max())  # type: ignore[arg-type]
    cell_lat = radius_km / KM_PER_DEGREE
    cell_lon = radius_km / (KM_PER_DEGREE * max(math.cos(math.radians(min(max_abs_lat, 89.0))), 1e-6))

    def cells(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            _ix=(pl.col("longitude") / cell_lon).floor().cast(pl.Int64),
            _iy=(pl.col("latitude") / cell_lat).floor().cast(pl.Int64),
        )

    binned = cells(spots).select(
        (pl.col("_ix") * _ROW + pl.col("_iy")).alias("_cell"),
        pl.col("longitude").alias("_plon"),
        pl.col("latitude").alias("_plat"),
    )
    around = (
        cells(located)
        .join(_NEIGHBOURS, how="cross")  # 9 neighbouring cells per candidate: a fixed fan-out, not spatial
        .select(
            index,
            "longitude",
            "latitude",
            ((pl.col("_ix") + pl.col("_dx")) * _ROW + pl.col("_iy") + pl.col("_dy")).alias("_cell"),
        )
    )
    mid_lat = ((pl.col("latitude") + pl.col("_plat")) / 2).radians().cos()
    dx = (pl.col("_plon") - pl.col("longitude")) * mid_lat * KM_PER_DEGREE
    dy = (pl.col("_plat") - pl.col("latitude")) * KM_PER_DEGREE
    counts = (
        around.join(binned, on="_cell", how="inner")
        .filter(dx * dx + dy * dy <= radius_km * radius_km)
        .group_by(index)
        .agg(pl.len().cast(pl.UInt32).alias("count"))
    )
    return (
        candidates.select(index)
        .join(counts, on=index, how="left", maintain_order="left")
        .get_column("count")
        .fill_null(0)
    )
