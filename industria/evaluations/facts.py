"""Registry facts → an engine's facts table, set-based (the read model of every evaluation).

One SQL query per population joins the enterprises to their yearly facts (and, for the SME tiers, to the two
previous years).  On PostgreSQL it runs as ``COPY (SELECT …) TO STDOUT (FORMAT csv)`` straight into
``pl.read_csv`` with the engine's Decimal dtypes (exact, no Python objects per cell: ~0.3 s for 500,000 rows);
on SQLite the rows come through the cursor and are converted once.  Inside a transaction that has written
nothing yet (a round's run), the read is split in ``READ_CONNECTIONS`` ranges of enterprise ids over as many extra
connections that import the transaction's snapshot (``pg_export_snapshot``): formatting the numerics as csv is
the backends' work, one core each, and every part sees exactly the data the transaction itself would.

Columns the registry does not hold (IP class, awards, exemptions …) are null: missing data is a finding of the
engine, and an applicant's declared facts (``Application``) fill them in.  Proxies, documented in
docs/models/evaluations/rounds.md: ``net_profit_cny`` ← total profit, ``rd_staff_avg`` ← R&D staff,
``years_in_niche`` ← full years since establishment at the end of the evaluated year.
"""

from __future__ import annotations

import io
import itertools
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from django.db import connection
from psycopg import Connection, OperationalError

from industria.engines.common.ruleset import RuleSet as ParsedRules

#: engine column → (facts year offset, registry column); offset 0 = the evaluated year, 1 = the year before …
REGISTRY_COLUMNS: dict[str, tuple[int, str]] = {
    "main_revenue_cny": (0, "main_revenue_cny"),
    "operating_revenue_cny": (0, "operating_revenue_cny"),
    "land_area_mu": (0, "land_area_mu"),
    "tax_cny": (0, "tax_paid_cny"),
    "value_added_cny": (0, "value_added_cny"),
    "energy_tce": (0, "energy_tce"),
    "emissions_t": (0, "emissions_t"),
    "employees_avg": (0, "employees_avg"),
    "rd_expense_cny": (0, "rd_expense_cny"),
    "electricity_kwh": (0, "electricity_kwh"),
    "total_assets_cny": (0, "total_assets_cny"),
    "total_liabilities_cny": (0, "total_liabilities_cny"),
    "net_profit_cny": (0, "profit_cny"),
    "rd_staff_avg": (0, "rd_staff"),
    "main_revenue_prev_cny": (1, "main_revenue_cny"),
    "operating_revenue_prev_cny": (1, "operating_revenue_cny"),
    "rd_expense_prev_cny": (1, "rd_expense_cny"),
    "main_revenue_prev2_cny": (2, "main_revenue_cny"),
}
DERIVED_COLUMNS = ("years_in_niche",)


@dataclass(frozen=True)
class Population:
    """Which enterprises a round evaluates: a facts year, optionally one district, above-size only, or applicants."""

    year: int
    district_id: int | None = None
    above_size_only: bool = False
    applicants_of_round: int | None = None
    enterprise_ids: Sequence[int] | None = None


def registry_columns(rules: ParsedRules) -> list[str]:
    """The rule set's columns that the registry can supply."""
    return [c for c in rules.columns if c in REGISTRY_COLUMNS or c in DERIVED_COLUMNS]


def _table(model_label: str) -> str:
    from django.apps import apps

    return connection.ops.quote_name(apps.get_model(model_label)._meta.db_table)


