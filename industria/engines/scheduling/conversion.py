"""Pipeline-weighted forecast: stage-to-stage conversion from project history, expected investment and output.

``estimate_conversion(history, rules, as_of)`` — for each step s → next(s) of the ordered stages, using only
dates on or before ``as_of`` (a project has *reached* a stage when that stage's date or any later stage's date
is known by then):

    converted = reached s and next(s);   lost = reached s only, cancelled;
    stale     = reached s only, not cancelled, at s for more than stale_factor × the step's median days;
    rate      = converted / (converted + lost + stale);   days = median(date next − date s)

Open projects younger than that are left out (they have not had their chance yet).  An estimate supported by
fewer than ``min_observations`` projects gives way to the prior of the rule set; an override always wins.
The ``*_source`` columns say which (estimate, prior, override).

``forecast_pipeline(history, conversion, as_of, end_year)`` — per active project: the probability of reaching
*started* and *producing* (product of the step rates from its stage on) and the expected dates of start,
completion, production and capacity (the project's own planned date where it lies after ``as_of``, else
``as_of`` + the remaining median days).  The fixed-asset investment not yet reported is spread evenly from the
expected start to the expected completion; output ramps linearly from production to capacity, then runs at
the expected annual output.  Each year from ``as_of`` to ``end_year`` receives its share of the future (the
current year only from ``as_of``), weighted by the probability.  ``pipeline_by_year`` sums the project-years
into (year, indicator_code, expected_value) in the plan indicators' units.
"""

from __future__ import annotations

import datetime as dt
import math

import polars as pl

from .rules import ORDERED_STAGES, ForecastRules
from .schema import cast_frame, check_frame

DATE_COLUMNS = [f"{s}_on" for s in ORDERED_STAGES]
HISTORY_SCHEMA = {"project_id": pl.Int64, "cancelled_on": pl.Date, **dict.fromkeys(DATE_COLUMNS, pl.Date)}
HISTORY_OPTIONAL = {
    "fixed_asset_investment_cny": pl.Float64,
    "expected_output_cny": pl.Float64,
    "completed_investment_cny": pl.Float64,
    "planned_started_on": pl.Date,
    "planned_completed_on": pl.Date,
    "planned_producing_on": pl.Date,
    "planned_at_capacity_on": pl.Date,
}
CONVERSION_SCHEMA = {
    "stage": pl.String,
    "next_stage": pl.String,
    "step": pl.Int64,
    "reached": pl.Int64,
    "converted": pl.Int64,
    "lost": pl.Int64,
    "stale": pl.Int64,
    "open": pl.Int64,
    "rate_estimate": pl.Float64,
    "days_estimate": pl.Float64,
    "days_observations": pl.Int64,
    "rate": pl.Float64,
    "days": pl.Int64,
    "rate_source": pl.String,
    "days_source": pl.String,
}
MILESTONES = {"started": 6, "completed": 8, "producing": 9, "at_capacity": 10}
EPOCH = dt.date(1970, 1, 1)


def _day(value: dt.date) -> int:
    return (value - EPOCH).days


def _reached_columns(as_of: dt.date) -> list[pl.Expr]:
    """``r<i>``: stage i reached on ``as_of``; ``e<i>``: the day stage i was entered (if dated by then)."""
    day = pl.lit(as_of, dtype=pl.Date)
    known = [pl.col(c).is_not_null() & (pl.col(c) <= day) for c in DATE_COLUMNS]
    exprs: list[pl.Expr] = []
    for i in range(len(ORDERED_STAGES)):
        exprs.append(pl.any_horizontal(known[i:]).alias(f"r{i}"))
        exprs.append(pl.when(known[i]).then(pl.col(DATE_COLUMNS[i]).cast(pl.Int64)).alias(f"e{i}"))
    exprs.append((pl.col("cancelled_on").is_not_null() & (pl.col("cancelled_on") <= day)).alias("cancelled"))
    return exprs


