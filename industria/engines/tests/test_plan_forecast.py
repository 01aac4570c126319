"""Forecast engine of plan_progress: exactness, intervals, as_of cut-off, breaks, short series, batch parity."""

from __future__ import annotations

import datetime as dt
import math

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industria.engines.plan_progress import (
    ENGINE_VERSION,
    ForecastParams,
    PlanProgressSchemaError,
    forecast_indicator,
    forecast_indicators,
    parse_forecast_params,
)


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    """Engine tests run without Django (-p no:django): shadow the root conftest's settings-based autouse fixture."""


def _history(years: list[int], values: list[float], **extra: list[object]) -> pl.DataFrame:
    return pl.DataFrame({"period": years, "value": [float(v) for v in values], **extra})


def _exponential(start: int, end: int, base: float = 100.0, growth: float = 0.05) -> pl.DataFrame:
    years = list(range(start, end + 1))
    return _history(years, [base * (1 + growth) ** (y - start) for y in years])


def test_forecast_of_exact_exponential_series_recovers_it():
    history = _exponential(2013, 2019)

    result = forecast_indicator(history, None, 2019, end_year=2025, params=ForecastParams(break_years=()))

    expected = [100 * 1.05 ** (y - 2013) for y in range(2020, 2026)]
    assert result.forecast.get_column("year").to_list() == list(range(2020, 2026))
    assert result.forecast.get_column("point").to_list() == pytest.approx(expected, abs=1e-5)
    assert result.method == "wls_trend"
    assert result.explanation()["growth_rate_pct"] == pytest.approx(5.0)


def test_forecast_of_exact_logistic_ratio_recovers_it():
    years = list(range(2016, 2023))
    shares = [100 / (1 + math.exp(-(-1.0 + 0.2 * (y - 2016)))) for y in years]

    result = forecast_indicator(
        _history(years, shares), None, 2022, end_year=2025, value_kind="ratio", params=ForecastParams(break_years=())
    )

    expected = [100 / (1 + math.exp(-(-1.0 + 0.2 * (y - 2016)))) for y in range(2023, 2026)]
    assert result.forecast.get_column("point").to_list() == pytest.approx(expected, abs=1e-5)
    assert result.fits.item(0, "transform") == "logit"


def test_intervals_contain_the_point_and_widen_with_horizon():
    history = _history(list(range(2012, 2020)), [100, 106, 109, 117, 120, 128, 131, 140])

    fc = forecast_indicator(history, None, 2019, end_year=2025).forecast

    assert (fc["lower"] < fc["point"]).all()
    assert (fc["point"] < fc["upper"]).all()
    spread = (fc["upper"] / fc["lower"]).to_list()
    assert all(b > a for a, b in zip(spread, spread[1:], strict=False))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=st.lists(st.floats(min_value=1.0, max_value=1e6), min_size=1, max_size=12),
    kind=st.sampled_from(["level", "count", "ratio", "rate"]),
)
def test_intervals_contain_point_and_never_narrow_for_any_series(values, kind):
    if kind == "ratio":
        values = [v % 100 for v in values]
    years = list(range(2024 - len(values) + 1, 2025))

    fc = forecast_indicator(_history(years, values), None, 2024, end_year=2028, value_kind=kind).forecast

    assert fc.height == 4
    assert (fc["lower"] <= fc["point"] + 1e-9).all()
    assert (fc["point"] <= fc["upper"] + 1e-9).all()
    if kind == "level":
        width = (fc["upper"].log() - fc["lower"].log()).to_list()
    elif kind == "count":  # a lower bound clipped at zero can shrink the interval of a count heading to zero
        fc = fc.filter(pl.col("lower") > 0)
        width = (fc["upper"].log1p() - fc["lower"].log1p()).to_list()
    elif kind == "rate":
        width = (fc["upper"] - fc["lower"]).to_list()
    else:  # away from saturation, where 10 significant digits cannot resolve the logit any more
        share = fc.filter((pl.col("lower") > 0.1) & (pl.col("upper") < 99.9)).select(
            pl.col("upper") / 100, pl.col("lower") / 100
        )
        width = (
            (share["upper"] / (1 - share["upper"])).log() - (share["lower"] / (1 - share["lower"])).log()
        ).to_list()
    assert all(b >= a - 1e-7 * max(1.0, abs(a)) for a, b in zip(width, width[1:], strict=False))


