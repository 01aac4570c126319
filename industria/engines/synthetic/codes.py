"""Vectorised generation of unique, valid unified social credit codes (GB 32100-2015).

Layout of the 18 characters (statistics-and-data.md §3.5):

====  =========================================================================
1     registration authority: ``9`` (market regulation)
2     entity type: ``1`` (enterprise)
3-8   region: the 6-digit administrative division code (here the district code)
9-17  organisation code (GB 11714): 8 body characters and its own check character
18    USCC check character over characters 1-17 (alphabet of 31, weights 3^i mod 31)
====  =========================================================================

Firms registered from 2015-10-01 get "MA"-prefixed organisation codes, older firms 8-digit numeric ones. Codes are
unique by construction: the organisation-code body is an affine bijection of the row index modulo the size of the
code space, with seed-dependent coefficients, so no retry loop is needed. Private to the generator; the validation
used by the application lives elsewhere.
"""

from __future__ import annotations

import math

import numpy as np
import polars as pl

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # 31 characters: no I, O, S, V, Z
USCC_WEIGHTS = np.array([pow(3, i, 31) for i in range(17)], dtype=np.int64)  # 1, 3, 9, 27, 19, 26, 16, ...
ORG_WEIGHTS = np.array([3, 7, 9, 10, 5, 8, 4, 2], dtype=np.int64)  # GB 11714-1997

_ALPHABET_BYTES = np.frombuffer(USCC_ALPHABET.encode("ascii"), dtype=np.uint8)
# ASCII byte -> value tables (-1 = not allowed).
_USCC_VALUE = np.full(128, -1, dtype=np.int64)
_USCC_VALUE[_ALPHABET_BYTES] = np.arange(31)
_ORG_VALUE = np.full(128, -1, dtype=np.int64)  # GB 11714: digits 0-9, letters A=10 ... Z=35
_ORG_VALUE[np.arange(48, 58)] = np.arange(10)
_ORG_VALUE[np.arange(65, 91)] = np.arange(10, 36)

_MA_SPACE = 31**6  # "MA" + 6 characters of the USCC alphabet
_NUMERIC_SPACE = 10**8  # 8 digits


def _affine_bijection(index: np.ndarray, space: int, rng: np.random.Generator) -> np.ndarray:
    """Map 0..n-1 to distinct numbers in [0, space) with seed-dependent coefficients (a coprime to space)."""
    if index.size and int(index.max()) >= space:
        raise ValueError(f"too many codes for a space of {space}")
    while True:
        a = int(rng.integers(space // 3, space - 1))
        if math.gcd(a, space) == 1:
            break
    b = int(rng.integers(0, space))
    return (index.astype(np.int64) * a + b) % space


def _digits(values: np.ndarray, base: int, width: int) -> np.ndarray:
    """Most-significant-first digits of non-negative integers: an (n, width) int64 matrix."""
    out = np.empty((values.size, width), dtype=np.int64)
    rest = values.astype(np.int64).copy()
    for pos in range(width - 1, -1, -1):
        out[:, pos] = rest % base
        rest //= base
    return out


def org_check_bytes(body: np.ndarray) -> np.ndarray:
    """GB 11714 check character (ASCII) for an (n, 8) matrix of ASCII body characters."""
    total = (_ORG_VALUE[body] * ORG_WEIGHTS).sum(axis=1)
    check = 11 - total % 11  # 1..11
    return np.where(check == 10, ord("X"), np.where(check == 11, ord("0"), check + ord("0"))).astype(np.uint8)


def uscc_check_bytes(first17: np.ndarray) -> np.ndarray:
    """GB 32100 check character (ASCII) for an (n, 17) matrix of ASCII characters."""
    total = (_USCC_VALUE[first17] * USCC_WEIGHTS).sum(axis=1)
    return _ALPHABET_BYTES[(31 - total % 31) % 31]


def generate_uscc(region_codes: np.ndarray, ma_prefix: np.ndarray, rng: np.random.Generator) -> pl.Series:
    """Unique valid USCCs ``91`` + region + organisation code + check, one per row.

    ``region_codes``: array of 6-digit codes (str); ``ma_prefix``: bool array, True for "MA" organisation codes.
    """
    n = region_codes.size
    mat = np.empty((n, 18), dtype=np.uint8)
    mat[:, 0] = ord("9")
    mat[:, 1] = ord("1")
    region = np.asarray(region_codes, dtype="S6").view(np.uint8).reshape(n, 6)
    mat[:, 2:8] = region

    ma_rows = np.flatnonzero(ma_prefix)
    num_rows = np.flatnonzero(~ma_prefix)
    # Organisation code body (8 chars): "MA" + 6 alphabet characters, or 8 digits.
    ma_values = _affine_bijection(np.arange(ma_rows.size), _MA_SPACE, rng)
    mat[ma_rows, 8] = ord("M")
    mat[ma_rows, 9] = ord("A")
    mat[ma_rows, 10:16] = _ALPHABET_BYTES[_digits(ma_values, 31, 6)]
    num_values = _affine_bijection(np.arange(num_rows.size), _NUMERIC_SPACE, rng)
    mat[num_rows, 8:16] = (_digits(num_values, 10, 8) + ord("0")).astype(np.uint8)

    mat[:, 16] = org_check_bytes(mat[:, 8:16])
    mat[:, 17] = uscc_check_bytes(mat[:, :17])
    return pl.Series("uscc", np.ascontiguousarray(mat).view("S18").ravel()).cast(pl.String)


def uscc_valid_expr(code: pl.Expr) -> pl.Expr:
    """Polars expression: format, GB 11714 organisation-code check and GB 32100 check are all right."""
    fmt = code.str.contains(r"^[0-9]{8}[0-9A-HJ-NPQRTUWXY]{10}$")
    uscc_value = {c: i for i, c in enumerate(USCC_ALPHABET)}
    org_value = {c: int(c, 36) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}

    def char(i: int) -> pl.Expr:
        return code.str.slice(i, 1)

    uscc_total = pl.sum_horizontal(
        char(i).replace_strict(uscc_value, default=0, return_dtype=pl.Int64) * int(w)
        for i, w in enumerate(USCC_WEIGHTS)
    )
    uscc_check = ((31 - uscc_total % 31) % 31).replace_strict(dict(enumerate(USCC_ALPHABET)), return_dtype=pl.String)
    org_total = pl.sum_horizontal(
        char(8 + i).replace_strict(org_value, default=0, return_dtype=pl.Int64) * int(w)
        for i, w in enumerate(ORG_WEIGHTS)
    )
    org_check = (11 - org_total % 11).replace_strict(
        {**{k: str(k) for k in range(1, 10)}, 10: "X", 11: "0"}, return_dtype=pl.String
    )
    return (fmt & (char(17) == uscc_check) & (char(16) == org_check)).fill_null(False)
