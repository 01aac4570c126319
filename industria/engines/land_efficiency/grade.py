"""Entry point of the land-efficiency engine."""

from __future__ import annotations

from datetime import date

import polars as pl

from industria.engines.common.evaluate import check_effective, evaluate
from industria.engines.land_efficiency.facts import FACTS_SCHEMA
from industria.engines.land_efficiency.rules import LandEfficiencyRules

ENGINE_VERSION = "1.0.0"


def grade_land_efficiency(
    facts: pl.DataFrame, rules: LandEfficiencyRules, *, as_of: date | None = None
) -> pl.DataFrame:
    """Score each enterprise against its size class's benchmarks, sum weighted points, grade by percentile.

    Returns one row per input row, in input order: ``uscc``, ``name``, ``size_class``, ``covered``, per
    indicator ``<code>_value``, ``<code>_benchmark`` and ``<code>_points``, ``total_points``, ``rank`` and
    ``rank_population`` (within the size class, graded rows only), ``grade`` (A|B|C|D|ungraded|not_covered),
    ``findings``, ``engine_version``, ``ruleset_code``, ``ruleset_version``.  The benchmarks and grades depend
    on the whole evaluated population, so pass the whole population (one year, one evaluation area).
    """
    check_effective(rules, as_of)
    return evaluate(facts, rules, FACTS_SCHEMA, ENGINE_VERSION)
