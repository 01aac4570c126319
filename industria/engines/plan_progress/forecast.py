"""Forecast annual indicator values to the plan's end year, with an interval and an explanation.

Method (docs/engines/plan_progress.md §2):

1. History is cut at ``as_of`` (period and, when given, vintage ``published_on``), reduced to one value per
   calendar year (latest period, then latest vintage, then best status) and limited to the last
   ``max_history_years`` years (and to ``since_year`` for series with a change of scope).
2. Values are transformed by value kind: ``log`` for levels, ``log1p`` for counts, ``logit`` of the share for
   ratios (bounded 0-100 %), identity for year-on-year rates.
3. A weighted least-squares line is fitted to the transformed values (a weighted mean for rates, which
   revert rather than trend). Weights: status (estimated figures count half), recency (half-life in years)
   and structural breaks: the break years (2020 COVID, 2022 Shanghai lockdown) get weight 0, which is the
   same fit as giving each its own dummy. Rates also drop the rebound year after a break (base effect).
   Short series keep their break years rather than lose the fit.
4. The point forecast is the line (optionally damped, ``trend_damping``) plus the last residual decaying
   with ``residual_persistence ** h``, so the forecast starts near the latest figure and returns to the trend.
5. The interval is the regression prediction interval, Student t with n - p degrees of freedom,
   ``sigma**2 * (1 + 1/W + (h - t_bar)**2 / S_tt)``, so it contains the point and widens with the horizon.
   Residual sigma has a floor; series too short to estimate sigma (one or two fitted points) use a
   prior sigma growing like a random walk from the last fitted year, ``prior**2 * (h - t_last_fit)``.
6. The pipeline increment (expected contribution of key projects, already probability-weighted) is added
   to the point and both bounds of its year, on the indicator's own scale.

One code path serves one indicator or hundreds: every step is a Polars expression over the whole frame;
the only Python loop is over the distinct degrees of freedom when looking up t quantiles.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl

from industria.engines.plan_progress.distributions import student_t_quantile
from industria.engines.plan_progress.history import SINGLE_INDICATOR, annual_actuals
from industria.engines.plan_progress.params import ForecastParams
from industria.engines.plan_progress.schema import (
    ENGINE_VERSION,
    HISTORY_OPTIONAL,
    HISTORY_REQUIRED,
    PIPELINE_OPTIONAL,
    PIPELINE_REQUIRED,
    PlanProgressSchemaError,
    as_of_date,
    check_frame,
)

TRANSFORMS = {"level": "log", "count": "log1p", "ratio": "logit", "rate": "identity"}
METHODS = ("wls_trend", "two_point_growth", "weighted_mean", "last_value", "none")


@dataclass(frozen=True)
class ForecastResult:
    """Forecast rows (indicator x future year), one explanation row per indicator, and the actuals used."""

    forecast: pl.DataFrame
    fits: pl.DataFrame
    actuals: pl.DataFrame
    as_of: dt.date
    end_year: int
    params: ForecastParams
    engine_version: str = ENGINE_VERSION

    @property
    def method(self) -> str:
        """The method code of a single-indicator result."""
        if self.fits.height != 1:
            raise ValueError("method is defined for a single-indicator result; read fits['method'] instead")
        return str(self.fits.item(0, "method"))

    def explanation(self, indicator_code: str | None = None) -> dict[str, object]:
        """Codes and parameters explaining one indicator's forecast (no translated text)."""
        rows = self.fits if indicator_code is None else self.fits.filter(pl.col("indicator_code") == indicator_code)
        if rows.height != 1:
            raise ValueError(f"explanation needs exactly one indicator, found {rows.height}")
        return {
            **rows.row(0, named=True),
            "as_of": self.as_of.isoformat(),
            "end_year": self.end_year,
            "params": self.params.as_dict(),
            "engine_version": self.engine_version,
        }


