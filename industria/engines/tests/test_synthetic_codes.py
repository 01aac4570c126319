"""USCC generation of the synthetic generator: check digits, uniqueness, and the vectorised validator."""

from __future__ import annotations

import numpy as np
import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from industria.engines.synthetic.codes import USCC_ALPHABET, generate_uscc, uscc_valid_expr

DISTRICTS = np.array(["310101", "310115", "310151"])


@pytest.fixture(autouse=True)
def _english_by_default() -> None:
    """Overrides the root conftest's autouse fixture, which needs pytest-django: engine tests run with
    ``-p no:django`` and need no Django settings."""


def org_check_char(body: str) -> str:
    """GB 11714 check character, written out independently of the vectorised code."""
    values = [int(c, 36) for c in body]  # digits 0-9, letters A=10 ... Z=35
    total = sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid(codes: list[str | None]) -> list[bool]:
    return (
        pl.DataFrame({"u": codes}, schema={"u": pl.String}).select(uscc_valid_expr(pl.col("u"))).to_series().to_list()
    )


def make(n: int, seed: int, ma_share: float = 0.5) -> pl.Series:
    rng = np.random.Generator(np.random.PCG64(seed))
    return generate_uscc(rng.choice(DISTRICTS, n), rng.random(n) < ma_share, rng)


def test_org_check_char_worked_example() -> None:
    # M=22, A=10, 1, K=20, 4, A=10, B=11, C=12 -> 66+70+9+200+20+80+44+24 = 513; 513 mod 11 = 7; 11-7 = 4.
    assert org_check_char("MA1K4ABC") == "4"
    assert is_valid(["91310115MA1K4ABC4" + stdnum_uscc.calc_check_digit("91310115MA1K4ABC4")]) == [True]


def test_generated_codes_are_valid_unique_and_well_formed() -> None:
    codes = make(20_000, seed=7)
    assert codes.n_unique() == codes.len()
    assert all(is_valid(codes.to_list()))
    frame = pl.DataFrame({"u": codes})
    assert frame.select(pl.col("u").str.slice(0, 2).eq("91").all()).item()
    assert set(frame.select(pl.col("u").str.slice(2, 6)).to_series().unique().to_list()) <= set(DISTRICTS)
    for code in codes.sample(500, seed=1).to_list():
        assert stdnum_uscc.is_valid(code), code
        assert org_check_char(code[8:16]) == code[16], code


def test_ma_prefix_follows_the_flag() -> None:
    rng = np.random.Generator(np.random.PCG64(3))
    ma = rng.random(2_000) < 0.5
    codes = generate_uscc(rng.choice(DISTRICTS, 2_000), ma, rng).to_list()
    assert [c[8:10] == "MA" for c in codes] == ma.tolist()
    assert all(c[8:16].isdigit() for c, m in zip(codes, ma, strict=True) if not m)


def test_codes_depend_on_the_seed_only() -> None:
    assert make(1_000, seed=11).equals(make(1_000, seed=11))
    assert not make(1_000, seed=11).equals(make(1_000, seed=12))


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("91310115MA1K4ABC4" + stdnum_uscc.calc_check_digit("91310115MA1K4ABC4"), True),
        ("91310115MA1K4ABC05", False),  # stdnum accepts it, but the organisation-code check digit is wrong
        ("9131011513220733XZ", False),
        ("abc", False),
        (None, False),
    ],
)
def test_validator_examples(code: str | None, valid: bool) -> None:
    assert is_valid([code]) == [valid]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), position=st.integers(0, 17), replacement=st.sampled_from(USCC_ALPHABET))
def test_any_single_character_change_is_caught(seed: int, position: int, replacement: str) -> None:
    code = make(1, seed=seed).item()
    changed = code[:position] + replacement + code[position + 1 :]
    assert is_valid([code]) == [True]
    assert stdnum_uscc.is_valid(code)
    if changed != code:
        assert is_valid([changed]) == [False]
