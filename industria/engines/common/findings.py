"""Findings: data-quality notes and rule effects attached to a result row, as stable codes plus parameters.

A finding is a struct ``{code, subject, value}``: ``code`` is one of ``FINDING_CODES``; ``subject`` names the
indicator, condition, category or segment it is about; ``value`` carries the one parameter (missing column
names, the exemption class, the veto code, a substituted mean…).  No text here: the UI translates codes.
Missing data is a finding, never an exception.

Findings are gathered in long form (one filtered slice per rule, then grouped by row), which is far faster
than building a list of mostly-null structs on every row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

FINDING_DTYPE = pl.Struct({"code": pl.String, "subject": pl.String, "value": pl.String})

FINDING_CODES: dict[str, str] = {
    "missing_value": "an input of the indicator is empty; value = the empty columns; it scores its missing points",
    "ratio_undefined": "the denominator of the indicator is zero or negative; it scores its missing points",
    "value_out_of_range": "the value is too large to compare exactly; the indicator scores its missing points",
    "segment_mean_substituted": "the indicator was undefined and took the mean points of its segment; value = the mean",
    "points_clamped": "a points input lay outside [0, max_points] and was clamped; value = the input",
    "benchmark_unavailable": "the segment's benchmark is zero, negative or without data; it scores its missing points",
    "segment_undetermined": "the segment (size class) could not be determined; value = the empty columns",
    "not_covered": "the row is outside the evaluated population of its segment; subject = segment",
    "coverage_undetermined": "coverage could not be determined; subject = segment, value = the empty columns",
    "exempt": "exempt class: scored but not graded; value = the class",
    "veto_applied": "a one-vote veto forced the grade; value = the veto code",
    "condition_not_met": "an eligibility or standard-route condition is not met; subject = the condition",
    "condition_unknown": "a condition could not be decided (empty inputs); subject = condition, value = empty columns",
    "category_minimum_not_met": "a category subtotal is below its minimum; subject = category, value = the minimum",
    "total_below_minimum": "the total is below the pass mark; value = the pass mark",
    "direct_route_met": "a direct-qualification route holds; subject = the route",
}


@dataclass(frozen=True)
class FindingRule:
    """Raise finding ``code`` on the rows where ``when`` is true (null counts as false)."""

    when: pl.Expr
    code: str
    subject: str | None = None
    value: pl.Expr | None = None


def finding(when: pl.Expr, code: str, subject: str | None = None, value: pl.Expr | None = None) -> FindingRule:
    assert code in FINDING_CODES, code
    return FindingRule(when, code, subject, value)


def mask_column(order: int) -> str:
    return f"_finding_mask_{order}"


def finding_masks(rules: Sequence[FindingRule]) -> dict[str, pl.Expr]:
    """The rules' conditions as boolean columns, to compute inside the main query (in parallel with it)."""
    return {mask_column(i): rule.when.fill_null(False) for i, rule in enumerate(rules)}


def attach_findings(frame: pl.DataFrame, rules: Sequence[FindingRule]) -> pl.DataFrame:
    """Add a ``findings`` column (list of ``FINDING_DTYPE``, in rule order, possibly empty) to ``frame``."""
    return frame.with_columns(findings_series(frame, rules))


def findings_series(frame: pl.DataFrame, rules: Sequence[FindingRule]) -> pl.Series:
    """The ``findings`` column for ``frame``: a list of ``FINDING_DTYPE`` per row, in rule order.

    Uses the ``finding_masks`` columns when ``frame`` has them, else evaluates the conditions here.
    """
    missing = {k: v for k, v in finding_masks(rules).items() if k not in frame.columns}
    indexed = frame.with_row_index("_row").with_columns(**missing)
    fired = indexed.select(pl.col(mask_column(i)).any() for i in range(len(rules))).row(0)
    slices = [
        # lazily, so that only the columns the slice needs are filtered
        indexed.lazy()
        .filter(pl.col(mask_column(order)))
        .select(
            pl.col("_row"),
            pl.lit(order, pl.UInt32).alias("_order"),
            pl.lit(rule.code, pl.String).alias("code"),
            pl.lit(rule.subject, pl.String).alias("subject"),
            (rule.value.cast(pl.String) if rule.value is not None else pl.lit(None, pl.String)).alias("value"),
        )
        for order, rule in enumerate(rules)
        if fired[order]
    ]
    if not slices:
        return pl.repeat([], frame.height, dtype=pl.List(FINDING_DTYPE), eager=True).alias("findings")
    empty = pl.lit([], pl.List(FINDING_DTYPE))
    long = pl.concat(slices).sort("_row", "_order").collect()
    grouped = long.group_by("_row", maintain_order=True).agg(findings=pl.struct("code", "subject", "value"))
    # place each row's list at its row position (a scatter/gather instead of a join on the whole frame)
    positions = pl.repeat(None, frame.height, dtype=pl.UInt32, eager=True).scatter(
        grouped.get_column("_row").cast(pl.UInt32), pl.int_range(grouped.height, dtype=pl.UInt32, eager=True)
    )
    column = grouped.get_column("findings").gather(positions).cast(pl.List(FINDING_DTYPE))
    return pl.select(column.fill_null(empty)).to_series().alias("findings")
