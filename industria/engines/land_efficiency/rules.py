"""Rules of the land-efficiency engine: a graded rule set with size classes (segments)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from industria.engines.common.outcomes import Grading
from industria.engines.common.parsing import Node, RulesError
from industria.engines.common.ruleset import RuleSet, parse_ruleset
from industria.engines.land_efficiency.facts import FACTS_SCHEMA

ENGINE_CODE = "land_efficiency"


@dataclass(frozen=True)
class LandEfficiencyRules(RuleSet):
    """A validated land-efficiency rule set (outcome ``grade``, segments = size classes)."""


def parse_rules(raw: Mapping[str, Any]) -> LandEfficiencyRules:
    """Validate an already-loaded rule-set mapping; raises ``RulesError`` naming the field path."""
    rules = parse_ruleset(raw, engine=ENGINE_CODE, facts_schema=FACTS_SCHEMA, cls=LandEfficiencyRules)
    root = Node(raw)
    if not isinstance(rules.outcome, Grading):
        raise root.req("outcome").req("method").fail("the land-efficiency engine needs method: grade")
    if rules.segments is None:
        raise RulesError("segments", "the land-efficiency engine needs size classes (segments)")
    return rules