def forecast_indicator(
    history: pl.DataFrame,
    pipeline: pl.DataFrame | None,
    as_of: dt.date | int,
    *,
    end_year: int,
    value_kind: str = "level",
    since_year: int | None = None,
    params: ForecastParams | None = None,
) -> ForecastResult:
    """Forecast one indicator from its history (period, value, status) to ``end_year``; see module doc."""
    check_frame(history, "history", HISTORY_REQUIRED, HISTORY_OPTIONAL)
    code = SINGLE_INDICATOR
    if "indicator_code" in history.columns:
        codes = history.get_column("indicator_code").cast(pl.String).unique().drop_nulls().to_list()
        if len(codes) > 1:
            raise PlanProgressSchemaError(f"history.indicator_code: {len(codes)} indicators; use forecast_indicators")
        code = codes[0] if codes else SINGLE_INDICATOR
    history = history.with_columns(indicator_code=pl.lit(code))
    if pipeline is not None and "indicator_code" not in pipeline.columns:
        pipeline = pipeline.with_columns(indicator_code=pl.lit(code))
    specs = pl.DataFrame(
        {"indicator_code": [code], "value_kind": [value_kind], "since_year": [since_year]},
        schema={"indicator_code": pl.String, "value_kind": pl.String, "since_year": pl.Int64},
    )
    return forecast_indicators(history, pipeline, as_of, end_year=end_year, specs=specs, params=params)


def forecast_indicators(
    history: pl.DataFrame,
    pipeline: pl.DataFrame | None,
    as_of: dt.date | int,
    *,
    end_year: int,
    specs: pl.DataFrame | None = None,
    params: ForecastParams | None = None,
) -> ForecastResult:
    """Forecast every indicator in ``history`` (grouped by indicator_code) to ``end_year`` in one pass."""
    params = params or ForecastParams()
    cutoff = as_of_date(as_of)
    actuals, codes = annual_actuals(history, cutoff, specs=specs, params=params)
    points = _fit_points(actuals, params)
    fits = _fit(points, codes, cutoff, end_year, params)
    forecast = _project(fits, end_year, params)
    forecast = _add_pipeline(forecast, pipeline, codes, params)
    fits = fits.select(_FIT_COLUMNS)
    return ForecastResult(forecast, fits, actuals, cutoff, end_year, params)


def _transform(kind: pl.Expr, value: pl.Expr, clip_pct: float) -> pl.Expr:
    share = value.clip(clip_pct, 100.0 - clip_pct) / 100.0
    return (
        pl.when(kind == "level")
        .then(value.log())
        .when(kind == "count")
        .then(value.log1p())
        .when(kind == "ratio")
        .then((share / (1.0 - share)).log())
        .otherwise(value)
    )


def _inverse(kind: pl.Expr, z: pl.Expr) -> pl.Expr:
    return (
        pl.when(kind == "level")
        .then(z.exp())
        .when(kind == "count")
        .then((z.exp() - 1.0).clip(lower_bound=0.0))
        .when(kind == "ratio")
        .then(100.0 / (1.0 + (-z).exp()))
        .otherwise(z)
    )


def _fit_points(actuals: pl.DataFrame, params: ForecastParams) -> pl.DataFrame:
    """Windowed, transformed and weighted points: the rows the fit sees (weight 0 = excluded)."""
    breaks = list(params.break_years)
    rebounds = [y + 1 for y in breaks] if params.exclude_rebound_years_for_rates else []
    year, code = pl.col("year"), pl.col("indicator_code")
    pts = actuals.filter(pl.col("since_year").is_null() | (year >= pl.col("since_year")))
    pts = pts.with_columns(last_year=year.max().over(code))
    pts = pts.filter(year > pl.col("last_year") - params.max_history_years)
    is_break = year.is_in(breaks) | ((pl.col("value_kind") == "rate") & year.is_in(rebounds))
    recency = (
        pl.lit(1.0)
        if params.recency_halflife_years is None
        else pl.lit(0.5).pow((pl.col("last_year") - year) / params.recency_halflife_years)
    )
    pts = pts.with_columns(
        z=_transform(pl.col("value_kind"), pl.col("value"), params.ratio_clip_pct),
        is_break=is_break,
        t=(year - pl.col("last_year")).cast(pl.Float64),
        w_status=pl.col("status").replace_strict(dict(params.status_weights), return_dtype=pl.Float64),
        w_recency=recency,
    )
    pts = pts.with_columns(keep_breaks=(~pl.col("is_break")).sum().over(code) < 2)
    damp = pl.when(pl.col("is_break") & ~pl.col("keep_breaks")).then(params.break_weight).otherwise(1.0)
    return pts.with_columns(w=damp * pl.col("w_status") * pl.col("w_recency"))