def _prepared(history: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    check_frame(history, "history", HISTORY_SCHEMA, HISTORY_OPTIONAL)
    present = {c: t for c, t in HISTORY_OPTIONAL.items() if c in history.columns}
    frame = cast_frame(history, {**HISTORY_SCHEMA, **present})
    missing = [pl.lit(None, dtype=t).alias(c) for c, t in HISTORY_OPTIONAL.items() if c not in present]
    frame = frame.with_columns(missing) if missing else frame
    frame = frame.with_columns(_reached_columns(as_of))
    highest = pl.max_horizontal(
        [pl.when(pl.col(f"r{i}")).then(pl.lit(i)) for i in range(len(ORDERED_STAGES))]
    ).fill_null(-1)
    return frame.with_columns(highest=highest)


def estimate_conversion(history: pl.DataFrame, rules: ForecastRules, as_of: dt.date) -> pl.DataFrame:
    """One row per step of the ordered stages: counts, estimates and the values used (see module docstring)."""
    frame = _prepared(history, as_of)
    today = _day(as_of)
    min_obs = int(rules.min_observations.value)
    stale_factor = float(rules.stale_factor.value)
    rows = []
    for i, stage in enumerate(ORDERED_STAGES[:-1]):  # ten steps: a loop over the stage machine, not over rows
        nxt = ORDERED_STAGES[i + 1]
        prior, override = rules.priors[stage], rules.overrides.get(stage, {})
        at_s = frame.filter(pl.col(f"r{i}"))
        durations = at_s.select((pl.col(f"e{i + 1}") - pl.col(f"e{i}")).alias("d")).filter(pl.col("d") >= 0)
        n_days = durations.height
        days_estimate = durations.get_column("d").median() if n_days else None
        if "days" in override:
            days, days_source = int(override["days"]), "override"
        elif days_estimate is not None and n_days >= min_obs:
            days, days_source = int(round(float(days_estimate))), "estimate"
        else:
            days, days_source = prior.days, "prior"
        waiting = at_s.filter(~pl.col(f"r{i + 1}"))
        stale_expr = ~pl.col("cancelled") & ((today - pl.col(f"e{i}")) > stale_factor * max(days, 1))
        counts = waiting.select(
            lost=pl.col("cancelled").sum(),
            stale=stale_expr.sum(),
            open=(~pl.col("cancelled") & ~stale_expr.fill_null(False)).sum(),
        ).row(0, named=True)
        converted = at_s.filter(pl.col(f"r{i + 1}")).height
        denominator = converted + counts["lost"] + counts["stale"]
        rate_estimate = converted / denominator if denominator else None
        if "rate" in override:
            rate, rate_source = float(override["rate"]), "override"
        elif rate_estimate is not None and denominator >= min_obs:
            rate, rate_source = rate_estimate, "estimate"
        else:
            rate, rate_source = prior.rate, "prior"
        rows.append(
            {
                "stage": stage,
                "next_stage": nxt,
                "step": i,
                "reached": at_s.height,
                "converted": converted,
                "lost": counts["lost"],
                "stale": counts["stale"],
                "open": counts["open"],
                "rate_estimate": rate_estimate,
                "days_estimate": None if days_estimate is None else float(days_estimate),
                "days_observations": n_days,
                "rate": rate,
                "days": days,
                "rate_source": rate_source,
                "days_source": days_source,
            }
        )
    return pl.DataFrame(rows, schema=CONVERSION_SCHEMA)


def _chain_tables(conversion: pl.DataFrame) -> pl.DataFrame:
    """For every current stage h: P(reach m) and the days from entering h+1 to reaching m, per milestone m."""
    rates = conversion.sort("step").get_column("rate").to_list()
    days = conversion.sort("step").get_column("days").to_list()
    rows = []
    for h in range(-1, len(ORDERED_STAGES)):
        row: dict[str, float | int] = {"highest": h}
        first = max(h, 0)
        row["step_days"] = days[first] if first < len(days) else 0
        for name, m in MILESTONES.items():
            if h >= m:
                row[f"p_{name}"], row[f"d_{name}"] = 1.0, 0
                continue
            row[f"p_{name}"] = math.prod(rates[first:m])
            row[f"d_{name}"] = sum(days[first + 1 : m])  # the steps after the current one
        rows.append(row)
    return pl.DataFrame(rows).with_columns(pl.col("highest").cast(pl.Int64))


def forecast_pipeline(
    history: pl.DataFrame, conversion: pl.DataFrame, as_of: dt.date, *, end_year: int
) -> pl.DataFrame:
    """Expected investment and output per project and year, ``as_of.year`` … ``end_year`` (module docstring)."""
    check_frame(conversion, "conversion", {"step": pl.Int64, "rate": pl.Float64, "days": pl.Int64})
    frame = _prepared(history, as_of).filter(~pl.col("cancelled"))
    today = _day(as_of)
    chain = _chain_tables(conversion)
    frame = frame.join(chain, on="highest", how="left")
    # entry day of the current stage (the latest dated stage reached)
    entry = pl.max_horizontal([pl.col(f"e{i}") for i in range(len(ORDERED_STAGES))]).fill_null(today)
    remaining_here = (pl.col("step_days") - (today - entry)).clip(lower_bound=0)
    exprs = []
    for name, m in MILESTONES.items():
        planned = pl.col(f"planned_{name}_on").cast(pl.Int64)
        statistical = today + remaining_here + pl.col(f"d_{name}")
        expected = (
            pl.when(pl.col(f"r{m}"))
            .then(pl.coalesce(pl.col(f"e{m}"), pl.lit(today)))
            .when(planned > today)
            .then(planned)
            .otherwise(statistical)
        )
        exprs.append(expected.alias(f"exp_{name}"))
    frame = (
        frame.with_columns(exprs)
        .with_columns(
            exp_completed=pl.max_horizontal("exp_completed", "exp_started"),
            exp_producing=pl.max_horizontal("exp_producing", "exp_started"),
        )
        .with_columns(exp_at_capacity=pl.max_horizontal("exp_at_capacity", pl.col("exp_producing") + 1))
    )
    frame = frame.with_columns(
        remaining_cny=(
            pl.col("fixed_asset_investment_cny").fill_null(0.0) - pl.col("completed_investment_cny").fill_null(0.0)
        ).clip(lower_bound=0.0),
        inv_start=pl.max_horizontal("exp_started", pl.lit(today)),
    ).with_columns(inv_end=pl.max_horizontal("exp_completed", pl.col("inv_start") + 1))

    years = pl.DataFrame(
        {
            "year": list(range(as_of.year, end_year + 1)),
            "y0": [max(_day(dt.date(y, 1, 1)), today) for y in range(as_of.year, end_year + 1)],
            "y1": [_day(dt.date(y + 1, 1, 1)) for y in range(as_of.year, end_year + 1)],
        },
        schema={"year": pl.Int64, "y0": pl.Int64, "y1": pl.Int64},
    )
    prod, cap = pl.col("exp_producing"), pl.col("exp_at_capacity")
    a1, b1 = pl.col("y0").clip(prod, cap), pl.col("y1").clip(prod, cap)
    ramp_days = ((b1 - prod).pow(2) - (a1 - prod).pow(2)) / (2 * (cap - prod))
    full_days = (pl.max_horizontal("y1", cap) - pl.max_horizontal("y0", cap)).cast(pl.Float64)
    overlap = (pl.min_horizontal("y1", "inv_end") - pl.max_horizontal("y0", "inv_start")).clip(lower_bound=0)
    out = (
        frame.join(years, how="cross")
        .with_columns(
            expected_investment_cny=pl.col("p_started")
            * pl.col("remaining_cny")
            * overlap
            / (pl.col("inv_end") - pl.col("inv_start")),
            expected_output_cny=pl.col("p_producing")
            * pl.col("expected_output_cny").fill_null(0.0)
            / 365.0
            * (ramp_days + full_days),
            not_started=~pl.col(f"r{MILESTONES['started']}"),
            not_producing=~pl.col(f"r{MILESTONES['producing']}"),
        )
        .select(
            "project_id",
            "year",
            "p_started",
            "p_producing",
            pl.col("exp_started").cast(pl.Date).alias("expected_started_on"),
            pl.col("exp_completed").cast(pl.Date).alias("expected_completed_on"),
            pl.col("exp_producing").cast(pl.Date).alias("expected_producing_on"),
            pl.col("exp_at_capacity").cast(pl.Date).alias("expected_at_capacity_on"),
            "expected_investment_cny",
            "expected_output_cny",
            "not_started",
            "not_producing",
        )
        .sort("project_id", "year")
    )
    return out


def pipeline_by_year(
    project_years: pl.DataFrame, rules: ForecastRules, *, increments_only: bool = False
) -> pl.DataFrame:
    """(year, indicator_code, expected_value) summed over projects, in each linked indicator's unit.

    ``increments_only`` keeps what the indicator's own trend cannot know (the link's ``increment`` basis:
    investment of projects not started on ``as_of``, output of projects not producing yet).
    """
    frames = []
    for measure, link in rules.indicators.items():
        column = "expected_investment_cny" if measure == "investment" else "expected_output_cny"
        rows = project_years
        if increments_only and link.increment != "all":
            rows = rows.filter(pl.col(link.increment))
        frames.append(
            rows.group_by("year")
            .agg(expected_value=pl.col(column).sum() / link.unit_divisor)
            .with_columns(indicator_code=pl.lit(link.code))
        )
    schema = {"year": pl.Int64, "indicator_code": pl.String, "expected_value": pl.Float64}
    if not frames:
        return pl.DataFrame(schema=schema)
    return pl.concat(frames).select(list(schema)).cast(schema).sort("indicator_code", "year")
