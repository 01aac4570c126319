"""The dashboard's read model: a plan's facts as Polars frames → the plan-progress engine → a cached snapshot.

``plan_progress(plan=…, as_of=…)`` returns, for every indicator of the plan, the annual series the engine used
(each value with its status, source and known-on date), the forecast to the plan's end year with its 80 %
interval, the fit's explanation, and one progress row per target year (status, shortfall, progress). It reads
only what was known on ``as_of`` (actuals with ``as_of_date <= as_of``; registry values at dates up to
``as_of``) and recomputes the forecast as of then, so a past date shows the dashboard as it was.

The annual series come from ``series.py`` (rules in docs/models/plan/indicators.md §Annual series).

The snapshot is cached under the plan's data version (``DevelopmentPlan.data_changed_at``, set by every plan
write), the date and the engine version, for ``PROGRESS_CACHE_TTL_S`` (registry values and pipeline
contributions refresh within it). Registry-computed values are cached apart, per definition and dates, so a
recorded figure does not re-run the registry aggregates. A cache hit costs no query.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

import polars as pl
from django.core.cache import cache
from django.utils import timezone

from industria.engines.plan_progress import (
    ENGINE_VERSION,
    RuleError,
    assess_plan_progress,
    forecast_indicators,
    parse_rag_rules,
)
from industria.plan.choices import TargetKind
from industria.plan.computed import ComputedDefinitionError, RatioOfIndicators, evaluate_many, parse_computed
from industria.plan.models import DevelopmentPlan, IndicatorTarget, PlanIndicator
from industria.plan.pipeline import pipeline_contribution_set
from industria.plan.series import (
    annual_series,
    computed_rows,
    merge_computed,
    ratio_rows,
    read_actuals,
)

PROGRESS_CACHE_TTL_S = 600
COMPUTED_LOOKBACK_YEARS = 6
INDICATOR_FIELDS = (
    "id",
    "code",
    "ref",
    "name_zh",
    "name_en",
    "unit",
    "unit_zh",
    "measure",
    "direction",
    "target_kind",
    "value_kind",
    "since_year",
    "is_headline",
    "is_public",
    "breakdown_district",
    "breakdown_industry_group",
    "computed",
    "rag_rules",
    "rag_rule_set",
    "baseline_year",
    "baseline_value",
    "baseline_qualifier",
    "cadence",
    "next_due_on",
    "owner_id",
    "sort_order",
    "goal__code",
    "goal__name_zh",
    "goal__name_en",
    "goal__sort_order",
    "action__code",
    "action__number",
    "action__name_zh",
    "action__name_en",
)


def progress_cache_key(plan: DevelopmentPlan, as_of: dt.date) -> str:
    stamp = plan.data_changed_at.timestamp() if plan.data_changed_at else 0
    return f"industria:plan:progress:{plan.pk}:{stamp}:{as_of.isoformat()}:{ENGINE_VERSION}"


def plan_progress(*, plan: DevelopmentPlan, as_of: dt.date) -> dict[str, Any]:
    """The snapshot for ``plan`` on ``as_of`` from the cache, built (and cached) when missing."""
    key = progress_cache_key(plan, as_of)
    snapshot = cache.get(key)
    if snapshot is None:
        snapshot = plan_progress_build(plan=plan, as_of=as_of)
        cache.set(key, snapshot, PROGRESS_CACHE_TTL_S)
    return snapshot


def _registry_key(definition: Any, dates: list[dt.date]) -> str:
    payload = json.dumps([dataclasses.asdict(definition), [x.isoformat() for x in dates]], default=str)
    return "industria:plan:registry:" + hashlib.sha256(payload.encode()).hexdigest()


def registry_values(
    definitions: dict[Any, Any], dates: list[dt.date], *, refresh: bool = False
) -> dict[Any, list[Any]]:
    """Registry-computed values, cached per definition and dates for ``PROGRESS_CACHE_TTL_S``.

    They depend on the registry, not on the plan's figures: recording a figure (which refreshes the plan's
    snapshot) does not re-run the registry aggregates; registry changes show within the TTL (or at the next
    ``plan_progress_warm``). ``refresh`` recomputes them whatever the cache holds.
    """
    keys = {pk: _registry_key(d, dates) for pk, d in definitions.items()}
    cached = {} if refresh else cache.get_many(list(keys.values()))
    missing = {pk: d for pk, d in definitions.items() if keys[pk] not in cached}
    fresh = evaluate_many(missing, dates=dates) if missing else {}
    if fresh:
        cache.set_many({keys[pk]: points for pk, points in fresh.items()}, PROGRESS_CACHE_TTL_S)
    return {pk: fresh[pk] if pk in fresh else cached[keys[pk]] for pk in definitions}


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


def computed_dates(plan: DevelopmentPlan, as_of: dt.date) -> list[dt.date]:
    """Year ends from a few years before the plan to its end (not after ``as_of``), and ``as_of`` within it."""
    last = min(plan.end_year, as_of.year)
    dates = [
        dt.date(year, 12, 31)
        for year in range(plan.start_year - COMPUTED_LOOKBACK_YEARS, last + 1)
        if dt.date(year, 12, 31) <= as_of
    ]
    if as_of.year <= plan.end_year and as_of < dt.date(as_of.year, 12, 31):
        dates.append(as_of)
    return dates


def _targets_frame(indicators: list[dict], targets: list[dict]) -> pl.DataFrame:
    by_id = {i["id"]: i for i in indicators}
    rows = []
    for t in targets:
        ind = by_id.get(t["indicator_id"])
        if ind is None or ind["target_kind"] == TargetKind.CONTEXT:
            continue
        kind = ind["target_kind"]
        value = _float(t["value"])
        if value is None and kind != TargetKind.DIRECTION_ONLY:
            continue  # a target without a value cannot be assessed (a finding on the page, never an error)
        base_value = _float(ind["baseline_value"])
        base_year = ind["baseline_year"] if (kind == TargetKind.GROWTH_RATE or base_value is not None) else None
        if kind == TargetKind.GROWTH_RATE and base_year is None:
            continue
        rows.append((ind["code"], kind, ind["direction"], t["year"], value, base_year, base_value))
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


def plan_progress_build(*, plan: DevelopmentPlan, as_of: dt.date) -> dict[str, Any]:
    """Read the plan's facts (a constant number of queries), run the engine, return the snapshot (no cache)."""
    indicators = list(PlanIndicator.objects.filter(plan=plan).order_by("sort_order", "code").values(*INDICATOR_FIELDS))
    ids = [i["id"] for i in indicators]
    code_of = {i["id"]: i["code"] for i in indicators}
    id_of = {i["code"]: i["id"] for i in indicators}
    targets = list(
        IndicatorTarget.objects.filter(indicator_id__in=ids)
        .order_by("indicator_id", "year")
        .values(
            "indicator_id",
            "year",
            "value",
            "comparator",
            "text_zh",
            "text_en",
            "source__code",
            "source__title",
            "source__url",
            "confidence",
        )
    )
    meta = pl.DataFrame(
        [(i["id"], i["measure"], i["value_kind"]) for i in indicators],
        schema={"indicator_id": pl.Int64, "measure": pl.String, "value_kind": pl.String},
        orient="row",
    )
    actuals = read_actuals(ids, as_of)
    series = annual_series(actuals, meta)

    findings: dict[str, list[str]] = {}
    definitions: dict[int, Any] = {}
    for ind in indicators:
        try:
            definitions[ind["id"]] = parse_computed(ind["computed"], path=f"{ind['code']}.computed")
        except ComputedDefinitionError:
            findings.setdefault(ind["code"], []).append("computed_definition_invalid")
    dates = computed_dates(plan, as_of)
    registry = {pk: d for pk, d in definitions.items() if d is not None and not isinstance(d, RatioOfIndicators)}
    computed_parts = [computed_rows(pk, points) for pk, points in registry_values(registry, dates).items()]
    if computed_parts:
        series = merge_computed(series, pl.concat(computed_parts, how="vertical_relaxed"))
    for pk, definition in definitions.items():
        if isinstance(definition, RatioOfIndicators):
            num, den = id_of.get(definition.numerator), id_of.get(definition.denominator)
            if num is None or den is None:
                findings.setdefault(code_of[pk], []).append("ratio_operand_missing")
                continue
            series = merge_computed(series, ratio_rows(series, pk, num, den, float(definition.scale)))

    result = _run_engine(plan, as_of, indicators, targets, series, findings)
    return _snapshot(plan, as_of, indicators, targets, actuals, series, result, findings)


