"""Set-based reads of querysets into Polars frames (one query, no model instances) for the land engines.

A queryset keeps the scoping (``for_user``) and the joins readable; its SQL then goes through
``core.bulk.read_frame`` (COPY on PostgreSQL), so 50,000 parcels cost one round trip.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import polars as pl
from django.db.models import QuerySet

from industria.core.bulk import read_frame


def queryset_frame(queryset: QuerySet, columns: Mapping[str, tuple[str, Any]]) -> pl.DataFrame:
    """``columns``: output name → (lookup path, Polars dtype); returns the frame of the queryset's rows."""
    lookups = [lookup for lookup, _dtype in columns.values()]
    sql, params = queryset.order_by().values_list(*lookups).query.sql_with_params()
    return read_frame(sql, params, {name: dtype for name, (_lookup, dtype) in columns.items()})


PARCEL_COLUMNS: dict[str, tuple[str, Any]] = {
    "parcel_id": ("pk", pl.Int64),
    "park_id": ("park_id", pl.Int64),
    "district_code": ("district__code", pl.String),
    "area_m2": ("area_m2", pl.Float64),
}

USE_COLUMNS: dict[str, tuple[str, Any]] = {
    "enterprise_id": ("enterprise_id", pl.Int64),
    "parcel_id": ("parcel_id", pl.Int64),
    "year": ("year", pl.Int32),
    "used_area_m2": ("used_area_m2", pl.Float64),
}

FACT_COLUMNS: dict[str, tuple[str, Any]] = {
    "enterprise_id": ("enterprise_id", pl.Int64),
    "year": ("year", pl.Int32),
    "gross_output_cny": ("gross_output_cny", pl.Float64),
    "tax_paid_cny": ("tax_paid_cny", pl.Float64),
}

GRADE_COLUMNS: dict[str, tuple[str, Any]] = {
    "enterprise_id": ("enterprise_id", pl.Int64),
    "year": ("year", pl.Int32),
    "grade": ("grade", pl.String),
}


def rows_frame(queryset: QuerySet, columns: Mapping[str, tuple[str, Any]]) -> pl.DataFrame:
    """Like ``queryset_frame`` through a plain cursor fetch: faster than COPY for a few thousand rows (COPY
    streams row by row through psycopg), as the site search's candidate frames are."""
    lookups = [lookup for lookup, _dtype in columns.values()]
    rows = list(queryset.order_by().values_list(*lookups))
    schema = {name: dtype for name, (_lookup, dtype) in columns.items()}
    return pl.DataFrame(rows, schema=schema, orient="row", strict=False)
