"""Facts schemas: the strict check an engine runs on its input, and the friendly coercion of a raw table of
strings (a csv or xlsx read with every column as text) into typed facts plus a list of cell errors.

Coercion rules (all vectorised; only the error rows reach Python):

* Empty or blank cells are missing (null).
* Numbers: surrounding blanks, inner spaces and thousands separators (``,``) are removed; exponents are
  accepted (``1.5E7``); the value is rounded half up to the column's decimal scale (xlsx text such as
  ``0.30000000000000004`` becomes ``0.30``).  Integer columns reject fractions.
* Booleans: ``true``/``false``, ``1``/``0``, ``是``/``否`` in any letter case.
* Choices: the choice code, in any letter case.
* USCC columns: stripped, upper-cased, then checked (``uscc.uscc_diagnosis``).

Error codes (stable): ``missing_column``, ``not_a_number``, ``not_an_integer``, ``out_of_range``,
``bad_boolean``, ``bad_choice``, ``bad_uscc``, ``required_value``.  A cell with an error is null in the typed
table, so a caller that goes on anyway sees it as missing data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from industria.engines.common.uscc import uscc_diagnosis, uscc_problems

ERROR_CODES = (
    "missing_column",
    "not_a_number",
    "not_an_integer",
    "out_of_range",
    "bad_boolean",
    "bad_choice",
    "bad_uscc",
    "required_value",
)
TRUE_WORDS = ("true", "1", "1.0", "是")
FALSE_WORDS = ("false", "0", "0.0", "否")
_PARSE_DTYPE = pl.Decimal(38, 12)


class SchemaError(ValueError):
    """Facts handed to an engine do not match its schema (missing columns, values of the wrong type)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class FactError:
    """One problem in a raw facts table: ``row`` is the 1-based data row (spreadsheet row = row + 1 with a header
    row), None for a problem with the whole column."""

    row: int | None
    column: str
    code: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "code": self.code, "params": dict(self.params)}


def check_schema(facts: pl.DataFrame, schema: Mapping[str, pl.DataType], required: Iterable[str]) -> pl.DataFrame:
    """Return ``facts`` with exactly the schema's columns in schema order, cast to the schema's dtypes.

    Required columns must be present; optional ones that are absent are added as nulls.  Raises
    ``SchemaError`` naming every missing or uncastable column.
    """
    problems = [f"missing column {c!r}" for c in required if c not in facts.columns]
    exprs: list[pl.Expr] = []
    for name, dtype in schema.items():
        if name not in facts.columns:
            exprs.append(pl.lit(None, dtype).alias(name))
            continue
        current = facts.schema[name]
        if current == dtype:
            exprs.append(pl.col(name))
            continue
        try:
            facts.select(pl.col(name).cast(dtype, strict=True))
        except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
            problems.append(f"column {name!r} ({current}) cannot be read as {dtype}: {str(exc).splitlines()[0]}")
            continue
        exprs.append(pl.col(name).cast(dtype, strict=True))
    if problems:
        raise SchemaError(problems)
    return facts.select(exprs)


def coerce_facts(
    raw: pl.DataFrame,
    schema: Mapping[str, pl.DataType],
    *,
    required: Iterable[str] = (),
    not_null: Iterable[str] = (),
    uscc_columns: Iterable[str] = ("uscc",),
    max_errors: int | None = None,
) -> tuple[pl.DataFrame, list[FactError]]:
    """Type a table of strings by ``schema``; return (typed table, errors ordered by row then column).

    ``required`` columns must be present (else ``missing_column``); ``not_null`` columns must have a value in
    every row (else ``required_value``).  Columns outside the schema are kept, as text, after the schema's.
    Runs in stages (clean text -> parse -> typed value -> error code) so that every step is computed once.
    """
    not_null_set, uscc_set = set(not_null), set(uscc_columns)
    errors = [FactError(None, c, "missing_column", {}) for c in required if c not in raw.columns]
    present = [name for name in schema if name in raw.columns]
    work = raw.select(_clean_text(name).alias(_text(name)) for name in present)
    work = work.with_columns(
        **{k: v for name in present for k, v in _parse(name, schema[name], name in uscc_set).items()}
    )
    work = work.with_columns(**{_value(name): _typed(name, schema[name], name in uscc_set) for name in present})
    work = work.with_columns(
        **{_code(name): _error_code(name, schema[name], name in uscc_set, name in not_null_set) for name in present}
    )
    typed_exprs = [
        (
            pl.when(pl.col(_code(name)).is_null()).then(pl.col(_value(name)))
            if name in present
            else pl.lit(None, dtype)
        ).alias(name)
        for name, dtype in schema.items()
    ]
    extras = [raw.get_column(c).cast(pl.String) for c in raw.columns if c not in schema]
    typed = work.select(typed_exprs).with_columns(extras)
    errors.extend(_collect_errors(work, present, schema, uscc_set, max_errors))
    return typed, errors


# working column names
def _text(name: str) -> str:
    return f"__text_{name}"


def _parsed(name: str) -> str:
    return f"__parsed_{name}"


