"""Indicator scoring methods.  Each indicator turns facts into base points; the indicator then applies its
weight, its floor and cap, rounds once (2 decimals, half up) and handles missing data.

Methods (``method:`` in the rule set):

* ``bands``     — ``value`` (formula or ratio) against a band table (see ``bands``).
* ``choice``    — a choice column mapped to points; every choice must be mapped.
* ``flag``      — a boolean column: ``if_true`` / ``if_false`` points.
* ``count``     — number of true boolean columns × ``points_each`` (cap with ``max_points``).
* ``input``     — the points are an input column (e.g. locally assessed points), clamped to [0, max_points].
* ``linear``    — ``floor(value / per) × points_per`` (e.g. 1 point per full 2 years), floored at 0.
* ``best_of``   — the best of several ``bands``/``linear`` options (e.g. R&D amount or R&D ratio).
* ``benchmark`` — normalised value ``value / benchmark`` × weight; the benchmark is the segment's aggregate
  ratio (Σ numerator / Σ denominator over the covered rows where the ratio is defined) or a constant.

Evaluation runs in stages so that each expensive expression is computed once and later stages refer to it by
column name: ``helpers`` (applicability, definedness, benchmark sums) → ``outputs`` (value, band, benchmark) →
``raw_points`` → ``points`` (missing-data substitution) → ``findings``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import polars as pl

from industria.engines.common.bands import BAND_POINTS_DTYPE, BandTable
from industria.engines.common.cases import first_match
from industria.engines.common.findings import FindingRule, finding
from industria.engines.common.rounding import POINTS_DTYPE, mean_of_points, round_float_points, round_points
from industria.engines.common.sources import Source
from industria.engines.common.values import ValueSpec

SEGMENT = "_segment"
COVERED = "_covered"
_WEIGHTED_DTYPE = pl.Decimal(38, 10)
METHODS = ("bands", "choice", "flag", "count", "input", "linear", "best_of", "benchmark")


def app_col(code: str) -> str:
    return f"_app_{code}"


def def_col(code: str) -> str:
    return f"_def_{code}"


def raw_col(code: str) -> str:
    return f"_raw_{code}"


def _missing_names(columns: frozenset[str] | tuple[str, ...]) -> pl.Expr:
    cols = sorted(columns)
    if not cols:
        return pl.lit("")
    return pl.concat_str([pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in cols], separator=",", ignore_nulls=True)


@dataclass(frozen=True)
class BandsMethod:
    value: ValueSpec
    table: BandTable

    def columns(self) -> frozenset[str]:
        return self.value.columns()

    def defined(self) -> pl.Expr:
        return self.value.defined()

    def outputs(self, code: str, defined: pl.Expr) -> dict[str, pl.Expr]:
        return {
            f"{code}_value": pl.when(defined).then(self.value.float_value()),
            f"{code}_band": self.table.index(self.value, defined),
        }

    def base_points(self, code: str) -> pl.Expr:
        return self.table.points(pl.col(f"{code}_band"))


@dataclass(frozen=True)
class LinearMethod:
    value: ValueSpec
    per: Decimal
    points_per: Decimal

    def columns(self) -> frozenset[str]:
        return self.value.columns()

    def defined(self) -> pl.Expr:
        return self.value.defined()

    def outputs(self, code: str, defined: pl.Expr) -> dict[str, pl.Expr]:
        return {f"{code}_value": pl.when(defined).then(self.value.float_value())}

    def base_points(self, code: str) -> pl.Expr:
        steps = self.value.floor_div(self.per).clip(lower_bound=0)
        return pl.when(pl.col(def_col(code))).then(
            steps.cast(BAND_POINTS_DTYPE) * pl.lit(self.points_per, BAND_POINTS_DTYPE)
        )


@dataclass(frozen=True)
class ChoiceMethod:
    column: str
    points: tuple[tuple[str, Decimal], ...]

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def defined(self) -> pl.Expr:
        return pl.col(self.column).is_not_null()

    def outputs(self, code: str, defined: pl.Expr) -> dict[str, pl.Expr]:
        return {f"{code}_value": pl.col(self.column).cast(pl.String)}

    def base_points(self, code: str) -> pl.Expr:
        column = pl.col(self.column)  # equality on the Enum, no cast to strings
        cases = [(column == choice, pl.lit(p, BAND_POINTS_DTYPE)) for choice, p in self.points]
        return first_match(cases, pl.lit(None, BAND_POINTS_DTYPE))


@dataclass(frozen=True)
class FlagMethod:
    column: str
    if_true: Decimal
    if_false: Decimal

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def defined(self) -> pl.Expr:
        return pl.col(self.column).is_not_null()

    def outputs(self, code: str, defined: pl.Expr) -> dict[str, pl.Expr]:
        return {f"{code}_value": pl.col(self.column)}

    def base_points(self, code: str) -> pl.Expr:
        flag = pl.col(self.column)
        true_points, false_points = pl.lit(self.if_true, BAND_POINTS_DTYPE), pl.lit(self.if_false, BAND_POINTS_DTYPE)
        return pl.when(flag).then(true_points).when(~flag).then(false_points)


@dataclass(frozen=True)
class InputMethod:
    column: str
    max_points: Decimal

    def columns(self) -> frozenset[str]:
        return frozenset({self.column})

    def defined(self) -> pl.Expr:
        return pl.col(self.column).is_not_null()

    def outputs(self, code: str, defined: pl.Expr) -> dict[str, pl.Expr]:
        return {f"{code}_value": pl.col(self.column).cast(pl.Float64)}

    def base_points(self, code: str) -> pl.Expr:
        low, high = pl.lit(Decimal(0), _WEIGHTED_DTYPE), pl.lit(self.max_points, _WEIGHTED_DTYPE)
        return pl.col(self.column).cast(_WEIGHTED_DTYPE).clip(low, high)

    def clamped(self) -> pl.Expr:
        value = pl.col(self.column).cast(pl.Float64)
        return (value < 0) | (value > float(self.max_points))


@dataclass(frozen=True)
class CountMethod:
    items: tuple[str, ...]
    points_each: Decimal

    def columns(self) -> frozenset[str]:
        return frozenset(self.items)

    def defined(self) -> pl.Expr:
        return pl.lit(True)  # an empty item counts as not held; it still raises a missing_value finding

    def outputs(self, code: str, defined: pl.Expr) -> dict[str, pl.Expr]:
        count = pl.sum_horizontal([pl.col(c).fill_null(False).cast(pl.UInt32) for c in self.items])
        return {f"{code}_value": count.cast(pl.UInt32)}

    def base_points(self, code: str) -> pl.Expr:
        return pl.col(f"{code}_value").cast(BAND_POINTS_DTYPE) * pl.lit(self.points_each, BAND_POINTS_DTYPE)


@dataclass(frozen=True)
class BestOfMethod:
    options: tuple[tuple[str, BandsMethod | LinearMethod], ...]

    def columns(self) -> frozenset[str]:
        return frozenset().union(*(m.columns() for _, m in self.options))

    def defined(self) -> pl.Expr:
        return pl.any_horizontal([m.defined() for _, m in self.options])

    def outputs(self, code: str, defined: pl.Expr) -> dict[str, pl.Expr]:
        out: dict[str, pl.Expr] = {}
        for opt, method in self.options:
            out.update(method.outputs(f"{code}_{opt}", method.defined()))
        return out

    def option_points(self, code: str) -> dict[str, pl.Expr]:
        out: dict[str, pl.Expr] = {}
        for opt, method in self.options:
            sub = f"{code}_{opt}"
            base = method.base_points(sub) if isinstance(method, BandsMethod) else _linear_points(method)
            out[f"{sub}_points"] = round_points(base)
        return out

    def base_points(self, code: str) -> pl.Expr:
        return pl.max_horizontal([pl.col(f"{code}_{opt}_points") for opt, _ in self.options])

    def best(self, code: str) -> pl.Expr:
        best = self.base_points(code)
        cases = [(pl.col(f"{code}_{opt}_points") == best, pl.lit(opt)) for opt, _ in self.options]
        return first_match(cases, pl.lit(None, pl.String))


def _linear_points(method: LinearMethod) -> pl.Expr:
    steps = method.value.floor_div(method.per).clip(lower_bound=0)
    return steps.cast(BAND_POINTS_DTYPE) * pl.lit(method.points_per, BAND_POINTS_DTYPE)


@dataclass(frozen=True)
class BenchmarkMethod:
    value: ValueSpec
    constant: Decimal | None  # None: the segment's aggregate ratio
    cap_multiple: Decimal | None  # normalised value capped at this multiple of the benchmark (None: no cap)
    floor_points: Decimal | None  # points floored here (e.g. 0 for negative tax); None: no floor
    cap_source: Source | None = None
    floor_source: Source | None = None

    def columns(self) -> frozenset[str]:
        return self.value.columns()

    def defined(self) -> pl.Expr:
        return self.value.defined()

    def aggregates(self, code: str) -> dict[str, pl.Expr]:
        """Per-segment sums for the aggregate benchmark (evaluated with a group-by on the segment)."""
        if self.constant is not None:
            return {}
        assert self.value.denominator is not None
        # Σ numerator / Σ denominator over the segment's rows where the indicator applies and is defined
        # exact sums (scaled Int128), so the benchmark does not depend on the order of the rows
        mask = pl.col(app_col(code)) & pl.col(def_col(code))
        num, den = self.value.numerator.to_exact(), self.value.denominator.to_exact()
        return {
            f"{code}__num": pl.when(mask).then(num.int_expr).sum(),
            f"{code}__den": pl.when(mask).then(den.int_expr).sum(),
        }

    def benchmarks(self, code: str, sums: Mapping[str, Mapping[str, Any]]) -> dict[str, float | None]:
        """Benchmark per segment code from the exact group-by sums, divided exactly and rounded to float once
        (None when the ratio is not positive)."""
        assert self.value.denominator is not None
        num_scale = self.value.numerator.to_exact().scale
        den_scale = self.value.denominator.to_exact().scale
        out: dict[str, float | None] = {}
        for segment, row in sums.items():
            num, den = int(row.get(f"{code}__num") or 0), int(row.get(f"{code}__den") or 0)
            ratio = Fraction(num * 10**den_scale, den * 10**num_scale) if den > 0 else None
            out[segment] = float(ratio) if ratio is not None and ratio > 0 else None
        return out

    def outputs(
        self, code: str, defined: pl.Expr, sums: Mapping[str, Mapping[str, Any]] | None = None
    ) -> dict[str, pl.Expr]:
        out: dict[str, pl.Expr] = {f"{code}_value": pl.when(defined).then(self.value.float_value())}
        if self.constant is not None:
            out[f"{code}_benchmark"] = pl.lit(float(self.constant), pl.Float64)
            return out
        benchmarks = self.benchmarks(code, sums or {})
        cases = [(pl.col(SEGMENT) == seg, pl.lit(bench, pl.Float64)) for seg, bench in benchmarks.items()]
        out[f"{code}_benchmark"] = first_match(cases, pl.lit(None, pl.Float64))
        return out


Method = (
    BandsMethod | LinearMethod | ChoiceMethod | FlagMethod | InputMethod | CountMethod | BestOfMethod | BenchmarkMethod
)


@dataclass(frozen=True)
class Indicator:
    """One scored indicator: result columns ``<code>_value``, ``<code>_points`` (+ band/benchmark columns)."""

    code: str
    title: Mapping[str, str]
    category: str | None
    segments: tuple[str, ...]  # the segments it applies to (all of the rule set's when not restricted)
    method: Method
    weight: Decimal
    max_points: Decimal | None
    missing: str  # "zero" | "segment_mean"
    source: Source

    @property
    def kind(self) -> str:
        return _KINDS[type(self.method)]

    def columns(self) -> frozenset[str]:
        return self.method.columns()

    def helpers(self) -> dict[str, pl.Expr]:
        """Stage 1: applicability and definedness flags (never null)."""
        applicable = pl.col(COVERED) & pl.any_horizontal([pl.col(SEGMENT) == seg for seg in self.segments])
        return {app_col(self.code): applicable, def_col(self.code): self.method.defined().fill_null(False)}

    def aggregates(self) -> dict[str, pl.Expr]:
        """Stage 1b: per-segment aggregations the outputs need (evaluated with a group-by on the segment)."""
        return self.method.aggregates(self.code) if isinstance(self.method, BenchmarkMethod) else {}

    def outputs(self, sums: Mapping[str, Mapping[str, Any]] | None = None) -> dict[str, pl.Expr]:
        """Stage 2: the result columns describing the value (null where the indicator does not apply);
        ``sums`` maps segment code -> the stage-1b aggregates of that segment."""
        applicable = pl.col(app_col(self.code))
        defined = pl.col(def_col(self.code))
        if isinstance(self.method, BenchmarkMethod):
            outputs = self.method.outputs(self.code, defined, sums)
        else:
            outputs = self.method.outputs(self.code, defined)
        return {name: pl.when(applicable).then(expr) for name, expr in outputs.items()}

    def pre_points(self) -> dict[str, pl.Expr]:
        """Stage 3a: per-option points of a best_of indicator."""
        if isinstance(self.method, BestOfMethod):
            applicable = pl.col(app_col(self.code))
            return {k: pl.when(applicable).then(v) for k, v in self.method.option_points(self.code).items()}
        return {}

    def raw_points(self) -> pl.Expr:
        """Stage 3b: weighted, floored, capped, rounded points; null where undefined or not applicable."""
        code, method = self.code, self.method
        usable = pl.col(app_col(code)) & pl.col(def_col(code))
        if isinstance(method, BenchmarkMethod):
            normalised = pl.col(f"{code}_value") / pl.col(f"{code}_benchmark")
            if method.cap_multiple is not None:
                normalised = normalised.clip(upper_bound=float(method.cap_multiple))
            points = normalised * float(self.weight)
            if method.floor_points is not None:
                points = points.clip(lower_bound=float(method.floor_points))
            if self.max_points is not None:
                points = points.clip(upper_bound=float(self.max_points))
            return pl.when(usable).then(round_float_points(points))
        weighted = method.base_points(code).cast(_WEIGHTED_DTYPE) * pl.lit(self.weight, _WEIGHTED_DTYPE)
        if self.max_points is not None:
            weighted = weighted.clip(upper_bound=pl.lit(self.max_points, _WEIGHTED_DTYPE))
        return pl.when(usable).then(round_points(weighted))

    def mean_aggregates(self) -> dict[str, pl.Expr]:
        """Stage 3c: per-segment sum (in cents) and count of the raw points, for the segment-mean substitute."""
        if self.missing != "segment_mean":
            return {}
        raw = pl.col(raw_col(self.code))
        return {
            f"{self.code}__cents": raw.cast(POINTS_DTYPE).to_physical().sum().cast(pl.Int64),
            f"{self.code}__count": raw.count().cast(pl.Int64),
        }

    def points(self, sums: Mapping[str, Mapping[str, Any]] | None = None) -> pl.Expr:
        """Stage 4: final points — raw points, or the missing-data substitute (0 or the segment mean);
        ``sums`` maps segment code -> the stage-3c aggregates of that segment."""
        raw = pl.col(raw_col(self.code))
        zero = pl.lit(Decimal(0), POINTS_DTYPE)
        substitute: pl.Expr = zero
        if self.missing == "segment_mean":
            cases = []
            for segment, row in (sums or {}).items():
                mean = mean_of_points(int(row[f"{self.code}__cents"] or 0), int(row[f"{self.code}__count"] or 0))
                cases.append(
                    (pl.col(SEGMENT) == segment, pl.lit(mean if mean is not None else Decimal(0), POINTS_DTYPE))
                )
            substitute = first_match(cases, zero)
        return pl.when(pl.col(app_col(self.code))).then(pl.coalesce(raw, substitute).cast(POINTS_DTYPE))

    def extra_outputs(self) -> dict[str, pl.Expr]:
        """Stage 4: columns derived from the points (the best option of a best_of indicator)."""
        if isinstance(self.method, BestOfMethod):
            return {f"{self.code}_best": pl.when(pl.col(app_col(self.code))).then(self.method.best(self.code))}
        return {}

    def result_columns(self) -> list[str]:
        """The indicator's result columns, in output order."""
        method = self.method
        if isinstance(method, BestOfMethod):
            names: list[str] = []
            for opt, sub in method.options:
                names += [*sub.outputs(f"{self.code}_{opt}", pl.lit(True)).keys(), f"{self.code}_{opt}_points"]
            return [*names, f"{self.code}_best", f"{self.code}_points"]
        return [*method.outputs(self.code, pl.lit(True)).keys(), f"{self.code}_points"]

    def findings(self) -> list[FindingRule]:
        code, method = self.code, self.method
        applicable, defined = pl.col(app_col(code)), pl.col(def_col(code))
        undefined = applicable & ~defined
        rules: list[FindingRule] = []
        if isinstance(method, BandsMethod | LinearMethod | BenchmarkMethod):
            value = method.value
            present = value.all_present()
            rules.append(finding(undefined & ~present, "missing_value", code, value.missing_columns()))
            rules.append(finding(undefined & present & ~value.positive_denominator(), "ratio_undefined", code))
            rules.append(finding(undefined & present & value.positive_denominator(), "value_out_of_range", code))
        elif isinstance(method, BestOfMethod):
            rules.append(finding(undefined, "missing_value", code, _missing_names(method.columns())))
        else:
            rules.append(
                finding(
                    applicable & (_missing_names(method.columns()) != ""),
                    "missing_value",
                    code,
                    _missing_names(method.columns()),
                )
            )
        if isinstance(method, InputMethod):
            rules.append(finding(applicable & method.clamped(), "points_clamped", code, pl.col(method.column)))
        if isinstance(method, BenchmarkMethod):
            no_bench = applicable & defined & pl.col(f"{code}_benchmark").is_null()
            rules.append(finding(no_bench, "benchmark_unavailable", code))
        if self.missing == "segment_mean":
            substituted = applicable & pl.col(raw_col(code)).is_null()
            rules.append(finding(substituted, "segment_mean_substituted", code, pl.col(f"{code}_points")))
        return rules


_KINDS: dict[type, str] = {
    BandsMethod: "bands",
    LinearMethod: "linear",
    ChoiceMethod: "choice",
    FlagMethod: "flag",
    InputMethod: "input",
    CountMethod: "count",
    BestOfMethod: "best_of",
    BenchmarkMethod: "benchmark",
}
