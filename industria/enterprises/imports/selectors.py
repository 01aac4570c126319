"""Reads of an import: reference data, and the stored rows that the file's rows may match, straight into Polars.

Stored rows are found by a join, never row by row: the file's distinct credit codes go into a temporary table
(PostgreSQL ``COPY``; SQLite ``executemany``) and one query joins it to the registry.  Every value is read back
as text (``::text`` / ``CAST(… AS TEXT)``) and typed by the same rules as the file's cells, so comparing a file
with what is stored compares like with like (SQLite keeps decimals as REAL; PostgreSQL as numeric).
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import polars as pl
from django.db import connection
from django.utils import translation

from industria.accounts.models import District
from industria.enterprises.choices import CategoryLevel
from industria.enterprises.models import Enterprise, IndustryCategory, SizeRule

from .specs import Column, Kind, normalize_choice
from .validation import PARSE_DTYPE, References
from .writing import load_rows, temporary_table

READ_BATCH_BYTES = 32 << 20
READ_BATCH_ROWS = 100_000


def references_load(kind: Kind) -> References:
    """Districts by code and name, the GB/T 4754 divisions, and the accepted spellings of each choice."""
    districts: dict[str, int] = {}
    for pk, code, name_zh, name_en in District.objects.values_list("pk", "code", "name_zh", "name_en"):
        names = {
            code,
            name_zh,
            name_en,
            name_zh.removesuffix("新区").removesuffix("区"),
            f"{name_en} district",
            name_en.removesuffix(" New Area"),
            f"{name_en.removesuffix(' New Area')} district",
        }
        districts.update({normalize_choice(name): pk for name in names if name})
    divisions = frozenset(IndustryCategory.objects.filter(level=CategoryLevel.DIVISION).values_list("code", flat=True))
    choices = {c.key: choice_spellings(c) for c in kind.columns if c.kind == "choice"}
    return References(districts=districts, divisions=divisions, choices=choices)


def choice_spellings(column: Column) -> dict[str, str]:
    """Normalised code, English label, Chinese label (from the catalogue) and aliases → the choice's code."""
    spellings: dict[str, str] = {}
    assert column.choices is not None
    for code, label in column.choices.choices:
        names = [code, *column.choice_aliases.get(code, ())]
        for language in ("en", "zh-hans"):
            with translation.override(language):
                names.append(str(label))
        spellings.update({normalize_choice(name): code for name in names})
    return spellings


def size_thresholds(years: list[int]) -> pl.DataFrame:
    """``year`` → ``threshold_cny`` (the "above designated size" threshold in force; null before the first)."""
    values = [SizeRule.threshold_for(year) for year in sorted(set(years))]
    return pl.DataFrame(
        {"year": sorted(set(years)), "threshold_cny": values},
        schema={"year": pl.Int64, "threshold_cny": pl.Decimal(18, 2)},
    )


def _text(expression: str) -> str:
    return f"({expression})::text" if connection.vendor == "postgresql" else f"CAST({expression} AS TEXT)"


def _db_columns(kind: Kind, present: list[str] | None) -> list[Column]:
    """The kind's stored columns, narrowed to ``present`` and the row key when given."""
    wanted = None if present is None else {*present, *kind.key}
    return [c for c in kind.columns if c.kind != "uscc" and (wanted is None or c.key in wanted)]


@contextmanager
def staged_usccs(usccs: pl.Series) -> Iterator[str]:
    """A temporary table ``(uscc)`` holding ``usccs`` (distinct), dropped afterwards; yields its name."""
    name = f"import_keys_{uuid.uuid4().hex[:12]}"
    keys = pl.DataFrame({"uscc": usccs.unique().drop_nulls()})
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {name} (uscc varchar(18))")
        with temporary_table(cursor, name):
            load_rows(cursor, name, keys)
            if connection.vendor == "postgresql":
                cursor.execute(f"ANALYZE {name}")
            else:
                cursor.execute(f"CREATE INDEX {name}_uscc ON {name} (uscc)")
            yield name