def test_as_of_cuts_off_later_data():
    history = _exponential(2012, 2024)
    changed_future = history.with_columns(
        value=pl.when(pl.col("period") > 2020).then(pl.col("value") * 3).otherwise(pl.col("value"))
    )

    a = forecast_indicator(history, None, 2020, end_year=2025)
    b = forecast_indicator(changed_future, None, dt.date(2020, 12, 31), end_year=2025)

    assert a.fits.item(0, "last_year") == 2020
    assert a.forecast.equals(b.forecast)
    assert a.actuals.get_column("year").max() == 2020


def test_as_of_mid_year_excludes_that_years_annual_value():
    history = _exponential(2015, 2023)

    result = forecast_indicator(history, None, dt.date(2023, 6, 30), end_year=2025)

    assert result.fits.item(0, "last_year") == 2022
    assert result.forecast.get_column("year").to_list() == [2023, 2024, 2025]


def test_vintage_published_after_as_of_is_ignored_and_latest_known_vintage_wins():
    history = pl.DataFrame(
        {
            "period": [2021, 2022, 2022],
            "value": [100.0, 105.0, 120.0],
            "published_on": [dt.date(2022, 1, 20), dt.date(2023, 1, 20), dt.date(2024, 3, 1)],
        }
    )

    before = forecast_indicator(history, None, dt.date(2023, 6, 30), end_year=2024)
    after = forecast_indicator(history, None, dt.date(2024, 6, 30), end_year=2024)

    assert before.fits.item(0, "last_value") == 105.0
    assert after.fits.item(0, "last_value") == 120.0


def test_break_years_are_excluded_so_the_trend_is_recovered():
    history = _exponential(2014, 2024).with_columns(
        value=pl.when(pl.col("period").is_in([2020, 2022])).then(pl.col("value") * 0.85).otherwise(pl.col("value"))
    )

    result = forecast_indicator(history, None, 2024, end_year=2025)

    assert result.forecast.item(0, "point") == pytest.approx(100 * 1.05**11, abs=1e-5)
    fit = result.explanation()
    assert fit["excluded_years"] == [2020, 2022]
    assert fit["break_years"] == [2020, 2022]
    assert "break_years_excluded" in fit["findings"]


def test_last_actual_in_break_year_does_not_drag_the_forecast():
    history = _exponential(2014, 2022).with_columns(
        value=pl.when(pl.col("period") == 2022).then(pl.col("value") * 0.8).otherwise(pl.col("value"))
    )

    result = forecast_indicator(history, None, 2022, end_year=2023)

    assert result.forecast.item(0, "point") == pytest.approx(100 * 1.05**9, abs=1e-5)
    assert "last_actual_in_break_year" in result.explanation()["findings"]


def test_rate_series_also_drop_the_rebound_year_after_a_break():
    history = _history([2017, 2018, 2019, 2020, 2021, 2022, 2023], [5.0, 5.0, 5.0, -10.0, 20.0, -5.0, 15.0])

    result = forecast_indicator(history, None, 2023, end_year=2024, value_kind="rate")

    assert result.method == "weighted_mean"
    assert result.explanation()["excluded_years"] == [2020, 2021, 2022, 2023]
    assert result.forecast.item(0, "point") == pytest.approx(5.0)


def test_break_weight_downweights_instead_of_excluding():
    history = _exponential(2014, 2024).with_columns(
        value=pl.when(pl.col("period") == 2020).then(pl.col("value") * 0.85).otherwise(pl.col("value"))
    )

    result = forecast_indicator(history, None, 2024, end_year=2025, params=ForecastParams(break_weight=0.25))

    fit = result.explanation()
    assert fit["excluded_years"] == []
    assert "break_years_downweighted" in fit["findings"]
    assert result.forecast.item(0, "point") < 100 * 1.05**11


