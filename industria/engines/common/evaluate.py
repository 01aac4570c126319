"""The generic evaluation pipeline behind every scored programme: facts table + rule set -> results table.

Steps (Polars expressions in a few lazy stages; no per-row Python).  Per-segment aggregates (benchmark sums,
segment means) are collected between stages with one group-by each and enter the next stage as literals:

1. check the facts against the engine's schema;
2. segment each row (first matching class) and decide coverage;
3. per indicator: raw value, band/benchmark, weighted/capped/rounded points, missing-data substitution;
4. category subtotals (capped) and the total;
5. the outcome (pass/fail with route, or grade with rank);
6. findings, versions.

One row out per row in, in input order.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

import polars as pl

from industria.engines.common.cases import first_match
from industria.engines.common.findings import FindingRule, finding, finding_masks, findings_series
from industria.engines.common.indicators import COVERED, SEGMENT, raw_col
from industria.engines.common.outcomes import PassFail
from industria.engines.common.rounding import POINTS_DTYPE
from industria.engines.common.ruleset import RuleSet, Segmentation
from industria.engines.common.schema import check_schema

IDENTITY_COLUMNS = ("uscc", "name")


class RulesNotEffectiveError(ValueError):
    """The rule set is not in force on the evaluation date."""


def check_effective(rules: RuleSet, as_of: date | None) -> None:
    if as_of is not None and not rules.is_effective(as_of):
        until = rules.effective_to.isoformat() if rules.effective_to else "open"
        raise RulesNotEffectiveError(
            f"rule set {rules.code} {rules.version} is in force {rules.effective_from.isoformat()}..{until}, "
            f"not on {as_of.isoformat()}"
        )


def evaluate(
    facts: pl.DataFrame, rules: RuleSet, facts_schema: Mapping[str, pl.DataType], engine_version: str
) -> pl.DataFrame:
    """Score and decide every row of ``facts`` under ``rules``; see the module docstring."""
    typed = check_schema(facts, facts_schema, rules.required_columns())
    segment, covered, segment_findings = _segmentation(rules.segments)
    indicators = rules.indicators
    lf = typed.lazy().with_columns(segment.alias(SEGMENT)).with_columns(covered.alias(COVERED))
    lf = lf.with_columns(**{k: v for ind in indicators for k, v in ind.helpers().items()})
    base = lf.collect()
    sums = _segment_sums(base, {k: v for ind in indicators for k, v in ind.aggregates().items()})
    lf = base.lazy()
    stage: dict[str, pl.Expr] = {k: v for ind in indicators for k, v in ind.outputs(sums).items()}
    if isinstance(rules.outcome, PassFail):
        stage.update(rules.outcome.condition_outputs())
    lf = lf.with_columns(**stage)
    lf = lf.with_columns(**{k: v for ind in indicators for k, v in ind.pre_points().items()})
    lf = lf.with_columns(**{raw_col(ind.code): ind.raw_points() for ind in indicators})
    mean_aggregates = {k: v for ind in indicators for k, v in ind.mean_aggregates().items()}
    if mean_aggregates:  # the segment means need the raw points of the whole segment first
        raw = lf.collect()
        means = _segment_sums(raw, mean_aggregates)
        lf = raw.lazy()
    else:
        means = {}
    lf = lf.with_columns(**{f"{ind.code}_points": ind.points(means) for ind in indicators})
    lf = lf.with_columns(**{k: v for ind in indicators for k, v in ind.extra_outputs().items()})
    lf = lf.with_columns(**_subtotals(rules))
    lf = lf.with_columns(total_points=_total(rules))

    outcome = rules.outcome
    if isinstance(outcome, PassFail):
        lf = lf.with_columns(**outcome.outcome_outputs(rules.categories))
        outcome_findings = outcome.findings(rules.categories)
        outcome_cols = [*outcome.condition_outputs().keys(), "passed", "route"]
    else:
        lf = lf.with_columns(**outcome.rank_outputs()).with_columns(grade=outcome.grade_output())
        outcome_findings = outcome.findings()
        outcome_cols = ["rank", "rank_population", "grade"]

    finding_rules = [*segment_findings, *(f for ind in indicators for f in ind.findings()), *outcome_findings]
    scored = lf.with_columns(**finding_masks(finding_rules)).collect()
    findings = findings_series(scored, finding_rules)
    result = scored.select(_output_columns(rules, typed.columns, outcome_cols))
    return result.with_columns(
        findings,
        engine_version=pl.lit(engine_version),
        ruleset_code=pl.lit(rules.code),
        ruleset_version=pl.lit(rules.version),
    )


def _segment_sums(base: pl.DataFrame, aggregates: Mapping[str, pl.Expr]) -> dict[str, dict[str, Any]]:
    """Evaluate the per-segment aggregations once: segment code -> {aggregate name: value}."""
    if not aggregates:
        return {}
    # lazily, so that only the columns the aggregations use are read
    table = base.lazy().group_by(SEGMENT).agg(**aggregates).drop_nulls(SEGMENT).collect()
    return {str(row.pop(SEGMENT)): row for row in table.iter_rows(named=True)}


def _segmentation(segments: Segmentation | None) -> tuple[pl.Expr, pl.Expr, list[FindingRule]]:
    """(segment code, covered flag, findings).  A null segment condition stops the search: undetermined."""
    if segments is None:
        return pl.lit("all", pl.Enum(["all"])), pl.lit(True), []
    codes = pl.Enum([c.code for c in segments.classes])
    cases: list[tuple[pl.Expr, pl.Expr]] = []
    for cls in segments.classes:
        cond = cls.when.expr()
        cases += [(cond.is_null(), pl.lit(None, pl.String)), (cond, pl.lit(cls.code, pl.String))]
    segment = first_match(cases, pl.lit(None, pl.String)).cast(codes)

    seg = pl.col(SEGMENT)
    coverage: list[tuple[pl.Expr, pl.Expr]] = [(seg.is_null(), pl.lit(False))]
    findings: list[FindingRule] = []
    all_cols = sorted(set().union(*(c.when.columns() for c in segments.classes)))
    missing = pl.concat_str(
        [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in all_cols], separator=",", ignore_nulls=True
    )
    findings.append(finding(seg.is_null(), "segment_undetermined", None, missing if all_cols else None))
    for cls in segments.classes:
        if cls.covered_when is None:
            coverage.append((seg == cls.code, pl.lit(True)))
            continue
        cond = cls.covered_when.expr()
        coverage.append((seg == cls.code, cond.fill_null(False)))
        cols = sorted(cls.covered_when.columns())
        cov_missing = pl.concat_str(
            [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in cols], separator=",", ignore_nulls=True
        )
        findings.append(finding((seg == cls.code) & cond.is_null(), "coverage_undetermined", cls.code, cov_missing))
        findings.append(finding((seg == cls.code) & ~cond, "not_covered", cls.code))
    covered = first_match(coverage, pl.lit(False))
    return segment, covered, findings


def _subtotals(rules: RuleSet) -> dict[str, pl.Expr]:
    out: dict[str, pl.Expr] = {}
    for cat in rules.categories:
        cols = [f"{ind.code}_points" for ind in rules.indicators if ind.category == cat.code]
        subtotal = pl.sum_horizontal(cols).cast(POINTS_DTYPE) if cols else pl.lit(0, POINTS_DTYPE)
        if cat.max_points is not None:
            subtotal = subtotal.clip(upper_bound=pl.lit(cat.max_points, POINTS_DTYPE))
        out[f"{cat.code}_points"] = pl.when(pl.col(COVERED)).then(subtotal)
    return out


def _total(rules: RuleSet) -> pl.Expr:
    if not rules.indicators:
        return pl.lit(None, POINTS_DTYPE)
    parts = [f"{cat.code}_points" for cat in rules.categories]
    parts += [f"{ind.code}_points" for ind in rules.indicators if ind.category is None]
    return pl.when(pl.col(COVERED)).then(pl.sum_horizontal(parts).cast(POINTS_DTYPE))


def _output_columns(rules: RuleSet, fact_columns: list[str], outcome_cols: list[str]) -> list[pl.Expr]:
    cols: list[pl.Expr] = [pl.col(c) for c in IDENTITY_COLUMNS if c in fact_columns]
    if rules.segments is not None:
        cols.append(pl.col(SEGMENT).alias(rules.segments.output))
        cols.append(pl.col(COVERED).alias("covered"))
    for ind in rules.indicators:
        cols.extend(pl.col(name) for name in ind.result_columns())
    cols.extend(pl.col(f"{cat.code}_points") for cat in rules.categories)
    cols.append(pl.col("total_points"))
    cols.extend(pl.col(c) for c in outcome_cols)
    return cols  # then findings, engine_version, ruleset_code, ruleset_version


__all__ = ["RulesNotEffectiveError", "check_effective", "evaluate"]