def _run_engine(
    plan: DevelopmentPlan,
    as_of: dt.date,
    indicators: list[dict],
    targets: list[dict],
    series: pl.DataFrame,
    findings: dict[str, list[str]],
) -> Any:
    codes = pl.DataFrame(
        [(i["id"], i["code"]) for i in indicators],
        schema={"indicator_id": pl.Int64, "indicator_code": pl.String},
        orient="row",
    )
    history = series.join(codes, on="indicator_id").select(
        "indicator_code", "period", "value", "status", published_on="as_of_date"
    )
    specs = pl.DataFrame(
        [(i["code"], i["value_kind"], i["since_year"]) for i in indicators],
        schema={"indicator_code": pl.String, "value_kind": pl.String, "since_year": pl.Int64},
        orient="row",
    )
    rules = {}
    for ind in indicators:
        if not ind["rag_rules"]:
            continue
        try:
            rules[ind["code"]] = parse_rag_rules(ind["rag_rules"], path=f"{ind['code']}.rag_rules")
        except RuleError:
            findings.setdefault(ind["code"], []).append("rag_rules_invalid")
    pipeline = pipeline_contribution_set(
        plan_code=plan.code, as_of=as_of, indicator_codes=[i["code"] for i in indicators]
    )
    pipeline = None if pipeline.is_empty() else pipeline
    targets_frame = _targets_frame(indicators, targets)
    if targets_frame.is_empty():
        return forecast_indicators(history, pipeline, as_of, end_year=plan.end_year, specs=specs), None
    result = assess_plan_progress(
        history, pipeline, targets_frame, as_of, specs=specs, rules=rules, end_year=plan.end_year
    )
    return result.forecast, result.progress


