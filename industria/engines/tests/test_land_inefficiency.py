"""Inefficient-land engine: golden cases, each threshold at its boundary, rule overrides, properties."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industria.engines.common.schema import SchemaError
from industria.engines.land_inefficiency import (
    DEFAULT_RULES,
    KIND_ORDER,
    RESULT_SCHEMA,
    InefficiencyRules,
    RulesError,
    classify_inefficient_land,
    parse_rules,
)

AS_OF = date(2024, 6, 30)


def days_ago(n: int) -> date:
    return AS_OF - timedelta(days=n)


def parcel(parcel_id: int, **facts: Any) -> dict[str, Any]:
    row: dict[str, Any] = {"parcel_id": parcel_id, "status": "in_use", "area_mu": 10.0}
    row.update(facts)
    return row


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    schema = {
        "parcel_id": pl.Int64,
        "status": pl.String,
        "approved_on": pl.Date,
        "transfer_on": pl.Date,
        "construction_started_on": pl.Date,
        "completed_on": pl.Date,
        "producing_on": pl.Date,
        "developed_share": pl.Float64,
        "area_mu": pl.Float64,
        "agreed_output_cny_per_mu": pl.Float64,
        "agreed_tax_cny_per_mu": pl.Float64,
        "output_cny": pl.Float64,
        "tax_cny": pl.Float64,
        "grade": pl.String,
    }
    return pl.DataFrame([{k: r.get(k) for k in schema} for r in rows], schema=schema)


def kinds_of(result: pl.DataFrame) -> dict[int, list[str]]:
    return dict(zip(result["parcel_id"].to_list(), result["kinds"].to_list(), strict=True))


def classify(*rows: dict[str, Any], rules: InefficiencyRules = DEFAULT_RULES) -> dict[int, list[str]]:
    return kinds_of(classify_inefficient_land(frame(*rows), rules=rules, as_of=AS_OF))


def test_golden_city_block() -> None:
    """Eight parcels, one of each kind plus a clean one and a parcel with two kinds."""
    rows = [
        parcel(1, approved_on=date(2021, 1, 1)),  # approved 3½ years ago, never supplied
        parcel(2, transfer_on=date(2022, 3, 1)),  # transferred, no construction
        parcel(3, transfer_on=date(2020, 1, 1), construction_started_on=date(2020, 6, 1), developed_share=0.3),
        parcel(4, construction_started_on=date(2021, 1, 1), completed_on=date(2022, 12, 31), developed_share=1.0),
        parcel(
            5,
            producing_on=date(2020, 1, 1),
            agreed_output_cny_per_mu=5_000_000.0,
            output_cny=30_000_000.0,  # 3 million per mu < 5 million agreed
            agreed_tax_cny_per_mu=200_000.0,
            tax_cny=2_500_000.0,  # 250,000 per mu: meets the tax clause
        ),
        parcel(6, grade="D", status="idle"),
        parcel(7, producing_on=date(2019, 1, 1), grade="B", agreed_output_cny_per_mu=1.0, output_cny=100.0),
    ]
    result = classify_inefficient_land(frame(*rows), rules=DEFAULT_RULES, as_of=AS_OF)
    assert result.schema == pl.Schema(RESULT_SCHEMA)
    assert kinds_of(result) == {
        1: ["approved_not_supplied"],
        2: ["supplied_not_used"],
        3: ["used_not_fully"],
        4: ["built_not_producing"],
        5: ["below_standard"],
        6: ["grade_d", "idle"],
    }
    assert result["primary_kind"].to_list() == [
        "approved_not_supplied",
        "supplied_not_used",
        "used_not_fully",
        "built_not_producing",
        "below_standard",
        "grade_d",
    ]
    explanations = {pid: json.loads(text) for pid, text in zip(result["parcel_id"], result["explanation"], strict=True)}
    first = explanations[1]["approved_not_supplied"]
    assert first["facts"] == {"approved_on": "2021-01-01", "transfer_on": None, "days": 1276}
    assert first["threshold"] == {"approved_not_supplied_days": 730}
    assert first["source"]["tag"] == "U"
    below = explanations[5]["below_standard"]
    assert below["facts"]["output_cny_per_mu"] == 3_000_000.0
    assert below["facts"]["output_below"] is True
    assert below["facts"]["tax_below"] is False
    assert below["facts"]["enforced_from"] == "2023-01-01"
    assert below["threshold"] == {"below_standard_ratio": 1.0, "below_standard_ramp_up_years": 3}
    assert set(below["source"]) == {"below_standard_ratio", "below_standard_ramp_up_years"}
    assert explanations[2]["supplied_not_used"]["source"]["tag"] == "M"
    assert "53号" in explanations[2]["supplied_not_used"]["source"]["document_no"]
    assert set(explanations[6]) == {"grade_d", "idle"}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({"approved_on": days_ago(730)}, ["approved_not_supplied"]),
        ({"approved_on": days_ago(729)}, []),
        ({"approved_on": days_ago(900), "transfer_on": days_ago(10)}, []),
        # a transfer after as_of has not happened yet
        ({"approved_on": days_ago(900), "transfer_on": AS_OF + timedelta(days=1)}, ["approved_not_supplied"]),
        ({"transfer_on": days_ago(365)}, ["supplied_not_used"]),
        ({"transfer_on": days_ago(364)}, []),
        ({"transfer_on": days_ago(500), "construction_started_on": days_ago(1)}, []),
        ({"transfer_on": days_ago(500), "construction_started_on": AS_OF + timedelta(days=1)}, ["supplied_not_used"]),
        ({"construction_started_on": days_ago(1), "developed_share": 0.4999}, ["used_not_fully"]),
        ({"construction_started_on": days_ago(1), "developed_share": 0.5}, []),
        ({"developed_share": 0.1}, []),  # construction not started: not "used"
        ({"construction_started_on": days_ago(1)}, []),  # share unknown
        ({"completed_on": days_ago(365)}, ["built_not_producing"]),
        ({"completed_on": days_ago(364)}, []),
        ({"completed_on": days_ago(800), "producing_on": days_ago(100)}, []),
        ({"grade": "D"}, ["grade_d"]),
        ({"grade": "C"}, []),
        ({"status": "idle"}, ["idle"]),
        ({"status": "available"}, []),
        ({}, []),
    ],
)
def test_boundaries(facts: dict[str, Any], expected: list[str]) -> None:
    assert classify(parcel(1, **facts)).get(1, []) == expected


@pytest.mark.parametrize(
    ("producing_on", "output_cny", "tax_cny", "expected"),
    [
        (date(2021, 6, 30), 9_999_990.0, None, True),  # ramp-up ends exactly on as_of; 999,999 < 1,000,000
        (date(2021, 7, 1), 9_999_990.0, None, False),  # still ramping up
        (date(2021, 6, 30), 10_000_000.0, None, False),  # exactly the clause: met
        (date(2021, 6, 30), None, None, False),  # no actuals: cannot tell
        (date(2021, 6, 30), 10_000_000.0, 999_999.0, True),  # tax 99,999.9 < 100,000
        (date(2021, 6, 30), 10_000_000.0, 1_000_000.0, False),
    ],
)
def test_below_standard_boundaries(
    producing_on: date, output_cny: float | None, tax_cny: float | None, expected: bool
) -> None:
    row = parcel(
        1,
        producing_on=producing_on,
        area_mu=10.0,
        agreed_output_cny_per_mu=1_000_000.0,
        agreed_tax_cny_per_mu=100_000.0,
        output_cny=output_cny,
        tax_cny=tax_cny,
    )
    assert (classify(row).get(1) == ["below_standard"]) is expected


def test_zero_area_never_below_standard() -> None:
    row = parcel(1, producing_on=date(2010, 1, 1), area_mu=0.0, agreed_output_cny_per_mu=1.0, output_cny=0.0)
    assert classify(row) == {}


def test_overridden_rules() -> None:
    rules = parse_rules(
        {
            "used_not_fully_share": 0.6,
            "approved_not_supplied_days": {
                "value": 365,
                "source": {"tag": "S", "document_no": "沪规划资源〔2024〕1号"},
            },
            "grade_d_grades": ["C", "D"],
            "below_standard_ratio": 0.8,
        }
    )
    assert rules.used_not_fully_share.value == 0.6
    assert rules.used_not_fully_share.source.tag == "U"  # overridden without a source: a local choice
    assert rules.approved_not_supplied_days.source.document_no == "沪规划资源〔2024〕1号"
    assert not rules.approved_not_supplied_days.uncertain
    found = classify(
        parcel(1, construction_started_on=days_ago(1), developed_share=0.55),
        parcel(2, approved_on=days_ago(365)),
        parcel(3, grade="C"),
        parcel(4, producing_on=date(2015, 1, 1), agreed_output_cny_per_mu=100.0, output_cny=850.0),  # 85 ≥ 80
        rules=rules,
    )
    assert found == {1: ["used_not_fully"], 2: ["approved_not_supplied"], 3: ["grade_d"]}


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ({"unknown": 1}, "unknown"),
        ({"used_not_fully_share": 1.5}, "used_not_fully_share"),
        ({"supplied_not_used_days": -1}, "supplied_not_used_days"),
        ({"supplied_not_used_days": 1.5}, "supplied_not_used_days"),
        ({"below_standard_ratio": 0}, "below_standard_ratio"),
        ({"idle_statuses": [1]}, "idle_statuses"),
        ({"grade_d_grades": {"source": {"tag": "S"}}}, "grade_d_grades.value"),
        ({"grade_d_grades": {"value": "D", "source": {"tag": "X"}}}, "grade_d_grades.source.tag"),
    ],
)
def test_parse_rules_names_the_field(raw: dict[str, Any], path: str) -> None:
    with pytest.raises(RulesError) as info:
        parse_rules(raw)
    assert info.value.path == path


def test_every_default_threshold_has_a_source() -> None:
    for name, item in DEFAULT_RULES.as_dict().items():
        assert item["source"]["tag"] in ("S", "M", "U"), name


def test_missing_required_column_is_named() -> None:
    with pytest.raises(SchemaError, match="status"):
        classify_inefficient_land(pl.DataFrame({"parcel_id": [1]}), rules=DEFAULT_RULES, as_of=AS_OF)


def test_minimal_columns_and_empty_result() -> None:
    result = classify_inefficient_land(
        pl.DataFrame({"parcel_id": [1, 2], "status": ["in_use", "idle"]}), rules=DEFAULT_RULES, as_of=AS_OF
    )
    assert kinds_of(result) == {2: ["idle"]}
    empty = classify_inefficient_land(
        pl.DataFrame({"parcel_id": [1], "status": ["in_use"]}), rules=DEFAULT_RULES, as_of=AS_OF
    )
    assert empty.height == 0
    assert empty.schema == pl.Schema(RESULT_SCHEMA)


maybe_date = st.one_of(st.none(), st.dates(min_value=date(2010, 1, 1), max_value=date(2026, 12, 31)))
rows_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "status": st.sampled_from(["in_use", "idle", "available", "under_construction"]),
            "approved_on": maybe_date,
            "transfer_on": maybe_date,
            "construction_started_on": maybe_date,
            "completed_on": maybe_date,
            "producing_on": maybe_date,
            "developed_share": st.one_of(st.none(), st.floats(0, 1)),
            "area_mu": st.floats(0, 500),
            "agreed_output_cny_per_mu": st.one_of(st.none(), st.floats(0, 1e7)),
            "output_cny": st.one_of(st.none(), st.floats(0, 1e9)),
            "grade": st.one_of(st.none(), st.sampled_from("ABCD")),
        }
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, as_of=st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 1, 1)))
def test_properties(rows: list[dict[str, Any]], as_of: date) -> None:
    """Kinds in the fixed order, no duplicates, primary = first, explanation covers exactly the kinds,
    one result per flagged parcel in input order, and idle/D are always caught."""
    facts = frame(*(parcel(i, **row) for i, row in enumerate(rows)))
    result = classify_inefficient_land(facts, rules=DEFAULT_RULES, as_of=as_of)
    ids = result["parcel_id"].to_list()
    assert ids == sorted(ids)
    for kinds, primary, text in zip(
        result["kinds"].to_list(), result["primary_kind"], result["explanation"], strict=True
    ):
        assert kinds
        assert primary == kinds[0]
        assert kinds == sorted(kinds, key=KIND_ORDER.index)
        assert len(set(kinds)) == len(kinds)
        assert list(json.loads(text)) == kinds
    flagged = set(ids)
    for i, row in enumerate(rows):
        if row["status"] == "idle" or row["grade"] == "D":
            assert i in flagged
    reversed_result = classify_inefficient_land(facts.reverse(), rules=DEFAULT_RULES, as_of=as_of)
    assert kinds_of(reversed_result) == kinds_of(result)
