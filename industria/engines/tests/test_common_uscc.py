"""USCC (GB 32100-2015) checks, cross-checked against python-stdnum."""

from __future__ import annotations

import random

import polars as pl
import pytest
from stdnum.cn import uscc as stdnum_uscc

from industria.engines.common.uscc import (
    ALPHABET,
    uscc_check_char,
    uscc_diagnosis,
    uscc_problems,
    uscc_with_check_digit,
)


def _column(expr_fn, values: list[str | None]) -> list:  # type: ignore[no-untyped-def]
    return pl.DataFrame({"c": values}, schema={"c": pl.String}).select(expr_fn(pl.col("c"))).to_series().to_list()


def _random_first17(rng: random.Random) -> str:
    head = rng.choice("9512") + rng.choice("1239")
    region = "".join(rng.choice("0123456789") for _ in range(6))
    org = "".join(rng.choice(ALPHABET) for _ in range(9))
    return head + region + org


def test_check_digit_agrees_with_stdnum_on_random_codes() -> None:
    rng = random.Random(20221)
    firsts = [_random_first17(rng) for _ in range(2000)]

    codes = _column(uscc_with_check_digit, firsts)

    assert codes == [f + stdnum_uscc.calc_check_digit(f) for f in firsts]
    assert all(stdnum_uscc.is_valid(c) for c in codes)
    assert _column(uscc_problems, codes) == [None] * len(codes)


def test_verdicts_agree_with_stdnum_on_corrupted_codes() -> None:
    rng = random.Random(7)
    codes = _column(uscc_with_check_digit, [_random_first17(rng) for _ in range(1000)])
    corrupted = []
    for code in codes:
        i = rng.randrange(18)
        replacement = rng.choice([c for c in ALPHABET if c != code[i]])
        corrupted.append(code[:i] + replacement + code[i + 1 :])

    verdicts = _column(uscc_problems, corrupted)

    assert [v is None for v in verdicts] == [stdnum_uscc.is_valid(c) for c in corrupted]


@pytest.mark.parametrize(
    ("code", "diagnosis"),
    [
        (
            "91110000600037341L",
            {"problem": None, "length": None, "position": None, "character": None, "expected": None},
        ),
        (
            "91110000600037341M",
            {"problem": "bad_check_digit", "length": None, "position": None, "character": None, "expected": "L"},
        ),
        (
            "9111000060003734",
            {"problem": "bad_length", "length": 16, "position": None, "character": None, "expected": None},
        ),
        (
            "911100006000373I1L",
            {"problem": "bad_character", "length": None, "position": 16, "character": "I", "expected": None},
        ),
        (
            "91A10000600037341L",
            {"problem": "bad_character", "length": None, "position": 3, "character": "A", "expected": None},
        ),
        (
            "91110000600037341O",
            {"problem": "bad_character", "length": None, "position": 18, "character": "O", "expected": None},
        ),
        (None, {"problem": None, "length": None, "position": None, "character": None, "expected": None}),
    ],
)
def test_diagnosis_names_the_position_or_the_expected_check_character(code: str | None, diagnosis: dict) -> None:  # type: ignore[type-arg]
    assert _column(uscc_diagnosis, [code]) == [diagnosis]


def test_letters_allowed_in_positions_1_and_2_unlike_stdnum() -> None:
    # GB 32100: N = agricultural authorities, Y = other registration authorities; stdnum wants digits there
    code = _column(uscc_with_check_digit, ["N2310000MA1K3YJ12"])[0]
    assert code is not None
    assert _column(uscc_problems, [code]) == [None]
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]
    assert not stdnum_uscc.is_valid(code)


def test_check_char_needs_17_valid_characters() -> None:
    assert _column(uscc_check_char, ["9111000060003734", "911100006000373I1", "91110000600037341"]) == [None, None, "L"]
    assert _column(uscc_with_check_digit, ["91110000600037341L", "9111000060003734O"]) == [None, None]
