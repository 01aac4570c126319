"""Set-based reads and writes between Polars frames and tables: COPY on PostgreSQL, one cursor on SQLite.

Used by bulk paths (demo data, imports, batch evaluations) that must not build model instances row by row.
Runs inside the caller's transaction; the caller records one change-log entry for the batch.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl
from django.db import connection

SQLITE_BATCH_ROWS = 50_000


def insert_frame(table: str, frame: pl.DataFrame, columns: Sequence[str] | None = None) -> int:
    """Insert every row of ``frame`` (columns named like the table's) into ``table``; returns the row count."""
    columns = list(columns or frame.columns)
    if frame.height == 0:
        return 0
    frame = frame.select(columns)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="\\N", quote_style="necessary")
        with connection.cursor() as cursor:
            raw = cursor.cursor
            sql = f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN (FORMAT csv, NULL '\\N')"
            with raw.copy(sql) as copy:
                copy.write(buffer.getvalue())
        return frame.height
    placeholders = ", ".join(["%s"] * len(columns))
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({placeholders})"
    with connection.cursor() as cursor:
        for start in range(0, frame.height, SQLITE_BATCH_ROWS):
            cursor.executemany(sql, frame.slice(start, SQLITE_BATCH_ROWS).rows())
    return frame.height


UPDATE_BATCH_ROWS = 20_000


def read_frame(sql: str, params: Sequence[Any], schema: Mapping[str, Any]) -> pl.DataFrame:
    """Run ``sql`` (columns in the order of ``schema``) and return a frame of that schema.

    Dates, numbers, text and booleans are converted from what each database returns (COPY csv on
    PostgreSQL, Python values on SQLite).
    """
    names = list(schema)
    if connection.vendor == "postgresql":
        buffer = io.BytesIO()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)", tuple(params)) as copy,
        ):
            for block in copy:
                buffer.write(block)
        if buffer.tell() == 0:
            return pl.DataFrame(schema=dict(schema))
        buffer.seek(0)
        raw = pl.read_csv(
            buffer,
            has_header=False,
            new_columns=names,
            schema_overrides=dict.fromkeys(names, pl.String),
            infer_schema=False,
        )
    else:
        with connection.cursor() as cursor:
            cursor.execute(sql, tuple(params))
            rows = cursor.fetchall()
        raw = pl.DataFrame(
            [[None if v is None else str(v) for v in row] for row in rows],
            schema=dict.fromkeys(names, pl.String),
            orient="row",
        )
    return raw.select([_convert(name, dtype) for name, dtype in schema.items()])


def _convert(name: str, dtype: Any) -> pl.Expr:
    col = pl.col(name)
    if dtype == pl.Date:
        return col.str.slice(0, 10).str.to_date("%Y-%m-%d").alias(name)
    if dtype == pl.Boolean:
        return col.is_in(["t", "true", "True", "1"]).and_(col.is_not_null()).alias(name)
    return col.cast(dtype).alias(name)


def update_frame(table: str, frame: pl.DataFrame, *, key: str, columns: Sequence[str]) -> int:
    """Set ``columns`` of the rows of ``table`` whose ``key`` appears in ``frame``; returns the rows sent.

    PostgreSQL: COPY into a temporary table, then one UPDATE … FROM.  SQLite: one executemany.
    """
    if frame.height == 0:
        return 0
    columns = list(columns)
    q = connection.ops.quote_name
    frame = frame.select([key, *columns])
    if connection.vendor == "postgresql":
        temp = q(f"_upd_{table}")
        buffer = io.BytesIO()
        frame.write_csv(buffer, include_header=False, null_value="\\N", quote_style="necessary")
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {temp}")
            cursor.execute(
                f"CREATE TEMP TABLE {temp} AS SELECT {', '.join(q(c) for c in [key, *columns])} "
                f"FROM {q(table)} WITH NO DATA"
            )
            with cursor.cursor.copy(
                f"COPY {temp} ({', '.join(q(c) for c in [key, *columns])}) FROM STDIN (FORMAT csv, NULL '\\N')"
            ) as copy:
                copy.write(buffer.getvalue())
            assignments = ", ".join(f"{q(c)} = u.{q(c)}" for c in columns)
            cursor.execute(f"UPDATE {q(table)} t SET {assignments} FROM {temp} u WHERE t.{q(key)} = u.{q(key)}")
            cursor.execute(f"DROP TABLE {temp}")
        return frame.height
    assignments = ", ".join(f"{q(c)} = %s" for c in columns)
    sql = f"UPDATE {q(table)} SET {assignments} WHERE {q(key)} = %s"
    with connection.cursor() as cursor:
        for start in range(0, frame.height, UPDATE_BATCH_ROWS):
            part = frame.slice(start, UPDATE_BATCH_ROWS)
            cursor.executemany(sql, [(*row[1:], row[0]) for row in _python_rows(part)])
    return frame.height


def _python_rows(frame: pl.DataFrame) -> list[tuple[Any, ...]]:
    """Rows with dates as ISO text (what Django stores on SQLite)."""
    converted = frame.with_columns([pl.col(c).dt.strftime("%Y-%m-%d") for c, t in frame.schema.items() if t == pl.Date])
    return converted.rows()
