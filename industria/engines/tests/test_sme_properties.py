"""Properties of the SME-tier engine (hypothesis)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industria.engines.sme_tiers import FACTS_SCHEMA, parse_rules, score_sme_tier
from industria.engines.sme_tiers.facts import IP_CLASSES, RD_INSTITUTION_LEVELS

ROOT = Path(__file__).resolve().parents[3]
RULES = parse_rules(yaml.safe_load((ROOT / "fixtures/reference/rulesets/sme-innovative-2022.yaml").read_text("utf-8")))
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def money(high: int = 10**9) -> st.SearchStrategy[Decimal | None]:
    amount = st.decimals(min_value=0, max_value=high, places=2, allow_nan=False, allow_infinity=False)
    return st.one_of(st.none(), amount, amount, amount)


flags = st.sampled_from([None, True, False, False])
rows = st.fixed_dictionaries(
    {
        "ip_class": st.sampled_from([None, *IP_CLASSES]),
        "rd_expense_cny": money(10**7),
        "operating_revenue_cny": money(),
        "main_revenue_cny": money(),
        "main_revenue_prev_cny": money(),
        "total_assets_cny": money(),
        "total_liabilities_cny": money(),
        "in_sei_catalogue": flags,
        "st_award_3y": flags,
        "honour_valid": flags,
        "rd_institution_level": st.sampled_from([None, *RD_INSTITUTION_LEVELS]),
        "equity_financing_3y_cny": money(10**8),
    }
)


def to_frame(records: list[dict[str, Any]], prefix: str = "R") -> pl.DataFrame:
    data = [{"uscc": f"{prefix}{i:06d}", "name": None, **r} for i, r in enumerate(records)]
    columns = {c: FACTS_SCHEMA[c] for c in RULES.columns}
    return pl.DataFrame(data, schema=columns)


def population(n: int, seed: int) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    revenue = np.round(rng.lognormal(np.log(5e7), 1.0, n), 2)
    frame = pl.DataFrame(
        {
            "uscc": [f"P{i:06d}" for i in range(n)],
            "name": [None] * n,
            "ip_class": rng.choice(IP_CLASSES, n),
            "rd_expense_cny": np.round(revenue * rng.uniform(0, 0.08, n), 2),
            "operating_revenue_cny": revenue,
            "main_revenue_cny": np.round(revenue * rng.uniform(0.4, 1.0, n), 2),
            "main_revenue_prev_cny": np.round(revenue * rng.uniform(0.6, 1.2, n), 2),
            "total_assets_cny": np.round(revenue * 1.5, 2),
            "total_liabilities_cny": np.round(revenue * rng.uniform(0.2, 1.4, n), 2),
            "in_sei_catalogue": rng.random(n) < 0.5,
            "st_award_3y": rng.random(n) < 0.05,
            "honour_valid": rng.random(n) < 0.1,
            "rd_institution_level": rng.choice(RD_INSTITUTION_LEVELS, n),
            "equity_financing_3y_cny": np.round(rng.uniform(0, 1e7, n), 2),
        }
    )
    return frame.with_columns(pl.col(c).cast(FACTS_SCHEMA[c]) for c in frame.columns)


BIG = population(3000, seed=11)


@SETTINGS
@given(row=rows, position=st.integers(0, 3000))
def test_a_row_alone_scores_as_inside_a_large_file(row: dict[str, Any], position: int) -> None:
    alone = score_sme_tier(to_frame([row]), RULES).row(0)
    big = pl.concat([BIG.head(position), to_frame([row]), BIG.tail(BIG.height - position)])

    inside = score_sme_tier(big, RULES).row(position)

    assert inside == alone


@SETTINGS
@given(records=st.lists(rows, min_size=1, max_size=30), seed=st.integers(0, 2**32 - 1))
def test_row_order_changes_nothing(records: list[dict[str, Any]], seed: int) -> None:
    facts = to_frame(records)
    shuffled = facts.sample(fraction=1.0, shuffle=True, seed=seed)

    result = score_sme_tier(facts, RULES)
    reordered = score_sme_tier(shuffled, RULES)

    back = reordered.join(pl.DataFrame({"uscc": facts["uscc"]}).with_row_index("_i"), on="uscc").sort("_i").drop("_i")
    assert back.equals(result)


@SETTINGS
@given(row=rows, extra=st.decimals(min_value=Decimal("0.01"), max_value=10**6, places=2))
def test_more_rd_expense_never_lowers_the_rd_points(row: dict[str, Any], extra: Decimal) -> None:
    base_rd = row["rd_expense_cny"] or Decimal(0)
    base, more = score_sme_tier(to_frame([row, {**row, "rd_expense_cny": base_rd + extra}]), RULES).iter_rows(
        named=True
    )
    if row["rd_expense_cny"] is not None:
        assert more["rd_intensity_points"] >= base["rd_intensity_points"]
        assert more["total_points"] >= base["total_points"]
