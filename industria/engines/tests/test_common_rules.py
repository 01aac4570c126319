"""Rule sets as data: every built-in YAML parses; every validation failure names the field path."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml

from industria.engines import land_efficiency, sme_tiers
from industria.engines.common.parsing import RulesError
from industria.engines.common.ruleset import summarise_sources
from industria.engines.registry import BUILTIN_RULESETS, engine_for, engine_for_ruleset, ruleset_in_force

RULESETS = Path(__file__).resolve().parents[3] / "fixtures/reference/rulesets"


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((RULESETS / f"{name}.yaml").read_text("utf-8"))


@pytest.mark.parametrize("path", sorted(RULESETS.glob("*.yaml")), ids=lambda p: p.stem)
def test_every_ruleset_yaml_parses(path: Path) -> None:
    raw = yaml.safe_load(path.read_text("utf-8"))

    rules = engine_for_ruleset(raw).parse_rules(raw)

    assert rules.code == path.stem
    assert BUILTIN_RULESETS[rules.code] == rules.engine
    assert rules.source.tag in {"S", "M", "U"}
    assert rules.document_no


def test_builtin_rulesets_are_all_on_disk() -> None:
    assert {p.stem for p in RULESETS.glob("*.yaml")} == set(BUILTIN_RULESETS)


def test_tags_from_memory_are_kept_per_item() -> None:
    rules = sme_tiers.parse_rules(load("sme-srdi-2022"))
    tags = summarise_sources(rules)
    assert {"net_margin", "debt_ratio", "ip", "rd_input", "rd_staff_share", "rd_institution", "sme_size"} <= set(
        tags["M"]
    )
    assert "local_distinctive" in tags["U"]
    assert "main_revenue_share" in tags["S"]


def _mutated(base: str, mutate: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    raw = copy.deepcopy(load(base))
    mutate(raw)
    return raw


def _set(path: list[Any], value: Any) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        node = raw
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _delete(path: list[Any]) -> Callable[[dict[str, Any]], None]:
    def mutate(raw: dict[str, Any]) -> None:
        node = raw
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return mutate


SME_CASES = [
    (
        _set(["indicators", 1, "bands", 1, "gte"], "3%"),
        "indicators[1].bands[1].gte: expected a number, got a string ('3%')",
    ),
    (
        _set(["indicators", 1, "bands", 1, "gte"], 0.06),
        "indicators[1].bands[1].gte: thresholds must decrease down a higher_better table",
    ),
    (
        _set(["indicators", 3, "bands", 1, "lte"], 0.5),
        "indicators[3].bands[1].lte: thresholds must increase down a lower_better table",
    ),
    (_set(["indicators", 1, "bands", 1, "points"], 25), "indicators[1].bands[1].points: points must not increase"),
    (_delete(["indicators", 1, "bands", 4]), "indicators[1].bands[3]: the last band must be {otherwise: true"),
    (_set(["indicators", 1, "bands", 0, "colour"], "red"), "indicators[1].bands[0].colour: unknown field"),
    (_delete(["code"]), "code: required field is missing"),
    (_set(["version"], 2022.1), 'version: expected a string (quote it: version: "2022.1")'),
    (_set(["engine"], "land_efficiency"), "engine: this rule set is for engine 'land_efficiency', not 'sme_tiers'"),
    (_set(["effective_from"], "June 2022"), "effective_from: expected a date (YYYY-MM-DD), got 'June 2022'"),
    (_set(["effective_to"], date(2021, 1, 1)), "effective_to: effective_to is before effective_from"),
    (_set(["source", "tag"], "X"), "source.tag: expected an evidence tag S | M | U, got 'X'"),
    (_set(["columns", 3], "revenue"), "columns[3]: unknown facts column 'revenue'"),
    (
        _set(["indicators", 1, "value", "numerator"], "rd_cny"),
        "indicators[1].value.numerator: unknown or non-numeric column 'rd_cny'",
    ),
    (
        _set(["indicators", 1, "value", "numerator"], "rd_expense_cny / 2"),
        "indicators[1].value.numerator: unexpected character '/'",
    ),
    (
        _set(["indicators", 2, "value", "numerator"], "(main_revenue_cny - main_revenue_prev_cny"),
        "indicators[2].value.numerator: missing ')'",
    ),
    (
        _set(["indicators", 1, "value", "numerator"], "ip_class"),
        "indicators[1].value.numerator: unknown or non-numeric column 'ip_class'",
    ),
    (
        _set(["indicators", 1, "value", "numerator"], "net_profit_cny"),
        "indicators[1].value.numerator: unknown or non-numeric column",
    ),
    (_delete(["indicators", 0, "points", "none"]), "indicators[0].points: every choice needs points; missing: none"),
    (
        _set(["indicators", 0, "points", "class3"], 1),
        "indicators[0].points.class3: 'class3' is not a choice of ip_class",
    ),
    (_set(["indicators", 4, "column"], "ip_class"), "indicators[4].column: column 'ip_class' is not a boolean column"),
    (_set(["indicators", 0, "category"], "quality"), "indicators[0].category: unknown category 'quality'"),
    (_set(["indicators", 0, "method"], "lookup"), "indicators[0].method: unknown method 'lookup'"),
    (
        _set(["indicators", 0, "code"], "innovation"),
        "categories[0].code: result column 'innovation_points' clashes with indicators[0].code",
    ),
    (
        _set(["indicators", 5, "code"], "ip"),
        "indicators[5].code: result column 'ip_value' clashes with indicators[0].code",
    ),
    (
        _set(["outcome", "direct_routes", 0, "when"], {"column": "honour_valid", "is": "yes"}),
        "outcome.direct_routes[0].when.is: expected true or false",
    ),
    (
        _set(["outcome", "direct_routes", 2, "when", "in"], ["provincial", "ministerial"]),
        "outcome.direct_routes[2].when.in[1]: 'ministerial' is not a choice",
    ),
    (
        _set(["outcome", "direct_routes", 3, "when"], {"value": "equity_financing_3y_cny", "gte": 1, "lt": 2}),
        "outcome.direct_routes[3].when: expected exactly one comparison",
    ),
    (
        _set(["outcome", "direct_routes", 1, "code"], "st_award"),
        "outcome.direct_routes[1].code: duplicate condition code 'st_award'",
    ),
    (
        _set(["outcome", "method"], "grade"),
        "outcome.direct_routes: unknown field (allowed: exemptions, grading, method",
    ),
]


@pytest.mark.parametrize(("mutate", "message"), SME_CASES)
def test_sme_rules_errors_name_the_field_path(mutate: Callable[[dict[str, Any]], None], message: str) -> None:
    raw = _mutated("sme-innovative-2022", mutate)
    with pytest.raises(RulesError) as excinfo:
        sme_tiers.parse_rules(raw)
    assert str(excinfo.value).startswith(message), str(excinfo.value)


LAND_CASES = [
    (
        _set(["outcome", "grading", "classes", 1, "lte"], 0.2),
        "outcome.grading.classes[1].lte: class bounds must run from the best class down",
    ),
    (
        _set(["outcome", "grading", "classes", 0], {"grade": "A", "gte": 0.25}),
        "outcome.grading.classes[0].gte: unknown field",
    ),
    (
        _set(["outcome", "exemptions", "codes", 0], "charity"),
        "outcome.exemptions.codes[0]: 'charity' is not a choice of exempt_class",
    ),
    (
        _set(["indicators", 0, "benchmark"], {"constant": 0}),
        "indicators[0].benchmark.constant: a benchmark must be positive",
    ),
    (
        _set(["indicators", 0, "benchmark"], {"constant": 1, "aggregate": True}),
        "indicators[0].benchmark: give exactly one of",
    ),
    (
        _set(["indicators", 0, "cap_multiple"], {"value": -1}),
        "indicators[0].cap_multiple: cap_multiple must be positive",
    ),
    (_delete(["indicators", 0, "weight"]), "indicators[0]: a benchmark indicator needs a weight"),
    (_set(["indicators", 0, "value"], "tax_cny"), "indicators[0].value: an aggregate benchmark needs a ratio value"),
    (_set(["indicators", 0, "segments"], ["huge"]), "indicators[0].segments[0]: unknown segment 'huge'"),
    (_set(["indicators", 3, "missing"], "impute"), "indicators[3].missing: expected one of zero, segment_mean"),
    (
        _set(["segments", "classes", 0, "when"], {"otherwise": True}),
        "segments.classes[0].when: 'otherwise' is only allowed as the last item",
    ),
    (_delete(["segments"]), "indicators[0].segments[0]: unknown segment 'above'"),
]


def test_land_rules_need_segments() -> None:
    raw = copy.deepcopy(load("land-efficiency-zj"))
    del raw["segments"]
    raw["indicators"] = [ind for ind in raw["indicators"] if ind["segments"] == ["above"]]
    for ind in raw["indicators"]:
        del ind["segments"]
    with pytest.raises(RulesError, match="^segments: the land-efficiency engine needs size classes"):
        land_efficiency.parse_rules(raw)


@pytest.mark.parametrize(("mutate", "message"), LAND_CASES)
def test_land_rules_errors_name_the_field_path(mutate: Callable[[dict[str, Any]], None], message: str) -> None:
    raw = _mutated("land-efficiency-zj", mutate)
    with pytest.raises(RulesError) as excinfo:
        land_efficiency.parse_rules(raw)
    assert str(excinfo.value).startswith(message), str(excinfo.value)


def test_rules_error_carries_the_path() -> None:
    raw = _mutated("sme-innovative-2022", _set(["indicators", 2, "bands", 1, "gte"], "x"))
    with pytest.raises(RulesError) as excinfo:
        sme_tiers.parse_rules(raw)
    assert excinfo.value.path == "indicators[2].bands[1].gte"
    assert excinfo.value.message == "expected a number, got a string ('x')"
    assert isinstance(excinfo.value, ValueError)


def test_the_wrong_engine_refuses_a_ruleset() -> None:
    with pytest.raises(RulesError, match="pass_fail|engine"):
        land_efficiency.parse_rules(load("sme-innovative-2022"))


def test_rules_are_frozen() -> None:
    rules = sme_tiers.parse_rules(load("sme-innovative-2022"))
    with pytest.raises(AttributeError):
        rules.version = "x"  # type: ignore[misc]


def test_registry_lookups() -> None:
    assert engine_for("sme_srdi").code == "sme_tiers"
    assert engine_for("land-efficiency-zj").code == "land_efficiency"
    assert engine_for("land_efficiency").engine_version == land_efficiency.ENGINE_VERSION
    with pytest.raises(LookupError):
        engine_for("smart_factory")


def test_ruleset_in_force_picks_the_latest_effective_version() -> None:
    old = sme_tiers.parse_rules(load("sme-innovative-2022"))
    newer_raw = load("sme-innovative-2022") | {"version": "2026.1", "effective_from": date(2026, 1, 18)}
    newer = sme_tiers.parse_rules(newer_raw)
    assert ruleset_in_force([old, newer], "sme_innovative", date(2025, 12, 31)) is old
    assert ruleset_in_force([old, newer], "sme_innovative", date(2026, 2, 1)) is newer
    assert ruleset_in_force([old, newer], "sme_innovative", date(2022, 5, 31)) is None
