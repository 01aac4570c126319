"""Properties of the land-efficiency engine (hypothesis)."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industria.engines.land_efficiency import FACTS_SCHEMA, grade_land_efficiency, parse_rules

ROOT = Path(__file__).resolve().parents[3]
RAW = yaml.safe_load((ROOT / "fixtures/reference/rulesets/land-efficiency-zj.yaml").read_text("utf-8"))
AGGREGATE_RULES = parse_rules(RAW)


def _constant_rules() -> Any:
    """The built-in rule set with every benchmark replaced by a published-style constant."""
    raw = copy.deepcopy(RAW)
    constants = {
        "tax_per_mu": 240970,
        "va_per_mu": 1361600,
        "va_per_tce": 26940,
        "va_per_emission": 49298100,
        "va_per_employee": 181400,
        "rd_intensity": 0.0302,
        "tax_per_mu_below": 115932,
        "tax_per_kwh_below": 0.2352,
    }
    for ind in raw["indicators"]:
        ind["benchmark"] = {"constant": constants[ind["code"]]}
    return parse_rules(raw)


CONSTANT_RULES = _constant_rules()
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
POINT_COLUMNS = [f"{ind.code}_points" for ind in CONSTANT_RULES.indicators] + ["total_points"]


def money(low: int = 0, high: int = 10**9) -> st.SearchStrategy[Decimal]:
    return st.decimals(min_value=low, max_value=high, places=2, allow_nan=False, allow_infinity=False)


rows = st.fixed_dictionaries(
    {
        "main_revenue_cny": money(0, 2 * 10**8),
        "land_area_mu": st.decimals(min_value=Decimal("0.5"), max_value=500, places=4),
        "tax_cny": money(-(10**6), 10**8),
        "value_added_cny": money(-(10**6), 10**9),
        "energy_tce": st.one_of(st.none(), st.decimals(min_value=0, max_value=10**6, places=4)),
        "emissions_t": st.one_of(st.none(), st.decimals(min_value=0, max_value=10**5, places=4)),
        "employees_avg": st.decimals(min_value=0, max_value=10**4, places=2),
        "rd_expense_cny": money(0, 10**7),
        "electricity_kwh": st.decimals(min_value=0, max_value=10**8, places=2),
        "exempt_class": st.sampled_from([None, "none", "public_utility", "startup"]),
        "veto": st.sampled_from([None, "none", "none", "serious_dishonesty"]),
    }
)


def to_frame(records: list[dict[str, Any]]) -> pl.DataFrame:
    data = [{"uscc": f"R{i:06d}", "name": None, **r} for i, r in enumerate(records)]
    return pl.DataFrame(data, schema=FACTS_SCHEMA)


def population(n: int, seed: int) -> pl.DataFrame:
    """A deterministic synthetic population (numpy, not hypothesis: it only has to be large)."""
    rng = np.random.default_rng(seed)
    frame = pl.DataFrame(
        {
            "uscc": [f"P{i:06d}" for i in range(n)],
            "name": [None] * n,
            "main_revenue_cny": np.round(rng.lognormal(np.log(3e7), 1.0, n), 2),
            "land_area_mu": np.round(rng.uniform(1, 200, n), 4),
            "tax_cny": np.round(rng.lognormal(np.log(1e6), 1.0, n), 2),
            "value_added_cny": np.round(rng.lognormal(np.log(8e6), 1.0, n), 2),
            "energy_tce": np.round(rng.uniform(10, 5000, n), 4),
            "emissions_t": np.round(rng.uniform(1, 100, n), 4),
            "employees_avg": np.round(rng.uniform(5, 500, n), 2),
            "rd_expense_cny": np.round(rng.lognormal(np.log(5e5), 1.0, n), 2),
            "electricity_kwh": np.round(rng.lognormal(np.log(1e6), 1.0, n), 2),
            "exempt_class": ["none"] * n,
            "veto": ["none"] * n,
        }
    )
    return frame.with_columns(pl.col(c).cast(t) for c, t in FACTS_SCHEMA.items())


BIG = population(3000, seed=6)


@SETTINGS
@given(row=rows, extra_tax=money(1, 10**7))
def test_more_tax_per_mu_never_lowers_a_score(row: dict[str, Any], extra_tax: Decimal) -> None:
    richer = {**row, "tax_cny": row["tax_cny"] + extra_tax}

    base, more = grade_land_efficiency(to_frame([row, richer]), CONSTANT_RULES).iter_rows(named=True)

    for column in ("tax_per_mu_points", "tax_per_mu_below_points", "total_points"):
        if base[column] is not None:
            assert more[column] >= base[column], column


@SETTINGS
@given(row=rows.filter(lambda r: r["emissions_t"] is not None and r["emissions_t"] > 0), position=st.integers(0, 3000))
def test_a_row_alone_scores_as_inside_a_large_file(row: dict[str, Any], position: int) -> None:
    # with constant benchmarks only the grade depends on the population (and a missing or zero emissions value,
    # which scores the class mean — docs/engines/evaluation.md: excluded here)
    alone = grade_land_efficiency(to_frame([row]), CONSTANT_RULES).select(POINT_COLUMNS).row(0)
    big = pl.concat([BIG.head(position), to_frame([row]), BIG.tail(BIG.height - position)])

    inside = grade_land_efficiency(big, CONSTANT_RULES).select(POINT_COLUMNS).row(position)

    assert inside == alone


@SETTINGS
@given(records=st.lists(rows, min_size=1, max_size=30), seed=st.integers(0, 2**32 - 1))
def test_row_order_changes_nothing(records: list[dict[str, Any]], seed: int) -> None:
    facts = to_frame(records)
    shuffled = facts.sample(fraction=1.0, shuffle=True, seed=seed)

    result = grade_land_efficiency(facts, AGGREGATE_RULES)
    reordered = grade_land_efficiency(shuffled, AGGREGATE_RULES)

    back = reordered.join(pl.DataFrame({"uscc": facts["uscc"]}).with_row_index("_i"), on="uscc").sort("_i").drop("_i")
    assert back.equals(result)
