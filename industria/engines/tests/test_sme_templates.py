"""The example spreadsheets of the SME rule sets read without errors and give the documented outcomes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import yaml

from industria.engines.common.schema import coerce_facts
from industria.engines.sme_tiers import FACTS_SCHEMA, parse_rules, score_sme_tier

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "sme-innovative-2022",
            [(Decimal(80), "score"), (Decimal(75), "none"), (Decimal(10), "direct"), (Decimal(85), "score")],
        ),
        ("sme-srdi-2022", [(Decimal(69), "score"), (Decimal(44), "direct")]),
        ("sme-little-giant-2022", [(None, "score"), (None, "direct")]),
    ],
)
def test_template_reads_cleanly_and_scores(code: str, expected: list[tuple[Decimal | None, str]]) -> None:
    rules = parse_rules(yaml.safe_load((ROOT / f"fixtures/reference/rulesets/{code}.yaml").read_text("utf-8")))
    raw = pl.read_csv(ROOT / f"fixtures/reference/templates/{code}.csv", infer_schema=False)

    facts, errors = coerce_facts(raw, FACTS_SCHEMA, required=rules.columns, not_null=["uscc"])
    result = score_sme_tier(facts, rules)

    assert errors == []
    assert raw.columns == list(rules.columns)
    assert list(zip(result["total_points"], result["route"], strict=True)) == expected