def _fit(
    points: pl.DataFrame, codes: pl.DataFrame, cutoff: dt.date, end_year: int, params: ForecastParams
) -> pl.DataFrame:
    """One row per indicator: method, line, sigma, quantile and finding codes."""
    w, t, z = pl.col("w"), pl.col("t"), pl.col("z")
    code = "indicator_code"
    on_fit = w > 0
    agg = points.group_by(code).agg(
        n_points=pl.len().cast(pl.Int64),
        first_year=pl.col("year").min(),
        last_year=pl.col("year").max(),
        last_value=pl.col("value").sort_by("year").last(),
        last_status=pl.col("status").sort_by("year").last(),
        last_is_break=pl.col("is_break").sort_by("year").last(),
        keep_breaks=pl.col("keep_breaks").first(),
        n_fit=on_fit.sum().cast(pl.Int64),
        n_downweighted=((pl.col("w_status") < 1.0) & on_fit).sum().cast(pl.Int64),
        fit_years=pl.col("year").filter(on_fit).sort(),
        excluded_years=pl.col("year").filter(~on_fit).sort(),
        break_years=pl.col("year").filter(pl.col("is_break")).sort(),
        last_fit_t=t.filter(on_fit).max(),
        weight_sum=w.sum(),
        St=(w * t).sum(),
        Sz=(w * z).sum(),
        Stt=(w * t * t).sum(),
        Stz=(w * t * z).sum(),
    )
    fits = codes.join(agg, on=code, how="left").with_columns(
        pl.col("n_points", "n_fit", "n_downweighted").fill_null(0),
        transform=pl.col("value_kind").replace_strict(TRANSFORMS, return_dtype=pl.String),
    )
    n_fit, kind = pl.col("n_fit"), pl.col("value_kind")
    trend_ok = kind != "rate"
    method = (
        pl.when(n_fit == 0)
        .then(pl.lit("none"))
        .when(n_fit == 1)
        .then(pl.lit("last_value"))
        .when(~trend_ok)
        .then(pl.lit("weighted_mean"))
        .when(n_fit == 2)
        .then(pl.lit("two_point_growth"))
        .otherwise(pl.lit("wls_trend"))
    )
    W, St, Sz, Stt, Stz = (pl.col(c) for c in ("weight_sum", "St", "Sz", "Stt", "Stz"))  # noqa: N806 - fit sums
    fits = fits.with_columns(method=method)
    has_slope = pl.col("method").is_in(["wls_trend", "two_point_growth"])
    slope = pl.when(has_slope).then((W * Stz - St * Sz) / (W * Stt - St * St)).otherwise(0.0)
    fits = fits.with_columns(slope=slope).with_columns(intercept=(Sz - pl.col("slope") * St) / W)
    resid = points.join(fits.select(code, "intercept", "slope"), on=code, how="inner").with_columns(
        r=z - pl.col("intercept") - pl.col("slope") * t
    )
    res = resid.group_by(code).agg(
        ssr=(w * pl.col("r") ** 2).filter(on_fit).sum(),
        last_residual=pl.col("r").filter(on_fit & (t == 0) & ~pl.col("is_break")).sum(),
    )
    fits = fits.join(res, on=code, how="left").with_columns(
        df=pl.when(pl.col("method") == "wls_trend")
        .then(n_fit - 2)
        .when(pl.col("method") == "weighted_mean")
        .then(n_fit - 1)
        .otherwise(0)
        .cast(pl.Int64),
        last_residual=pl.col("last_residual").fill_null(0.0),
    )
    floor = kind.replace_strict(dict(params.sigma_floor), return_dtype=pl.Float64)
    prior = kind.replace_strict(dict(params.prior_sigma), return_dtype=pl.Float64)
    dfc = pl.col("df")
    sigma_hat = pl.when(dfc > 0).then((pl.col("ssr") / dfc).sqrt())
    fits = fits.with_columns(
        sigma_residual=sigma_hat,
        sigma=pl.when(dfc > 0).then(pl.max_horizontal(sigma_hat, floor)).otherwise(prior),
        sigma_source=pl.when(dfc <= 0)
        .then(pl.lit("prior"))
        .when(sigma_hat < floor)
        .then(pl.lit("floor"))
        .otherwise(pl.lit("residual")),
        interval_mode=pl.when(dfc > 0).then(pl.lit("regression")).otherwise(pl.lit("prior_random_walk")),
    )
    prob = 0.5 + params.interval_level / 2.0
    dfs = fits.get_column("df").unique().to_list()
    quantiles = {d: student_t_quantile(prob, float(d) if d > 0 else None) for d in dfs}
    is_log = pl.col("transform").is_in(["log", "log1p"])
    fits = fits.with_columns(
        quantile=dfc.replace_strict(quantiles, return_dtype=pl.Float64),
        t_bar=St / W,
        s_tt=Stt - St * St / W,
        growth_rate_pct=pl.when(is_log & has_slope).then((pl.col("slope").exp() - 1.0) * 100.0),
    )
    has_breaks = pl.col("break_years").list.len() > 0
    findings = [
        ("no_history", n_fit == 0),
        ("invalid_values_dropped", pl.col("n_invalid") > 0),
        ("single_point_flat", pl.col("method") == "last_value"),
        ("two_points_growth", pl.col("method") == "two_point_growth"),
        ("break_years_excluded", has_breaks & ~pl.col("keep_breaks") & (params.break_weight == 0.0)),
        ("break_years_downweighted", has_breaks & ~pl.col("keep_breaks") & (params.break_weight > 0.0)),
        ("break_years_kept_short_series", has_breaks & pl.col("keep_breaks")),
        ("last_actual_in_break_year", pl.col("last_is_break")),
        ("values_downweighted", pl.col("n_downweighted") > 0),
        ("sigma_floor_applied", pl.col("sigma_source") == "floor"),
        ("prior_sigma_used", (pl.col("sigma_source") == "prior") & (n_fit > 0)),
        ("stale_history", pl.col("last_year") < cutoff.year - 1),
        ("no_future_years", pl.col("last_year") >= end_year),
    ]
    flags = [pl.when(cond.fill_null(False)).then(pl.lit(name)) for name, cond in findings]
    return fits.with_columns(findings=pl.concat_list(flags).list.drop_nulls())


