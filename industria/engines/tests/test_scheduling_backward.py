"""Backward scheduling: hand-computed dates for parallel branches, the critical path, fast-track templates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from industria.engines.scheduling import (
    TemplateError,
    parse_template,
    resolve_templates,
    schedule_backward,
)

REFERENCE = Path(__file__).resolve().parents[3] / "fixtures" / "reference" / "projects"
TARGET = dt.date(2025, 6, 30)

# A → B (10 d) → D (5 d) → E (target, milestone)
# A → C (20 d) → D with a 2-day lag; F (3 d) starts 4 days after C starts (SS) and feeds E; G after E.
PARALLEL = {
    "code": "parallel",
    "target_node": "E",
    "nodes": [
        {"code": "A", "duration_days": 0},
        {"code": "B", "duration_days": 10, "after": ["A"]},
        {"code": "C", "duration_days": 20, "after": ["A"]},
        {"code": "D", "duration_days": 5, "after": ["B", {"node": "C", "lag_days": 2}]},
        {"code": "F", "duration_days": 3, "after": [{"node": "C", "type": "SS", "lag_days": 4}]},
        {"code": "E", "duration_days": 0, "after": ["D", "F"]},
        {"code": "G", "duration_days": 7, "after": ["E"]},
    ],
}


def frames(
    rows: list[tuple[int, str, dt.date | None]], durations: list[tuple[int, str, int]] | None = None
) -> tuple[pl.DataFrame, pl.DataFrame]:
    projects = pl.DataFrame(
        rows, schema={"project_id": pl.Int64, "template_code": pl.String, "target_on": pl.Date}, orient="row"
    ).with_columns(target_code=pl.lit(None, dtype=pl.String))
    nodes = pl.DataFrame(
        durations or [],
        schema={"project_id": pl.Int64, "node_code": pl.String, "duration_days": pl.Int64},
        orient="row",
    )
    return nodes, projects


def by_code(result: pl.DataFrame, project_id: int = 1) -> dict[str, dict]:
    return {r["node_code"]: r for r in result.filter(pl.col("project_id") == project_id).iter_rows(named=True)}


def d(day: str) -> dt.date:
    return dt.date.fromisoformat(day)


def reference_templates() -> dict:
    raw = yaml.safe_load((REFERENCE / "node-templates.yaml").read_text(encoding="utf-8"))
    return {t["code"]: parse_template(t) for t in resolve_templates(raw["templates"])}


def test_parallel_branches_give_the_hand_computed_dates() -> None:
    templates = {"parallel": parse_template(PARALLEL)}
    nodes, projects = frames([(1, "parallel", TARGET)])

    result = by_code(schedule_backward(nodes, projects, templates))

    # E finishes on the target.  D: LF = LS(E) = 06-30, LS = 06-25.  F (no lag to E): LF 06-30, LS 06-27.
    # B: LF = LS(D) = 06-25, LS = 06-15.  C: LF = min(LS(D) − 2 = 06-23, via SS: LS(F) − 4 + 20 = 07-13)
    #    = 06-23, LS = 06-03.  A: LF = min(LS(B), LS(C)) = 06-03.
    expected = {
        "A": ("2025-06-03", "2025-06-03"),
        "B": ("2025-06-15", "2025-06-25"),
        "C": ("2025-06-03", "2025-06-23"),
        "D": ("2025-06-25", "2025-06-30"),
        "F": ("2025-06-27", "2025-06-30"),
        "E": ("2025-06-30", "2025-06-30"),
        "G": ("2025-06-30", "2025-07-07"),  # after the target: forwards from E
    }
    assert {c: (str(r["planned_start_on"]), str(r["planned_finish_on"])) for c, r in result.items()} == expected


def test_critical_path_is_the_zero_float_chain_through_the_longer_branch() -> None:
    templates = {"parallel": parse_template(PARALLEL)}
    nodes, projects = frames([(1, "parallel", TARGET)])

    result = by_code(schedule_backward(nodes, projects, templates))

    # Forward from the project start 06-03: ES(B) = 06-03 (float 12); ES(C) = 06-03; ES(D) = max(06-13,
    # 06-23 + 2) = 06-25; ES(F) = ES(C) + 4 = 06-07 (float 20); ES(E) = max(06-30, 06-10) = 06-30.
    assert {c for c, r in result.items() if r["critical"]} == {"A", "C", "D", "E"}
    assert result["B"]["float_days"] == 12
    assert result["F"]["float_days"] == 20
    assert result["G"]["float_days"] is None
    assert result["G"]["critical"] is False


def test_a_project_duration_overrides_the_template_and_moves_the_critical_path() -> None:
    templates = {"parallel": parse_template(PARALLEL)}
    nodes, projects = frames([(1, "parallel", TARGET), (2, "parallel", TARGET)], [(2, "B", 40)])

    result = schedule_backward(nodes, projects, templates)

    second = by_code(result, 2)
    assert second["B"]["planned_start_on"] == d("2025-05-16")  # 06-25 − 40 days
    assert {c for c, r in second.items() if r["critical"]} == {"A", "B", "D", "E"}
    assert by_code(result, 1)["B"]["planned_start_on"] == d("2025-06-15")  # the other project is untouched


def test_standard_template_gives_the_documented_offsets_and_critical_path() -> None:
    templates = reference_templates()
    nodes, projects = frames([(1, "new_build-standard", TARGET)])

    result = by_code(schedule_backward(nodes, projects, templates))

    assert result["signing"]["planned_finish_on"] == TARGET - dt.timedelta(days=675)
    assert result["start"]["planned_finish_on"] == TARGET - dt.timedelta(days=405)
    assert result["completion_acceptance"]["planned_finish_on"] == TARGET - dt.timedelta(days=10)
    assert result["at_capacity"]["planned_finish_on"] == TARGET + dt.timedelta(days=540)
    assert {c for c, r in result.items() if r["critical"]} == {
        "signing",
        "company_setup",
        "filing",
        "land_listing",
        "land_contract",
        "scheme_approval",
        "construction_drawing",
        "drawing_review",
        "construction_permit",
        "start",
        "pile_foundation",
        "main_structure",
        "topping_out",
        "envelope_mep",
        "fire_acceptance",
        "completion_acceptance",
        "trial_production",
    }
    assert result["commissioning"]["float_days"] == 5


def test_pile_foundation_first_starts_before_the_main_permit() -> None:
    templates = reference_templates()
    nodes, projects = frames([(1, "new_build-pile-first", TARGET), (2, "new_build-standard", TARGET)])

    result = schedule_backward(nodes, projects, templates)

    pile, ordinary = by_code(result, 1), by_code(result, 2)
    assert pile["start"]["planned_finish_on"] < pile["construction_permit"]["planned_finish_on"]
    assert pile["start"]["planned_start_on"] >= pile["pile_permit"]["planned_finish_on"]
    assert ordinary["start"]["planned_start_on"] >= ordinary["construction_permit"]["planned_finish_on"]


def test_start_on_land_acquisition_starts_within_two_days_of_the_land_contract() -> None:
    templates = reference_templates()
    nodes, projects = frames([(1, "new_build-land-start", TARGET)])

    result = by_code(schedule_backward(nodes, projects, templates))

    gap = result["start"]["planned_finish_on"] - result["land_contract"]["planned_finish_on"]
    assert gap <= dt.timedelta(days=2)


def test_phased_acceptance_lets_production_start_before_completion_of_every_phase() -> None:
    templates = reference_templates()
    nodes, projects = frames([(1, "new_build-phased", TARGET)])

    result = by_code(schedule_backward(nodes, projects, templates))

    assert result["phase_1_acceptance"]["planned_finish_on"] <= result["trial_production"]["planned_start_on"]
    assert result["completion_acceptance"]["role"] == "after"
    assert result["completion_acceptance"]["planned_finish_on"] > result["trial_production"]["planned_finish_on"]


def test_projects_without_target_or_with_unknown_template_are_left_out() -> None:
    templates = {"parallel": parse_template(PARALLEL)}
    nodes, projects = frames([(1, "parallel", None), (2, "unknown", TARGET), (3, "parallel", TARGET)])

    result = schedule_backward(nodes, projects, templates)

    assert set(result["project_id"].unique()) == {3}


def test_a_cycle_is_refused_with_its_path() -> None:
    raw = {
        "code": "loop",
        "nodes": [
            {"code": "a", "duration_days": 1, "after": ["c"]},
            {"code": "b", "duration_days": 1, "after": ["a"]},
            {"code": "c", "duration_days": 1, "after": ["b"]},
        ],
    }

    with pytest.raises(TemplateError, match="cycle"):
        parse_template(raw)


def test_an_unknown_predecessor_is_refused_with_the_field_path() -> None:
    raw = {"code": "t", "nodes": [{"code": "a", "duration_days": 1, "after": ["missing"]}]}

    with pytest.raises(TemplateError, match=r"t\.nodes\[0\]\.after\[0\]"):
        parse_template(raw)


def test_inheritance_removes_overrides_and_adds_nodes_in_place() -> None:
    resolved = {
        t["code"]: t
        for t in resolve_templates(
            [
                {
                    "code": "base",
                    "nodes": [
                        {"code": "a", "duration_days": 1},
                        {"code": "b", "duration_days": 2, "after": ["a"]},
                        {"code": "c", "duration_days": 3, "after": ["b"]},
                    ],
                },
                {
                    "code": "child",
                    "extends": "base",
                    "remove": ["b"],
                    "override": {"c": {"after": ["a"]}},
                    "add": [{"code": "x", "duration_days": 4, "after": ["a"], "place_after": "a"}],
                },
            ]
        )
    }

    child = parse_template(resolved["child"])

    assert child.codes == ("a", "x", "c")
    assert [dep.node for dep in child.nodes[2].after] == ["a"]


@settings(max_examples=25, deadline=None)
@given(
    durations=st.lists(st.integers(min_value=0, max_value=400), min_size=7, max_size=7),
    day=st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)),
)
def test_one_project_alone_gets_the_same_schedule_as_inside_a_batch(durations: list[int], day: dt.date) -> None:
    templates = {"parallel": parse_template(PARALLEL)}
    codes = ["A", "B", "C", "D", "F", "E", "G"]
    own = [(7, code, value) for code, value in zip(codes, durations, strict=True)]
    alone_nodes, alone_projects = frames([(7, "parallel", day)], own)
    batch_nodes, batch_projects = frames([(i, "parallel", TARGET) for i in range(1, 7)] + [(7, "parallel", day)], own)

    alone = schedule_backward(alone_nodes, alone_projects, templates)
    batch = schedule_backward(batch_nodes, batch_projects.sample(fraction=1.0, shuffle=True, seed=3), templates)

    assert alone.equals(batch.filter(pl.col("project_id") == 7))
    core = alone.filter(pl.col("role") != "after")
    assert (core["float_days"] >= 0).all()
    assert core.filter(pl.col("critical")).height >= 2  # a critical chain always reaches the target