def _query(
    columns: Sequence[str], population: Population, part: tuple[int, int] | None = None
) -> tuple[str, list[Any]]:
    """The facts query; ``part=(low, high)`` keeps the enterprises with ``low <= id < high`` (on both sides of the
    join, so that each part reads only its share of the facts table, which is ordered by enterprise)."""
    facts_table, enterprise_table = _table("enterprises.EnterpriseYearFact"), _table("enterprises.Enterprise")
    offsets = sorted({REGISTRY_COLUMNS[c][0] for c in columns if c in REGISTRY_COLUMNS} - {0})
    # names are display data (the Enterprise row has them): 20 MB less text to format at 500,000 enterprises
    select = ["e.id AS enterprise_id", "e.uscc AS uscc"]
    for column in columns:
        if column in REGISTRY_COLUMNS:
            offset, source = REGISTRY_COLUMNS[column]
            select.append(f"{'f' if offset == 0 else f'p{offset}'}.{source} AS {column}")
    if "years_in_niche" in columns:
        select.append("e.established_on AS established_on")
    joins = "".join(
        f" LEFT JOIN {facts_table} p{o} ON p{o}.enterprise_id = f.enterprise_id AND p{o}.year = %s" for o in offsets
    )
    params: list[Any] = [population.year - o for o in offsets]
    if population.enterprise_ids is not None:  # listed enterprises (applicants): with or without facts
        base = f"{enterprise_table} e LEFT JOIN {facts_table} f ON f.enterprise_id = e.id AND f.year = %s"
        params.insert(0, population.year)
        where = ["1 = 1"]
    else:
        base = f"{facts_table} f JOIN {enterprise_table} e ON e.id = f.enterprise_id"
        where = ["f.year = %s"]
        params.append(population.year)
    if population.district_id is not None:
        where.append("e.district_id = %s")
        params.append(population.district_id)
    if population.above_size_only:
        where.append("f.above_size")
    if population.enterprise_ids is not None:
        ids = [int(i) for i in population.enterprise_ids] or [0]
        where.append(f"e.id IN ({', '.join(str(i) for i in ids)})")
    if part is not None:
        low, high = int(part[0]), int(part[1])
        where.append(f"e.id >= {low} AND e.id < {high} AND f.enterprise_id >= {low} AND f.enterprise_id < {high}")
    sql = f"SELECT {', '.join(select)} FROM {base}{joins} WHERE {' AND '.join(where)}"
    return sql, params


def read_registry_facts(rules: ParsedRules, schema: Mapping[str, pl.DataType], population: Population) -> pl.DataFrame:
    """``enterprise_id`` plus every column of the engine's schema (registry values, others null), by id."""
    columns = registry_columns(rules)
    sql, params = _query(columns, population)
    read_schema: dict[str, pl.DataType] = {"enterprise_id": pl.Int64(), "uscc": pl.String()}
    for column in columns:
        if column in REGISTRY_COLUMNS:
            read_schema[column] = schema[column]
    if "years_in_niche" in columns:
        read_schema["established_on"] = pl.Date()
    if connection.vendor == "postgresql":
        snapshot = _shareable_snapshot() if population.enterprise_ids is None and READ_CONNECTIONS > 1 else None
        if snapshot is None:
            frame = _copy_out(sql, params, read_schema)
        else:
            try:
                frame = _copy_out_split(columns, population, read_schema, snapshot)
            except OperationalError:  # no connection to spare (max_connections …): read alone
                frame = _copy_out(sql, params, read_schema)
    else:
        frame = _fetch(sql, params, read_schema)
    frame = frame.sort("enterprise_id")  # in SQL, ORDER BY would force a merge join over every year's facts
    if "years_in_niche" in columns:
        frame = frame.with_columns(years_in_niche=_years_since(pl.col("established_on"), population.year)).drop(
            "established_on"
        )
    return complete(frame, schema)


