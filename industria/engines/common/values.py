"""Indicator values: a formula, or a ratio of two formulas compared exactly by cross-multiplication.

A ratio ``n / d`` is defined only when every column it uses is present and ``d > 0``.  Comparisons with a
threshold ``t`` are exact: ``n / d >= t`` is evaluated as ``n >= t * d`` on scaled integers, so growth from
11,500,000 over 10,000,000 is exactly 15 % (float64 says 14.999…).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from industria.engines.common.formula import Exact, Formula, numeric_scales, parse_formula
from industria.engines.common.parsing import Node


@dataclass(frozen=True)
class ValueSpec:
    """``numerator`` alone, or ``numerator / denominator``."""

    numerator: Formula
    denominator: Formula | None = None

    @property
    def is_ratio(self) -> bool:
        return self.denominator is not None

    def columns(self) -> frozenset[str]:
        cols = self.numerator.columns()
        return cols | self.denominator.columns() if self.denominator is not None else cols

    def all_present(self) -> pl.Expr:
        cols = sorted(self.columns())
        if not cols:
            return pl.lit(True)
        return pl.all_horizontal(pl.col(c).is_not_null() for c in cols)

    def positive_denominator(self) -> pl.Expr:
        if self.denominator is None:
            return pl.lit(True)
        den = self.denominator.to_exact()
        return (den.compare("gt", Exact.const(Decimal(0)))).fill_null(False)

    def _in_range(self) -> pl.Expr:
        ok = self.numerator.to_exact().ok
        if self.denominator is not None:
            ok = ok & self.denominator.to_exact().ok
        return ok.fill_null(True)

    def defined(self) -> pl.Expr:
        """True where the value can be computed (never null)."""
        return self.all_present() & self.positive_denominator() & self._in_range()

    def undefined_reason(self) -> pl.Expr:
        """Null where defined, else a finding code: missing_value, ratio_undefined or value_out_of_range."""
        return (
            pl.when(~self.all_present())
            .then(pl.lit("missing_value"))
            .when(~self.positive_denominator())
            .then(pl.lit("ratio_undefined"))
            .when(~self._in_range())
            .then(pl.lit("value_out_of_range"))
        )

    def missing_columns(self) -> pl.Expr:
        """Comma-separated names of the columns that are null in the row (empty string when none)."""
        cols = sorted(self.columns())
        if not cols:
            return pl.lit("")
        parts = [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in cols]
        return pl.concat_str(parts, separator=",", ignore_nulls=True)

    def float_value(self) -> pl.Expr:
        """The value in float64, unguarded (the caller masks undefined rows)."""
        num = self.numerator.to_float()
        return num / self.denominator.to_float() if self.denominator is not None else num

    def as_float(self) -> pl.Expr:
        """The value in float64 for display; null where undefined."""
        return pl.when(self.defined()).then(self.float_value())

    def compare(self, op: str, threshold: Decimal) -> pl.Expr:
        """Exact ``value <op> threshold``; null where the value is undefined."""
        num = self.numerator.to_exact()
        if self.denominator is None:
            result = num.compare(op, Exact.const(threshold))
        else:
            result = num.compare(op, Exact.const(threshold) * self.denominator.to_exact())
        return pl.when(self.defined()).then(result)

    def floor_div(self, per: Decimal) -> pl.Expr:
        """Exact ``floor(value / per)`` as Int64 (``per > 0``); null where undefined."""
        step = Exact.const(per)
        num = self.numerator.to_exact()
        if self.denominator is None:
            scale = max(num.scale, step.scale)
            quotient = num.rescale(scale).int_expr // step.rescale(scale).int_expr
        else:
            lhs, rhs = num, step * self.denominator.to_exact()
            scale = max(lhs.scale, rhs.scale)
            quotient = lhs.rescale(scale).int_expr // rhs.rescale(scale).int_expr
        return pl.when(self.defined()).then(quotient.cast(pl.Int64))


def parse_value(node: Node, scales: Mapping[str, int]) -> ValueSpec:
    """``"formula"`` or ``{numerator: "formula", denominator: "formula"}``."""
    if isinstance(node.value, str):
        return ValueSpec(parse_formula(node.as_str(), scales, node.path))
    node.mapping(allowed=("numerator", "denominator"), required=("numerator", "denominator"))
    num = node.req("numerator")
    den = node.req("denominator")
    return ValueSpec(
        parse_formula(_formula_text(num), scales, num.path),
        parse_formula(_formula_text(den), scales, den.path),
    )


def _formula_text(node: Node) -> str:
    if isinstance(node.value, int | float) and not isinstance(node.value, bool):
        return str(node.as_number())
    return node.as_str()


@dataclass(frozen=True)
class FactsContext:
    """What a rule set may refer to: the engine's facts schema restricted to the rule set's declared columns."""

    schema: Mapping[str, pl.DataType]
    columns: frozenset[str]

    def scales(self) -> dict[str, int]:
        return {k: v for k, v in numeric_scales(self.schema).items() if k in self.columns}

    def value(self, node: Node) -> ValueSpec:
        return parse_value(node, self.scales())

    def column(self, node: Node) -> str:
        name = node.as_str()
        if name not in self.schema:
            raise node.fail(f"unknown facts column {name!r}")
        if name not in self.columns:
            raise node.fail(f"column {name!r} is not listed in the rule set's columns")
        return name

    def boolean_column(self, node: Node) -> str:
        name = self.column(node)
        if self.schema[name] != pl.Boolean:
            raise node.fail(f"column {name!r} is not a boolean column")
        return name

    def choice_column(self, node: Node) -> tuple[str, tuple[str, ...]]:
        name = self.column(node)
        dtype = self.schema[name]
        if not isinstance(dtype, pl.Enum):
            raise node.fail(f"column {name!r} is not a choice column")
        return name, tuple(dtype.categories.to_list())
