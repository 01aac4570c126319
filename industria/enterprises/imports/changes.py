"""Which rows of a file are new, changed or unchanged against what is stored: one join, compared column by column.

Only the columns present in the file are compared and written (a file with only revenue leaves the other facts
as they are).  Empty cells of nullable columns clear the stored value; of columns with a default (flags,
choices) they keep it (a new row gets the default).  Yearly facts derive ``above_size`` from the size rule of
their year whenever the file carries the main-business revenue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from .specs import Kind

SUMMARY_ROWS = 10_000


@dataclass
class Plan:
    """The rows to insert and to update, with the counts and the change-log summary they amount to."""

    inserts: pl.DataFrame  # whole rows of the model (db column names, no id)
    updates: pl.DataFrame  # whole rows too: the unique key finds the stored row, ``update_columns`` are set
    update_columns: list[str]
    unchanged: int
    summary_rows: list[dict[str, Any]]
    industry_changed_ids: list[int]  # enterprises whose industry code changed (their group links are refreshed)

    @property
    def new(self) -> int:
        return self.inserts.height

    @property
    def changed(self) -> int:
        return self.updates.height


def db_key(kind: Kind) -> list[str]:
    """The unique key of the target table (``uscc`` or ``enterprise_id`` + the row's other key columns)."""
    return ["uscc"] if kind.is_enterprise else ["enterprise_id", *[k for k in kind.key if k != "uscc"]]


def plan_changes(
    kind: Kind,
    incoming: pl.DataFrame,
    stored: pl.DataFrame,
    *,
    present: list[str],
    thresholds: pl.DataFrame | None,
    now: Any,
) -> Plan:
    """Compare ``incoming`` (valid typed rows with their ``enterprise_id``) with ``stored`` (typed, with ``id``).

    ``present`` are the column keys the file carries; ``thresholds`` (``year``, ``threshold_cny``) the size rule
    for yearly facts; ``now`` the stored timestamp of created/updated rows.
    """
    keys = db_key(kind)
    columns = [c for c in kind.columns if c.kind != "uscc" and c.key in present and c.key not in keys]
    compared = [c.key for c in columns]
    derive_size = kind.code == "year-facts" and "main_revenue_cny" in present
    old = stored.rename({name: f"{name}__old" for name in stored.columns if name not in (*keys, "id")})
    joined = incoming.join(old, on=keys, how="left", nulls_equal=True)
    keeps = [
        pl.coalesce(c.key, f"{c.key}__old", pl.lit(c.default)).alias(c.key)
        for c in columns
        if not c.nullable and c.default is not None
    ]
    joined = joined.with_columns(keeps) if keeps else joined
    if derive_size:
        if thresholds is None:
            thresholds = pl.DataFrame(schema={"year": pl.Int64, "threshold_cny": pl.Decimal(18, 2)})
        joined = joined.join(thresholds, on="year", how="left").with_columns(
            above_size=(pl.col("main_revenue_cny") >= pl.col("threshold_cny")).fill_null(False)
        )
        compared.append("above_size")
    differs = [pl.col(c).ne_missing(pl.col(f"{c}__old")).alias(f"{c}__diff") for c in compared]
    changed = pl.any_horizontal([pl.col(f"{c}__diff") for c in compared]) if compared else pl.lit(False)
    joined = joined.with_columns(differs).with_columns(
        _new=pl.col("id").is_null(), _changed=pl.col("id").is_not_null() & changed
    )
    is_new, is_changed = joined["_new"], joined["_changed"]
    new_count, changed_count = int(is_new.sum()), int(is_changed.sum())
    new_rows = joined if new_count == joined.height else joined.filter(is_new)
    inserts = _insert_frame(kind, new_rows, present, derive_size, now)
    updates = _insert_frame(kind, joined.filter(is_changed), present, derive_size, now)
    first_changed = joined[is_changed.arg_true().head(SUMMARY_ROWS)]
    summary = _summary(kind, new_rows.head(SUMMARY_ROWS), first_changed, compared)
    industry_changed: list[int] = []
    if kind.is_enterprise and "industry_code" in compared and changed_count:
        industry_changed = joined.filter(is_changed & joined["industry_code__diff"])["id"].to_list()
    unchanged = joined.height - new_count - changed_count
    update_columns = [_db_name(kind, c) for c in compared] + ["updated_at"]
    return Plan(inserts, updates, update_columns, unchanged, summary, industry_changed)


def _db_name(kind: Kind, key: str) -> str:
    return "district_id" if key == "district" else key


def _insert_frame(kind: Kind, rows: pl.DataFrame, present: list[str], derive_size: bool, now: Any) -> pl.DataFrame:
    """Every column of the model for the new rows: the file's values, else the field defaults."""
    keys = db_key(kind)
    exprs: list[pl.Expr] = [pl.col(k) for k in keys]
    for column in kind.columns:
        if column.kind == "uscc" or column.key in keys:
            continue
        name = _db_name(kind, column.key)
        if column.key in present:
            value = pl.col(column.key)
            if not column.nullable and column.default is not None:
                value = value.fill_null(pl.lit(column.default))
            exprs.append(value.alias(name))
        else:
            exprs.append(pl.lit(column.default).alias(name))
    if kind.code == "year-facts":
        exprs.append(pl.col("above_size") if derive_size else pl.lit(False).alias("above_size"))
    exprs += [pl.lit(False).alias("synthetic"), pl.lit(now).alias("created_at"), pl.lit(now).alias("updated_at")]
    return rows.select(exprs)


def _jsonable(value: Any) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _summary(kind: Kind, new_rows: pl.DataFrame, changed_rows: pl.DataFrame, compared: list[str]) -> list[dict]:
    """Up to ``SUMMARY_ROWS`` entries: the row's key, and for a change each changed field before → after."""
    key_names = list(kind.key)
    out: list[dict[str, Any]] = []
    for row in new_rows.select(["_row", *key_names]).iter_rows(named=True):
        out.append({"action": "create", "row": row.pop("_row"), "key": {k: _jsonable(v) for k, v in row.items()}})
    room = SUMMARY_ROWS - len(out)
    if room > 0 and not changed_rows.is_empty():
        fields = [
            pl.when(pl.col(f"{c}__diff"))
            .then(pl.concat_list(pl.col(f"{c}__old").cast(pl.String), pl.col(c).cast(pl.String)))
            .alias(c)
            for c in compared
        ]
        subset = changed_rows.head(room).select("_row", *key_names, *fields)
        for row in subset.iter_rows(named=True):
            changed = {c: row[c] for c in compared if row[c] is not None}
            out.append(
                {
                    "action": "update",
                    "row": row["_row"],
                    "key": {k: _jsonable(row[k]) for k in key_names},
                    "changed": changed,
                }
            )
    return out
