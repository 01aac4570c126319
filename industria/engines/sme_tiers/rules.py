"""Rules of the SME-tier engine: a pass/fail rule set (innovative SME, SRDI SME, little giant)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from industria.engines.common.outcomes import PassFail
from industria.engines.common.parsing import Node
from industria.engines.common.ruleset import RuleSet, parse_ruleset
from industria.engines.sme_tiers.facts import FACTS_SCHEMA

ENGINE_CODE = "sme_tiers"


@dataclass(frozen=True)
class SmeTierRules(RuleSet):
    """A validated SME-tier rule set (outcome ``pass_fail``, no segments)."""


def parse_rules(raw: Mapping[str, Any]) -> SmeTierRules:
    """Validate an already-loaded rule-set mapping; raises ``RulesError`` naming the field path."""
    rules = parse_ruleset(raw, engine=ENGINE_CODE, facts_schema=FACTS_SCHEMA, cls=SmeTierRules)
    root = Node(raw)
    if not isinstance(rules.outcome, PassFail):
        raise root.req("outcome").req("method").fail("the SME-tier engine needs method: pass_fail")
    if rules.segments is not None:
        raise root.req("segments").fail("the SME-tier engine does not use segments")
    return rules
