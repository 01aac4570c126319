"""Progress, shortfall and RAG status of plan_progress, with golden cases worked by hand."""

from __future__ import annotations

import math

import polars as pl
import pytest

from industria.engines.plan_progress import (
    ForecastParams,
    PlanProgressSchemaError,
    RuleError,
    assess_plan_progress,
    parse_condition,
    parse_rag_rules,
)
from industria.engines.plan_progress.rag import condition_expr

NO_BREAKS = ForecastParams(break_years=())


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    """Engine tests run without Django (-p no:django): shadow the root conftest's settings-based autouse fixture."""


def _history(rows: dict[str, list[tuple[int, float]]]) -> pl.DataFrame:
    return pl.DataFrame(
        [(code, year, float(value)) for code, points in rows.items() for year, value in points],
        schema={"indicator_code": pl.String, "period": pl.Int64, "value": pl.Float64},
        orient="row",
    )


def _targets(*rows: dict[str, object]) -> pl.DataFrame:
    schema = {
        "indicator_code": pl.String,
        "target_kind": pl.String,
        "direction": pl.String,
        "target_year": pl.Int64,
        "target_value": pl.Float64,
        "baseline_year": pl.Int64,
        "baseline_value": pl.Float64,
    }
    filled = [{k: r.get(k, "higher_is_better" if k == "direction" else None) for k in schema} for r in rows]
    return pl.DataFrame(filled, schema=schema)


def _row(result, code: str, year: int = 2025) -> dict[str, object]:
    rows = result.progress.filter((pl.col("indicator_code") == code) & (pl.col("target_year") == year))
    assert rows.height == 1
    return rows.row(0, named=True)


def test_level_shortfall_in_unit_and_percent_with_amber_status():
    history = _history({"va": [(2023, 12000), (2024, 12200), (2025, 12350)]})
    targets = _targets({"indicator_code": "va", "target_kind": "level", "target_year": 2025, "target_value": 13000})

    row = _row(assess_plan_progress(history, None, targets, 2025), "va")

    assert row["projection_source"] == "actual"
    assert row["shortfall_value"] == pytest.approx(650.0)
    assert row["shortfall_pct"] == pytest.approx(5.0)
    assert row["gap_value"] == pytest.approx(-650.0)
    assert row["status"] == "amber"  # 12350 >= 0.9 * 13000 = 11700
    assert row["matched_rule"] == 1
    assert row["matched_when"] == "upper >= target or forecast >= 0.9 * target"


def test_on_track_level_has_zero_shortfall_and_green():
    history = _history({"va": [(2025, 13100)]})
    targets = _targets({"indicator_code": "va", "target_kind": "level", "target_year": 2025, "target_value": 13000})

    row = _row(assess_plan_progress(history, None, targets, 2025), "va")

    assert row["shortfall_value"] == 0.0
    assert row["shortfall_pct"] == 0.0
    assert row["status"] == "green"


def test_lower_is_better_level_shortfall():
    history = _history({"energy": [(2024, 0.6), (2025, 0.55)]})
    targets = _targets(
        {
            "indicator_code": "energy",
            "target_kind": "level",
            "direction": "lower_is_better",
            "target_year": 2025,
            "target_value": 0.5,
        }
    )

    row = _row(assess_plan_progress(history, None, targets, 2025), "energy")

    assert row["shortfall_value"] == pytest.approx(0.05)
    assert row["shortfall_pct"] == pytest.approx(10.0)
    assert row["attainment_pct"] == pytest.approx(0.5 / 0.55 * 100)
    assert row["status"] == "amber"  # 0.55 <= 1.1 * 0.5


def test_progress_attainment_and_elapsed_worked_by_hand():
    history = _history({"va": [(2022, 10000), (2023, 10700), (2024, 11500)]})
    targets = _targets(
        {
            "indicator_code": "va",
            "target_kind": "level",
            "target_year": 2025,
            "target_value": 13000,
            "baseline_year": 2022,
        }
    )

    row = _row(assess_plan_progress(history, None, targets, 2024, params=NO_BREAKS), "va")

    assert row["baseline_value"] == 10000.0  # read from the actual of the baseline year
    assert row["progress_pct"] == pytest.approx(50.0)  # (11500 - 10000) / (13000 - 10000)
    assert row["attainment_pct"] == pytest.approx(11500 / 13000 * 100)
    assert row["elapsed_pct"] == pytest.approx(200 / 3)
    assert row["years_left"] == 1.0
    assert row["projection_source"] == "forecast"