def query_frame(sql: str, names: list[str], typed: list[pl.Expr]) -> pl.DataFrame:
    """Run ``sql`` (which selects text only) and type its rows with ``typed`` (expressions over the text columns
    ``names``), a batch of about ``READ_BATCH_BYTES`` at a time so the text never all sits in memory at once."""
    schema = dict.fromkeys(names, pl.String)
    parts: list[pl.DataFrame] = []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            chunks: list[bytes] = []
            size = 0
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy:
                for chunk in copy:  # one row per chunk: a batch always ends at a row boundary
                    chunks.append(bytes(chunk))
                    size += len(chunk)
                    if size >= READ_BATCH_BYTES:
                        parts.append(_parse_csv(b"".join(chunks), schema).select(typed))
                        chunks, size = [], 0
            if chunks:
                parts.append(_parse_csv(b"".join(chunks), schema).select(typed))
        else:
            cursor.execute(sql)
            while rows := cursor.fetchmany(READ_BATCH_ROWS):
                parts.append(pl.DataFrame(rows, schema=schema, orient="row").select(typed))
    if not parts:
        return pl.DataFrame(schema=schema).select(typed)
    return pl.concat(parts, rechunk=True)


def _parse_csv(data: bytes, schema: dict[str, Any]) -> pl.DataFrame:
    return pl.read_csv(io.BytesIO(data), has_header=False, schema=schema)


def stored_enterprises(kind: Kind, keys_table: str, present: list[str] | None = None) -> pl.DataFrame:
    """The stored enterprises whose credit codes are staged: ``uscc``, ``enterprise_id``,
    ``stored_district_id`` and, for an enterprise import, the columns in ``present`` (typed)."""
    table = Enterprise._meta.db_table
    columns = _db_columns(kind, present) if kind.is_enterprise else []
    select = [_text("e.id"), "e.uscc", _text("e.district_id"), *[_text(f"e.{c.db_column}") for c in columns]]
    names = ["enterprise_id", "uscc", "stored_district_id", *[c.key for c in columns]]
    sql = f"SELECT {', '.join(select)} FROM {table} e JOIN {keys_table} k ON k.uscc = e.uscc"
    typed = [
        pl.col("enterprise_id").cast(pl.Int64),
        pl.col("uscc"),
        pl.col("stored_district_id").cast(pl.Int64),
        *[stored_value(c).alias(c.key) for c in columns],
    ]
    return query_frame(sql, names, typed)


def stored_rows(
    kind: Kind, keys_table: str, years: tuple[int, int] | None = None, present: list[str] | None = None
) -> pl.DataFrame:
    """The stored facts or tiers of the staged enterprises: ``id``, ``enterprise_id`` and the key and ``present``
    columns (typed); ``years`` narrows facts to a range of years."""
    columns = _db_columns(kind, present)
    select = [_text("t.id"), _text("t.enterprise_id"), *[_text(f"t.{c.db_column}") for c in columns]]
    names = ["id", "enterprise_id", *[c.key for c in columns]]
    typed = [
        pl.col("id").cast(pl.Int64),
        pl.col("enterprise_id").cast(pl.Int64),
        *[stored_value(c).alias(c.key) for c in columns],
    ]
    if kind.code == "year-facts":
        select.append(_text("t.above_size"))
        names.append("above_size")
        typed.append(pl.col("above_size").is_in(["true", "1", "t"]).alias("above_size"))
    where = f" WHERE t.year BETWEEN {int(years[0])} AND {int(years[1])}" if years else ""
    sql = (
        f"SELECT {', '.join(select)} FROM {kind.model._meta.db_table} t "
        f"JOIN {Enterprise._meta.db_table} e ON e.id = t.enterprise_id JOIN {keys_table} k ON k.uscc = e.uscc{where}"
    )
    return query_frame(sql, names, typed)


def stored_value(column: Column) -> pl.Expr:
    """A stored value (read as text) typed like the file's cells of ``column``."""
    text = pl.col(column.key)
    if column.kind == "int":
        return text.cast(PARSE_DTYPE, strict=False).cast(pl.Int64, strict=False)
    if column.kind == "decimal":
        dtype = pl.Decimal(column.max_digits, column.decimal_places)
        if connection.vendor == "postgresql":  # numeric text has exactly the column's scale
            return text.cast(dtype, strict=False)
        rounded = text.cast(PARSE_DTYPE, strict=False).round(column.decimal_places, mode="half_away_from_zero")
        return rounded.cast(dtype, strict=False)  # SQLite keeps REAL: "1234.5", "1.0e+16"
    if column.kind == "bool":
        return pl.when(text.is_null()).then(None).otherwise(text.is_in(["true", "1", "t"]))
    if column.kind == "date":
        return text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False)
    if column.kind == "district":
        return text.cast(pl.Int64)
    return text.fill_null("") if column.kind in ("text", "industry") else text
