"""Storing a round's results in bulk, and reading one row back.

``store_results`` writes, in the caller's transaction:

* the ``Assessment`` rows (outcome columns only) with ``core.bulk.insert_frame`` — COPY on PostgreSQL;
* the round's facts and results tables column-wise (Parquet, zstd) in ``ResultArchive`` parts, split by
  ``enterprise_id % parts``: every indicator's value, band, benchmark and points, the subtotals, the findings,
  the engine and rule-set versions — the exact record from which any row is explained or reproduced.

Per-row JSON (``Assessment.facts``/``result``) is filled only for rows re-run one by one (accepted objections);
writing 500,000 JSON documents would cost ten times the whole evaluation (docs/benchmarks_evaluations.md).
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connection

from industria.core.bulk import insert_frame

from .models import Assessment, EvaluationRound, ResultArchive

ROWS_PER_PART = 50_000


def outcome_frame(results: pl.DataFrame, enterprise_ids: pl.Series, *, round_id: int, ruleset_id: int) -> pl.DataFrame:
    """The ``Assessment`` columns of a results table (one row per result, same order as ``enterprise_ids``)."""
    n = results.height

    def text(name: str) -> pl.Expr:
        if name in results.columns:
            return pl.col(name).cast(pl.String).fill_null("")
        return pl.lit("", pl.String)

    segment = next((c for c in ("size_class",) if c in results.columns), None)
    return results.select(
        pl.lit(round_id, pl.Int64).alias("round_id"),
        enterprise_ids.alias("enterprise_id"),
        pl.lit(ruleset_id, pl.Int64).alias("ruleset_id"),
        pl.col("engine_version"),
        (text(segment) if segment else pl.lit("", pl.String)).alias("segment"),
        pl.col("total_points").cast(pl.Decimal(12, 2)),
        text("grade").alias("grade"),
        (pl.col("passed") if "passed" in results.columns else pl.lit(None, pl.Boolean)).alias("passed"),
        text("route").alias("route"),
        (pl.col("rank") if "rank" in results.columns else pl.lit(None, pl.UInt32)).alias("rank"),
        (pl.col("rank_population") if "rank_population" in results.columns else pl.lit(None, pl.UInt32)).alias(
            "rank_population"
        ),
        pl.lit(False).alias("corrected"),
    ).head(n)


def _parquet(frame: pl.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.write_parquet(buffer, compression="zstd", compression_level=1, statistics=False)
    return buffer.getvalue()


def parts_for(rows: int) -> int:
    return max(1, math.ceil(rows / ROWS_PER_PART))


def store_results(
    round_: EvaluationRound, facts: pl.DataFrame, results: pl.DataFrame, *, ruleset_id: int
) -> dict[str, Any]:
    """Replace the round's assessments and archive with ``results`` of ``facts`` (same order; both keyed by
    ``facts.enterprise_id``).  Returns timings of the two writes."""
    import time

    delete_results(round_)
    enterprise_ids = facts.get_column("enterprise_id")
    outcomes = outcome_frame(results, enterprise_ids, round_id=round_.pk, ruleset_id=ruleset_id)
    parts = parts_for(facts.height)
    keyed_results = results.with_columns(enterprise_id=enterprise_ids)
    encoded: list[tuple[int, int, bytes, bytes]] = []

    def encode() -> None:  # Parquet encoding (Rust, no GIL) overlaps the COPY below
        part_of = (enterprise_ids % parts).alias("_part")
        for part in range(parts):
            mask = part_of == part
            f, r = facts.filter(mask), keyed_results.filter(mask)
            encoded.append((part, f.height, _parquet(f), _parquet(r)))

    started = time.perf_counter()
    worker = threading.Thread(target=encode)
    worker.start()
    try:
        inserted = insert_frame(Assessment._meta.db_table, outcomes)
    finally:
        worker.join()
    copied = time.perf_counter()
    _insert_archive(round_.pk, encoded)
    round_.archive_parts = parts
    return {
        "assessments": inserted,
        "archive_parts": parts,
        "archive_bytes": sum(len(e[2]) + len(e[3]) for e in encoded),
        "write_assessments_s": round(copied - started, 3),
        "write_archive_s": round(time.perf_counter() - copied, 3),
    }


def _insert_archive(round_id: int, encoded: list[tuple[int, int, bytes, bytes]]) -> None:
    """The Parquet parts in one binary COPY (no text escaping of tens of megabytes; measured three times faster
    than one INSERT per part with binary parameters)."""
    if connection.vendor != "postgresql":
        ResultArchive.objects.bulk_create(
            [ResultArchive(round_id=round_id, part=p, rows=n, facts_parquet=fb, results_parquet=rb)
             for p, n, fb, rb in encoded]
        )  # fmt: skip
        return
    table = connection.ops.quote_name(ResultArchive._meta.db_table)
    sql = f"COPY {table} (round_id, part, rows, facts_parquet, results_parquet) FROM STDIN (FORMAT binary)"
    with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
        copy.set_types(["int8", "int4", "int4", "bytea", "bytea"])
        for part, rows, facts_blob, results_blob in encoded:
            copy.write_row((round_id, part, rows, facts_blob, results_blob))


def delete_results(round_: EvaluationRound) -> None:
    """Remove a round's assessments and archive set-based (no per-row signals: they are not audited rows)."""
    for model in (Assessment, ResultArchive):
        table = connection.ops.quote_name(model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE round_id = %s", [round_.pk])


def _read(blob: Any) -> pl.DataFrame:
    return pl.read_parquet(io.BytesIO(bytes(blob)))


def archived_frames(round_: EvaluationRound) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The round's whole facts and results tables as archived, ordered by enterprise id."""
    facts, results = [], []
    for archive in ResultArchive.objects.filter(round=round_).order_by("part"):
        facts.append(_read(archive.facts_parquet))
        results.append(_read(archive.results_parquet))
    if not facts:
        return pl.DataFrame(), pl.DataFrame()
    return (
        pl.concat(facts, how="vertical_relaxed").sort("enterprise_id"),
        pl.concat(results, how="vertical_relaxed").sort("enterprise_id"),
    )


def archived_row(round_: EvaluationRound, enterprise_id: int) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(facts row, result row) of one enterprise as archived, with Python values (Decimal, bool …)."""
    parts = round_.archive_parts or 1
    archive = ResultArchive.objects.filter(round=round_, part=enterprise_id % parts).first()
    if archive is None:
        return None, None
    facts = _read(archive.facts_parquet).filter(pl.col("enterprise_id") == enterprise_id)
    results = _read(archive.results_parquet).filter(pl.col("enterprise_id") == enterprise_id)
    return (
        facts.row(0, named=True) if facts.height else None,
        results.row(0, named=True) if results.height else None,
    )


# --------------------------------------------------------------------------------------------- JSON


def to_json(value: Any) -> Any:
    """A result or facts value as JSON: Decimals as exact strings, dates ISO, findings as dicts."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {k: to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def row_json(row: Mapping[str, Any] | None, *, drop: tuple[str, ...] = ("enterprise_id",)) -> dict[str, Any] | None:
    if row is None:
        return None
    return {k: to_json(v) for k, v in row.items() if k not in drop}


def facts_json(row: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Facts as text cells (the spreadsheet form): Decimals exact, booleans true/false, choices their code."""
    if row is None:
        return None
    out: dict[str, Any] = {}
    for key, value in row.items():
        if key == "enterprise_id":
            continue
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif value is None:
            out[key] = None
        else:
            out[key] = str(value) if not isinstance(value, date) else value.isoformat()
    return out


def result_from_json(data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored result row back with Decimal points (what ``explain_row`` compares)."""
    row = dict(data)
    for key, value in data.items():
        if isinstance(value, str) and (key.endswith("_points") or key == "total_points"):
            row[key] = Decimal(value)
    return row
