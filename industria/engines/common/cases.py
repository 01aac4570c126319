"""``first_match``: a when/then chain built from a list of cases (the first true condition wins)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl


def first_match(cases: Sequence[tuple[pl.Expr, pl.Expr]], otherwise: pl.Expr) -> pl.Expr:
    """``when c1 then v1 when c2 then v2 … otherwise``; a null condition counts as false."""
    if not cases:
        return otherwise
    chain: Any = pl.when(cases[0][0]).then(cases[0][1])
    for condition, value in cases[1:]:
        chain = chain.when(condition).then(value)
    result: pl.Expr = chain.otherwise(otherwise)
    return result
