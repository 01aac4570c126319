"""Progress towards each target, the projected miss, and a red/amber/green status from ordered rules.

For every (indicator, target year) row of ``targets``:

* the projection at the target year is the actual when one is published by ``as_of``, else the forecast;
* level, ratio, count and aspirational targets compare the projected value with the target value;
* growth-rate targets compare the compound annual growth rate from the baseline year,
  ``((projected / baseline) ** (1 / n) - 1) * 100`` for level series, or the geometric mean of the yearly
  rates, ``(prod(1 + g/100)) ** (1 / n) - 1``, for series that are themselves year-on-year rates (actual
  rates where published, forecast rates otherwise);
* direction-only targets only show the sign of the latest change, read through the indicator's direction;
* the shortfall ("forecast to miss by X") is in the indicator's unit and in % of the target (of the value
  required at the target year for growth-rate targets on levels); 0 when on track;
* status comes from the indicator's rule list (or the default for its kind and direction), first match wins;
  aspirational targets have no status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import polars as pl

from industria.engines.plan_progress.forecast import ForecastResult, forecast_indicators, model_values
from industria.engines.plan_progress.params import ForecastParams
from industria.engines.plan_progress.rag import RagRules, condition_expr, default_rules_for
from industria.engines.plan_progress.schema import (
    DIRECTIONS,
    TARGET_KINDS,
    TARGETS_OPTIONAL,
    TARGETS_REQUIRED,
    PlanProgressSchemaError,
    check_frame,
    check_values,
)

RULE_COLUMNS = {
    "forecast": "compare_forecast",
    "lower": "compare_lower",
    "upper": "compare_upper",
    "target": "compare_target",
    "baseline": "baseline_value",
    "actual": "latest_value",
    "progress": "progress_pct",
    "attainment": "attainment_pct",
    "elapsed": "elapsed_pct",
    "shortfall": "shortfall_value",
    "shortfall_pct": "shortfall_pct",
    "direction_score": "direction_score",
    "change_pct": "change_pct",
    "years_left": "years_left",
}

PROGRESS_COLUMNS = [
    "indicator_code",
    "target_year",
    "target_kind",
    "direction",
    "value_kind",
    "target_value",
    "baseline_year",
    "baseline_value",
    "latest_year",
    "latest_value",
    "latest_status",
    "projection_source",
    "projected_value",
    "projected_lower",
    "projected_upper",
    "required_value",
    "projected_rate_pct",
    "projected_rate_lower_pct",
    "projected_rate_upper_pct",
    "realised_rate_pct",
    "compare_forecast",
    "compare_lower",
    "compare_upper",
    "compare_target",
    "progress_pct",
    "attainment_pct",
    "elapsed_pct",
    "years_left",
    "change_pct",
    "direction_score",
    "direction_of_change",
    "gap_value",
    "shortfall_value",
    "shortfall_pct",
    "status",
    "status_reason",
    "matched_rule",
    "matched_when",
    "rule_source",
    "engine_version",
]


@dataclass(frozen=True)
class PlanProgressResult:
    """The forecast behind the statuses and the progress table (one row per indicator and target year)."""

    forecast: ForecastResult
    progress: pl.DataFrame


def _normalise_targets(targets: pl.DataFrame) -> pl.DataFrame:
    check_frame(targets, "targets", TARGETS_REQUIRED, TARGETS_OPTIONAL)
    check_values(targets, "targets", "target_kind", TARGET_KINDS)
    check_values(targets, "targets", "direction", DIRECTIONS)
    for col in ("baseline_year", "baseline_value"):
        if col not in targets.columns:
            targets = targets.with_columns(pl.lit(None).alias(col))
    out = targets.select(
        pl.col("indicator_code").cast(pl.String),
        pl.col("target_kind").cast(pl.String),
        pl.col("direction").cast(pl.String),
        pl.col("target_year").cast(pl.Int64),
        pl.col("target_value").cast(pl.Float64),
        pl.col("baseline_year").cast(pl.Int64),
        pl.col("baseline_value").cast(pl.Float64),
    )
    needs_value = out.filter((pl.col("target_kind") != "direction_only") & pl.col("target_value").is_null()).get_column(
        "indicator_code"
    )
    if needs_value.len():
        raise PlanProgressSchemaError(f"targets.target_value: missing for {sorted(set(needs_value.to_list()))}")
    growth_without_base = out.filter((pl.col("target_kind") == "growth_rate") & pl.col("baseline_year").is_null())
    if growth_without_base.height:
        codes = sorted(set(growth_without_base.get_column("indicator_code").to_list()))
        raise PlanProgressSchemaError(f"targets.baseline_year: required for growth_rate targets {codes}")
    if out.select(pl.struct("indicator_code", "target_year").is_duplicated().any()).item():
        raise PlanProgressSchemaError("targets: duplicated (indicator_code, target_year)")
    return out


def _safe_div(num: pl.Expr, den: pl.Expr) -> pl.Expr:
    return pl.when(den != 0).then(num / den)


def _cagr_pct(end: pl.Expr, start: pl.Expr, years: pl.Expr) -> pl.Expr:
    ok = (end > 0) & (start > 0) & (years > 0)
    return pl.when(ok).then(((end / start).log() / years).exp() * 100.0 - 100.0)


def _chained_rates(rows: pl.DataFrame, result: ForecastResult) -> pl.DataFrame:
    """Geometric-mean growth over (baseline_year, target_year] for year-on-year rate series."""
    keys = ["indicator_code", "target_year"]
    growth = rows.filter((pl.col("target_kind") == "growth_rate") & (pl.col("value_kind") == "rate"))
    years = growth.select(*keys, year=pl.int_ranges(pl.col("baseline_year") + 1, pl.col("target_year") + 1)).explode(
        "year"
    )
    actual = result.actuals.select("indicator_code", "year", actual=pl.col("value"))
    years = years.join(actual, on=["indicator_code", "year"], how="left")
    years = years.join(
        _estimates(result, years.filter(pl.col("actual").is_null())), on=["indicator_code", "year"], how="left"
    )

    def geo_mean(col: str) -> pl.Expr:
        g = pl.coalesce("actual", col)
        complete = g.is_not_null().all() & (g > -100).all()
        return pl.when(complete).then(((g / 100.0).log1p().mean()).exp() * 100.0 - 100.0)

    actual_years = pl.col("actual").is_not_null()
    return years.group_by(keys).agg(
        chain_rate=geo_mean("point"),
        chain_lower=geo_mean("lower"),
        chain_upper=geo_mean("upper"),
        chain_realised=pl.when(actual_years.any()).then(
            ((pl.col("actual").filter(actual_years) / 100.0).log1p().mean()).exp() * 100.0 - 100.0
        ),
        chain_cum_actual=((pl.col("actual").filter(actual_years) / 100.0).log1p().sum()).exp() - 1.0,
    )


def _estimates(result: ForecastResult, wanted: pl.DataFrame) -> pl.DataFrame:
    """Forecast (with pipeline) where there is one, else the fitted model, for years without an actual."""
    keys = ["indicator_code", "year"]
    fc = result.forecast.select(*keys, "point", "lower", "upper").with_columns(source=pl.lit("forecast"))
    model = model_values(result, wanted).with_columns(source=pl.lit("model"))
    return pl.concat([fc, model.join(fc.select(keys), on=keys, how="anti")]).unique(keys)


def _status(frame: pl.DataFrame, rules: Mapping[str, RagRules] | None) -> pl.DataFrame:
    """Apply each row's ordered rule list; one when-chain per distinct rule set, first match wins."""
    rules = rules or {}
    keyed: dict[RagRules, int] = {}
    assignment = []
    for code, kind, direction in frame.select("indicator_code", "target_kind", "direction").unique().iter_rows():
        chosen = rules.get(code) or default_rules_for(kind, direction)
        key = keyed.setdefault(chosen, len(keyed))
        assignment.append((code, kind, direction, key, "indicator" if code in rules else "default"))
    mapping = pl.DataFrame(
        assignment,
        schema={
            "indicator_code": pl.String,
            "target_kind": pl.String,
            "direction": pl.String,
            "_rule_key": pl.Int64,
            "rule_source": pl.String,
        },
        orient="row",
    )
    frame = frame.join(mapping, on=["indicator_code", "target_kind", "direction"], how="left")
    status = pl.lit(None, dtype=pl.String)
    matched = pl.lit(None, dtype=pl.Int64)
    when_text = pl.lit(None, dtype=pl.String)
    for rule_set, key in keyed.items():
        for index in reversed(range(len(rule_set.rules))):
            rule = rule_set.rules[index]
            hit = (pl.col("_rule_key") == key) & condition_expr(rule.condition, RULE_COLUMNS)
            status = pl.when(hit).then(pl.lit(rule.status)).otherwise(status)
            matched = pl.when(hit).then(pl.lit(index, dtype=pl.Int64)).otherwise(matched)
            when_text = pl.when(hit).then(pl.lit(rule.when)).otherwise(when_text)
    empty_keys = [key for rule_set, key in keyed.items() if not rule_set.rules]
    kind = pl.col("target_kind")
    missing = (
        pl.when(kind == "direction_only")
        .then(pl.col("direction_score").is_null())
        .otherwise(pl.col("compare_forecast").is_null())
    )
    reason = (
        pl.when(kind == "aspirational")
        .then(pl.lit("aspirational"))
        .when(missing)
        .then(pl.lit("no_projection"))
        .when(pl.col("_rule_key").is_in(empty_keys))
        .then(pl.lit("no_rules"))
        .when(matched.is_null())
        .then(pl.lit("no_rule_matched"))
        .otherwise(pl.lit("rule_matched"))
    )
    frame = frame.with_columns(status_reason=reason, _status=status, _matched=matched, _when=when_text)
    applies = pl.col("status_reason") == "rule_matched"
    return frame.with_columns(
        status=pl.when(applies).then(pl.col("_status")),
        matched_rule=pl.when(applies).then(pl.col("_matched")),
        matched_when=pl.when(applies).then(pl.col("_when")),
    ).drop("_status", "_matched", "_when", "_rule_key")


