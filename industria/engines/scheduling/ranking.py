"""Ranking of districts (or any group) by completion of the annual investment plan, coloured red/yellow/blue.

completion % = completed investment year-to-date / annual planned investment × 100 (domain-rules.md §7.4
rule 2: Shanghai reports % of plan, e.g. 105 %).  Time progress (序时进度) = month / 12 × 100.
Colour: blue when completion ≥ time progress; yellow when at most ``yellow_points`` percentage points below
(inclusive); red further below; grey without a plan.  Percentages are rounded once, half up, to 1 decimal.
"""

from __future__ import annotations

import polars as pl

from .schema import cast_frame, check_frame

RANKING_SCHEMA = {"group_code": pl.String, "planned_cny": pl.Float64, "completed_cny": pl.Float64}
RANK_COLOURS = ("blue", "yellow", "red", "grey")


def round_half_up(expr: pl.Expr, decimals: int = 1) -> pl.Expr:
    """The one rounding rule of the engine (half up, away from zero for negatives)."""
    scale = 10**decimals
    return (expr.abs() * scale + 0.5).floor().truediv(scale) * expr.sign()


def rank_completion(frame: pl.DataFrame, *, month: int, yellow_points: float) -> pl.DataFrame:
    """Completion %, time progress %, gap, colour and rank (1 = best; ties share a rank) of each group."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1..12, got {month}")
    check_frame(frame, "ranking", RANKING_SCHEMA)
    time_progress = month / 12 * 100
    out = (
        cast_frame(frame, RANKING_SCHEMA)
        .with_columns(
            completion_raw=pl.when(pl.col("planned_cny") > 0).then(
                pl.col("completed_cny").fill_null(0.0) / pl.col("planned_cny") * 100
            )
        )
        .with_columns(
            completion_pct=round_half_up(pl.col("completion_raw")),
            time_progress_pct=round_half_up(pl.lit(time_progress)),
        )
        .with_columns(gap_points=round_half_up(pl.col("completion_raw") - time_progress))
        .with_columns(
            colour=pl.when(pl.col("completion_raw").is_null())
            .then(pl.lit("grey"))
            .when(pl.col("gap_points") >= 0)
            .then(pl.lit("blue"))
            .when(pl.col("gap_points") >= -yellow_points)
            .then(pl.lit("yellow"))
            .otherwise(pl.lit("red")),
            rank=pl.col("completion_raw").rank(method="min", descending=True).cast(pl.Int64),
        )
        .drop("completion_raw")
        .sort(pl.col("rank"), pl.col("group_code"), nulls_last=True)
    )
    return out
