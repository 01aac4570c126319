"""Entry point of the SME-tier engine."""

from __future__ import annotations

from datetime import date

import polars as pl

from industria.engines.common.evaluate import check_effective, evaluate
from industria.engines.sme_tiers.facts import FACTS_SCHEMA
from industria.engines.sme_tiers.rules import SmeTierRules

ENGINE_VERSION = "1.0.0"


def score_sme_tier(facts: pl.DataFrame, rules: SmeTierRules, *, as_of: date | None = None) -> pl.DataFrame:
    """Score each enterprise under an SME-tier rule set and decide pass/fail and the route.

    Returns one row per input row, in input order: ``uscc``, ``name``, per indicator ``<code>_value``,
    ``<code>_band`` (banded indicators) and ``<code>_points``, per category ``<category>_points``,
    ``total_points``, per named condition ``<code>_met``, ``passed``, ``route`` (score|direct|none),
    ``findings``, ``engine_version``, ``ruleset_code``, ``ruleset_version``.  ``as_of``, when given, must fall
    in the rule set's effective period.
    """
    check_effective(rules, as_of)
    return evaluate(facts, rules, FACTS_SCHEMA, ENGINE_VERSION)
