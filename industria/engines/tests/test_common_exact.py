"""Exact comparisons, formulas and the one rounding rule."""

from __future__ import annotations

from decimal import Decimal

import polars as pl
import pytest

from industria.engines.common.formula import parse_formula
from industria.engines.common.parsing import RulesError
from industria.engines.common.rounding import round_float_points, round_points
from industria.engines.common.values import ValueSpec

SCALES = {"cur_cny": 2, "prev_cny": 2, "staff": 0}
MONEY = pl.Decimal(20, 2)


def growth() -> ValueSpec:
    return ValueSpec(parse_formula("cur_cny - prev_cny", SCALES, "n"), parse_formula("prev_cny", SCALES, "d"))


def frame(cur: list[str | None], prev: list[str | None]) -> pl.DataFrame:
    return pl.DataFrame({"cur_cny": cur, "prev_cny": prev}).select(pl.all().cast(MONEY))


def test_float_trap_cases_compare_exactly() -> None:
    # baseline study: 11.5M / 10M - 1 >= 0.15 -> [True, False, False, False]; float64 says [False, …]
    df = frame(["11500000", "11499999", "11460000", "11450000"], ["10000000"] * 4)

    result = df.select(growth().compare("gte", Decimal("0.15"))).to_series().to_list()

    assert result == [True, False, False, False]
    assert (
        df.select((pl.col("cur_cny").cast(pl.Float64) / pl.col("prev_cny").cast(pl.Float64) - 1) >= 0.15).to_series()[0]
        is False
    )


def test_ratio_is_undefined_for_missing_or_non_positive_denominators() -> None:
    df = frame(["1", "1", None, "1"], ["0", "-5", "1", None])
    spec = growth()
    out = df.select(
        defined=spec.defined(),
        cmp=spec.compare("gte", Decimal(0)),
        value=spec.as_float(),
        reason=spec.undefined_reason(),
    )
    assert out["defined"].to_list() == [False] * 4
    assert out["cmp"].to_list() == [None] * 4
    assert out["value"].to_list() == [None] * 4
    assert out["reason"].to_list() == ["ratio_undefined", "ratio_undefined", "missing_value", "missing_value"]


def test_overflow_is_guarded_instead_of_wrapping() -> None:
    spec = ValueSpec(parse_formula("cur_cny * cur_cny * cur_cny", SCALES, "n"))
    df = frame(["100000000000", "1000"], ["1", "1"])
    out = df.select(defined=spec.defined(), cmp=spec.compare("gt", Decimal(0)), reason=spec.undefined_reason())
    assert out["defined"].to_list() == [False, True]
    assert out["cmp"].to_list() == [None, True]
    assert out["reason"].to_list() == ["value_out_of_range", None]


def test_formula_arithmetic_is_exact() -> None:
    spec = ValueSpec(parse_formula("2 * (cur_cny - prev_cny) * staff + -1", SCALES, "n"))
    df = frame(["0.03"], ["0.01"]).with_columns(staff=pl.lit(3, pl.Int64))
    # 2 × 0.02 × 3 - 1 = -0.88 exactly
    assert df.select(spec.compare("eq", Decimal("-0.88"))).item() is True
    assert df.select(spec.as_float()).item() == pytest.approx(-0.88)


def test_floor_div_for_linear_steps() -> None:
    spec = ValueSpec(parse_formula("cur_cny", SCALES, "n"))
    df = frame(["5.99", "6", "-1"], ["1", "1", "1"])
    assert df.select(spec.floor_div(Decimal(2))).to_series().to_list() == [2, 3, -1]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty formula"),
        ("cur_cny +", "ends too early"),
        ("cur_cny / prev_cny", "unexpected character '/'"),
        ("(cur_cny", "missing ')'"),
        ("cur_cny prev_cny", "unexpected 'prev_cny'"),
        ("profit_cny", "unknown or non-numeric column 'profit_cny'"),
    ],
)
def test_formula_errors(text: str, message: str) -> None:
    with pytest.raises(RulesError) as excinfo:
        parse_formula(text, SCALES, "indicators[0].value")
    assert excinfo.value.path == "indicators[0].value"
    assert message in excinfo.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2.675, "2.68"),
        (1.005, "1.01"),
        (37.345000000000006, "37.35"),
        (0.125, "0.13"),
        (-12.345, "-12.35"),
        (13.636363, "13.64"),
    ],
)
def test_points_round_once_half_up(value: float, expected: str) -> None:
    df = pl.DataFrame({"x": [value]})
    assert df.select(round_float_points(pl.col("x"))).item() == Decimal(expected)
    assert df.select(round_points(pl.col("x"))).item() == Decimal(expected)
    exact = pl.DataFrame({"x": [Decimal(str(value))]}, schema={"x": pl.Decimal(38, 15)})
    assert exact.select(round_points(pl.col("x"))).item() == Decimal(expected)
