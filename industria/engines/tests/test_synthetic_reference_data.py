"""The industry reference data (fixtures/reference/industry/*.yaml) and the mapping resolution the generator uses.

Checks shape and internal consistency: every division once, group codes unique with the kind in their prefix,
every mapping rule pointing at known codes and groups, cluster weights that split output (sum <= 1), and the
documented list of manufacturing divisions without a key cluster.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
import yaml

from industria.engines.taxonomy import KIND_BY_PREFIX, group_kind, mapping_rules, resolve_groups

ROOT = Path(__file__).resolve().parents[3]
INDUSTRY_DIR = ROOT / "fixtures/reference/industry"
TAGS = {"V", "S", "D", "M", "U"}
# default-industry-mapping.yaml header: manufacturing divisions deliberately without a key cluster.
NO_CLUSTER = {"16", "20", "22", "23", "41", "42"}


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    """Overrides the root conftest's autouse fixture, which needs pytest-django: engine tests run with
    ``-p no:django`` and need no Django settings."""


def load(name: str) -> dict:
    return yaml.safe_load((INDUSTRY_DIR / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def gbt() -> dict:
    return load("gbt4754-2017-manufacturing.yaml")


@pytest.fixture(scope="module")
def system() -> dict:
    return load("shanghai-industrial-system-2023.yaml")


@pytest.fixture(scope="module")
def mapping() -> dict:
    return load("default-industry-mapping.yaml")


def walk(groups: list[dict]) -> list[dict]:
    out = []
    for g in groups:
        out.append(g)
        out.extend(walk(g.get("children", [])))
    return out


@pytest.fixture(scope="module")
def groups(system: dict) -> dict[str, dict]:
    all_groups = [g for layer in system["layers"] for g in walk(layer["groups"])]
    codes = [g["code"] for g in all_groups]
    assert len(codes) == len(set(codes)), "duplicate group codes"
    return {g["code"]: g for g in all_groups}


def test_divisions_cover_industry_sections(gbt: dict) -> None:
    by_section: dict[str, list[str]] = {}
    for d in gbt["divisions"]:
        assert d["confidence"] in TAGS
        assert d["name_zh"]
        assert d["name_en"]
        by_section.setdefault(d["section"], []).append(d["code"])
    assert by_section["B"] == [f"{c:02d}" for c in range(6, 13)]
    assert by_section["C"] == [str(c) for c in range(13, 44)]
    assert by_section["D"] == ["44", "45", "46"]
    assert {s["code"]: s["manufacturing"] for s in gbt["sections"]} == {"B": False, "C": True, "D": False}
    assert gbt["source"]["reference"]


def test_selected_classes_belong_to_their_division(gbt: dict) -> None:
    divisions = {d["code"] for d in gbt["divisions"]}
    for c in gbt["classes"]:
        assert c["division"] in divisions
        assert c["code"].startswith(c["division"])
        assert len(c["code"]) == {"group": 3, "class": 4}[c["level"]]
        assert c["confidence"] in TAGS


def test_system_groups_have_kind_prefix_and_targets_are_cited(system: dict, groups: dict[str, dict]) -> None:
    assert system["source"]["document_no"] == "沪府办发〔2023〕8号"
    assert [layer["code"] for layer in system["layers"]] == ["2", "3", "6", "4", "5"]
    assert [len(layer["groups"]) for layer in system["layers"]] == [2, 3, 6, 4, 5]
    for code, g in groups.items():
        assert code.isascii()
        assert code == code.lower()
        assert group_kind(code) == g["kind"]
        for target in g.get("plan_targets", []):
            assert target["confidence"] in TAGS
            assert target["source"]
            assert target["year"] >= 2025


def test_cluster_targets_four_trillion_two_half_trillion(system: dict) -> None:
    clusters = next(layer for layer in system["layers"] if layer["kind"] == "key_cluster")["groups"]
    values = {g["code"]: g["plan_targets"][0]["value"] for g in clusters}
    assert sorted(values.values()) == [5e11, 5e11, 1e12, 1e12, 1e12, 1e12]
    assert values["cluster-advanced-materials"] == values["cluster-fashion-consumer"] == 500_000_000_000
    assert all(g["plan_targets"][0]["unit"] == "CNY" for g in clusters)


def test_mapping_is_labelled_unofficial(mapping: dict) -> None:
    assert mapping["official"] is False
    assert "No official mapping is published" in mapping["disclaimer_en"]
    assert mapping["editable_by"] == "administrator"
    assert all(rule["rationale"] for rule in mapping["rules"])


def test_mapping_points_at_known_codes_and_groups(gbt: dict, mapping: dict, groups: dict[str, dict]) -> None:
    known_codes = {d["code"] for d in gbt["divisions"]} | {c["code"] for c in gbt["classes"]}
    rules = mapping_rules(mapping["rules"])
    for rule in rules:
        assert rule["industry_code"] in known_codes, rule
        assert rule["group_code"] in groups, rule
        assert rule["kind"] in KIND_BY_PREFIX.values()
    keys = [(r["industry_code"], r["group_code"], r["exact"]) for r in rules]
    assert len(keys) == len(set(keys)), "duplicate rule"


@pytest.fixture(scope="module")
def resolved(gbt: dict, mapping: dict) -> pl.DataFrame:
    codes = [d["code"] for d in gbt["divisions"]] + [c["code"] for c in gbt["classes"]]
    return resolve_groups(codes, mapping["rules"])


def test_split_kinds_add_up_to_at_most_one_and_have_one_primary(resolved: pl.DataFrame) -> None:
    per_code = resolved.group_by("industry_code", "kind").agg(
        pl.col("weight").sum().alias("total"), pl.col("primary").sum().alias("primaries")
    )
    split = per_code.filter(pl.col("kind").is_in(["key_cluster", "leading_industry"]))
    assert (split["total"] <= 1.0 + 1e-9).all(), split.filter(pl.col("total") > 1.0)
    assert (per_code["primaries"] <= 1).all(), per_code.filter(pl.col("primaries") > 1)


def test_every_manufacturing_division_has_a_cluster_unless_listed(gbt: dict, resolved: pl.DataFrame) -> None:
    clustered = set(resolved.filter(pl.col("kind") == "key_cluster")["industry_code"])
    manufacturing = {d["code"] for d in gbt["divisions"] if d["section"] == "C"}
    assert manufacturing - clustered == NO_CLUSTER


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("3973", {"lead-ic": 1.0, "cluster-electronic-info": 1.0, "track-digital-economy": 1.0}),
        ("27", {"lead-biomed": 1.0, "cluster-life-health": 1.0}),
        ("2762", {"lead-biomed": 1.0, "cluster-life-health": 1.0, "future-health": 0.5}),
        ("36", {"cluster-auto": 1.0}),
        ("3612", {"cluster-auto": 1.0, "track-smart-terminals": 0.5}),
        ("39", {"lead-ic": 0.25, "cluster-electronic-info": 1.0, "track-digital-economy": 1.0}),
        ("3911", {"cluster-electronic-info": 1.0, "track-smart-terminals": 1.0, "track-digital-economy": 1.0}),
        ("35", {"cluster-high-end-equipment": 0.8, "cluster-life-health": 0.1, "lead-biomed": 0.1}),
        ("3581", {"cluster-life-health": 1.0, "lead-biomed": 1.0}),
        ("2682", {"cluster-fashion-consumer": 1.0}),
        ("16", {}),
    ],
)
def test_resolution_examples(mapping: dict, code: str, expected: dict[str, float]) -> None:
    got = resolve_groups([code], mapping["rules"])
    assert dict(zip(got["group_code"], got["weight"], strict=True)) == expected


def test_bad_rules_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown kind prefix"):
        mapping_rules([{"industry_code": "39", "group_code": "ic", "weight": 1}])
    with pytest.raises(ValueError, match="outside"):
        mapping_rules([{"industry_code": "39", "group_code": "lead-ic", "weight": 2}])
    with pytest.raises(ValueError, match="2-4 digit"):
        mapping_rules([{"industry_code": "C39", "group_code": "lead-ic"}])
    with pytest.raises(ValueError, match="missing field"):
        mapping_rules([{"group_code": "lead-ic"}])
