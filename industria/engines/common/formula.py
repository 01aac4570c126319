"""Formulas over facts columns, evaluated either in float64 (for display) or exactly (for comparisons).

Grammar (no division: a quotient is always an explicit ratio, compared by cross-multiplication)::

    expr  := term (("+" | "-") term)*
    term  := unary ("*" unary)*
    unary := "-" unary | atom
    atom  := NUMBER | column_name | "(" expr ")"

Exact evaluation works on scaled Int128 integers: a ``Decimal(p, s)`` column is its physical integer with scale
``s``; sums align scales; a product adds them.  Polars' own Decimal product rounds to the larger operand scale,
so it is not used.  Int128 wraps silently on overflow, so every exact value carries a float64 magnitude guard:
where the scaled integer could exceed 1e36 the result is null ("value out of range") instead of wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from industria.engines.common.parsing import RulesError, decimal_places

_TOKEN_RE = re.compile(r"\s*(?:(\d+(?:\.\d+)?)|([a-z_][a-z0-9_]*)|(.))")
_LIMIT = 1e36  # |scaled integer| must stay below this (Int128 max is about 1.7e38)
COMPARISONS = ("gte", "gt", "lte", "lt", "eq", "ne")


@dataclass(frozen=True)
class Exact:
    """An exact value: ``int_expr / 10**scale``; ``approx`` is the same value in float64; ``ok`` is the guard."""

    int_expr: pl.Expr
    scale: int
    approx: pl.Expr
    ok: pl.Expr

    @staticmethod
    def const(value: Decimal) -> Exact:
        scale = decimal_places(value)
        scaled = int(value.scaleb(scale))
        return Exact(pl.lit(scaled, pl.Int128), scale, pl.lit(float(value), pl.Float64), pl.lit(True))

    def rescale(self, scale: int) -> Exact:
        if scale == self.scale:
            return self
        factor = 10 ** (scale - self.scale)
        return Exact(self.int_expr * pl.lit(factor, pl.Int128), scale, self.approx, self.ok & _fits(self.approx, scale))

    def __add__(self, other: Exact) -> Exact:
        return _combine(self, other, "+")

    def __sub__(self, other: Exact) -> Exact:
        return _combine(self, other, "-")

    def __mul__(self, other: Exact) -> Exact:
        scale = self.scale + other.scale
        approx = self.approx * other.approx
        ok = self.ok & other.ok & _fits(approx, scale)
        return Exact(self.int_expr * other.int_expr, scale, approx, ok)

    def compare(self, op: str, other: Exact) -> pl.Expr:
        """Exact comparison; null when either side is null or out of range."""
        scale = max(self.scale, other.scale)
        left, right = self.rescale(scale), other.rescale(scale)
        a, b = left.int_expr, right.int_expr
        results: dict[str, pl.Expr] = {
            "gte": a >= b,
            "gt": a > b,
            "lte": a <= b,
            "lt": a < b,
            "eq": a == b,
            "ne": a != b,
        }
        return pl.when(left.ok & right.ok).then(results[op])


def _fits(approx: pl.Expr, scale: int) -> pl.Expr:
    fits: pl.Expr = approx.abs() < _LIMIT / 10**scale
    return fits


def _combine(a: Exact, b: Exact, op: str) -> Exact:
    scale = max(a.scale, b.scale)
    a, b = a.rescale(scale), b.rescale(scale)
    if op == "+":
        return Exact(a.int_expr + b.int_expr, scale, a.approx + b.approx, a.ok & b.ok)
    return Exact(a.int_expr - b.int_expr, scale, a.approx - b.approx, a.ok & b.ok)


# --- AST -------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Num:
    value: Decimal

    def columns(self) -> frozenset[str]:
        return frozenset()

    def to_float(self) -> pl.Expr:
        return pl.lit(float(self.value), pl.Float64)

    def to_exact(self) -> Exact:
        return Exact.const(self.value)


@dataclass(frozen=True)
class Col:
    name: str
    scale: int  # decimal places of the column's Decimal dtype; 0 for integer columns

    def columns(self) -> frozenset[str]:
        return frozenset({self.name})

    def to_float(self) -> pl.Expr:
        return pl.col(self.name).cast(pl.Float64)

    def to_exact(self) -> Exact:
        col = pl.col(self.name)
        int_expr = col.to_physical() if self.scale else col.cast(pl.Int128)
        return Exact(int_expr.cast(pl.Int128), self.scale, col.cast(pl.Float64), pl.lit(True))


@dataclass(frozen=True)
class BinOp:
    op: str
    left: Formula
    right: Formula

    def columns(self) -> frozenset[str]:
        return self.left.columns() | self.right.columns()

    def to_float(self) -> pl.Expr:
        a, b = self.left.to_float(), self.right.to_float()
        return a + b if self.op == "+" else a - b if self.op == "-" else a * b

    def to_exact(self) -> Exact:
        a, b = self.left.to_exact(), self.right.to_exact()
        return a + b if self.op == "+" else a - b if self.op == "-" else a * b


Formula = Num | Col | BinOp


def formula_columns(formula: Formula) -> frozenset[str]:
    return formula.columns()


def parse_formula(text: str, numeric_scales: Mapping[str, int], path: str) -> Formula:
    """Parse ``text``; ``numeric_scales`` maps each usable column to its decimal scale (unknown names fail)."""
    tokens = _tokenize(text, path)
    parser = _Parser(tokens, numeric_scales, path, text)
    result = parser.expr()
    if parser.pos != len(tokens):
        raise RulesError(path, f"unexpected {tokens[parser.pos][1]!r} in formula {text!r}")
    return result


def _tokenize(text: str, path: str) -> list[tuple[str, str]]:
    tokens: list[tuple[str, str]] = []
    pos = 0
    text = text.rstrip()
    while pos < len(text):
        match = _TOKEN_RE.match(text, pos)
        if match is None:  # pragma: no cover - the pattern always matches at least one char
            break
        number, name, other = match.groups()
        if number is not None:
            tokens.append(("num", number))
        elif name is not None:
            tokens.append(("name", name))
        elif other in {"+", "-", "*", "(", ")"}:
            tokens.append(("op", other))
        else:
            raise RulesError(path, f"unexpected character {other!r} in formula {text!r} (allowed: + - * ( ))")
        pos = match.end()
    if not tokens:
        raise RulesError(path, "empty formula")
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]], scales: Mapping[str, int], path: str, text: str) -> None:
        self.tokens, self.scales, self.path, self.text, self.pos = tokens, scales, path, text, 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def expr(self) -> Formula:
        node = self.term()
        while (tok := self._peek()) is not None and tok[1] in {"+", "-"}:
            self.pos += 1
            node = BinOp(tok[1], node, self.term())
        return node

    def term(self) -> Formula:
        node = self.unary()
        while (tok := self._peek()) is not None and tok[1] == "*":
            self.pos += 1
            node = BinOp("*", node, self.unary())
        return node

    def unary(self) -> Formula:
        tok = self._peek()
        if tok is not None and tok == ("op", "-"):
            self.pos += 1
            return BinOp("-", Num(Decimal(0)), self.unary())
        return self.atom()

    def atom(self) -> Formula:
        tok = self._peek()
        if tok is None:
            raise RulesError(self.path, f"formula {self.text!r} ends too early")
        self.pos += 1
        kind, value = tok
        if kind == "num":
            return Num(Decimal(value))
        if kind == "name":
            if value not in self.scales:
                raise RulesError(self.path, f"unknown or non-numeric column {value!r} in formula {self.text!r}")
            return Col(value, self.scales[value])
        if value == "(":
            node = self.expr()
            if self._peek() != ("op", ")"):
                raise RulesError(self.path, f"missing ')' in formula {self.text!r}")
            self.pos += 1
            return node
        raise RulesError(self.path, f"unexpected {value!r} in formula {self.text!r}")


def numeric_scales(schema: Mapping[str, pl.DataType]) -> dict[str, int]:
    """Columns usable in formulas (Decimal and integer dtypes) with their decimal scale."""
    scales: dict[str, int] = {}
    for name, dtype in schema.items():
        if isinstance(dtype, pl.Decimal):
            scales[name] = dtype.scale or 0
        elif dtype.is_integer():
            scales[name] = 0
    return scales
