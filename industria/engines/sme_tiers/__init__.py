"""SME gradient-cultivation tiers (MIIT 工信部企业〔2022〕63号): innovative SME, SRDI SME, little giant.

One engine for the three rule sets: indicators scored by bands, choices, flags, counts or linear steps
(ratios compared exactly), category subtotals with caps and minima, eligibility conditions, a standard route
(total and category minima, or all-of criteria for the little giant) and direct-qualification routes.
Method, formulas and sources: docs/engines/evaluation.md.
"""

from industria.engines.common.explain import explain_row
from industria.engines.sme_tiers.facts import FACTS_SCHEMA
from industria.engines.sme_tiers.rules import SmeTierRules, parse_rules
from industria.engines.sme_tiers.score import ENGINE_VERSION, score_sme_tier

Rules = SmeTierRules

__all__ = ["ENGINE_VERSION", "FACTS_SCHEMA", "Rules", "SmeTierRules", "explain_row", "parse_rules", "score_sme_tier"]