def _snapshot(
    plan: DevelopmentPlan,
    as_of: dt.date,
    indicators: list[dict],
    targets: list[dict],
    actuals: pl.DataFrame,
    series: pl.DataFrame,
    result: Any,
    findings: dict[str, list[str]],
) -> dict[str, Any]:
    forecast, progress = result
    fc = {k[0]: v for k, v in forecast.forecast.partition_by("indicator_code", as_dict=True).items()}
    fits = {row["indicator_code"]: row for row in forecast.fits.iter_rows(named=True)}
    prog: dict[str, list[dict]] = {}
    if progress is not None:
        for row in progress.iter_rows(named=True):
            prog.setdefault(row["indicator_code"], []).append(row)
    annual = {k[0]: v for k, v in series.partition_by("indicator_id", as_dict=True).items()}
    latest_any = {
        row["indicator_id"]: row
        for row in actuals.sort("period", "as_of_date").unique("indicator_id", keep="last").iter_rows(named=True)
    }
    targets_by: dict[int, list[dict]] = {}
    for t in targets:
        targets_by.setdefault(t["indicator_id"], []).append({**t, "value": _float(t["value"])})
    entries = {}
    for ind in indicators:
        code = ind["code"]
        rows = annual[ind["id"]].to_dicts() if ind["id"] in annual else []
        target_rows = targets_by.get(ind["id"], [])
        progress_rows = prog.get(code, [])
        for row in progress_rows:
            match = next((t for t in target_rows if t["year"] == row["target_year"]), None)
            row["comparator"] = match["comparator"] if match else None
        fit = fits.get(code)
        entries[code] = {
            **{k: v for k, v in ind.items() if k not in ("baseline_value",)},
            "baseline_value": _float(ind["baseline_value"]),
            "annual": rows,
            "latest": rows[-1] if rows else None,
            "latest_any": latest_any.get(ind["id"]),
            "forecast": fc[code].select("year", "point", "lower", "upper", "pipeline_increment").to_dicts()
            if code in fc
            else [],
            "fit": {
                k: fit[k]
                for k in (
                    "method",
                    "n_fit",
                    "fit_years",
                    "excluded_years",
                    "growth_rate_pct",
                    "sigma_source",
                    "findings",
                )
            }
            if fit
            else None,
            "targets": target_rows,
            "progress": progress_rows,
            "final": progress_rows[-1] if progress_rows else None,
            "findings": findings.get(code, []),
        }
    return {
        "plan_id": plan.pk,
        "plan_code": plan.code,
        "end_year": plan.end_year,
        "as_of": as_of,
        "engine_version": ENGINE_VERSION,
        "computed_at": timezone.now(),
        "order": [i["code"] for i in indicators],
        "indicators": entries,
    }


def plan_progress_warm(*, as_of: dt.date) -> dict[str, int]:
    """Recompute the registry values and the snapshot of every current plan on ``as_of`` and cache them.

    Run periodically (``plan_progress_warm_task``) so that no viewer waits for the registry aggregates when the
    cached values expire.
    """
    warmed = 0
    for plan in DevelopmentPlan.objects.filter(is_current=True):
        definitions = {
            i["id"]: parse_computed(i["computed"])
            for i in PlanIndicator.objects.filter(plan=plan, computed__isnull=False).values("id", "computed")
        }
        registry = {pk: d for pk, d in definitions.items() if d is not None and not isinstance(d, RatioOfIndicators)}
        registry_values(registry, computed_dates(plan, as_of), refresh=True)
        cache.set(progress_cache_key(plan, as_of), plan_progress_build(plan=plan, as_of=as_of), PROGRESS_CACHE_TTL_S)
        warmed += 1
    return {"plans": warmed}
