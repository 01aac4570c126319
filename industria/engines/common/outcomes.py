"""Outcomes: pass/fail with routes (recognition programmes) or grades (threshold or percentile, with exemptions
and vetoes).  Both read the scored columns (``total_points``, ``<category>_points``) and add their own.

``pass_fail``: a row passes by the standard route (``route = score``) when every eligibility condition holds,
the total reaches ``total_min``, each category reaches its ``min_points`` (if ``category_minima``) and every
standard-route condition holds; otherwise by a direct route (``route = direct``) when every eligibility
condition holds and any direct-route condition holds; else ``route = none``.

``grade``: ``percentile`` ranks the graded population (covered, not exempt, not vetoed) by total points
descending within each segment, ties sharing the better rank (``min`` rank); with rank r among N, p = r / N is
compared exactly (r·10^k against a·N) with the classes' ``lte``/``lt`` bounds, top-down.  ``threshold``
compares the total with ``gte``/``gt`` bounds.  A veto forces its grade (it wins over an exemption); an
exempt row is scored but gets the exemption grade (``ungraded``); a row outside coverage gets ``not_covered``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import polars as pl

from industria.engines.common.bands import parse_points
from industria.engines.common.cases import first_match
from industria.engines.common.conditions import NamedCondition, parse_named_condition
from industria.engines.common.findings import FindingRule, finding
from industria.engines.common.formula import Exact
from industria.engines.common.indicators import COVERED, SEGMENT
from industria.engines.common.parsing import Node
from industria.engines.common.scoring_rules import Category
from industria.engines.common.sources import Source, parse_source
from industria.engines.common.values import FactsContext

ROUTES = ("score", "direct", "none")


@dataclass(frozen=True)
class StandardRoute:
    total_min: Decimal | None
    category_minima: bool
    conditions: tuple[NamedCondition, ...]
    source: Source


@dataclass(frozen=True)
class PassFail:
    eligibility: tuple[NamedCondition, ...]
    standard_route: StandardRoute
    direct_routes: tuple[NamedCondition, ...]

    def named_conditions(self) -> tuple[NamedCondition, ...]:
        return (*self.eligibility, *self.standard_route.conditions, *self.direct_routes)

    def condition_paths(self) -> list[tuple[str, NamedCondition]]:
        out = [(f"outcome.eligibility[{i}].code", c) for i, c in enumerate(self.eligibility)]
        out += [
            (f"outcome.standard_route.conditions[{i}].code", c) for i, c in enumerate(self.standard_route.conditions)
        ]
        out += [(f"outcome.direct_routes[{i}].code", c) for i, c in enumerate(self.direct_routes)]
        return out

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(c.when.columns() for c in self.named_conditions()))

    def condition_outputs(self) -> dict[str, pl.Expr]:
        return {f"{c.code}_met": c.when.expr() for c in self.named_conditions()}

    def outcome_outputs(self, categories: tuple[Category, ...]) -> dict[str, pl.Expr]:
        """``passed`` and ``route``; needs the ``<code>_met`` columns, the category subtotals and the total."""
        eligible = _all_met(self.eligibility)
        score_ok = self._score_ok(categories)
        direct = (
            pl.any_horizontal([pl.col(f"{c.code}_met").fill_null(False) for c in self.direct_routes])
            if self.direct_routes
            else pl.lit(False)
        )
        route = (
            pl.when(eligible & score_ok)
            .then(pl.lit("score"))
            .when(eligible & direct)
            .then(pl.lit("direct"))
            .otherwise(pl.lit("none"))
            .cast(pl.Enum(ROUTES))
        )
        return {"passed": route != "none", "route": route}

    def _score_ok(self, categories: tuple[Category, ...]) -> pl.Expr:
        parts = [_all_met(self.standard_route.conditions)]
        total_min = self.standard_route.total_min
        if total_min is not None:
            parts.append((pl.col("total_points") >= pl.lit(total_min, pl.Decimal(38, 4))).fill_null(False))
        if self.standard_route.category_minima:
            for cat in categories:
                if cat.min_points is not None:
                    parts.append(
                        (pl.col(f"{cat.code}_points") >= pl.lit(cat.min_points, pl.Decimal(38, 4))).fill_null(False)
                    )
        return pl.all_horizontal(parts)

    def findings(self, categories: tuple[Category, ...]) -> list[FindingRule]:
        parts: list[FindingRule] = []
        for cond in (*self.eligibility, *self.standard_route.conditions):
            parts.append(finding(~pl.col(f"{cond.code}_met"), "condition_not_met", cond.code))
        for cond in (*self.eligibility, *self.standard_route.conditions):
            met = pl.col(f"{cond.code}_met")
            parts.append(finding(met.is_null(), "condition_unknown", cond.code, cond.missing_columns()))
        failed = pl.col("route") == "none"
        for cond in self.direct_routes:  # an undecidable direct route matters only when nothing else passed
            met = pl.col(f"{cond.code}_met")
            parts.append(finding(failed & met.is_null(), "condition_unknown", cond.code, cond.missing_columns()))
        if self.standard_route.category_minima:
            for cat in categories:
                if cat.min_points is not None:
                    below = pl.col(f"{cat.code}_points") < pl.lit(cat.min_points, pl.Decimal(38, 4))
                    parts.append(finding(below, "category_minimum_not_met", cat.code, pl.lit(str(cat.min_points))))
        total_min = self.standard_route.total_min
        if total_min is not None:
            below = pl.col("total_points") < pl.lit(total_min, pl.Decimal(38, 4))
            parts.append(finding(below, "total_below_minimum", None, pl.lit(str(total_min))))
        for cond in self.direct_routes:
            parts.append(finding(pl.col(f"{cond.code}_met"), "direct_route_met", cond.code))
        return parts


def _all_met(conditions: tuple[NamedCondition, ...]) -> pl.Expr:
    if not conditions:
        return pl.lit(True)
    return pl.all_horizontal([pl.col(f"{c.code}_met") for c in conditions]).fill_null(False)


@dataclass(frozen=True)
class GradeClass:
    grade: str
    bound: tuple[str, Decimal] | None  # None: "otherwise"


@dataclass(frozen=True)
class CodedEffect:
    """Exemptions or vetoes: rows whose ``column`` holds one of ``codes`` get ``grade``."""

    column: str
    codes: tuple[tuple[str, Source], ...]
    grade: str

    def matches(self) -> pl.Expr:
        # equality on the Enum column (casting 500k values to strings for is_in costs far more)
        return pl.any_horizontal([pl.col(self.column) == code for code, _ in self.codes]).fill_null(False)


@dataclass(frozen=True)
class Grading:
    method: str  # "percentile" | "threshold"
    within: str  # "segment" | "all"
    classes: tuple[GradeClass, ...]
    exemptions: CodedEffect | None
    vetoes: CodedEffect | None
    not_covered_grade: str
    source: Source

    def named_conditions(self) -> tuple[NamedCondition, ...]:
        return ()

    def condition_paths(self) -> list[tuple[str, NamedCondition]]:
        return []

    def columns(self) -> frozenset[str]:
        return frozenset(e.column for e in (self.exemptions, self.vetoes) if e is not None)

    def grades(self) -> tuple[str, ...]:
        extra = [e.grade for e in (self.exemptions, self.vetoes) if e is not None]
        return tuple(dict.fromkeys([*(c.grade for c in self.classes), *extra, self.not_covered_grade]))

    def _flags(self) -> tuple[pl.Expr, pl.Expr]:
        exempt = self.exemptions.matches() if self.exemptions is not None else pl.lit(False)
        vetoed = self.vetoes.matches() if self.vetoes is not None else pl.lit(False)
        return exempt, vetoed

    def rank_outputs(self) -> dict[str, pl.Expr]:
        """``rank`` and ``rank_population`` among graded rows (percentile method), null for the others."""
        exempt, vetoed = self._flags()
        graded = pl.col(COVERED) & ~exempt & ~vetoed & pl.col("total_points").is_not_null()
        group = SEGMENT if self.within == "segment" else pl.lit(0)
        key = pl.when(graded).then(pl.col("total_points").to_physical().cast(pl.Int64, strict=False))
        rank = key.rank("min", descending=True).over(group).cast(pl.UInt32)
        population = graded.cast(pl.UInt32).sum().over(group).cast(pl.UInt32)
        return {"rank": pl.when(graded).then(rank), "rank_population": pl.when(graded).then(population)}

    def grade_output(self) -> pl.Expr:
        exempt, vetoed = self._flags()
        cases = [(~pl.col(COVERED), pl.lit(self.not_covered_grade))]
        if self.vetoes is not None:
            cases.append((vetoed, pl.lit(self.vetoes.grade)))
        if self.exemptions is not None:
            cases.append((exempt, pl.lit(self.exemptions.grade)))
        for cls in self.classes:
            within = pl.col("total_points").is_not_null() if cls.bound is None else self._within(cls.bound)
            cases.append((within, pl.lit(cls.grade)))
        return first_match(cases, pl.lit(None, pl.String))

    def _within(self, bound: tuple[str, Decimal]) -> pl.Expr:
        op, value = bound
        if self.method == "threshold":
            total = Exact(
                pl.col("total_points").to_physical(), 2, pl.col("total_points").cast(pl.Float64), pl.lit(True)
            )
            return total.compare(op, Exact.const(value)).fill_null(False)
        # p = rank / N  <op>  value   <=>   rank <op> value * N  (exact on integers)
        rank = Exact(pl.col("rank").cast(pl.Int128), 0, pl.col("rank").cast(pl.Float64), pl.lit(True))
        population = Exact(
            pl.col("rank_population").cast(pl.Int128), 0, pl.col("rank_population").cast(pl.Float64), pl.lit(True)
        )
        return rank.compare(op, Exact.const(value) * population).fill_null(False)

    def findings(self) -> list[FindingRule]:
        exempt, vetoed = self._flags()
        covered = pl.col(COVERED)
        parts = []
        if self.exemptions is not None:
            parts.append(finding(covered & exempt, "exempt", None, pl.col(self.exemptions.column).cast(pl.String)))
        if self.vetoes is not None:
            parts.append(finding(covered & vetoed, "veto_applied", None, pl.col(self.vetoes.column).cast(pl.String)))
        return parts


def parse_outcome(node: Node, ctx: FactsContext, default: Source, *, has_points: bool) -> PassFail | Grading:
    node.mapping(required=("method",))
    method = node.req("method").as_str()
    if method == "pass_fail":
        node.mapping(allowed=("method", "eligibility", "standard_route", "direct_routes"), required=("standard_route",))
        eligibility = _named_list(node.get("eligibility"), ctx, default)
        route_node = node.req("standard_route")
        route_node.mapping(allowed=("total_min", "category_minima", "conditions", "source"))
        total_min = route_node.get("total_min")
        if total_min is not None and not has_points:
            raise total_min.fail("total_min needs scored indicators")
        minima = route_node.get("category_minima")
        route = StandardRoute(
            total_min=parse_points(total_min) if total_min is not None else None,
            category_minima=minima.as_bool() if minima is not None else False,
            conditions=_named_list(route_node.get("conditions"), ctx, default),
            source=parse_source(route_node.get("source"), default),
        )
        outcome = PassFail(eligibility, route, _named_list(node.get("direct_routes"), ctx, default))
        seen: set[str] = set()
        for path, cond in outcome.condition_paths():
            if cond.code in seen:
                raise Node(cond.code, path).fail(f"duplicate condition code {cond.code!r}")
            seen.add(cond.code)
        return outcome
    if method == "grade":
        node.mapping(allowed=("method", "grading", "exemptions", "vetoes", "not_covered_grade"), required=("grading",))
        if not has_points:
            raise node.fail("grading needs scored indicators")
        return _parse_grading(node, ctx, default)
    raise node.req("method").fail("expected pass_fail or grade")


def _named_list(node: Node | None, ctx: FactsContext, default: Source) -> tuple[NamedCondition, ...]:
    if node is None:
        return ()
    return tuple(parse_named_condition(n, ctx, default) for n in node.as_list())


def _parse_grading(node: Node, ctx: FactsContext, default: Source) -> Grading:
    grading = node.req("grading")
    grading.mapping(allowed=("method", "within", "classes", "source"), required=("method", "classes"))
    method = grading.req("method").as_str()
    if method not in ("percentile", "threshold"):
        raise grading.req("method").fail("expected percentile or threshold")
    within_node = grading.get("within")
    within = within_node.as_str() if within_node is not None else "segment"
    if within not in ("segment", "all"):
        raise within_node.fail("expected segment or all")  # type: ignore[union-attr]
    allowed_ops = ("lte", "lt") if method == "percentile" else ("gte", "gt")
    items = grading.req("classes").as_list(min_items=1)
    classes: list[GradeClass] = []
    for i, item in enumerate(items):
        item.mapping(allowed=("grade", "otherwise", *allowed_ops), required=("grade",))
        grade = _grade(item.req("grade"))
        if item.has("otherwise"):
            if i != len(items) - 1 or item.req("otherwise").as_bool() is not True:
                raise item.fail("'otherwise: true' is only allowed on the last class")
            classes.append(GradeClass(grade, None))
            continue
        ops = [op for op in allowed_ops if item.has(op)]
        if len(ops) != 1:
            raise item.fail(f"a {method} class needs exactly one of {', '.join(allowed_ops)} (or otherwise: true)")
        bound = item.req(ops[0]).as_number()
        if classes and classes[-1].bound is not None:
            prev = classes[-1].bound[1]
            if (method == "percentile" and bound < prev) or (method == "threshold" and bound > prev):
                raise item.req(ops[0]).fail("class bounds must run from the best class down")
        classes.append(GradeClass(grade, (ops[0], bound)))
    if classes[-1].bound is not None:
        raise items[-1].fail("the last class must be {grade: …, otherwise: true}")
    not_covered = node.get("not_covered_grade")
    return Grading(
        method=method,
        within=within,
        classes=tuple(classes),
        exemptions=_parse_effect(node.get("exemptions"), ctx, default),
        vetoes=_parse_effect(node.get("vetoes"), ctx, default),
        not_covered_grade=_grade(not_covered) if not_covered is not None else "not_covered",
        source=parse_source(grading.get("source"), default),
    )


def _grade(node: Node) -> str:
    value = node.as_str()
    if not value.replace("_", "").isalnum():
        raise node.fail("a grade is letters, digits and underscores")
    return value


def _parse_effect(node: Node | None, ctx: FactsContext, default: Source) -> CodedEffect | None:
    if node is None:
        return None
    node.mapping(allowed=("column", "grade", "codes"), required=("column", "grade", "codes"))
    column, choices = ctx.choice_column(node.req("column"))
    codes: list[tuple[str, Source]] = []
    for item in node.req("codes").as_list(min_items=1):
        if isinstance(item.value, str):
            code, source = item.as_str(), default
        else:
            item.mapping(allowed=("code", "source"), required=("code",))
            code, source = item.req("code").as_str(), parse_source(item.get("source"), default)
        if code not in choices:
            raise item.fail(f"{code!r} is not a choice of {column} ({', '.join(choices)})")
        codes.append((code, source))
    return CodedEffect(column, tuple(codes), _grade(node.req("grade")))
