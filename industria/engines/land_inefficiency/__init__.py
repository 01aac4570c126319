"""Inefficient industrial land (低效用地): the five types 批而未供、供而未用、用而未尽、建而未投、投而未达标, plus
D-grade and idle parcels, decided per parcel on a given date from its life-cycle dates, developed share, agreed
"standard land" clauses, actual output and tax, and its users' worst published grade.

Every threshold is data with its evidence tag (``InefficiencyRules``; ``parse_rules`` for local overrides) and every
flagged parcel carries a JSON explanation: the facts, the threshold and the rule's source per kind.  Pure: Polars and
the stdlib, ``as_of`` is a parameter.  Method and sources: docs/engines/land_inefficiency.md.
"""

from industria.engines.land_inefficiency.classify import (
    ENGINE_VERSION,
    KIND_THRESHOLDS,
    PARCELS_SCHEMA,
    RESULT_SCHEMA,
    classify_inefficient_land,
)
from industria.engines.land_inefficiency.rules import (
    DEFAULT_RULES,
    KIND_ORDER,
    InefficiencyRules,
    RulesError,
    Threshold,
    parse_rules,
)

__all__ = [
    "DEFAULT_RULES",
    "ENGINE_VERSION",
    "KIND_ORDER",
    "KIND_THRESHOLDS",
    "PARCELS_SCHEMA",
    "RESULT_SCHEMA",
    "InefficiencyRules",
    "RulesError",
    "Threshold",
    "classify_inefficient_land",
    "parse_rules",
]
