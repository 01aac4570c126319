"""Per-mu land efficiency (亩均论英雄), Zhejiang method A: ratio to benchmark × weight, percentile grades.

Above-size enterprises (main-business revenue ≥ CNY 20 million) score Σ weight × value / benchmark over six
indicators (tax per mu 30, value added per mu 20, per tce 20, per tonne of emissions 10, per employee 10,
R&D / main revenue 10); below-size ones are covered from 3 mu and score tax per mu 50 and tax per kWh 50.
A benchmark is the size class's aggregate ratio (Σ numerator / Σ denominator over the covered population)
or a published constant.  Grades A/B/C/D by percentile of rank within the size class; exempt classes are
scored but ungraded; a veto forces D.  Method, formulas and sources: docs/engines/evaluation.md.
"""

from industria.engines.common.explain import explain_row
from industria.engines.land_efficiency.facts import FACTS_SCHEMA
from industria.engines.land_efficiency.grade import ENGINE_VERSION, grade_land_efficiency
from industria.engines.land_efficiency.rules import LandEfficiencyRules, parse_rules

Rules = LandEfficiencyRules

__all__ = [
    "ENGINE_VERSION",
    "FACTS_SCHEMA",
    "LandEfficiencyRules",
    "Rules",
    "explain_row",
    "grade_land_efficiency",
    "parse_rules",
]
