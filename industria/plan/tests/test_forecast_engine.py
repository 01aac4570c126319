"""The forecast engine behind the dashboard is pure, deterministic for its inputs, and backtested on the real
series as the dashboard reads them from the database (hold out the last years, compare with what happened)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import polars as pl
import pytest

from industria.engines.plan_progress import forecast_indicators
from industria.plan.models import PlanIndicator
from industria.plan.series import annual_series, read_actuals

ISOLATED_IMPORT = """
import pathlib, sys, types
root = pathlib.Path(sys.argv[1])
package = types.ModuleType("industria")  # the engine package alone, without the project's Celery/Django start-up
package.__path__ = [str(root / "industria")]
sys.modules["industria"] = package
import industria.engines.plan_progress as engine
bad = sorted(m for m in sys.modules if m.split(".")[0] in ("django", "rest_framework", "celery"))
assert not bad, bad
for path in (root / "industria/engines/plan_progress").glob("*.py"):
    text = path.read_text()
    assert "now(" not in text and "today(" not in text and "import random" not in text, path
"""


def test_engine_imports_no_django_and_reads_no_clock():
    from pathlib import Path

    root = Path(__file__).resolve().parents[3]

    subprocess.run([sys.executable, "-c", ISOLATED_IMPORT, str(root)], check=True)


def _history(plan) -> tuple[pl.DataFrame, pl.DataFrame]:
    indicators = list(
        PlanIndicator.objects.filter(plan=plan).values("id", "code", "measure", "value_kind", "since_year")
    )
    meta = pl.DataFrame(
        [(i["id"], i["measure"], i["value_kind"]) for i in indicators],
        schema={"indicator_id": pl.Int64, "measure": pl.String, "value_kind": pl.String},
        orient="row",
    )
    series = annual_series(read_actuals([i["id"] for i in indicators], dt.date(2026, 11, 1)), meta)
    codes = pl.DataFrame(
        {"indicator_id": [i["id"] for i in indicators], "indicator_code": [i["code"] for i in indicators]}
    )
    history = series.join(codes, on="indicator_id").select(
        "indicator_code", "period", "value", "status", published_on="as_of_date"
    )
    specs = pl.DataFrame(
        {
            "indicator_code": [i["code"] for i in indicators],
            "value_kind": [i["value_kind"] for i in indicators],
            "since_year": [i["since_year"] for i in indicators],
        },
        schema={"indicator_code": pl.String, "value_kind": pl.String, "since_year": pl.Int64},
    )
    return history, specs


@pytest.mark.django_db
def test_same_inputs_give_the_same_forecast(shanghai_plan):
    history, specs = _history(shanghai_plan)

    first = forecast_indicators(history, None, dt.date(2025, 6, 30), end_year=2025, specs=specs)
    second = forecast_indicators(
        history.sample(fraction=1.0, shuffle=True, seed=7), None, dt.date(2025, 6, 30), end_year=2025, specs=specs
    )

    assert first.forecast.equals(second.forecast)
    assert first.fits.equals(second.fits)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "max_ape_pct"),
    [
        ("gdp", 10.0),
        ("three_leading_industries_scale", 10.0),
        ("sei_output_share", 10.0),
        ("above_size_industrial_output", 10.0),
    ],
)
def test_backtest_one_year_ahead_on_the_shipped_series(shanghai_plan, code, max_ape_pct):
    """Origin = the year before the last actual; as of 30 June of the last year (docs/engines/plan_progress.md §6)."""
    history, specs = _history(shanghai_plan)
    series = history.filter(pl.col("indicator_code") == code).sort("period")
    last = series.row(-1, named=True)
    held_out_year = last["period"].year

    result = forecast_indicators(
        series,
        None,
        dt.date(held_out_year, 6, 30),
        end_year=held_out_year,
        specs=specs.filter(pl.col("indicator_code") == code),
    )

    row = result.forecast.filter(pl.col("year") == held_out_year).row(0, named=True)
    ape = abs(row["point"] - last["value"]) / last["value"] * 100
    assert ape < max_ape_pct, (code, row, last["value"])
    assert row["lower"] <= row["point"] <= row["upper"]
