"""The reference data of the projects module parses, cites its sources and agrees with the engine's stages."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from industria.engines.scheduling import (
    ORDERED_STAGES,
    SIDE_STAGES,
    RulesError,
    parse_monitoring_rules,
    parse_template,
    resolve_templates,
)

REFERENCE = Path(__file__).resolve().parents[3] / "fixtures" / "reference" / "projects"


def load(name: str) -> dict:
    return yaml.safe_load((REFERENCE / name).read_text(encoding="utf-8"))


def test_every_template_resolves_parses_and_cites_a_source_with_a_confidence_tag() -> None:
    raw = load("node-templates.yaml")["templates"]

    templates = [parse_template(t) for t in resolve_templates(raw)]

    assert {t.fast_track for t in templates} == {"none", "land_start", "pile_first", "phased"}
    assert {t.project_type for t in templates} == {
        "new_build",
        "expansion",
        "tech_transformation",
        "rd_centre",
        "headquarters",
    }
    for template in templates:
        assert template.source, template.code
        assert template.confidence in ("S", "M", "U"), template.code
        assert template.target_node in template.codes


def test_stages_follow_the_engine_order_and_name_their_evidence() -> None:
    stages = load("stages.yaml")["stages"]

    ordered = [s["code"] for s in sorted((s for s in stages if s["order"] is not None), key=lambda s: s["order"])]

    assert tuple(ordered) == ORDERED_STAGES
    assert {s["code"] for s in stages if s["order"] is None} == set(SIDE_STAGES)
    for stage in stages:
        required = [e["field"] for e in stage["evidence"] if e["required"]]
        assert stage["date_field"] in required, stage["code"]


def test_every_node_a_stage_completes_exists_in_the_standard_template() -> None:
    standard = next(
        parse_template(t)
        for t in resolve_templates(load("node-templates.yaml")["templates"])
        if t["code"] == "new_build-standard"
    )

    nodes = {n for s in load("stages.yaml")["stages"] for n in s.get("completes_nodes", [])}

    assert nodes <= set(standard.codes)


def test_rules_parse_and_every_threshold_carries_its_tag() -> None:
    rules = parse_monitoring_rules(load("rules.yaml")["parameters"])

    assert rules.warnings.yellow_within_days.value == 15
    assert all(value.confidence in ("S", "M", "U") and value.source for _, value in rules.tagged_values())
    assert {r.category for r in rules.blockers.values()} == {
        "land",
        "planning",
        "environment",
        "power",
        "financing",
        "other",
    }


def test_a_bad_threshold_is_refused_with_its_path() -> None:
    raw = load("rules.yaml")["parameters"]
    raw["warnings"]["yellow_within_days"]["value"] = -1

    with pytest.raises(RulesError, match=r"warnings\.yellow_within_days\.value"):
        parse_monitoring_rules(raw)
