"""Input coercion of raw text tables and the strict schema check engines run."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from industria.engines.common.schema import FactError, SchemaError, check_schema, coerce_facts

SCHEMA = {
    "uscc": pl.String,
    "name": pl.String,
    "amount_cny": pl.Decimal(20, 2),
    "count": pl.Int64,
    "flag": pl.Boolean,
    "kind": pl.Enum(["none", "alpha", "beta"]),
}


def raw(**columns: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.String))


def test_values_are_typed_and_empty_means_missing() -> None:
    table = raw(
        uscc=[" 91110000600037341l ", ""],
        amount_cny=["1,234.565", "  "],
        count=["12", ""],
        flag=["是", ""],
        kind=["Alpha", ""],
        district=["Pudong", "Minhang"],
    )

    typed, errors = coerce_facts(table, SCHEMA)

    assert errors == []
    assert typed.columns == ["uscc", "name", "amount_cny", "count", "flag", "kind", "district"]
    assert typed.row(0) == ("91110000600037341L", None, Decimal("1234.57"), 12, True, "alpha", "Pudong")
    assert typed.row(1) == (None, None, None, None, None, None, "Minhang")
    assert typed.schema["amount_cny"] == pl.Decimal(20, 2)
    assert typed.schema["kind"] == SCHEMA["kind"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("true", True),
        ("TRUE", True),
        ("True", True),
        ("1", True),
        ("是", True),
        ("false", False),
        ("FALSE", False),
        ("0", False),
        ("否", False),
    ],
)
def test_boolean_words(text: str, value: bool) -> None:
    typed, errors = coerce_facts(raw(flag=[text]), SCHEMA)
    assert errors == []
    assert typed["flag"].to_list() == [value]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.30000000000000004", "0.30"),
        ("1.5E7", "15000000.00"),
        ("2.675", "2.68"),
        ("-0.005", "-0.01"),
        ("12 345", "12345.00"),
    ],
)
def test_numbers_round_half_up_to_the_column_scale(text: str, value: str) -> None:
    typed, errors = coerce_facts(raw(amount_cny=[text]), SCHEMA)
    assert errors == []
    assert typed["amount_cny"].to_list() == [Decimal(value)]


def test_every_error_has_row_column_code_and_params() -> None:
    table = raw(
        uscc=["91110000600037341L", "91110000600037341M", "911100006000373I1L", ""],
        amount_cny=["1", "abc", "1e30", "2"],
        count=["1", "1.5", "x", "2"],
        flag=["yes", "", "", ""],
        kind=["gamma", "", "", ""],
    )

    typed, errors = coerce_facts(table, SCHEMA, required=["uscc", "name"], not_null=["uscc"])

    assert errors == [
        FactError(None, "name", "missing_column", {}),
        FactError(1, "flag", "bad_boolean", {"value": "yes"}),
        FactError(1, "kind", "bad_choice", {"value": "gamma", "choices": ["none", "alpha", "beta"]}),
        FactError(
            2, "uscc", "bad_uscc", {"problem": "bad_check_digit", "expected": "L", "value": "91110000600037341M"}
        ),
        FactError(2, "amount_cny", "not_a_number", {"value": "abc"}),
        FactError(2, "count", "not_an_integer", {"value": "1.5"}),
        FactError(
            3,
            "uscc",
            "bad_uscc",
            {"problem": "bad_character", "position": 16, "character": "I", "value": "911100006000373I1L"},
        ),
        FactError(3, "amount_cny", "out_of_range", {"value": "1e30"}),
        FactError(3, "count", "not_a_number", {"value": "x"}),
        FactError(4, "uscc", "required_value", {}),
    ]
    # a cell with an error is missing in the typed table
    assert typed["uscc"].to_list() == ["91110000600037341L", None, None, None]
    assert typed["amount_cny"].to_list() == [Decimal("1.00"), None, None, Decimal("2.00")]
    assert errors[1].as_dict() == {"row": 1, "column": "flag", "code": "bad_boolean", "params": {"value": "yes"}}


def test_max_errors_limits_the_list() -> None:
    _, errors = coerce_facts(raw(amount_cny=["x"] * 50), SCHEMA, max_errors=10)
    assert len(errors) == 10
    assert errors[-1].row == 10


def test_check_schema_casts_and_fills_optional_columns() -> None:
    facts = pl.DataFrame({"uscc": ["A"], "amount_cny": [12.5], "kind": ["beta"]})

    typed = check_schema(facts, SCHEMA, required=["uscc", "amount_cny"])

    assert typed.columns == list(SCHEMA)
    assert typed.schema["amount_cny"] == pl.Decimal(20, 2)
    assert typed["amount_cny"].to_list() == [Decimal("12.50")]
    assert typed["count"].to_list() == [None]


def test_check_schema_names_every_problem() -> None:
    facts = pl.DataFrame({"uscc": ["A"], "kind": ["gamma"]})
    with pytest.raises(SchemaError) as excinfo:
        check_schema(facts, SCHEMA, required=["uscc", "amount_cny", "count"])
    problems = excinfo.value.problems
    assert problems[:2] == ["missing column 'amount_cny'", "missing column 'count'"]
    assert problems[2].startswith("column 'kind' (String) cannot be read as Enum")
