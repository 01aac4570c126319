"""The one rounding rule for points: 2 decimals, half up (ties away from zero, like ``decimal.ROUND_HALF_UP``).

Points computed in float64 (benchmark ratios) are first snapped to 6 decimals (nearest) to drop binary noise
(37.345 is stored as 37.344999…), then rounded half up to 2 decimals.  Points that are exact decimals (band
points × weights) are rounded half up on the Decimal itself.  Either way the result is an exact Decimal(38, 2).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import polars as pl

POINTS_DECIMALS = 2
POINTS_DTYPE = pl.Decimal(38, POINTS_DECIMALS)
_SNAP_DTYPE = pl.Decimal(38, 6)


def round_points(expr: pl.Expr) -> pl.Expr:
    """Round a decimal (or float) points expression once: 2 decimals, half up.  Non-finite values become null."""
    return expr.cast(_SNAP_DTYPE, strict=False).round(POINTS_DECIMALS, mode="half_away_from_zero").cast(POINTS_DTYPE)


def round_float_points(expr: pl.Expr) -> pl.Expr:
    """``round_points`` for a float64 expression, on floats (2.5× faster at 500k rows, same results).

    ``x × 100`` is snapped to 4 decimals (= x to 6 decimals, dropping binary noise: 267.49999999999997 ->
    267.5), rounded half away from zero to an integer, divided by 100 and cast to the exact 2-decimal type
    (the cast rounds to nearest, so 2.68 stays 2.68).
    """
    cents = (expr * 100).round(4).round(0, mode="half_away_from_zero")
    return (cents / 100).cast(POINTS_DTYPE, strict=False)


def mean_of_points(total_cents: int, count: int) -> Decimal | None:
    """Mean of 2-decimal points given as their sum in cents, rounded half up once to 2 decimals."""
    if count <= 0:
        return None
    cents = (Decimal(total_cents) / Decimal(count)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return cents.scaleb(-POINTS_DECIMALS)
