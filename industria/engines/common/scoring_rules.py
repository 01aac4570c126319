"""Parsing of the scoring part of a rule set: categories and indicators (see ``indicators`` for the methods)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from industria.engines.common.bands import DIRECTIONS, parse_bands, parse_points
from industria.engines.common.indicators import (
    METHODS,
    BandsMethod,
    BenchmarkMethod,
    BestOfMethod,
    ChoiceMethod,
    CountMethod,
    FlagMethod,
    Indicator,
    InputMethod,
    LinearMethod,
    Method,
)
from industria.engines.common.parsing import Node
from industria.engines.common.sources import Source, parse_source
from industria.engines.common.values import FactsContext

MISSING_POLICIES = ("zero", "segment_mean")
_COMMON_KEYS = ("code", "title", "category", "segments", "method", "weight", "max_points", "missing", "source", "notes")
_METHOD_KEYS: dict[str, tuple[str, ...]] = {
    "bands": ("value", "direction", "bands"),
    "choice": ("column", "points"),
    "flag": ("column", "if_true", "if_false"),
    "count": ("columns", "points_each"),
    "input": ("column",),
    "linear": ("value", "per", "points_per"),
    "best_of": ("options",),
    "benchmark": ("value", "benchmark", "cap_multiple", "floor_points"),
}


@dataclass(frozen=True)
class Category:
    """A group of indicators: subtotal ``<code>_points``, capped at ``max_points``; ``min_points`` for pass rules."""

    code: str
    title: Mapping[str, str]
    max_points: Decimal | None
    min_points: Decimal | None
    source: Source


def parse_categories(node: Node | None, default: Source) -> tuple[Category, ...]:
    if node is None:
        return ()
    out: list[Category] = []
    for item in node.as_list():
        item.mapping(allowed=("code", "title", "max_points", "min_points", "source"), required=("code",))
        title = item.get("title")
        max_points = item.get("max_points")
        min_points = item.get("min_points")
        code = item.req("code").as_code()
        if code in {c.code for c in out}:
            raise item.req("code").fail(f"duplicate category {code!r}")
        out.append(
            Category(
                code=code,
                title=title.as_text() if title is not None else {},
                max_points=parse_points(max_points) if max_points is not None else None,
                min_points=parse_points(min_points) if min_points is not None else None,
                source=parse_source(item.get("source"), default),
            )
        )
    return tuple(out)


def parse_indicator(
    node: Node, ctx: FactsContext, default: Source, categories: set[str], segments: Iterable[str]
) -> Indicator:
    node.mapping(required=("code", "method"))
    method_name = node.req("method").as_str()
    if method_name not in METHODS:
        raise node.req("method").fail(f"unknown method {method_name!r} (one of {', '.join(METHODS)})")
    node.mapping(allowed=(*_COMMON_KEYS, *_METHOD_KEYS[method_name]))
    code = node.req("code").as_code()
    category = node.get("category")
    category_code = category.as_code() if category is not None else None
    if category is not None and category_code not in categories:
        raise category.fail(f"unknown category {category_code!r} (declare it under categories)")
    segment_codes = tuple(segments)
    if (seg_node := node.get("segments")) is not None:
        segment_codes = seg_node.as_code_list(min_items=1)
        for i, seg in enumerate(segment_codes):
            if seg not in set(segments):
                raise Node(seg, f"{seg_node.path}[{i}]").fail(f"unknown segment {seg!r}")
    weight_node = node.get("weight")
    weight = parse_points(weight_node) if weight_node is not None else Decimal(1)
    if weight <= 0:
        raise weight_node.fail("weight must be positive")  # type: ignore[union-attr]
    max_node = node.get("max_points")
    max_points = parse_points(max_node) if max_node is not None else None
    method = _parse_method(method_name, node, ctx, max_points, default)
    if method_name == "benchmark" and weight_node is None:
        raise node.fail("a benchmark indicator needs a weight (its points at the benchmark)")
    missing_node = node.get("missing")
    missing = missing_node.as_str() if missing_node is not None else "zero"
    if missing not in MISSING_POLICIES:
        raise missing_node.fail(f"expected one of {', '.join(MISSING_POLICIES)}")  # type: ignore[union-attr]
    title = node.get("title")
    return Indicator(
        code=code,
        title=title.as_text() if title is not None else {},
        category=category_code,
        segments=segment_codes,
        method=method,
        weight=weight,
        max_points=max_points,
        missing=missing,
        source=parse_source(node.get("source"), default),
    )


def _parse_method(name: str, node: Node, ctx: FactsContext, max_points: Decimal | None, default: Source) -> Method:
    if name in ("bands", "linear"):
        return _parse_banded(name, node, ctx)
    if name == "choice":
        column, choices = ctx.choice_column(node.req("column"))
        points_node = node.req("points")
        mapping = {k: parse_points(v) for k, v in points_node.items()}
        for k in mapping:
            if k not in choices:
                raise Node(k, f"{points_node.path}.{k}").fail(
                    f"{k!r} is not a choice of {column} ({', '.join(choices)})"
                )
        unmapped = [c for c in choices if c not in mapping]
        if unmapped:
            raise points_node.fail(f"every choice needs points; missing: {', '.join(unmapped)}")
        return ChoiceMethod(column, tuple((c, mapping[c]) for c in choices))
    if name == "flag":
        return FlagMethod(
            ctx.boolean_column(node.req("column")),
            if_true=parse_points(node.req("if_true")),
            if_false=parse_points(node.req("if_false")),
        )
    if name == "count":
        cols_node = node.req("columns")
        items = tuple(ctx.boolean_column(n) for n in cols_node.as_list(min_items=1))
        return CountMethod(items, parse_points(node.req("points_each")))
    if name == "input":
        column_node = node.req("column")
        column = ctx.column(column_node)
        if column not in ctx.scales():
            raise column_node.fail(f"column {column!r} is not numeric")
        if max_points is None:
            raise node.fail("an input indicator needs max_points")
        return InputMethod(column, max_points=max_points)
    if name == "best_of":
        options_node = node.req("options")
        options: list[tuple[str, BandsMethod | LinearMethod]] = []
        for item in options_node.as_list(min_items=2):
            item.mapping(
                allowed=("code", "method", *_METHOD_KEYS["bands"], *_METHOD_KEYS["linear"]), required=("code",)
            )
            opt_code = item.req("code").as_code()
            if opt_code in {c for c, _ in options}:
                raise item.req("code").fail(f"duplicate option {opt_code!r}")
            opt_method = item.get("method")
            kind = opt_method.as_str() if opt_method is not None else "bands"
            if kind not in ("bands", "linear"):
                raise opt_method.fail("an option's method is bands or linear")  # type: ignore[union-attr]
            item.mapping(allowed=("code", "method", *_METHOD_KEYS[kind]))
            options.append((opt_code, _parse_banded(kind, item, ctx)))
        return BestOfMethod(tuple(options))
    # benchmark
    value = ctx.value(node.req("value"))
    bench = node.req("benchmark")
    bench.mapping(allowed=("aggregate", "constant"))
    constant: Decimal | None = None
    if bench.has("constant") == bench.has("aggregate"):
        raise bench.fail("give exactly one of aggregate: true or constant: <number>")
    if bench.has("constant"):
        constant = bench.req("constant").as_number()
        if constant <= 0:
            raise bench.req("constant").fail("a benchmark must be positive")
    else:
        if bench.req("aggregate").as_bool() is not True:
            raise bench.req("aggregate").fail("'aggregate' must be true")
        if not value.is_ratio:
            raise node.req("value").fail("an aggregate benchmark needs a ratio value {numerator, denominator}")
    cap_multiple, cap_source = _tagged_number(node, "cap_multiple", default)
    if cap_multiple is not None and cap_multiple <= 0:
        raise node.req("cap_multiple").fail("cap_multiple must be positive")
    floor_points, floor_source = _tagged_number(node, "floor_points", default)
    return BenchmarkMethod(value, constant, cap_multiple, floor_points, cap_source, floor_source)


def _tagged_number(node: Node, key: str, default: Source) -> tuple[Decimal | None, Source | None]:
    """``key: 3`` or ``key: {value: 3 | null, source: …}`` (a parameter with its own evidence tag)."""
    if key not in node.value:
        return None, None
    raw = node.value[key]
    child = Node(raw, f"{node.path}.{key}")
    if isinstance(raw, Mapping):
        child.mapping(allowed=("value", "source"), required=("value",))
        value_node = child.get("value")
        return (value_node.as_number() if value_node is not None else None), parse_source(child.get("source"), default)
    if raw is None:
        return None, default
    return child.as_number(), default


def _parse_banded(name: str, node: Node, ctx: FactsContext) -> BandsMethod | LinearMethod:
    value = ctx.value(node.req("value"))
    if name == "linear":
        per = node.req("per").as_number()
        if per <= 0:
            raise node.req("per").fail("per must be positive")
        return LinearMethod(value, per, parse_points(node.req("points_per")))
    direction_node = node.req("direction")
    direction = direction_node.as_str()
    if direction not in DIRECTIONS:
        raise direction_node.fail(f"expected one of {', '.join(DIRECTIONS)}")
    return BandsMethod(value, parse_bands(node.req("bands"), direction))