def _copy_out(sql: str, params: Sequence[Any], read_schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        if connection.in_atomic_block:  # the hash join of 500,000 enterprises fits in memory: no batches
            cursor.execute("SET LOCAL work_mem = '64MB'")
        raw = cursor.cursor
        query = raw.mogrify(sql, params) if params else sql
        return _read_copy(raw, query, read_schema)


def _read_copy(raw: Any, query: str, read_schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    buffer = io.BytesIO()
    with raw.copy(f"COPY ({query}) TO STDOUT (FORMAT csv)") as copy:
        for chunk in copy:
            buffer.write(chunk)
    buffer.seek(0)
    if not buffer.getbuffer().nbytes:
        return pl.DataFrame(schema=dict(read_schema))
    return pl.read_csv(buffer, has_header=False, new_columns=list(read_schema), schema=dict(read_schema))


#: connections the registry read of a whole population is split over (PostgreSQL; 1 = the caller's only)
READ_CONNECTIONS = 2


def _shareable_snapshot() -> str | None:
    """The transaction's snapshot, exported, when other connections may read for it: inside a transaction that
    has no transaction id yet (it wrote nothing, so they see exactly what it sees); ``None`` otherwise (tests'
    transactions, autocommit)."""
    if not connection.in_atomic_block:
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot() WHERE pg_current_xact_id_if_assigned() IS NULL")
        row = cursor.fetchone()
    return row[0] if row else None


def _copy_out_split(
    columns: Sequence[str], population: Population, read_schema: Mapping[str, pl.DataType], snapshot: str
) -> pl.DataFrame:
    """The population in ``READ_CONNECTIONS`` ranges of enterprise ids of equal width, read side by side."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT min(id), max(id) FROM {_table('enterprises.Enterprise')}")
        first, last = cursor.fetchone()
        first, last = first or 0, (last or 0) + 1
        bounds = [first + (last - first) * i // READ_CONNECTIONS for i in range(READ_CONNECTIONS + 1)]
        parts = [_query(columns, population, part=(low, high)) for low, high in itertools.pairwise(bounds)]
        queries = [cursor.cursor.mogrify(sql, params) if params else sql for sql, params in parts]
    return _copy_out_parallel(queries, read_schema, snapshot)


def _copy_out_parallel(queries: Sequence[str], read_schema: Mapping[str, pl.DataType], snapshot: str) -> pl.DataFrame:
    """Each query read by its own connection inside ``snapshot`` (read only; psycopg and polars release the GIL)."""
    params = connection.get_connection_params()
    frames: list[pl.DataFrame | None] = [None] * len(queries)
    errors: list[BaseException] = []

    def read(index: int, query: str) -> None:
        try:
            with Connection.connect(**params, autocommit=True) as conn:
                cursor = conn.cursor()
                cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                cursor.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
                cursor.execute("SET LOCAL work_mem = '64MB'")
                frames[index] = _read_copy(cursor, query, read_schema)
                cursor.execute("ROLLBACK")
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)

    workers = [threading.Thread(target=read, args=(i, query)) for i, query in enumerate(queries)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise errors[0]
    return pl.concat([f for f in frames if f is not None], how="vertical")


def _fetch(sql: str, params: Sequence[Any], read_schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    names = list(read_schema)
    converters = [_converter(read_schema[n]) for n in names]
    data = [[conv(v) for conv, v in zip(converters, row, strict=True)] for row in rows]
    return pl.DataFrame(data, schema=dict(read_schema), orient="row")


def _converter(dtype: pl.DataType) -> Any:
    if isinstance(dtype, pl.Decimal):
        scale = Decimal(1).scaleb(-(dtype.scale or 0))

        def to_decimal(value: Any) -> Decimal | None:
            if value is None:
                return None
            number = Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))
            return number.quantize(scale)

        return to_decimal
    if dtype == pl.Date:
        return lambda v: date.fromisoformat(v) if isinstance(v, str) else v
    return lambda v: v


def _years_since(established: pl.Expr, year: int) -> pl.Expr:
    """Whole years from establishment to the end of ``year`` (a proxy of the years in the niche market)."""
    end = date(year, 12, 31)
    full = (
        pl.lit(end.year)
        - established.dt.year()
        - (
            (established.dt.month() > end.month)
            | ((established.dt.month() == end.month) & (established.dt.day() > end.day))
        ).cast(pl.Int32)
    )
    return pl.when(established.is_not_null() & (full >= 0)).then(full).cast(pl.Decimal(6, 2))


def complete(frame: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """``enterprise_id`` then the schema's columns in order, typed; absent ones as nulls."""
    exprs = [pl.col("enterprise_id").cast(pl.Int64)]
    for name, dtype in schema.items():
        exprs.append(pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype).alias(name))
    return frame.select(exprs)


# --------------------------------------------------------------------------------------------- as text


def to_text(frame: pl.DataFrame, columns: Iterable[str]) -> pl.DataFrame:
    """Facts as text cells (exact: Decimals keep their digits; booleans true/false; choices their code)."""
    exprs = []
    for name in columns:
        dtype = frame.schema[name]
        if dtype == pl.Boolean:
            exprs.append(
                pl.when(pl.col(name)).then(pl.lit("true")).when(~pl.col(name)).then(pl.lit("false")).alias(name)
            )
        else:
            exprs.append(pl.col(name).cast(pl.String))
    return frame.select(exprs)


def from_text(text: pl.DataFrame, schema: Mapping[str, pl.DataType]) -> pl.DataFrame:
    """The inverse of ``to_text`` for columns written by it (no validation: they came out of typed facts)."""
    exprs = []
    for name, dtype in schema.items():
        if name not in text.columns:
            exprs.append(pl.lit(None, dtype).alias(name))
        elif dtype == pl.Boolean:
            exprs.append((pl.col(name) == "true").alias(name))
        else:
            exprs.append(pl.col(name).cast(dtype))
    rest = [c for c in text.columns if c not in schema]
    return text.select(*rest, *exprs)
