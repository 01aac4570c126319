"""Set-based writes of a Polars frame into a table: COPY on PostgreSQL, one executemany on SQLite.

Used by bulk paths (demo data, imports, batch evaluations) that must not build model instances row by row.
Runs inside the caller's transaction; the caller records one change-log entry for the batch.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

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
