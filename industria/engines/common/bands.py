"""Banded points with explicit inclusivity, evaluated top-down (first matching band wins).

A band's bounds say which side is inclusive: ``gte`` = 以上 (includes the number), ``gt`` = 超过 (excludes it),
``lte`` = 以下 (includes), ``lt`` = 不满 (excludes).  Policy tables such as "A. 5%以上 / B. 3%-5%" overlap at the
edge; written as ``[{gte: 0.05, points: 20}, {gte: 0.03, points: 15}, …]`` a value of exactly 5 % takes the
better band, and for a lower-is-better indicator ``[{lte: 0.55, points: 10}, {lte: 0.75, points: 5}, …]`` a
debt ratio of exactly 55 % also takes the better band.  The last band must be ``{otherwise: true, points: …}``.
All comparisons are exact (see ``values.ValueSpec.compare``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from industria.engines.common.cases import first_match
from industria.engines.common.parsing import Node, decimal_places
from industria.engines.common.values import ValueSpec

BOUND_OPS = ("gte", "gt", "lte", "lt")
DIRECTIONS = ("higher_better", "lower_better")
BAND_POINTS_DTYPE = pl.Decimal(38, 4)
MAX_POINT_DECIMALS = 4


@dataclass(frozen=True)
class Band:
    points: Decimal
    bounds: tuple[tuple[str, Decimal], ...]  # empty for the closing "otherwise" band
    label: str | None = None

    def condition(self, value: ValueSpec) -> pl.Expr:
        if not self.bounds:
            return pl.lit(True)
        return pl.all_horizontal([value.compare(op, threshold) for op, threshold in self.bounds])

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {op: str(t) for op, t in self.bounds}
        if not self.bounds:
            out["otherwise"] = True
        out["points"] = str(self.points)
        if self.label is not None:
            out["label"] = self.label
        return out


@dataclass(frozen=True)
class BandTable:
    direction: str
    bands: tuple[Band, ...]

    def index(self, value: ValueSpec, defined: pl.Expr | None = None) -> pl.Expr:
        """0-based index of the first matching band (UInt8); null where the value is undefined."""
        cases = [(band.condition(value), pl.lit(i, pl.UInt8)) for i, band in enumerate(self.bands[:-1])]
        matched = first_match(cases, pl.lit(len(self.bands) - 1, pl.UInt8))
        return pl.when(value.defined() if defined is None else defined).then(matched)

    def points(self, index: pl.Expr) -> pl.Expr:
        return points_by_index(index, [b.points for b in self.bands])

    def max_points(self) -> Decimal:
        return max(b.points for b in self.bands)


def points_by_index(index: pl.Expr, points: list[Decimal]) -> pl.Expr:
    cases = [(index == i, pl.lit(p, BAND_POINTS_DTYPE)) for i, p in enumerate(points)]
    return first_match(cases, pl.lit(None, BAND_POINTS_DTYPE))


def parse_points(node: Node) -> Decimal:
    value = node.as_number()
    if decimal_places(value) > MAX_POINT_DECIMALS:
        raise node.fail(f"at most {MAX_POINT_DECIMALS} decimals")
    return value


def parse_bands(node: Node, direction: str) -> BandTable:
    """Parse and check a band table: exhaustive, thresholds monotone in ``direction``, points non-increasing."""
    items = node.as_list(min_items=1)
    bands: list[Band] = []
    for i, item in enumerate(items):
        item.mapping(allowed=(*BOUND_OPS, "otherwise", "points", "label"), required=("points",))
        points = parse_points(item.req("points"))
        label = item.get("label")
        label_text = label.as_str() if label is not None else None
        is_last = i == len(items) - 1
        if item.has("otherwise"):
            if any(item.has(op) for op in BOUND_OPS):
                raise item.fail("an 'otherwise' band takes no bounds")
            if item.req("otherwise").as_bool() is not True:
                raise item.req("otherwise").fail("'otherwise' must be true")
            if not is_last:
                raise item.fail("'otherwise' is only allowed on the last band")
            bands.append(Band(points, (), label_text))
            continue
        if is_last:
            raise item.fail("the last band must be {otherwise: true, points: …} so that every value gets a band")
        bounds = tuple((op, item.req(op).as_number()) for op in BOUND_OPS if item.has(op))
        if not bounds:
            raise item.fail(f"a band needs a bound ({', '.join(BOUND_OPS)}) or otherwise: true")
        lowers = [b for b in bounds if b[0] in ("gte", "gt")]
        uppers = [b for b in bounds if b[0] in ("lte", "lt")]
        if len(lowers) > 1 or len(uppers) > 1:
            raise item.fail("at most one lower bound (gte/gt) and one upper bound (lte/lt)")
        if lowers and uppers and lowers[0][1] > uppers[0][1]:
            raise item.fail("the lower bound is above the upper bound")
        bands.append(Band(points, bounds, label_text))
    _check_monotone(items, bands, direction)
    return BandTable(direction, tuple(bands))


def _check_monotone(items: list[Node], bands: list[Band], direction: str) -> None:
    key_ops = ("gte", "gt") if direction == "higher_better" else ("lte", "lt")
    previous: tuple[str, Decimal] | None = None
    for i, band in enumerate(bands[:-1]):
        key = next((b for b in band.bounds if b[0] in key_ops), None)
        side = "lower bound (gte/gt)" if direction == "higher_better" else "upper bound (lte/lt)"
        if key is None:
            raise items[i].fail(f"a {direction} band needs a {side}")
        if previous is not None:
            path = f"{items[i].path}.{key[0]}"
            p_op, p_t = previous
            op, t = key
            worse = t < p_t if direction == "higher_better" else t > p_t
            same_edge = t == p_t and p_op in ("gt", "lt") and op in ("gte", "lte")
            if not (worse or same_edge):
                order = "decrease" if direction == "higher_better" else "increase"
                raise Node(t, path).fail(f"thresholds must {order} down a {direction} table")
        previous = key
    for i in range(1, len(bands)):
        if bands[i].points > bands[i - 1].points:
            raise items[i].req("points").fail("points must not increase down the table (best band first)")
