"""Programme / rule-set code -> engine.  The only place that knows which engine evaluates which programme.

A service picks the engine by the programme code of an evaluation round (or by the ``engine`` field of a rule
set), parses the stored rule-set parameters with ``engine.parse_rules`` and runs ``engine.evaluate``.  Adding
a programme that fits an existing engine (smart factory, green factory, carbon efficiency) is a new rule set
plus a line in ``PROGRAMMES``; only a genuinely new method needs a new engine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol, runtime_checkable

import polars as pl

from industria.engines import land_efficiency, sme_tiers
from industria.engines.common.explain import explain_row
from industria.engines.common.ruleset import RuleSet


@runtime_checkable
class Engine(Protocol):
    """What every engine offers to the services, the CLI and the tests."""

    @property
    def code(self) -> str: ...

    @property
    def engine_version(self) -> str: ...

    @property
    def facts_schema(self) -> Mapping[str, pl.DataType]: ...

    def parse_rules(self, raw: Mapping[str, Any]) -> RuleSet: ...

    def evaluate(self, facts: pl.DataFrame, rules: Any, *, as_of: date | None = None) -> pl.DataFrame: ...

    def explain(
        self, row: Mapping[str, Any], rules: RuleSet, facts_row: Mapping[str, Any] | None = None
    ) -> list[dict[str, Any]]: ...


@dataclass(frozen=True)
class EngineEntry:
    """An ``Engine`` built from an engine package's public functions."""

    code: str
    engine_version: str
    facts_schema: Mapping[str, pl.DataType]
    parse_rules: Callable[[Mapping[str, Any]], RuleSet]
    evaluate: Callable[..., pl.DataFrame]
    explain: Callable[..., list[dict[str, Any]]] = explain_row


ENGINES: Mapping[str, Engine] = {
    "sme_tiers": EngineEntry(
        code="sme_tiers",
        engine_version=sme_tiers.ENGINE_VERSION,
        facts_schema=sme_tiers.FACTS_SCHEMA,
        parse_rules=sme_tiers.parse_rules,
        evaluate=sme_tiers.score_sme_tier,
    ),
    "land_efficiency": EngineEntry(
        code="land_efficiency",
        engine_version=land_efficiency.ENGINE_VERSION,
        facts_schema=land_efficiency.FACTS_SCHEMA,
        parse_rules=land_efficiency.parse_rules,
        evaluate=land_efficiency.grade_land_efficiency,
    ),
}

# programme code -> engine code
PROGRAMMES: Mapping[str, str] = {
    "sme_innovative": "sme_tiers",
    "sme_srdi": "sme_tiers",
    "sme_little_giant": "sme_tiers",
    "land_efficiency": "land_efficiency",
}

# built-in rule sets (fixtures/reference/rulesets/<code>.yaml) -> engine code
BUILTIN_RULESETS: Mapping[str, str] = {
    "sme-innovative-2022": "sme_tiers",
    "sme-srdi-2022": "sme_tiers",
    "sme-little-giant-2022": "sme_tiers",
    "land-efficiency-zj": "land_efficiency",
}


class UnknownEngineError(LookupError):
    """No engine is registered for the code."""


def engine_for(code: str) -> Engine:
    """The engine for an engine code, a programme code or a built-in rule-set code."""
    engine_code = code if code in ENGINES else PROGRAMMES.get(code) or BUILTIN_RULESETS.get(code)
    if engine_code is None or engine_code not in ENGINES:
        raise UnknownEngineError(f"no engine for {code!r}")
    return ENGINES[engine_code]


def engine_for_ruleset(raw: Mapping[str, Any]) -> Engine:
    """The engine named by a raw rule set's ``engine`` field (falling back to its programme)."""
    engine_code = raw.get("engine") or raw.get("programme")
    if not isinstance(engine_code, str):
        raise UnknownEngineError("the rule set names no engine")
    return engine_for(engine_code)


def ruleset_in_force(rulesets: Iterable[RuleSet], programme: str, as_of: date) -> RuleSet | None:
    """The rule set of ``programme`` in force on ``as_of`` (the latest ``effective_from`` wins), or None."""
    candidates = [r for r in rulesets if r.programme == programme and r.is_effective(as_of)]
    return max(candidates, key=lambda r: (r.effective_from, r.version), default=None)
