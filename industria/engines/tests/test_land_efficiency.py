"""Land efficiency (land-efficiency-zj): a small population worked by hand, grading edges, rule variants."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

from industria.engines.common.evaluate import RulesNotEffectiveError
from industria.engines.common.schema import coerce_facts
from industria.engines.land_efficiency import FACTS_SCHEMA, explain_row, grade_land_efficiency, parse_rules

ROOT = Path(__file__).resolve().parents[3]
RAW = yaml.safe_load((ROOT / "fixtures/reference/rulesets/land-efficiency-zj.yaml").read_text("utf-8"))
RULES = parse_rules(RAW)


def grade_csv_rows(raw: pl.DataFrame, rules: Any = RULES) -> pl.DataFrame:
    facts, errors = coerce_facts(raw, FACTS_SCHEMA, required=rules.columns, not_null=["uscc"], uscc_columns=())
    assert errors == []
    return grade_land_efficiency(facts, rules)


def template() -> pl.DataFrame:
    return pl.read_csv(ROOT / "fixtures/reference/templates/land-efficiency-zj.csv", infer_schema=False)


@pytest.fixture(scope="module")
def golden() -> dict[str, dict[str, Any]]:
    result = grade_csv_rows(template())
    return {row["name"].split()[0]: row for row in result.iter_rows(named=True)}


def test_benchmarks_are_the_aggregate_ratio_of_each_size_class(golden: dict[str, dict[str, Any]]) -> None:
    # above: Σ over the 7 covered rows, the exempt U5 and the vetoed U6 included
    u1 = golden["U1"]
    assert u1["tax_per_mu_benchmark"] == pytest.approx(14_000_000 / 70)  # 200,000 CNY/mu
    assert u1["va_per_mu_benchmark"] == pytest.approx(56_000_000 / 70)  # 800,000
    assert u1["va_per_tce_benchmark"] == pytest.approx(56_000_000 / 7000)  # 8,000
    assert u1["va_per_emission_benchmark"] == pytest.approx(52_000_000 / 650)  # 80,000 (U3 has no data)
    assert u1["va_per_employee_benchmark"] == pytest.approx(56_000_000 / 700)  # 80,000
    assert u1["rd_intensity_benchmark"] == pytest.approx(6_300_000 / 210_000_000)  # 0.03
    # below: only L1 and L2 are covered (L3 has 2.99 mu, L4 has no size class)
    l1 = golden["L1"]
    assert l1["tax_per_mu_below_benchmark"] == pytest.approx(500_000 / 8)  # 62,500
    assert l1["tax_per_kwh_below_benchmark"] == pytest.approx(500_000 / 300_000)


def test_points_worked_by_hand(golden: dict[str, dict[str, Any]]) -> None:
    codes = ("tax_per_mu", "va_per_mu", "va_per_tce", "va_per_emission", "va_per_employee", "rd_intensity")
    expected = {
        # 30×300k/200k, 20×1.2M/800k, 20×12k/8k, 10×120k/80k, 10×120k/80k, 10×0.03/0.03
        "U1": ("45.00", "30.00", "30.00", "15.00", "15.00", "10.00", "145.00"),
        "U2": ("30.00", "20.00", "20.00", "10.00", "10.00", "13.33", "103.33"),  # 10×0.04/0.03 = 13.333
        # emissions missing: the mean of the class's emission points (15+10+10+5+15+6.67)/6 = 10.278 -> 10.28
        "U3": ("15.00", "10.00", "10.00", "10.28", "5.00", "8.33", "58.61"),
        "U4": ("30.00", "20.00", "20.00", "10.00", "10.00", "13.33", "103.33"),
        "U5": ("15.00", "10.00", "10.00", "5.00", "5.00", "8.33", "53.33"),
        "U6": ("45.00", "30.00", "30.00", "15.00", "15.00", "10.00", "145.00"),
        "U7": ("30.00", "20.00", "20.00", "6.67", "10.00", "5.00", "91.67"),  # 10×53,333/80,000; 10×0.015/0.03
    }
    for name, values in expected.items():
        row = golden[name]
        got = tuple(str(row[f"{c}_points"]) for c in codes) + (str(row["total_points"]),)
        assert got == values, name
        assert row["tax_per_mu_below_points"] is None
    # below size: 50×100k/62.5k = 80, 50×3/1.667 = 90; 50×40k/62.5k = 32, 50×1/1.667 = 30
    assert (golden["L1"]["tax_per_mu_below_points"], golden["L1"]["tax_per_kwh_below_points"]) == (80, 90)
    assert (golden["L2"]["tax_per_mu_below_points"], golden["L2"]["tax_per_kwh_below_points"]) == (32, 30)
    assert (golden["L1"]["total_points"], golden["L2"]["total_points"]) == (170, 62)


def test_percentile_grades_with_ties_exemption_and_veto(golden: dict[str, dict[str, Any]]) -> None:
    # graded above: U1 145, U2 = U4 103.33 (tie shares rank 2), U7 91.67, U3 58.61 -> N = 5
    got = {name: (row["rank"], row["rank_population"], row["grade"]) for name, row in golden.items()}
    assert got["U1"] == (1, 5, "A")  # p = 0.2
    assert got["U2"] == got["U4"] == (2, 5, "B")  # p = 0.4
    assert got["U7"] == (4, 5, "C")  # p = 0.8
    assert got["U3"] == (5, 5, "D")  # p = 1.0
    assert got["U5"] == (None, None, "ungraded")  # exempt: scored (53.33) but not graded
    assert got["U6"] == (None, None, "D")  # veto: 145 points, forced D
    assert got["L1"] == (1, 2, "B")
    assert got["L2"] == (2, 2, "D")
    assert got["L3"] == (None, None, "not_covered")
    assert got["L4"] == (None, None, "not_covered")


def test_size_class_and_coverage(golden: dict[str, dict[str, Any]]) -> None:
    assert golden["U3"]["size_class"] == "above"  # main revenue exactly 20,000,000 (2000万元以上)
    assert (golden["L1"]["size_class"], golden["L1"]["covered"]) == ("below", True)  # 19,999,999.99 and 3 mu
    assert (golden["L3"]["size_class"], golden["L3"]["covered"], golden["L3"]["total_points"]) == ("below", False, None)
    assert (golden["L4"]["size_class"], golden["L4"]["covered"]) == (None, False)


def test_findings_of_the_golden_population(golden: dict[str, dict[str, Any]]) -> None:
    assert golden["U1"]["findings"] == []
    assert golden["U3"]["findings"] == [
        {"code": "missing_value", "subject": "va_per_emission", "value": "emissions_t"},
        {"code": "segment_mean_substituted", "subject": "va_per_emission", "value": "10.28"},
    ]
    assert golden["U5"]["findings"] == [{"code": "exempt", "subject": None, "value": "public_utility"}]
    assert golden["U6"]["findings"] == [{"code": "veto_applied", "subject": None, "value": "major_safety_accident"}]
    assert golden["L3"]["findings"] == [{"code": "not_covered", "subject": "below", "value": None}]
    assert golden["L4"]["findings"] == [{"code": "segment_undetermined", "subject": None, "value": "main_revenue_cny"}]


def test_rows_come_back_in_input_order_with_versions() -> None:
    raw = template()
    result = grade_csv_rows(raw)
    assert result["uscc"].to_list() == raw["uscc"].to_list()
    assert result.columns[:4] == ["uscc", "name", "size_class", "covered"]
    assert result.columns[-4:] == ["findings", "engine_version", "ruleset_code", "ruleset_version"]
    assert set(result["ruleset_code"]) == {"land-efficiency-zj"}


def _one_class(tax_per_mu: list[int], rules: Any = RULES, **extra: list[Any]) -> pl.DataFrame:
    """Above-size firms of 1 mu differing only in tax (every other indicator scores the same)."""
    n = len(tax_per_mu)
    data: dict[str, Any] = {
        "uscc": [f"U{i}" for i in range(n)],
        "name": [f"firm {i}" for i in range(n)],
        "main_revenue_cny": ["30000000"] * n,
        "land_area_mu": ["1"] * n,
        "tax_cny": [str(t) for t in tax_per_mu],
        "value_added_cny": ["1000000"] * n,
        "energy_tce": ["100"] * n,
        "emissions_t": ["10"] * n,
        "employees_avg": ["10"] * n,
        "rd_expense_cny": ["900000"] * n,
        "electricity_kwh": ["1000"] * n,
        "exempt_class": [""] * n,
        "veto": [""] * n,
    }
    data.update(extra)
    return grade_csv_rows(pl.DataFrame(data), rules)


def test_percentile_cut_offs_are_inclusive() -> None:
    # 20 firms with distinct totals: rank r, p = r/20; A to p = 0.25 (r 5), B to 0.70 (r 14), C to 0.95 (r 19)
    result = _one_class([1000 * (20 - i) for i in range(20)])
    grades = dict(zip(result["rank"].to_list(), result["grade"].to_list(), strict=True))
    assert [grades[r] for r in (5, 6, 14, 15, 19, 20)] == ["A", "B", "B", "C", "C", "D"]
    assert list(result["grade"].value_counts(sort=True)["count"]) == [9, 5, 5, 1]


def test_ties_share_the_better_rank() -> None:
    result = _one_class([300, 200, 200, 200, 100])
    assert result["rank"].to_list() == [1, 2, 2, 2, 5]
    # r = 2 of 5: p = 0.4 -> B for all three tied firms
    assert result["grade"].to_list() == ["A", "B", "B", "B", "D"]


def test_veto_wins_over_exemption() -> None:
    result = _one_class(
        [300, 200, 100, 50], exempt_class=["startup", "", "", ""], veto=["serious_dishonesty", "", "", ""]
    )
    # the vetoed firm leaves the graded population: N = 3, p = 1/3, 2/3, 3/3
    assert result["grade"].to_list() == ["D", "B", "B", "D"]
    codes = [f["code"] for f in result["findings"][0]]
    assert codes == ["exempt", "veto_applied"]


def test_exempt_rows_count_in_the_benchmark_but_not_in_the_ranking() -> None:
    with_exempt = _one_class([300, 100], exempt_class=["major_project_construction", ""])
    assert with_exempt["tax_per_mu_benchmark"].to_list() == [200.0, 200.0]
    assert with_exempt["rank_population"].to_list() == [None, 1]


def test_zero_emissions_are_treated_as_missing() -> None:
    result = _one_class([100, 100, 100], emissions_t=["0", "10", "20"])
    first = result.row(0, named=True)
    # VA/t 100,000 and 50,000 -> benchmark 2M/30 = 66,667; points 15 and 7.5 -> mean 11.25
    assert first["va_per_emission_points"] == Decimal("11.25")
    assert [f["code"] for f in first["findings"]] == ["ratio_undefined", "segment_mean_substituted"]


def test_negative_tax_is_floored_at_zero_points() -> None:
    result = _one_class([-100, 300])
    # benchmark (-100 + 300) / 2 mu = 100: 30 × -100/100 = -30 -> floored at 0; 30 × 300/100 = 90
    assert result["tax_per_mu_points"].to_list() == [0, 90]


def _variant(**indicator_changes: Any) -> Any:
    raw = copy.deepcopy(RAW)
    for ind in raw["indicators"]:
        ind.update(indicator_changes.get(ind["code"], {}))
    return parse_rules(raw)


def test_constant_benchmark_and_cap_multiple() -> None:
    rules = _variant(tax_per_mu={"benchmark": {"constant": 100}, "cap_multiple": 2})
    result = _one_class([50, 150, 500], rules=rules)
    # 30 × 50/100 = 15; 30 × 1.5 = 45; 30 × min(5, 2) = 60
    assert result["tax_per_mu_points"].to_list() == [15, 45, 60]
    assert result["tax_per_mu_benchmark"].to_list() == [100.0, 100.0, 100.0]


def test_as_of_outside_the_effective_period_is_refused() -> None:
    facts, _ = coerce_facts(template(), FACTS_SCHEMA, required=RULES.columns, uscc_columns=())
    with pytest.raises(RulesNotEffectiveError, match="2017-12-31"):
        grade_land_efficiency(facts, RULES, as_of=date(2017, 12, 31))
    assert grade_land_efficiency(facts, RULES, as_of=date(2024, 6, 30)).height == facts.height


def test_explanation_of_a_substituted_indicator_and_the_grade(golden: dict[str, dict[str, Any]]) -> None:
    lines = explain_row(golden["U3"], RULES)

    emission = next(line for line in lines if line.get("code") == "va_per_emission")
    assert emission["reason"] == "segment_mean_substituted"
    assert emission["points"] == "10.28"
    assert emission["missing_columns"] == ["emissions_t"]
    assert emission["benchmark"] == pytest.approx(80_000)
    assert emission["cap_source_tag"] == "U"
    assert lines[0] == {
        "kind": "segment",
        "code": "above",
        "covered": True,
        "reason": "segment_matched",
        "source_tag": "S",
    }
    grade = lines[-1]
    assert (grade["grade"], grade["rank"], grade["rank_population"], grade["reason"]) == ("D", 5, 5, "percentile")
    assert explain_row(golden["U6"], RULES)[-1]["reason"] == "veto_applied"
    assert explain_row(golden["U5"], RULES)[-1] == {
        "kind": "grade",
        "grade": "ungraded",
        "rank": None,
        "rank_population": None,
        "reason": "exempt",
        "source_tag": "S",
        "value": "public_utility",
    }
