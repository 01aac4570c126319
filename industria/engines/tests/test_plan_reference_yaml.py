"""The Shanghai plan reference data (fixtures/reference/plan/*.yaml): shape, citations, and engine readiness.

Tests may do I/O; the engine itself never does. The YAML is turned into engine frames here the same way the
Django side will: annual and point actuals only (year-to-date figures are not annual values), undated
vintages of one period reduced to the most revised one.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest
import yaml

from industria.engines.plan_progress import (
    DIRECTIONS,
    STATUSES,
    TARGET_KINDS,
    VALUE_KINDS,
    assess_plan_progress,
    forecast_indicators,
    parse_rag_rules,
)

ROOT = Path(__file__).resolve().parents[3]
PLAN_YAML = ROOT / "fixtures/reference/plan/shanghai-manufacturing-2023-2025.yaml"
REFERENCE_DIR = Path("/work/shared/reference")
TAGS = {"V", "S", "D", "M", "U"}
CADENCES = {"monthly", "quarterly", "yearly"}
BREAKDOWNS = {"district", "industry_group"}
PERIOD_TYPES = {"year", "ytd", "point"}
MEASURES = {"stock", "annual", "cumulative"}
COMPUTED_KINDS = {"count_tiers", "sum_fact", "ratio_of_indicators"}
VINTAGE_RANK = {"first_release": 1, "revised": 2, "census_revised": 3}


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    """Engine tests run without Django (-p no:django): shadow the root conftest's settings-based autouse fixture."""


@pytest.fixture(scope="module")
def plan() -> dict:
    return yaml.safe_load(PLAN_YAML.read_text(encoding="utf-8"))


def _all_series(plan: dict) -> list[dict]:
    return plan["indicators"] + plan["context_series"]


def _cited_items(plan: dict):
    """Every (path, mapping) that must carry a source and a confidence tag."""
    yield "plan", plan["plan"]
    for goal in plan["goals"]:
        yield f"goals.{goal['code']}", goal
    for action in plan["actions"]:
        yield f"actions.{action['code']}", action
    for task in plan["tasks"]:
        if not task.get("to_be_completed_by_admin") or task.get("name_zh"):
            yield f"tasks.{task['number']}", task
    for item in _all_series(plan):
        for i, target in enumerate(item.get("targets") or []):
            yield f"{item['code']}.targets[{i}]", target
        if item.get("baseline"):
            yield f"{item['code']}.baseline", item["baseline"]
        for key in ("actuals", "growth_actuals"):
            for i, actual in enumerate(item.get(key) or []):
                yield f"{item['code']}.{key}[{i}]", actual


