"""Eligibility conditions, routes and segment rules as data, evaluated with three-valued (Kleene) logic.

YAML forms::

    {value: <formula or ratio>, gte|gt|lte|lt|eq|ne: <number>}   # exact comparison (gte = 以上, gt = 超过 …)
    {column: <boolean column>, is: true|false}
    {column: <choice column>, in: [code, …]}
    {all: [<condition>, …]}   {any: [<condition>, …]}   {not: <condition>}
    {otherwise: true}                                           # always true (last segment, last band)

A condition whose inputs are missing evaluates to null ("unknown"); callers decide what unknown means
(a route or eligibility condition that is unknown is not met and yields a ``condition_unknown`` finding).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from industria.engines.common.formula import COMPARISONS
from industria.engines.common.parsing import Node
from industria.engines.common.sources import Source, parse_source
from industria.engines.common.values import FactsContext, ValueSpec


@dataclass(frozen=True)
class Compare:
    value: ValueSpec
    op: str
    threshold: Decimal

    def expr(self) -> pl.Expr:
        return self.value.compare(self.op, self.threshold)

    def columns(self) -> frozenset[str]:
        return self.value.columns()


@dataclass(frozen=True)
class Flag:
    column: str
    expected: bool

    def expr(self) -> pl.Expr:
        return pl.col(self.column) == self.expected

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class Member:
    column: str
    values: tuple[str, ...]

    def expr(self) -> pl.Expr:
        # equality on the Enum column keeps null (unknown) for an empty cell
        return pl.any_horizontal([pl.col(self.column) == value for value in self.values])

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})


@dataclass(frozen=True)
class AllOf:
    items: tuple[Condition, ...]

    def expr(self) -> pl.Expr:
        return pl.all_horizontal([c.expr() for c in self.items])

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(c.columns() for c in self.items))


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Condition, ...]

    def expr(self) -> pl.Expr:
        return pl.any_horizontal([c.expr() for c in self.items])

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(c.columns() for c in self.items))


@dataclass(frozen=True)
class NotOf:
    item: Condition

    def expr(self) -> pl.Expr:
        return ~self.item.expr()

    def columns(self) -> frozenset[str]:
        return self.item.columns()


@dataclass(frozen=True)
class Always:
    def expr(self) -> pl.Expr:
        return pl.lit(True)

    def columns(self) -> frozenset[str]:
        return frozenset()


Condition = Compare | Flag | Member | AllOf | AnyOf | NotOf | Always


@dataclass(frozen=True)
class NamedCondition:
    """A condition with a stable code (its result column is ``<code>_met``) and its evidence."""

    code: str
    when: Condition
    title: Mapping[str, str]
    source: Source

    def missing_columns(self) -> pl.Expr:
        cols = sorted(self.when.columns())
        if not cols:
            return pl.lit("")
        return pl.concat_str(
            [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in cols], separator=",", ignore_nulls=True
        )


def parse_condition(node: Node, ctx: FactsContext, *, allow_otherwise: bool = False) -> Condition:
    node.mapping()
    keys = set(node.value)
    if "otherwise" in keys:
        node.mapping(allowed=("otherwise",))
        if not allow_otherwise:
            raise node.fail("'otherwise' is only allowed as the last item")
        if node.req("otherwise").as_bool() is not True:
            raise node.fail("'otherwise' must be true")
        return Always()
    if "all" in keys or "any" in keys:
        kind = "all" if "all" in keys else "any"
        node.mapping(allowed=(kind,))
        items = tuple(parse_condition(n, ctx) for n in node.req(kind).as_list(min_items=1))
        return AllOf(items) if kind == "all" else AnyOf(items)
    if "not" in keys:
        node.mapping(allowed=("not",))
        return NotOf(parse_condition(node.req("not"), ctx))
    if "value" in keys:
        node.mapping(allowed=("value", *COMPARISONS), required=("value",))
        ops = [k for k in COMPARISONS if k in keys]
        if len(ops) != 1:
            raise node.fail(f"expected exactly one comparison among {', '.join(COMPARISONS)}")
        return Compare(ctx.value(node.req("value")), ops[0], node.req(ops[0]).as_number())
    if "column" in keys:
        node.mapping(allowed=("column", "is", "in"), required=("column",))
        if "is" in keys:
            return Flag(ctx.boolean_column(node.req("column")), node.req("is").as_bool())
        if "in" in keys:
            name, choices = ctx.choice_column(node.req("column"))
            values = node.req("in").as_str_list(min_items=1)
            for i, v in enumerate(values):
                if v not in choices:
                    raise Node(v, f"{node.path}.in[{i}]").fail(
                        f"{v!r} is not a choice of {name} ({', '.join(choices)})"
                    )
            return Member(name, values)
        raise node.fail("a column condition needs 'is' (boolean column) or 'in' (choice column)")
    raise node.fail("expected one of: value+comparison, column+is, column+in, all, any, not, otherwise")


def parse_named_condition(node: Node, ctx: FactsContext, default_source: Source) -> NamedCondition:
    node.mapping(allowed=("code", "title", "when", "source"), required=("code", "when"))
    title = node.get("title")
    return NamedCondition(
        code=node.req("code").as_code(),
        when=parse_condition(node.req("when"), ctx),
        title=title.as_text() if title is not None else {},
        source=parse_source(node.get("source"), default_source),
    )