def evaluate_progress(
    targets: pl.DataFrame,
    forecast: ForecastResult,
    *,
    rules: Mapping[str, RagRules] | None = None,
    flat_tolerance_pct: float = 0.5,
) -> pl.DataFrame:
    """Progress, projected shortfall and RAG status for each (indicator, target year); see module doc."""
    t = _normalise_targets(targets)
    keys = ["indicator_code", "year"]
    acts = forecast.actuals.sort("indicator_code", "year")
    latest = acts.group_by("indicator_code").agg(
        latest_year=pl.col("year").last(),
        latest_value=pl.col("value").last(),
        latest_status=pl.col("status").last(),
        previous_value=pl.col("value").reverse().slice(1, 1).first(),
    )
    kinds = forecast.fits.select("indicator_code", "value_kind")
    at_target = acts.select(*keys, actual_at_target=pl.col("value"))
    at_base = acts.select(*keys, actual_at_base=pl.col("value"))
    fc = _estimates(forecast, t.select("indicator_code", year="target_year"))
    rows = (
        t.join(kinds, on="indicator_code", how="left")
        .with_columns(pl.col("value_kind").fill_null(forecast.params.default_value_kind))
        .join(latest, on="indicator_code", how="left")
        .join(at_target, left_on=["indicator_code", "target_year"], right_on=keys, how="left")
        .join(at_base, left_on=["indicator_code", "baseline_year"], right_on=keys, how="left")
        .join(fc, left_on=["indicator_code", "target_year"], right_on=keys, how="left")
        .with_columns(baseline_value=pl.coalesce("baseline_value", "actual_at_base"))
    )
    rows = rows.join(_chained_rates(rows, forecast), on=["indicator_code", "target_year"], how="left")

    kind, vkind = pl.col("target_kind"), pl.col("value_kind")
    sign = pl.when(pl.col("direction") == "lower_is_better").then(-1.0).otherwise(1.0)
    has_actual = pl.col("actual_at_target").is_not_null()
    rows = rows.with_columns(
        projection_source=pl.when(has_actual).then(pl.lit("actual")).otherwise(pl.col("source").fill_null("none")),
        projected_value=pl.coalesce("actual_at_target", "point"),
        projected_lower=pl.coalesce("actual_at_target", "lower"),
        projected_upper=pl.coalesce("actual_at_target", "upper"),
    )
    growth = kind == "growth_rate"
    on_levels = growth & (vkind != "rate")
    on_rates = growth & (vkind == "rate")
    n_years = (pl.col("target_year") - pl.col("baseline_year")).cast(pl.Float64)
    base, target = pl.col("baseline_value"), pl.col("target_value")
    rows = rows.with_columns(
        required_value=pl.when(on_levels)
        .then(base * (1.0 + target / 100.0).pow(n_years))
        .when(~growth & (kind != "direction_only"))
        .then(target),
        projected_rate_pct=pl.when(on_levels)
        .then(_cagr_pct(pl.col("projected_value"), base, n_years))
        .when(on_rates)
        .then(pl.col("chain_rate")),
        projected_rate_lower_pct=pl.when(on_levels)
        .then(_cagr_pct(pl.col("projected_lower"), base, n_years))
        .when(on_rates)
        .then(pl.col("chain_lower")),
        projected_rate_upper_pct=pl.when(on_levels)
        .then(_cagr_pct(pl.col("projected_upper"), base, n_years))
        .when(on_rates)
        .then(pl.col("chain_upper")),
        realised_rate_pct=pl.when(on_levels)
        .then(
            _cagr_pct(pl.col("latest_value"), base, (pl.col("latest_year") - pl.col("baseline_year")).cast(pl.Float64))
        )
        .when(on_rates)
        .then(pl.col("chain_realised")),
    )
    level_like = ~growth & (kind != "direction_only")
    rows = rows.with_columns(
        compare_forecast=pl.when(growth).then(pl.col("projected_rate_pct")).when(level_like).then("projected_value"),
        compare_lower=pl.when(growth).then(pl.col("projected_rate_lower_pct")).when(level_like).then("projected_lower"),
        compare_upper=pl.when(growth).then(pl.col("projected_rate_upper_pct")).when(level_like).then("projected_upper"),
        compare_target=pl.when(kind != "direction_only").then(target),
    )
    # Signed gap in the indicator's unit (positive = ahead): value vs required value, or pp for rate series.
    gap = (
        pl.when(on_rates)
        .then(sign * (pl.col("compare_forecast") - target))
        .when(kind != "direction_only")
        .then(sign * (pl.col("projected_value") - pl.col("required_value")))
    )
    denominator = pl.when(on_rates).then(target.abs()).otherwise(pl.col("required_value").abs())
    latest = pl.col("latest_value")
    cum_required = (1.0 + target / 100.0).pow(n_years) - 1.0
    change = (
        pl.when(vkind == "rate")
        .then(latest)
        .otherwise(_safe_div(latest - pl.col("previous_value"), pl.col("previous_value").abs()) * 100.0)
    )
    digits = forecast.params.significant_digits
    rows = rows.with_columns(
        gap_value=gap,
        shortfall_value=pl.when(gap.is_not_null()).then(pl.max_horizontal(-gap, pl.lit(0.0))),
        progress_pct=pl.when(level_like)
        .then(_safe_div(latest - base, target - base) * 100.0)
        .when(on_levels)
        .then(_safe_div(latest / base - 1.0, cum_required) * 100.0)
        .when(on_rates)
        .then(_safe_div(pl.col("chain_cum_actual"), cum_required) * 100.0),
        attainment_pct=pl.when(level_like).then(
            pl.when(sign > 0).then(_safe_div(latest, target)).otherwise(_safe_div(target, latest)) * 100.0
        ),
        elapsed_pct=(
            _safe_div(
                (pl.col("latest_year") - pl.col("baseline_year")).cast(pl.Float64),
                (pl.col("target_year") - pl.col("baseline_year")).cast(pl.Float64),
            )
            * 100.0
        ).clip(0.0, 100.0),
        years_left=(pl.col("target_year") - pl.col("latest_year")).cast(pl.Float64),
        # rounded before it is scored, so that a change of exactly the tolerance is flat (float noise aside)
        change_pct=change.round_sig_figs(digits),
    )
    improvement = sign * pl.col("change_pct")
    score = (
        pl.when(improvement > flat_tolerance_pct)
        .then(1)
        .when(improvement < -flat_tolerance_pct)
        .then(-1)
        .when(improvement.is_not_null())
        .then(0)
    )
    rows = rows.with_columns(
        shortfall_pct=_safe_div(pl.col("shortfall_value"), denominator) * 100.0,
        direction_score=score.cast(pl.Int64),
    ).with_columns(
        direction_of_change=pl.col("direction_score").replace_strict(
            {1: "improving", 0: "flat", -1: "worsening"}, default=None, return_dtype=pl.String
        )
    )
    floats = [c for c, dtype in rows.schema.items() if dtype == pl.Float64]
    # Rounded once, before the rules: statuses are decided on the figures the engine reports, so a boundary
    # (forecast == target, a CAGR of exactly the target rate) is not moved by floating-point noise.
    rows = rows.with_columns([pl.col(c).fill_nan(None).round_sig_figs(digits) for c in floats])
    rows = _status(rows, rules)
    rows = rows.with_columns(engine_version=pl.lit(forecast.engine_version))
    return rows.select(PROGRESS_COLUMNS).sort("indicator_code", "target_year")


def assess_plan_progress(
    history: pl.DataFrame,
    pipeline: pl.DataFrame | None,
    targets: pl.DataFrame,
    as_of: dt.date | int,
    *,
    specs: pl.DataFrame | None = None,
    rules: Mapping[str, RagRules] | None = None,
    params: ForecastParams | None = None,
    end_year: int | None = None,
    flat_tolerance_pct: float = 0.5,
) -> PlanProgressResult:
    """Forecast every indicator to the last target year, then evaluate progress and status in one call."""
    t = _normalise_targets(targets)
    last_target_year = int(t.get_column("target_year").max()) if t.height else 0  # type: ignore[arg-type]
    end = end_year if end_year is not None else last_target_year
    fc = forecast_indicators(history, pipeline, as_of, end_year=end, specs=specs, params=params)
    progress = evaluate_progress(t, fc, rules=rules, flat_tolerance_pct=flat_tolerance_pct)
    return PlanProgressResult(fc, progress)