def history_frames(plan: dict) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Engine history (indicator_code, period, value, status, published_on) and specs from the YAML."""
    rows, specs = [], []
    for item in _all_series(plan):
        spec = item.get("forecast") or {}
        specs.append((item["code"], spec.get("value_kind", "level"), spec.get("since_year")))
        for a in item.get("actuals") or []:
            if a["period_type"] == "ytd":
                continue
            period = a["period"] if isinstance(a["period"], dt.date) else dt.date(int(a["period"]), 12, 31)
            vintage = VINTAGE_RANK[a.get("vintage", "first_release")]
            rows.append((item["code"], period, float(a["value"]), a["status"], a.get("as_of"), vintage))
    history = pl.DataFrame(
        rows,
        schema={
            "indicator_code": pl.String,
            "period": pl.Date,
            "value": pl.Float64,
            "status": pl.String,
            "published_on": pl.Date,
            "vintage": pl.Int64,
        },
        orient="row",
    )
    key = [pl.col("indicator_code"), pl.col("period").dt.year()]
    undated_best = pl.col("published_on").is_not_null() | (pl.col("vintage") == pl.col("vintage").max().over(key))
    history = history.filter(undated_best).drop("vintage")
    spec_frame = pl.DataFrame(
        specs, schema={"indicator_code": pl.String, "value_kind": pl.String, "since_year": pl.Int64}, orient="row"
    )
    return history, spec_frame


def targets_frame(plan: dict) -> pl.DataFrame:
    rows = []
    for item in plan["indicators"]:
        baseline = item.get("baseline") or {}
        for t in item["targets"]:
            rows.append(
                (
                    item["code"],
                    item["target_kind"],
                    item["direction"],
                    t["year"],
                    None if t.get("value") is None else float(t["value"]),
                    baseline.get("year") if item["target_kind"] == "growth_rate" or baseline.get("value") else None,
                    None if baseline.get("value") is None else float(baseline["value"]),
                )
            )
    return pl.DataFrame(
        rows,
        schema={
            "indicator_code": pl.String,
            "target_kind": pl.String,
            "direction": pl.String,
            "target_year": pl.Int64,
            "target_value": pl.Float64,
            "baseline_year": pl.Int64,
            "baseline_value": pl.Float64,
        },
        orient="row",
    )


def test_plan_header_is_complete(plan):
    header = plan["plan"]

    assert header["code"] == "SH-MFG-HQD-2023-2025"
    assert header["document_no"] == "沪府办发〔2023〕8号"
    assert header["period"] == {"start_year": 2023, "end_year": 2025}
    assert header["name_zh"]
    assert header["name_en"]
    assert plan["sources"][header["source"]]["url"].startswith("http")


def test_every_cited_item_has_a_known_source_and_a_confidence_tag(plan):
    problems = []
    for path, item in _cited_items(plan):
        if item.get("source") not in plan["sources"]:
            problems.append(f"{path}: source {item.get('source')!r} not in sources")
        if item.get("confidence") not in TAGS:
            problems.append(f"{path}: confidence {item.get('confidence')!r} not in {sorted(TAGS)}")
    assert problems == []


def test_every_source_can_be_traced(plan):
    for key, source in plan["sources"].items():
        assert source.get("title"), key
        assert source.get("url") or source.get("reference"), key
        assert source.get("reference"), key


def test_uncertain_figures_are_never_confirmed(plan):
    for item in _all_series(plan):
        for key in ("actuals", "growth_actuals"):
            for actual in item.get(key) or []:
                assert actual["status"] in STATUSES, (item["code"], actual)
                assert actual["status"] != "synthetic", (item["code"], actual)
                assert actual["period_type"] in PERIOD_TYPES, (item["code"], actual)
                assert "as_of" in actual, (item["code"], actual)
                if actual["confidence"] == "U":
                    assert actual["status"] == "estimated", (item["code"], actual)
                    assert actual.get("uncertain") is True, (item["code"], actual)
                if actual["confidence"] == "D":
                    assert actual["status"] == "estimated", (item["code"], actual)


def test_indicators_are_well_formed(plan):
    codes = [i["code"] for i in _all_series(plan)]
    assert len(codes) == len(set(codes))
    for item in plan["indicators"]:
        code = item["code"]
        assert all(item[k] for k in ("name_zh", "name_en", "unit")), code
        assert item["direction"] in DIRECTIONS, code
        assert item["target_kind"] in TARGET_KINDS, code
        assert item["forecast"]["value_kind"] in VALUE_KINDS, code
        assert item["measure"] in MEASURES, code
        assert item["cadence"] in CADENCES, code
        assert isinstance(item["public"], bool), code
        assert set(item["breakdowns"]) <= BREAKDOWNS, code
        assert item["goal"] in {g["code"] for g in plan["goals"]}, code
        assert item["action"] is None or item["action"] in {a["code"] for a in plan["actions"]}, code
        assert item["targets"], code
        assert any(t["year"] == 2025 for t in item["targets"]), code
        for t in item["targets"]:
            assert (t["value"] is None) == (item["target_kind"] == "direction_only"), code
        if item["target_kind"] == "growth_rate":
            assert item["baseline"]["year"] is not None, code


def test_rag_rules_resolve_and_parse(plan):
    parsed = {
        name: parse_rag_rules(rules, path=f"rag_rule_sets.{name}") for name, rules in plan["rag_rule_sets"].items()
    }
    for item in plan["indicators"]:
        assert item["rag_rules"] in parsed, item["code"]
        if item["target_kind"] == "aspirational":
            assert parsed[item["rag_rules"]].rules == (), item["code"]


def test_computed_indicators_are_declarative(plan):
    codes = {i["code"] for i in _all_series(plan)}
    for item in plan["indicators"]:
        computed = item.get("computed")
        if computed is None:
            continue
        assert computed["kind"] in COMPUTED_KINDS, item["code"]
        if computed["kind"] == "count_tiers":
            assert computed["tier_kind"], item["code"]
            assert computed["status"] == "valid", item["code"]
            assert item["target_kind"] == "count", item["code"]
        if computed["kind"] == "sum_fact":
            assert computed["fact"].endswith("_cny"), item["code"]
            assert computed["industry_group"], item["code"]
        if computed["kind"] == "ratio_of_indicators":
            assert {computed["numerator"], computed["denominator"]} <= codes, item["code"]


def test_six_actions_and_twenty_two_tasks(plan):
    assert [a["number"] for a in plan["actions"]] == [1, 2, 3, 4, 5, 6]
    assert [t["number"] for t in plan["tasks"]] == list(range(1, 23))
    for task in plan["tasks"]:
        if not task.get("name_zh"):
            assert task["to_be_completed_by_admin"] is True
        assert task["action"] is None or task["action"] in {a["code"] for a in plan["actions"]}


def test_headline_targets_match_the_plan_text(plan):
    by_ref = {i.get("ref"): i for i in plan["indicators"]}
    expected = {
        "T1": ("level", 13000, ">"),
        "T2": ("ratio", 25.0, ">="),
        "T3": ("growth_rate", 5.0, ">="),
        "T4": ("ratio", 45.0, ">="),
        "T5": ("level", 50, ">"),
        "T6": ("level", 18000, ">="),
        "T7": ("ratio", 2.5, ">="),
        "T8": ("ratio", 80.0, ">="),
        "T9": ("aspirational", 360, ">="),
        "T10": ("direction_only", None, "decreasing"),
    }
    for ref, (kind, value, comparator) in expected.items():
        item = by_ref[ref]
        target = next(t for t in item["targets"] if t["year"] == 2025)
        assert (item["target_kind"], target["value"], target["comparator"]) == (kind, value, comparator), ref
    assert by_ref["T10"]["direction"] == "lower_is_better"


def _spellings(value: float) -> set[str]:
    v = abs(value)
    out = {f"{v:g}", f"{v:.1f}", f"{v:.2f}", f"{v:,.0f}", f"{v:,.2f}", f"{v:,g}"}
    for scale, suffix in ((1e4, "万亿"), (1e4, " trillion"), (1e6, " million")):
        out.add(f"{v / scale:g}{suffix}")
    return out


def test_every_figure_appears_in_the_reference_files(plan):
    if not REFERENCE_DIR.exists():
        pytest.skip("reference notes not available")
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in [*REFERENCE_DIR.glob("*.md"), *REFERENCE_DIR.glob("seeds/*.txt")]
    )
    missing = []
    for path, item in _cited_items(plan):
        value = item.get("value")
        if isinstance(value, (int, float)) and not any(s in text for s in _spellings(float(value))):
            missing.append((path, value))
    assert missing == []


def test_engine_forecasts_every_numeric_series_with_two_or_more_actuals(plan):
    history, specs = history_frames(plan)
    counts = dict(history.group_by("indicator_code").len().iter_rows())
    eligible = sorted(code for code, n in counts.items() if n >= 2)
    assert {"industrial_value_added", "gdp", "sei_output_share", "three_leading_industries_scale"} <= set(eligible)

    result = forecast_indicators(history, None, dt.date(2030, 12, 31), end_year=2027, specs=specs)

    fits = result.fits.filter(pl.col("indicator_code").is_in(eligible))
    assert fits.filter(pl.col("method").is_in(["none", "last_value"])).is_empty()
    fc = result.forecast.filter(pl.col("indicator_code").is_in(eligible))
    assert sorted(fc.get_column("indicator_code").unique().to_list()) == eligible
    assert fc.filter(~pl.col("point").is_finite() | (pl.col("lower") > pl.col("point"))).is_empty()
    assert fc.filter(pl.col("point") > pl.col("upper")).is_empty()


def test_plan_progress_runs_on_the_reference_data(plan):
    history, specs = history_frames(plan)
    rules = {i["code"]: parse_rag_rules(plan["rag_rule_sets"][i["rag_rules"]]) for i in plan["indicators"]}

    result = assess_plan_progress(history, None, targets_frame(plan), dt.date(2026, 6, 30), specs=specs, rules=rules)

    by_code = {
        r["indicator_code"]: r for r in result.progress.filter(pl.col("target_year") == 2025).iter_rows(named=True)
    }
    assert by_code["three_leading_industries_scale"]["status"] == "green"  # > 2万亿 in 2025 against 1.8万亿
    assert by_code["sei_output_share"]["status"] == "green"  # 45 % reached in 2025
    assert by_code["industrial_investment_growth"]["projection_source"] == "actual"
    assert by_code["industrial_investment_growth"]["projected_rate_pct"] is not None
    assert by_code["industrial_robot_density"]["status_reason"] == "aspirational"
    assert by_code["industrial_labour_productivity"]["status_reason"] == "no_projection"
    assert by_code["little_giants"]["status"] == "green"  # 1,026 by 2024 against 1,000