def test_short_series_keep_their_break_years():
    history = _history([2020, 2021], [90.0, 110.0])

    result = forecast_indicator(history, None, 2021, end_year=2023)

    assert result.method == "two_point_growth"
    assert "break_years_kept_short_series" in result.explanation()["findings"]


def test_one_point_gives_a_flat_forecast_with_a_prior_interval_that_widens():
    result = forecast_indicator(_history([2023], [50.0]), None, 2023, end_year=2025)

    fc = result.forecast
    assert result.method == "last_value"
    assert fc.get_column("point").to_list() == [50.0, 50.0]
    assert fc.item(1, "upper") - fc.item(1, "lower") > fc.item(0, "upper") - fc.item(0, "lower")
    assert {"single_point_flat", "prior_sigma_used"} <= set(result.explanation()["findings"])


def test_two_points_continue_their_compound_growth():
    result = forecast_indicator(_history([2023, 2024], [100.0, 110.0]), None, 2024, end_year=2025)

    assert result.method == "two_point_growth"
    assert result.forecast.item(0, "point") == pytest.approx(121.0)
    assert result.fits.item(0, "sigma_source") == "prior"


def test_three_points_use_the_regression_with_one_degree_of_freedom():
    result = forecast_indicator(_history([2021, 2023, 2024], [100.0, 112.0, 118.0]), None, 2024, end_year=2025)

    fit = result.explanation()
    assert fit["method"] == "wls_trend"
    assert fit["df"] == 1
    assert fit["quantile"] == pytest.approx(3.0777, abs=1e-4)


def test_ratio_forecast_stays_inside_zero_and_hundred():
    history = _history(list(range(2016, 2025)), [60, 68, 75, 81, 86, 90, 93, 95, 97], status=["published"] * 9)

    fc = forecast_indicator(history, None, 2024, end_year=2030, value_kind="ratio").forecast

    assert (fc["upper"] < 100).all()
    assert (fc["lower"] > 0).all()
    assert (fc["point"] > 97).all()


def test_count_forecast_never_goes_negative():
    history = _history(list(range(2018, 2025)), [9, 7, 6, 4, 3, 2, 1])

    fc = forecast_indicator(history, None, 2024, end_year=2028, value_kind="count").forecast

    assert (fc["lower"] >= 0).all()
    assert (fc["point"] >= 0).all()


def test_pipeline_increment_is_added_to_point_and_bounds():
    history = _exponential(2013, 2019)
    pipeline = pl.DataFrame({"year": [2021, 2021, 2030], "value_increment": [3.0, 2.0, 99.0]})

    base = forecast_indicator(history, None, 2019, end_year=2021).forecast
    with_pipe = forecast_indicator(history, pipeline, 2019, end_year=2021).forecast

    assert with_pipe.get_column("pipeline_increment").to_list() == [0.0, 5.0]
    for col in ("point", "lower", "upper"):
        assert with_pipe.item(1, col) == pytest.approx(base.item(1, col) + 5.0)
    assert with_pipe.item(1, "trend_point") == pytest.approx(base.item(1, "point"))


def test_estimated_values_are_downweighted_and_flagged():
    history = _history([2020, 2021, 2022, 2023], [10.0, 11.0, 12.0, 13.0], status=["published"] * 3 + ["estimated"])

    result = forecast_indicator(history, None, 2023, end_year=2024, params=ForecastParams(break_years=()))

    assert "values_downweighted" in result.explanation()["findings"]


def test_invalid_values_are_dropped_with_a_finding():
    history = _history([2020, 2021, 2022, 2023], [-1.0, 11.0, 12.0, 13.0])

    result = forecast_indicator(history, None, 2023, end_year=2024, params=ForecastParams(break_years=()))

    assert result.fits.item(0, "n_points") == 3
    assert "invalid_values_dropped" in result.explanation()["findings"]