def test_growth_rate_target_compares_compound_annual_growth_from_the_baseline():
    # Baseline 2022 = 100, actual 2025 = 112: CAGR = 1.12 ** (1/3) - 1 = 3.8498 % against a 5 % target.
    history = _history({"inv": [(2022, 100), (2025, 112)]})
    targets = _targets(
        {
            "indicator_code": "inv",
            "target_kind": "growth_rate",
            "target_year": 2025,
            "target_value": 5.0,
            "baseline_year": 2022,
        }
    )

    row = _row(assess_plan_progress(history, None, targets, 2025), "inv")

    cagr = (1.12 ** (1 / 3) - 1) * 100
    required = 100 * 1.05**3  # 115.7625
    assert row["projected_rate_pct"] == pytest.approx(cagr)
    assert cagr == pytest.approx(3.8498, abs=1e-4)
    assert row["required_value"] == pytest.approx(115.7625)
    assert row["shortfall_value"] == pytest.approx(required - 112)  # 3.7625, in the indicator's unit
    assert row["shortfall_pct"] == pytest.approx((required - 112) / required * 100)  # 3.2502 %
    assert row["progress_pct"] == pytest.approx(0.12 / (1.05**3 - 1) * 100)  # 76.13 % of the growth needed
    assert row["compare_forecast"] == pytest.approx(cagr)
    assert row["compare_target"] == 5.0
    assert row["status"] == "red"  # 3.85 < 0.8 * 5 and the interval is the actual itself


def test_growth_rate_on_a_level_series_uses_the_forecast_when_the_end_year_is_ahead():
    history = _history({"inv": [(2022, 100), (2023, 104), (2024, 108.16)]})
    targets = _targets(
        {
            "indicator_code": "inv",
            "target_kind": "growth_rate",
            "target_year": 2025,
            "target_value": 5.0,
            "baseline_year": 2022,
        }
    )

    row = _row(assess_plan_progress(history, None, targets, 2024, params=NO_BREAKS), "inv")

    assert row["projected_value"] == pytest.approx(112.4864)
    assert row["projected_rate_pct"] == pytest.approx(4.0)
    assert row["realised_rate_pct"] == pytest.approx(4.0)
    assert row["projected_rate_lower_pct"] < 4.0 < row["projected_rate_upper_pct"]
    assert row["status"] == "amber"


def test_growth_rate_on_a_yoy_rate_series_is_the_geometric_mean_of_the_yearly_rates():
    history = _history({"inv": [(2023, 4.0), (2024, 6.0), (2025, 5.0)]})
    specs = pl.DataFrame({"indicator_code": ["inv"], "value_kind": ["rate"]})
    targets = _targets(
        {
            "indicator_code": "inv",
            "target_kind": "growth_rate",
            "target_year": 2025,
            "target_value": 5.0,
            "baseline_year": 2022,
        }
    )

    row = _row(assess_plan_progress(history, None, targets, 2025, specs=specs), "inv")

    mean = (math.exp((math.log(1.04) + math.log(1.06) + math.log(1.05)) / 3) - 1) * 100  # 4.99672 %
    assert row["projected_rate_pct"] == pytest.approx(mean)
    assert row["shortfall_value"] == pytest.approx(5 - mean)  # in percentage points
    assert row["shortfall_pct"] == pytest.approx((5 - mean) / 5 * 100)
    assert row["progress_pct"] == pytest.approx((1.04 * 1.06 * 1.05 - 1) / (1.05**3 - 1) * 100)
    assert row["status"] == "amber"


