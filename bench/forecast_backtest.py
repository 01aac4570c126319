"""Backtest the plan-progress forecast on the real Shanghai series of the plan reference YAML.

Usage:  .venv/bin/python bench/forecast_backtest.py [--sensitivity]

Protocol (docs/engines/plan_progress.md §6): for each series and holdout k in (1, 2, 3), the forecast origin is
the series' last year minus k; the engine runs with ``as_of`` = 30 June of the year after the origin (so the
origin year's annual figure, usually published in January-March, is known, and the vintage dates in the YAML
decide which revision was known). Every held-out year that has an actual is scored: absolute percentage
error (absolute error in percentage points for rate series) and whether the 80 % interval covers it. A naive
last-value forecast is scored on the same points for comparison.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys
from pathlib import Path

import polars as pl
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from industria.engines.plan_progress import ForecastParams, forecast_indicator  # noqa: E402

PLAN_YAML = ROOT / "fixtures/reference/plan/shanghai-manufacturing-2023-2025.yaml"
SERIES = [
    "industrial_value_added",
    "gdp",
    "above_size_industrial_output",
    "three_leading_industries_scale",
    "sei_output_share",
    "industrial_investment_growth",
]
VINTAGE_RANK = {"first_release": 1, "revised": 2, "census_revised": 3}


def load_series(path: Path = PLAN_YAML) -> dict[str, tuple[pl.DataFrame, dict]]:
    """Annual and point actuals of every indicator and context series, as engine history frames."""
    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    out = {}
    for item in doc["indicators"] + doc["context_series"]:
        rows = [a for a in item.get("actuals") or [] if a.get("period_type", "year") in ("year", "point")]
        if not rows:
            continue
        frame = pl.DataFrame(
            {
                "period": [
                    a["period"] if isinstance(a["period"], dt.date) else dt.date(int(a["period"]), 12, 31) for a in rows
                ],
                "value": [float(a["value"]) for a in rows],
                "status": [a["status"] for a in rows],
                "published_on": [a.get("as_of") for a in rows],
                "vintage": [VINTAGE_RANK[a.get("vintage", "first_release")] for a in rows],
            },
            schema_overrides={"published_on": pl.Date},
        )
        # Publication dates only arbitrate between vintages of one period (a 2011 figure quoted in 2022 was known
        # in 2012); undated vintages of one period keep the most revised one.
        year = pl.col("period").dt.year()
        several = pl.len().over(year) > 1
        frame = (
            frame.with_columns(year=year, published_on=pl.when(several).then(pl.col("published_on")))
            .sort("year", "vintage")
            .filter(pl.col("published_on").is_not_null() | (pl.col("vintage") == pl.col("vintage").max().over("year")))
            .drop("vintage")
        )
        out[item["code"]] = (frame, item.get("forecast") or {})
    return out


def final_values(frame: pl.DataFrame) -> dict[int, float]:
    """The latest vintage of each year: what a forecast is scored against."""
    last = frame.sort("year", "published_on", nulls_last=False).group_by("year", maintain_order=True).last()
    return dict(zip(last.get_column("year").to_list(), last.get_column("value").to_list(), strict=True))


def backtest(params: ForecastParams, series: list[str] = SERIES) -> pl.DataFrame:
    data = load_series()
    rows = []
    for code in series:
        frame, spec = data[code]
        kind = spec.get("value_kind", "level")
        actual = final_values(frame)
        last_year = max(actual)
        for k in (1, 2, 3):
            origin = last_year - k
            as_of = dt.date(origin + 1, 6, 30)
            history = frame.drop("year")
            result = forecast_indicator(
                history,
                None,
                as_of,
                end_year=last_year,
                value_kind=kind,
                since_year=spec.get("since_year"),
                params=params,
            )
            known = result.actuals
            if known.is_empty():
                continue
            naive = known.get_column("value").to_list()[-1]
            fc = result.forecast.filter(pl.col("year") > origin)
            for year, point, lower, upper in fc.select("year", "point", "lower", "upper").iter_rows():
                if year not in actual:
                    continue
                truth = actual[year]
                err = abs(point - truth) if kind == "rate" else abs(point - truth) / abs(truth) * 100
                naive_err = abs(naive - truth) if kind == "rate" else abs(naive - truth) / abs(truth) * 100
                rows.append(
                    {
                        "series": code,
                        "kind": kind,
                        "holdout": k,
                        "year": year,
                        "horizon": year - int(known.get_column("year").max()),
                        "method": result.method,
                        "actual": truth,
                        "point": point,
                        "lower": lower,
                        "upper": upper,
                        "error": err,
                        "naive_error": naive_err,
                        "covered": lower <= truth <= upper,
                    }
                )
    return pl.DataFrame(rows)


def summary(points: pl.DataFrame) -> pl.DataFrame:
    return (
        points.group_by("series", "kind", "holdout", maintain_order=True)
        .agg(
            n=pl.len(),
            methods=pl.col("method").unique().sort().str.join("/"),
            error=pl.col("error").mean(),
            naive_error=pl.col("naive_error").mean(),
            coverage_pct=pl.col("covered").mean() * 100,
        )
        .sort("series", "holdout")
    )


def totals(points: pl.DataFrame) -> dict[str, float]:
    levels = points.filter(pl.col("kind") != "rate")
    return {
        "mape": float(levels.get_column("error").mean() or math.nan),
        "naive_mape": float(levels.get_column("naive_error").mean() or math.nan),
        "coverage_pct": float(points.get_column("covered").mean() * 100),
        "n": points.height,
    }


def markdown(table: pl.DataFrame) -> str:
    lines = [
        "| series | holdout (years) | points | method | MAPE % (MAE pp for rates) | naive last value | 80 % coverage |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in table.iter_rows(named=True):
        lines.append(
            f"| {r['series']} | {r['holdout']} | {r['n']} | {r['methods']} | {r['error']:.1f} | "
            f"{r['naive_error']:.1f} | {r['coverage_pct']:.0f} % |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sensitivity", action="store_true", help="also compare alternative parameter settings")
    parser.add_argument("--points", action="store_true", help="print every scored point")
    args = parser.parse_args()
    points = backtest(ForecastParams())
    pl.Config.set_tbl_rows(200)
    pl.Config.set_tbl_cols(20)
    pl.Config.set_tbl_width_chars(200)
    if args.points:
        print(points)  # noqa: T201
    print(markdown(summary(points)))  # noqa: T201
    print("\nall series:", totals(points))  # noqa: T201
    if args.sensitivity:
        variants = {
            "default": ForecastParams(),
            "no_break_handling": ForecastParams(break_years=()),
            "break_weight_0.25": ForecastParams(break_weight=0.25),
            "no_recency_weights": ForecastParams(recency_halflife_years=None),
            "halflife_3y": ForecastParams(recency_halflife_years=3.0),
            "persistence_0": ForecastParams(residual_persistence=0.0),
            "persistence_1": ForecastParams(residual_persistence=1.0),
            "damped_0.9": ForecastParams(trend_damping=0.9),
            "damped_0.8": ForecastParams(trend_damping=0.8),
            "damped_0.8_persist_1": ForecastParams(trend_damping=0.8, residual_persistence=1.0),
        }
        for name, params in variants.items():
            print(f"{name:22s}", totals(backtest(params)))  # noqa: T201


if __name__ == "__main__":
    main()