def _panel() -> tuple[pl.DataFrame, pl.DataFrame]:
    frames = []
    for i, code in enumerate(["a", "b", "c", "d"]):
        years = list(range(2014 + i, 2025))
        frames.append(
            pl.DataFrame(
                {
                    "indicator_code": code,
                    "period": years,
                    "value": [10.0 * (1.03 + 0.01 * i) ** (y - 2014) + (y % 3) for y in years],
                    "status": "published",
                }
            )
        )
    specs = pl.DataFrame({"indicator_code": ["a", "b", "c", "d"], "value_kind": ["level", "count", "ratio", "rate"]})
    return pl.concat(frames), specs


def test_batch_over_many_indicators_equals_one_call_per_indicator():
    history, specs = _panel()

    batch = forecast_indicators(history, None, 2024, end_year=2026, specs=specs)

    for code, kind in specs.iter_rows():
        single = forecast_indicator(
            history.filter(pl.col("indicator_code") == code), None, 2024, end_year=2026, value_kind=kind
        )
        assert batch.forecast.filter(pl.col("indicator_code") == code).equals(single.forecast)
        assert batch.fits.filter(pl.col("indicator_code") == code).equals(single.fits)


def test_shuffling_history_rows_changes_nothing():
    history, specs = _panel()

    a = forecast_indicators(history, None, 2024, end_year=2026, specs=specs)
    b = forecast_indicators(history.sample(fraction=1.0, shuffle=True, seed=7), None, 2024, end_year=2026, specs=specs)

    assert a.forecast.equals(b.forecast)
    assert a.fits.equals(b.fits)


def test_indicator_without_history_before_as_of_gets_no_forecast_and_a_finding():
    history = pl.DataFrame({"indicator_code": ["x", "y"], "period": [2020, 2026], "value": [1.0, 2.0]})

    result = forecast_indicators(history, None, 2024, end_year=2025)

    assert result.forecast.get_column("indicator_code").unique().to_list() == ["x"]
    fit_y = result.explanation("y")
    assert fit_y["method"] == "none"
    assert "no_history" in fit_y["findings"]


def test_explanation_carries_codes_params_and_version():
    result = forecast_indicator(_exponential(2015, 2020), None, 2020, end_year=2022)

    explanation = result.explanation()

    assert explanation["engine_version"] == ENGINE_VERSION
    assert explanation["params"]["interval_level"] == 0.8
    assert explanation["params"]["break_years"] == [2020, 2022]
    assert explanation["as_of"] == "2020-12-31"
    assert all(isinstance(code, str) and code.isidentifier() for code in explanation["findings"])


def test_missing_columns_fail_loudly_with_their_names():
    with pytest.raises(PlanProgressSchemaError, match=r"history\.value: missing"):
        forecast_indicator(pl.DataFrame({"period": [2020]}), None, 2020, end_year=2021)


def test_unknown_status_fails_loudly():
    history = _history([2020], [1.0], status=["guessed"])

    with pytest.raises(PlanProgressSchemaError, match="status"):
        forecast_indicator(history, None, 2020, end_year=2021)


def test_params_parse_from_data_and_reject_unknown_keys():
    params = parse_forecast_params({"break_years": [2020], "status_weights": dict(ForecastParams().status_weights)})

    assert params.break_years == (2020,)
    with pytest.raises(PlanProgressSchemaError, match="unknown keys"):
        parse_forecast_params({"brake_years": [2020]})
    with pytest.raises(PlanProgressSchemaError, match="interval_level"):
        ForecastParams(interval_level=1.5)


def test_interval_level_changes_the_width():
    history = _history(list(range(2012, 2020)), [100, 106, 109, 117, 120, 128, 131, 140])

    narrow = forecast_indicator(history, None, 2019, end_year=2020, params=ForecastParams(interval_level=0.5))
    wide = forecast_indicator(history, None, 2019, end_year=2020, params=ForecastParams(interval_level=0.95))

    width = {n: r.forecast.item(0, "upper") - r.forecast.item(0, "lower") for n, r in (("n", narrow), ("w", wide))}
    assert width["w"] > width["n"]