_FIT_COLUMNS = [
    "indicator_code",
    "value_kind",
    "method",
    "transform",
    "since_year",
    "n_points",
    "n_fit",
    "fit_years",
    "excluded_years",
    "break_years",
    "first_year",
    "last_year",
    "last_value",
    "last_status",
    "intercept",
    "slope",
    "growth_rate_pct",
    "last_residual",
    "sigma",
    "sigma_residual",
    "sigma_source",
    "interval_mode",
    "df",
    "quantile",
    "weight_sum",
    "t_bar",
    "s_tt",
    "last_fit_t",
    "findings",
]


def _project(fits: pl.DataFrame, end_year: int, params: ForecastParams) -> pl.DataFrame:
    """Forecast rows for every year after the last actual up to ``end_year``."""
    rows = fits.filter((pl.col("method") != "none") & (pl.col("last_year") < end_year))
    rows = rows.with_columns(year=pl.int_ranges(pl.col("last_year") + 1, end_year + 1)).explode("year")
    return _evaluate(rows, params)


def _evaluate(rows: pl.DataFrame, params: ForecastParams) -> pl.DataFrame:
    """Model value and interval at each row's ``year``: forecast after the last actual, fitted line inside."""
    h = (pl.col("year") - pl.col("last_year")).cast(pl.Float64)
    ahead = h > 0
    phi = params.trend_damping
    # Damped trend: the slope's cumulative effect after h years is phi + phi**2 + ... + phi**h (= h undamped).
    damped = h if phi == 1.0 else phi * (1.0 - pl.lit(phi).pow(h)) / (1.0 - phi)
    h_trend = pl.when(ahead).then(damped).otherwise(h)
    carry = pl.when(ahead).then(pl.lit(params.residual_persistence).pow(h) * pl.col("last_residual")).otherwise(0.0)
    z_point = pl.col("intercept") + pl.col("slope") * h_trend + carry
    leverage = (
        pl.when(pl.col("method") == "wls_trend").then((h_trend - pl.col("t_bar")) ** 2 / pl.col("s_tt")).otherwise(0.0)
    )
    # Without residual degrees of freedom the prior sigma grows like a random walk from the last fitted year.
    h_from_fit = pl.max_horizontal(h - pl.col("last_fit_t"), pl.lit(1.0))
    variance = (
        pl.when(pl.col("interval_mode") == "regression")
        .then(pl.col("sigma") ** 2 * (1.0 + 1.0 / pl.col("weight_sum") + leverage))
        .otherwise(pl.col("sigma") ** 2 * h_from_fit)
    )
    half = pl.col("quantile") * variance.sqrt()
    kind = pl.col("value_kind")
    return rows.select(
        "indicator_code",
        "value_kind",
        pl.col("year").cast(pl.Int64),
        h.cast(pl.Int64).alias("horizon_years"),
        _inverse(kind, z_point).alias("trend_point"),
        _inverse(kind, z_point - half).alias("trend_lower"),
        _inverse(kind, z_point + half).alias("trend_upper"),
    )