def test_growth_rate_on_a_rate_series_fills_missing_years_with_the_forecast():
    history = _history({"inv": [(2016, 2.0), (2017, 4.0), (2018, 6.0), (2023, 10.0)]})
    specs = pl.DataFrame({"indicator_code": ["inv"], "value_kind": ["rate"]})
    targets = _targets(
        {
            "indicator_code": "inv",
            "target_kind": "growth_rate",
            "target_year": 2025,
            "target_value": 5.0,
            "baseline_year": 2022,
        }
    )

    result = assess_plan_progress(history, None, targets, 2023, specs=specs, params=NO_BREAKS)
    row = _row(result, "inv")

    fc = result.forecast.forecast.get_column("point").to_list()
    assert len(fc) == 2
    expected = (math.exp((math.log1p(0.10) + math.log1p(fc[0] / 100) + math.log1p(fc[1] / 100)) / 3) - 1) * 100
    assert row["projected_rate_pct"] == pytest.approx(expected, rel=1e-8)
    assert row["realised_rate_pct"] == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("values", "expected_direction", "expected_status"),
    [
        ([0.50, 0.48], "improving", "green"),
        ([0.50, 0.52], "worsening", "red"),
        ([0.500, 0.501], "flat", "amber"),
    ],
)
def test_direction_only_shows_the_sign_of_the_change_given_the_direction(values, expected_direction, expected_status):
    history = _history({"energy": [(2023, values[0]), (2024, values[1])]})
    targets = _targets(
        {
            "indicator_code": "energy",
            "target_kind": "direction_only",
            "direction": "lower_is_better",
            "target_year": 2025,
        }
    )

    row = _row(assess_plan_progress(history, None, targets, 2024), "energy")

    assert row["change_pct"] == pytest.approx((values[1] - values[0]) / values[0] * 100)
    assert row["direction_of_change"] == expected_direction
    assert row["status"] == expected_status
    assert row["shortfall_value"] is None
    assert row["target_value"] is None


def test_direction_only_higher_is_better_flips_the_sign():
    history = _history({"share": [(2023, 40.0), (2024, 41.0)]})
    targets = _targets({"indicator_code": "share", "target_kind": "direction_only", "target_year": 2025})

    row = _row(assess_plan_progress(history, None, targets, 2024), "share")

    assert row["direction_score"] == 1
    assert row["direction_of_change"] == "improving"


def test_rag_rules_first_match_wins():
    history = _history({"va": [(2025, 14000)]})
    targets = _targets({"indicator_code": "va", "target_kind": "level", "target_year": 2025, "target_value": 13000})
    amber_first = parse_rag_rules(
        [
            {"status": "amber", "when": "forecast >= 0.5 * target"},
            {"status": "green", "when": "forecast >= target"},
            {"status": "red", "when": True},
        ]
    )
    green_first = parse_rag_rules([amber_first.as_data()[1], amber_first.as_data()[0], amber_first.as_data()[2]])

    a = _row(assess_plan_progress(history, None, targets, 2025, rules={"va": amber_first}), "va")
    b = _row(assess_plan_progress(history, None, targets, 2025, rules={"va": green_first}), "va")

    assert (a["status"], a["matched_rule"], a["rule_source"]) == ("amber", 0, "indicator")
    assert (b["status"], b["matched_rule"]) == ("green", 0)


def test_no_rule_matched_leaves_the_status_empty_with_a_reason():
    history = _history({"va": [(2025, 100)]})
    targets = _targets({"indicator_code": "va", "target_kind": "level", "target_year": 2025, "target_value": 13000})
    rules = {"va": parse_rag_rules([{"status": "green", "when": "forecast >= target"}])}

    row = _row(assess_plan_progress(history, None, targets, 2025, rules=rules), "va")

    assert row["status"] is None
    assert row["status_reason"] == "no_rule_matched"


def test_aspirational_targets_have_no_status_but_show_progress():
    history = _history({"robots": [(2024, 300), (2025, 330)]})
    targets = _targets(
        {"indicator_code": "robots", "target_kind": "aspirational", "target_year": 2025, "target_value": 360}
    )

    row = _row(assess_plan_progress(history, None, targets, 2025), "robots")

    assert row["status"] is None
    assert row["status_reason"] == "aspirational"
    assert row["shortfall_value"] == pytest.approx(30.0)
    assert row["attainment_pct"] == pytest.approx(330 / 360 * 100)


def test_missing_data_gives_no_status():
    history = _history({"other": [(2024, 1.0)]})
    targets = _targets(
        {"indicator_code": "robots", "target_kind": "level", "target_year": 2025, "target_value": 360},
        {"indicator_code": "other", "target_kind": "level", "target_year": 2023, "target_value": 1.0},
    )

    result = assess_plan_progress(history, None, targets, 2025)

    robots, other = _row(result, "robots"), _row(result, "other", 2023)
    assert (robots["status"], robots["status_reason"]) == (None, "no_projection")
    assert (other["status"], other["status_reason"], other["projection_source"]) == (None, "no_projection", "none")