def _value(name: str) -> str:
    return f"__value_{name}"


def _code(name: str) -> str:
    return f"__code_{name}"


def _clean_text(name: str) -> pl.Expr:
    text = pl.col(name).cast(pl.String).str.strip_chars()
    return pl.when(text == "").then(pl.lit(None, pl.String)).otherwise(text)


def _is_number(dtype: pl.DataType) -> bool:
    return isinstance(dtype, pl.Decimal) or dtype.is_integer()


def _parse(name: str, dtype: pl.DataType, uscc: bool) -> dict[str, pl.Expr]:
    text = pl.col(_text(name))
    if _is_number(dtype):
        return {_parsed(name): text.str.replace_all(r"[,\s]", "").cast(_PARSE_DTYPE, strict=False)}
    if dtype == pl.Boolean or isinstance(dtype, pl.Enum):
        return {_parsed(name): text.str.to_lowercase()}
    if uscc:
        return {_parsed(name): text.str.to_uppercase()}
    return {}


def _typed(name: str, dtype: pl.DataType, uscc: bool) -> pl.Expr:
    parsed = pl.col(_parsed(name))
    if isinstance(dtype, pl.Decimal):
        return parsed.round(dtype.scale or 0, mode="half_away_from_zero").cast(dtype, strict=False)
    if dtype.is_integer():
        return pl.when(parsed.round(0) == parsed).then(
            parsed.cast(pl.Decimal(38, 0), strict=False).cast(dtype, strict=False)
        )
    if dtype == pl.Boolean:
        return pl.when(parsed.is_in(list(TRUE_WORDS))).then(True).when(parsed.is_in(list(FALSE_WORDS))).then(False)
    if isinstance(dtype, pl.Enum):
        return pl.when(parsed.is_in(dtype.categories.to_list())).then(parsed).cast(dtype)
    if uscc:
        return parsed
    return pl.col(_text(name)).cast(dtype)


def _error_code(name: str, dtype: pl.DataType, uscc: bool, not_null: bool) -> pl.Expr:
    text, value = pl.col(_text(name)), pl.col(_value(name))
    given = text.is_not_null()
    code: pl.Expr
    if _is_number(dtype):
        parsed = pl.col(_parsed(name))
        as_float = pl.when(given & parsed.is_null()).then(
            text.str.replace_all(r"[,\s]", "").cast(pl.Float64, strict=False)
        )
        code = (
            pl.when(~given)
            .then(pl.lit(None, pl.String))
            .when(parsed.is_null() & ~(as_float.is_not_null() & as_float.is_finite()))
            .then(pl.lit("not_a_number"))
            .when(parsed.is_null())
            .then(pl.lit("out_of_range"))
            .when(pl.lit(dtype.is_integer()) & (parsed.round(0) != parsed))
            .then(pl.lit("not_an_integer"))
            .when(value.is_null())
            .then(pl.lit("out_of_range"))
        )
    elif dtype == pl.Boolean:
        code = pl.when(given & value.is_null()).then(pl.lit("bad_boolean"))
    elif isinstance(dtype, pl.Enum):
        code = pl.when(given & value.is_null()).then(pl.lit("bad_choice"))
    elif uscc:
        code = pl.when(given & uscc_problems(value).is_not_null()).then(pl.lit("bad_uscc"))
    else:
        code = pl.lit(None, pl.String)
    if not_null:
        code = pl.when(~given).then(pl.lit("required_value")).otherwise(code)
    return code


def _collect_errors(
    work: pl.DataFrame,
    columns: list[str],
    schema: Mapping[str, pl.DataType],
    uscc_columns: set[str],
    max_errors: int | None,
) -> list[FactError]:
    """FactErrors ordered by row then column; only the error rows reach Python."""
    if not columns:
        return []
    flagged = work.select(pl.col(_code(name)).is_not_null().any().alias(name) for name in columns).row(0, named=True)
    found: list[FactError] = []
    for name in columns:
        if not flagged[name]:
            continue
        hits = work.with_row_index("_row", offset=1).filter(pl.col(_code(name)).is_not_null())
        details = hits.select("_row", pl.col(_code(name)).alias("code"), pl.col(_text(name)).alias("value"))
        if name in uscc_columns:
            details = details.with_columns(detail=uscc_diagnosis(pl.col("value").str.to_uppercase()))
        dtype = schema[name]
        choices = dtype.categories.to_list() if isinstance(dtype, pl.Enum) else None
        for item in details.iter_rows(named=True):
            params: dict[str, Any] = {}
            if item["value"] is not None:
                params["value"] = item["value"]
            for key, val in (item.get("detail") or {}).items():
                if val is not None:
                    params[key] = val
            if item["code"] == "bad_choice":
                params["choices"] = choices
            found.append(FactError(int(item["_row"]), name, item["code"], params))
            if max_errors is not None and len(found) >= max_errors * len(columns):
                break
    found.sort(key=lambda e: (e.row or 0, columns.index(e.column)))
    return found[:max_errors] if max_errors is not None else found