def model_values(result: ForecastResult, wanted: pl.DataFrame) -> pl.DataFrame:
    """The fitted model at (indicator_code, year) pairs without an actual, e.g. gap years inside the history.

    Years after the last actual give the forecast itself (without pipeline); years inside the history give the
    fitted line (no residual carried over); years before the first actual give nothing (no backcasting).
    Returns indicator_code, year, point, lower, upper.
    """
    keys = wanted.select(pl.col("indicator_code").cast(pl.String), pl.col("year").cast(pl.Int64)).unique()
    rows = keys.join(result.fits.filter(pl.col("method") != "none"), on="indicator_code", how="inner")
    rows = rows.filter(pl.col("year") >= pl.col("first_year"))
    digits = result.params.significant_digits
    return (
        _evaluate(rows, result.params)
        .select(
            "indicator_code",
            "year",
            pl.col("trend_point").round_sig_figs(digits).alias("point"),
            pl.col("trend_lower").round_sig_figs(digits).alias("lower"),
            pl.col("trend_upper").round_sig_figs(digits).alias("upper"),
        )
        .sort("indicator_code", "year")
    )


def _add_pipeline(
    forecast: pl.DataFrame, pipeline: pl.DataFrame | None, codes: pl.DataFrame, params: ForecastParams
) -> pl.DataFrame:
    """Add the probability-weighted pipeline increment of each year to the point and both bounds."""
    if pipeline is None:
        inc = pl.DataFrame(schema={"indicator_code": pl.String, "year": pl.Int64, "pipeline_increment": pl.Float64})
    else:
        check_frame(pipeline, "pipeline", PIPELINE_REQUIRED, PIPELINE_OPTIONAL)
        if "indicator_code" not in pipeline.columns:
            if codes.height != 1:
                raise PlanProgressSchemaError("pipeline.indicator_code: missing while several indicators are forecast")
            pipeline = pipeline.with_columns(indicator_code=pl.lit(codes.item(0, "indicator_code")))
        inc = pipeline.group_by(pl.col("indicator_code").cast(pl.String), pl.col("year").cast(pl.Int64)).agg(
            pipeline_increment=pl.col("value_increment").cast(pl.Float64).fill_null(0.0).sum()
        )
    out = forecast.join(inc, on=["indicator_code", "year"], how="left").with_columns(
        pl.col("pipeline_increment").fill_null(0.0)
    )
    kind, inc_col = pl.col("value_kind"), pl.col("pipeline_increment")

    def bounded(expr: pl.Expr) -> pl.Expr:
        return (
            pl.when(kind == "ratio")
            .then(expr.clip(0.0, 100.0))
            .when(kind.is_in(["level", "count"]))
            .then(expr.clip(lower_bound=0.0))
            .otherwise(expr)
        )

    digits = params.significant_digits
    out = out.select(
        "indicator_code",
        "year",
        "horizon_years",
        bounded(pl.col("trend_point") + inc_col).round_sig_figs(digits).alias("point"),
        bounded(pl.col("trend_lower") + inc_col).round_sig_figs(digits).alias("lower"),
        bounded(pl.col("trend_upper") + inc_col).round_sig_figs(digits).alias("upper"),
        pl.col("trend_point").round_sig_figs(digits),
        inc_col.round_sig_figs(digits),
    )
    return out.sort("indicator_code", "year")