def test_a_gap_year_target_uses_the_fitted_line_between_actuals():
    history = _history({"va": [(2021, 100.0), (2022, 110.0), (2024, 133.1)]})
    targets = _targets({"indicator_code": "va", "target_kind": "level", "target_year": 2023, "target_value": 120})

    row = _row(assess_plan_progress(history, None, targets, 2025, params=NO_BREAKS), "va", 2023)

    assert row["projection_source"] == "model"
    assert row["projected_value"] == pytest.approx(121.0)
    assert row["status"] == "green"


def test_one_indicator_alone_gives_the_same_row_as_inside_a_big_frame():
    history = _history(
        {
            "va": [(2019, 9000), (2021, 10700), (2023, 11800), (2024, 12100)],
            "share": [(2021, 40.0), (2023, 43.9), (2024, 43.6)],
            "robots": [(2024, 300)],
        }
    )
    specs = pl.DataFrame({"indicator_code": ["va", "share", "robots"], "value_kind": ["level", "ratio", "level"]})
    targets = _targets(
        {"indicator_code": "va", "target_kind": "level", "target_year": 2025, "target_value": 13000},
        {"indicator_code": "share", "target_kind": "ratio", "target_year": 2025, "target_value": 45},
        {"indicator_code": "robots", "target_kind": "aspirational", "target_year": 2025, "target_value": 360},
    )

    big = assess_plan_progress(history, None, targets, 2024, specs=specs).progress
    alone = assess_plan_progress(
        history.filter(pl.col("indicator_code") == "share"),
        None,
        targets.filter(pl.col("indicator_code") == "share"),
        2024,
        specs=specs.filter(pl.col("indicator_code") == "share"),
    ).progress

    assert big.filter(pl.col("indicator_code") == "share").equals(alone)


def test_targets_schema_errors_are_loud():
    history = _history({"va": [(2024, 1.0)]})

    with pytest.raises(PlanProgressSchemaError, match="target_value"):
        assess_plan_progress(
            history, None, _targets({"indicator_code": "va", "target_kind": "level", "target_year": 2025}), 2024
        )
    with pytest.raises(PlanProgressSchemaError, match="baseline_year"):
        assess_plan_progress(
            history,
            None,
            _targets({"indicator_code": "va", "target_kind": "growth_rate", "target_year": 2025, "target_value": 5.0}),
            2024,
        )
    with pytest.raises(PlanProgressSchemaError, match="target_kind"):
        assess_plan_progress(
            history,
            None,
            _targets({"indicator_code": "va", "target_kind": "stretch", "target_year": 2025, "target_value": 5.0}),
            2024,
        )


def test_rule_errors_name_the_field_path():
    with pytest.raises(RuleError, match=r"rag_rules\[1\]\.when: unknown variable 'forcast'"):
        parse_rag_rules([{"status": "green", "when": "true"}, {"status": "red", "when": "forcast > 1"}])
    with pytest.raises(RuleError, match=r"rag_rules\[0\]\.status"):
        parse_rag_rules([{"status": "blue", "when": "true"}])
    with pytest.raises(RuleError, match="unexpected character"):
        parse_condition("__import__('os').system('x')")
    with pytest.raises(RuleError, match="comparison operator"):
        parse_condition("forecast")


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("forecast >= 0.9 * target", [True, True, False, False]),
        ("upper >= target or forecast > target and forecast < 0", [True, True, False, True]),
        ("(upper >= target or forecast > target) and forecast < 0", [False, False, False, False]),
        ("not forecast < target", [True, False, False, False]),
        ("not (forecast < target and upper < 300)", [True, True, False, True]),
        ("forecast - -1 == target + 1 - 1 + 1", [False, False, False, False]),
        ("(forecast - baseline) / (target - baseline) >= 0.5", [True, True, False, False]),
        ("true", [True, True, True, True]),
    ],
)
def test_condition_language_precedence_and_nulls(condition, expected):
    frame = pl.DataFrame(
        {
            "f": [1200.0, 950.0, 100.0, None],
            "u": [1300.0, 1000.0, 200.0, 5000.0],
            "t": [1000.0, 1000.0, 1000.0, 1000.0],
            "b": [0.0, 0.0, 0.0, 0.0],
        }
    )
    columns = {"forecast": "f", "upper": "u", "target": "t", "baseline": "b"}

    got = frame.select(condition_expr(parse_condition(condition), columns).alias("c")).get_column("c").to_list()

    if len(got) == 1:
        got = got * 4
    assert got == expected
