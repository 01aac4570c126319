"""The land import workflow: one service (``land_import_run``) for the command line, the job and the UI.

Reuses the registry's import pipeline (``industria.enterprises.imports``): reading csv (UTF-8 or GBK/GB18030,
sniffed separator) and xlsx into text cells with header matching (``reading``), the typing and cell checks of
every column with Polars expressions (``validation``: ``cell_stages``, ``typed_and_codes``, the cell problems, and
``check_cells`` whole for land uses, which are keyed on a credit code like the registry's facts), the problem
messages (``problems``), the batched insert and ``ON CONFLICT`` upsert (``writing``), the rejected-rows workbook
(``workbooks``), the upload store and the job runner.  What is land-specific lives here: GeoJSON
FeatureCollections (each feature a row: properties as columns, the geometry as the ``geometry`` column; the row
number is the feature's number, from 1), the geometry checks of ``land.geometry`` (vectorised), parks, parcels
and enterprises looked up by code, and the comparison with the stored rows on the natural key (``code``,
``parcel_code``, enterprise × parcel × year).

Guarantees (the registry's): every problem is reported with its row, column and a message; a file with any
problem writes nothing; a dry run writes nothing; a committed import writes the new and changed rows in one
transaction with one change-log entry; importing the same file again changes nothing (same rows → unchanged).
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from industria.core.bulk import read_frame
from industria.core.changelog import bulk_change_record, suppress_row_logging
from industria.core.exceptions import DomainError
from industria.core.models import Job
from industria.core.permissions import perm_name
from industria.core.services import job_enqueue
from industria.enterprises.imports.problems import ImportFileError, problem_message
from industria.enterprises.imports.reading import RawTable, map_headers, read_table
from industria.enterprises.imports.selectors import references_load
from industria.enterprises.imports.services import ImportResult, import_upload_store, message_constants
from industria.enterprises.imports.specs import Kind
from industria.enterprises.imports.validation import (
    cell_problems,
    cell_stages,
    check_cells,
    cleaning_needs,
    typed_and_codes,
)
from industria.enterprises.imports.workbooks import problems_by_row, rejected_xlsx
from industria.enterprises.imports.writing import insert_rows, lock_table, timestamp_value, upsert_rows
from industria.land.geometry import MESSAGES as GEOMETRY_MESSAGES
from industria.land.geometry import geometries_checked
from industria.land.models import M2_PER_MU

from .kinds import KINDS, LAND_USES, PARCELS, PARKS

IMPORT_JOB_KIND = "land.import"
PROBLEMS_KEPT = 1000
AREA_UNITS_TOLERANCE = 0.01  # m² and mu columns of one row may differ by 1 % (rounding of either)
LAND_MESSAGES: dict[str, Any] = {
    "unknown_kind": gettext_lazy("“%(value)s” is not a kind of land import; use one of: %(allowed)s."),
    "bad_geojson": gettext_lazy("The GeoJSON file cannot be read: %(detail)s."),
    "unknown_park": gettext_lazy("No park has the code “%(value)s”; import the parks first."),
    "unknown_parcel": gettext_lazy("No parcel has the id “%(value)s”; import the parcels first."),
    "unknown_group": gettext_lazy("“%(value)s” is not the code of an industry group of the industrial system."),
    "no_area": gettext_lazy("Give the area (in m² or in mu) or a polygon boundary."),
    "area_units_disagree": gettext_lazy(
        "The area in m² (%(value)s) and the area in mu (%(other)s mu = %(expected)s m²) differ by more than 1%%."
    ),
    "district_required": gettext_lazy("A district is required (or a boundary from which it can be found)."),
    "district_mismatch": gettext_lazy("The boundary lies in district %(other)s, not in %(value)s as given."),
    "share_above_one": gettext_lazy("%(value)s is above 1; the developed share is a fraction from 0 to 1."),
    "zero_ratio": gettext_lazy("The floor-area ratio must be above 0."),
    "point_incomplete": gettext_lazy("Give both the longitude and the latitude of the point."),
    "row_out_of_scope": gettext_lazy("You may only import rows of %(district)s, not of %(value)s."),
    "duplicate_code": gettext_lazy("The same %(key)s “%(value)s” appears more than once in the file (rows %(rows)s)."),
    "geometry": gettext_lazy("%(detail)s"),
    "not_allowed": gettext_lazy("Your role may not import %(kind)s."),
}
_LOCATED = ["geometry", "longitude", "latitude", "min_lon", "min_lat", "max_lon", "max_lat"]


class LandImportFileError(ImportFileError):
    """A land file that cannot be read at all (unknown kind, unreadable GeoJSON)."""

    def __init__(self, code: str, params: dict[str, Any] | None = None):
        params = dict(params or {})
        self.problems = [{"row": None, "column": None, "code": code, "params": params}]
        DomainError.__init__(self, LAND_MESSAGES[code], params=params, code=code)


class LandImportNotAllowed(DomainError):
    code = "import_not_allowed"
    default_message = LAND_MESSAGES["not_allowed"]
    http_status = 403


def land_problem_message(code: str, params: dict[str, Any]) -> str:
    """The message of a problem in the active language (land codes, geometry problems, then the registry's)."""
    if code == "geometry":
        template = str(GEOMETRY_MESSAGES[params["problem"]])
        try:
            return template % params
        except (KeyError, TypeError, ValueError):
            return template
    if code in LAND_MESSAGES:
        try:
            return str(LAND_MESSAGES[code]) % {k: ("" if v is None else v) for k, v in params.items()}
        except (KeyError, TypeError, ValueError):
            return str(LAND_MESSAGES[code])
    return problem_message(code, params)


def land_import_allowed(actor: Any, kind: str) -> bool:
    """Whether ``actor`` may import ``kind``."""
    spec = KINDS.get(kind)
    if spec is None:
        return False
    try:
        _scope_district(actor, spec)
    except LandImportNotAllowed:
        return False
    return True


def _scope_district(actor: Any, spec: Kind) -> int | None:
    """The district the actor is limited to (None: the whole city); raises LandImportNotAllowed."""
    if actor is None or getattr(actor, "is_superuser", False):
        return None
    params = {"kind": str(spec.label)}
    if not getattr(actor, "is_authenticated", False):
        raise LandImportNotAllowed(params=params)
    scope = getattr(actor, "scope", "city") or "city"
    allowed = actor.has_perm(perm_name(spec.model, "add")) and actor.has_perm(perm_name(spec.model, "change"))
    if scope == "enterprise" or not allowed:
        raise LandImportNotAllowed(params=params)
    return actor.district_id if scope == "district" else None


# ------------------------------------------------------------------------------------------------ reading
def is_geojson(path: Path) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"{")


def read_geojson(path: Path, spec: Kind) -> RawTable:
    """A FeatureCollection as a table of text cells: one row per feature (row = feature number, from 1)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise LandImportFileError("bad_geojson", {"detail": str(exc)[:200]}) from exc
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        raise LandImportFileError("bad_geojson", {"detail": _("a FeatureCollection is expected")})
    features = data["features"]
    if not features:
        raise ImportFileError("no_data")
    names: list[str] = []
    for feature in features:
        for name in (feature.get("properties") or {}) if isinstance(feature, dict) else {}:
            if name not in names and name != "geometry":
                names.append(name)
    headers = [*names, "geometry"]
    rows = [headers]
    for feature in features:
        feature = feature if isinstance(feature, dict) else {}
        properties = feature.get("properties") or {}
        cells = [None if properties.get(n) is None else str(properties[n]) for n in names]
        geometry = feature.get("geometry")
        rows.append([*cells, json.dumps(geometry) if geometry is not None else None])
    cells = pl.DataFrame(rows, schema={f"c{i}": pl.String for i in range(len(headers))}, orient="row")
    table = map_headers(cells, spec)
    shift = pl.col("_row") - 1
    table.frame = table.frame.with_columns(shift)
    table.original = table.original.with_columns(shift)
    table.file_format, table.encoding, table.header_row = "geojson", "utf-8", 0
    return table


# ------------------------------------------------------------------------------------------------ checking
def _problems(rows: pl.Series | list[int], column: str, code: str, **params: Any) -> pl.DataFrame:
    """A problems frame: one row per ``rows``; params are per-row lists or constants (kept as JSON)."""
    rows = list(rows)
    if not rows:
        return pl.DataFrame()
    encoded = []
    for i in range(len(rows)):
        one = {k: (v[i] if isinstance(v, (list, np.ndarray, pl.Series)) else v) for k, v in params.items()}
        encoded.append(json.dumps({k: (None if v is None else str(v)) for k, v in one.items()}, ensure_ascii=False))
    return pl.DataFrame(
        {"_row": rows, "column": [column] * len(rows), "code": [code] * len(rows), "params": encoded},
        schema={"_row": pl.Int64, "column": pl.String, "code": pl.String, "params": pl.String},
    )


def _check_cells(raw: RawTable, spec: Kind) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Typed rows and cell problems (the registry's stages); duplicates of the key."""
    if spec is LAND_USES:
        checked = check_cells(raw, spec, references_load(spec))
        return checked.typed, _registry_problems(checked.problems)
    refs = references_load(spec)
    present = [c for c in spec.columns if c.key in raw.headers]
    needs = cleaning_needs(raw.frame, present)
    plans = {
        c.key: cell_stages(
            c,
            refs,
            raw.scales.get(c.key, 1) if c.kind == "decimal" else 1,
            needs[c.key]["separators"],
            needs[c.key]["clean"],
        )
        for c in present
    }
    wide = typed_and_codes(raw.frame, plans)
    parts = [p for c in present if (p := cell_problems(wide, raw.frame, c)) is not None]
    typed = wide.select("_row", *[c.key for c in spec.columns if c.key in wide.columns])
    found = _registry_problems(pl.concat(parts, how="diagonal_relaxed")) if parts else pl.DataFrame()
    key = spec.key[0]
    bad = set(found["_row"].to_list()) if found.height else set()
    repeated = typed.filter((pl.col(key) != "") & ~pl.col("_row").is_in(list(bad)) & (pl.len().over(key) > 1)).select(
        "_row", key
    )
    if repeated.height:
        listed = repeated.group_by(key).agg(rows=pl.col("_row").sort().cast(pl.String).str.join(", "))
        repeated = repeated.join(listed, on=key)
        found = pl.concat(
            [
                found,
                _problems(
                    repeated["_row"],
                    key,
                    "duplicate_code",
                    value=repeated[key].to_list(),
                    rows=repeated["rows"].to_list(),
                    key=str(spec.key_label),
                ),
            ],
            how="diagonal_relaxed",
        )
    return typed, found


def _registry_problems(problems: pl.DataFrame) -> pl.DataFrame:
    """The registry's problem frame with its per-row parameters folded into the ``params`` JSON column."""
    if problems.is_empty():
        return pl.DataFrame()
    names = [c for c in problems.columns if c not in ("_row", "column", "code")]
    params = [
        json.dumps({n: row[n] for n in names if row[n] is not None}, ensure_ascii=False)
        for row in problems.select(names).iter_rows(named=True)
    ]
    return problems.select(pl.col("_row").cast(pl.Int64), "column", "code").with_columns(
        params=pl.Series(params, dtype=pl.String)
    )


def _text(frame: pl.DataFrame, key: str) -> pl.Series:
    return frame[key] if key in frame.columns else pl.Series(key, [""] * frame.height, pl.String)


def _rows_of(frame: pl.DataFrame, mask: Any) -> pl.Series:
    return frame.filter(pl.Series(mask) if not isinstance(mask, pl.Series) else mask)["_row"]


def _located(typed: pl.DataFrame, raw: RawTable, spec: Kind, stated_m2: list[Any]) -> tuple[pl.DataFrame, list]:
    """Geometry checks of the rows that have one; adds the located columns and ``geo_district``."""
    found: list[pl.DataFrame] = []
    texts = _text(typed, "geometry").to_list()
    if spec is PARCELS and "longitude" in typed.columns and "latitude" in typed.columns:
        lons, lats = typed["longitude"].to_list(), typed["latitude"].to_list()
        half = [i for i, (x, y) in enumerate(zip(lons, lats, strict=True)) if (x is None) != (y is None)]
        found.append(_problems([typed["_row"][i] for i in half], "longitude", "point_incomplete"))
        for i, (x, y) in enumerate(zip(lons, lats, strict=True)):
            if not texts[i] and x is not None and y is not None:
                texts[i] = json.dumps({"type": "Point", "coordinates": [float(x), float(y)]})
    with_geometry = [i for i, t in enumerate(texts) if t]
    n = typed.height
    columns: dict[str, list[Any]] = {name: [None] * n for name in [*_LOCATED, "geo_district", "geo_area_m2"]}
    if with_geometry:
        checked = geometries_checked([texts[i] for i in with_geometry], [stated_m2[i] for i in with_geometry])
        bad_rows, bad_params = [], []
        for j, i in enumerate(with_geometry):
            error = checked.errors[j]
            if error is not None:
                bad_rows.append(typed["_row"][i])
                bad_params.append(json.dumps({"problem": error.problem, **error.params}, ensure_ascii=False))
                continue
            columns["geometry"][i] = checked.geojson[j]
            columns["longitude"][i], columns["latitude"][i] = checked.longitude[j], checked.latitude[j]
            for k, name in enumerate(("min_lon", "min_lat", "max_lon", "max_lat")):
                columns[name][i] = float(checked.bounds[j, k])
            columns["geo_district"][i] = checked.district_code[j]
            area = checked.area_m2[j]
            columns["geo_area_m2"][i] = None if np.isnan(area) else float(area)
        if bad_rows:
            found.append(
                pl.DataFrame(
                    {
                        "_row": bad_rows,
                        "column": ["geometry"] * len(bad_rows),
                        "code": ["geometry"] * len(bad_rows),
                        "params": bad_params,
                    },
                    schema={"_row": pl.Int64, "column": pl.String, "code": pl.String, "params": pl.String},
                )  # fmt: skip
            )
    extra = pl.DataFrame(
        {
            "geometry·json": pl.Series(columns["geometry"], dtype=pl.String),
            **{
                f"{name}·geo": pl.Series(columns[name], dtype=pl.Float64)
                for name in ("longitude", "latitude", "min_lon", "min_lat", "max_lon", "max_lat")
            },
            "geo_district": pl.Series(columns["geo_district"], dtype=pl.String),
            "geo_area_m2": pl.Series(columns["geo_area_m2"], dtype=pl.Float64),
        }
    )
    return pl.concat([typed, extra], how="horizontal"), found


def _coordinate(name: str) -> pl.Expr:
    """A coordinate as Decimal(9, 6) through its text (a float cast could truncate the last digit)."""
    return pl.col(f"{name}·geo").round(6).cast(pl.String).cast(pl.Decimal(9, 6)).alias(name)


def _district_codes() -> dict[int, str]:
    from industria.accounts.models import District

    return dict(District.objects.values_list("pk", "code"))


def _land_checks(
    spec: Kind, typed: pl.DataFrame, raw: RawTable, district_id: int | None
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Land-specific row checks; returns the rows with DB-ready columns and the problems."""
    found: list[pl.DataFrame] = []
    codes = _district_codes()
    ids = {code: pk for pk, code in codes.items()}
    if spec is LAND_USES:
        return _land_use_checks(typed, district_id, codes, found)
    if spec is PARKS:
        stated = [None if v is None else float(v) * 1_000_000 for v in _col(typed, "area_km2")]
    else:
        m2, mu = _col(typed, "area_m2"), _col(typed, "area_mu")
        stated = [
            float(a) if a is not None else (float(b) * float(M2_PER_MU) if b is not None else None)
            for a, b in zip(m2, mu, strict=True)
        ]
    typed, geometry_problems = _located(typed, raw, spec, stated)
    found += geometry_problems
    # district: as given, else from the boundary
    given = _col(typed, "district")
    geo = typed["geo_district"].to_list()
    district = [
        given[i] if given[i] is not None else (ids.get(geo[i]) if geo[i] else None) for i in range(typed.height)
    ]
    mismatch = [
        i for i in range(typed.height) if given[i] is not None and geo[i] is not None and codes.get(given[i]) != geo[i]
    ]
    if mismatch:
        found.append(
            _problems(
                [typed["_row"][i] for i in mismatch],
                "district",
                "district_mismatch",
                value=[codes.get(given[i]) for i in mismatch],
                other=[geo[i] for i in mismatch],
            )
        )
    typed = typed.with_columns(district=pl.Series(district, dtype=pl.Int64))
    stored_keys = _stored_keys(spec, typed)
    # a row whose boundary was refused gets no consequential problems (district, area) on top
    refused = [r for frame in geometry_problems if frame.height for r in frame["_row"].to_list()]
    missing = typed.filter(
        pl.col("district").is_null() & ~pl.col(spec.key[0]).is_in(stored_keys) & ~pl.col("_row").is_in(refused)
    )
    found.append(_problems(missing["_row"], "district", "district_required"))
    if district_id is not None:
        outside = typed.filter(pl.col("district").is_not_null() & (pl.col("district") != district_id))
        found.append(
            _problems(
                outside["_row"],
                "district",
                "row_out_of_scope",
                value=[codes.get(d) for d in outside["district"].to_list()],
                district=codes.get(district_id),
            )
        )
    if spec is PARKS:
        found += _park_checks(typed)
    else:
        typed = _parcel_checks(typed, found, [*stored_keys, *_keys_of(typed, refused, spec)])
    return typed, found


def _keys_of(typed: pl.DataFrame, rows: list[int], spec: Kind) -> list[str]:
    return typed.filter(pl.col("_row").is_in(rows))[spec.key[0]].to_list()


def _stored_keys(spec: Kind, typed: pl.DataFrame) -> list[str]:
    """The keys of the file that are already stored."""
    name = spec.key[0]
    values = [v for v in typed[name].to_list() if v]
    return list(spec.model.objects.filter(**{f"{name}__in": values}).values_list(name, flat=True))


def _col(frame: pl.DataFrame, key: str) -> list[Any]:
    return frame[key].to_list() if key in frame.columns else [None] * frame.height


def _park_checks(typed: pl.DataFrame) -> list[pl.DataFrame]:
    from industria.enterprises.models import IndustryGroup

    found = []
    if "lead_groups" in typed.columns:
        known = set(IndustryGroup.objects.values_list("code", flat=True))
        rows, values = [], []
        for row, text in zip(typed["_row"].to_list(), typed["lead_groups"].to_list(), strict=True):
            for code in _split(text):
                if code not in known:
                    rows.append(row)
                    values.append(code)
        found.append(_problems(rows, "lead_groups", "unknown_group", value=values))
    return found


def _split(text: str | None) -> list[str]:
    return sorted(
        {part.strip() for part in (text or "").replace("；", ";").replace(",", ";").split(";") if part.strip()}
    )


def _parcel_checks(typed: pl.DataFrame, found: list[pl.DataFrame], stored_keys: list[str]) -> pl.DataFrame:
    """Areas (m² ↔ mu ↔ polygon), park codes, shares and ratios of parcel rows."""
    from industria.land.models import Park

    rows = typed["_row"].to_list()
    m2, mu, geo_area = _col(typed, "area_m2"), _col(typed, "area_mu"), typed["geo_area_m2"].to_list()
    factor = float(M2_PER_MU)
    area_m2, area_mu, no_area, disagree = [], [], [], []
    codes_, stored = typed["parcel_code"].to_list(), set(stored_keys)
    for i in range(typed.height):
        a = float(m2[i]) if m2[i] is not None else None
        b = float(mu[i]) if mu[i] is not None else None
        if a is not None and b is not None and abs(a - b * factor) > AREA_UNITS_TOLERANCE * max(a, 1.0):
            disagree.append(i)
        if a is None:
            a = b * factor if b is not None else geo_area[i]
        if a is None and codes_[i] not in stored:
            no_area.append(i)
        area_m2.append(None if a is None else round(a, 2))
        area_mu.append(None if a is None else round(b if b is not None else a / factor, 2))
    found.append(_problems([rows[i] for i in no_area], "area_m2", "no_area"))
    found.append(
        _problems(
            [rows[i] for i in disagree],
            "area_mu",
            "area_units_disagree",
            value=[m2[i] for i in disagree],
            other=[mu[i] for i in disagree],
            expected=[f"{float(mu[i]) * factor:,.2f}" for i in disagree],
        )
    )
    typed = typed.with_columns(
        area_m2=pl.Series(area_m2, dtype=pl.Float64).cast(pl.String).cast(pl.Decimal(14, 2)),
        area_mu=pl.Series(area_mu, dtype=pl.Float64).cast(pl.String).cast(pl.Decimal(12, 2)),
    )
    if "park" in typed.columns:
        parks = dict(Park.objects.values_list("code", "pk"))
        codes = typed["park"].to_list()
        unknown = [i for i, c in enumerate(codes) if c and c not in parks]
        found.append(_problems([rows[i] for i in unknown], "park", "unknown_park", value=[codes[i] for i in unknown]))
        typed = typed.with_columns(park=pl.Series([parks.get(c) if c else None for c in codes], dtype=pl.Int64))
    if "developed_share" in typed.columns:
        high = typed.filter(pl.col("developed_share") > 1)
        found.append(
            _problems(high["_row"], "developed_share", "share_above_one", value=high["developed_share"].cast(pl.String))
        )
    if "floor_area_ratio" in typed.columns:
        zero = typed.filter(pl.col("floor_area_ratio") == 0)
        found.append(_problems(zero["_row"], "floor_area_ratio", "zero_ratio"))
    return typed


def _land_use_checks(
    typed: pl.DataFrame, district_id: int | None, codes: dict[int, str], found: list[pl.DataFrame]
) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    from industria.enterprises.models import Enterprise
    from industria.land.models import Parcel

    usccs = typed["uscc"].drop_nulls().unique().to_list()
    enterprises = dict(Enterprise.objects.filter(uscc__in=usccs).values_list("uscc", "pk"))
    parcels = {
        code: (pk, district)
        for code, pk, district in Parcel.objects.filter(parcel_code__in=typed["parcel"].unique().to_list()).values_list(
            "parcel_code", "pk", "district_id"
        )
    }
    rows = typed["_row"].to_list()
    uscc, parcel = typed["uscc"].to_list(), typed["parcel"].to_list()
    unknown_e = [i for i, u in enumerate(uscc) if u and u not in enterprises]
    found.append(
        _problems([rows[i] for i in unknown_e], "uscc", "unknown_enterprise", value=[uscc[i] for i in unknown_e])
    )
    unknown_p = [i for i, p in enumerate(parcel) if p and p not in parcels]
    found.append(
        _problems([rows[i] for i in unknown_p], "parcel", "unknown_parcel", value=[parcel[i] for i in unknown_p])
    )
    if district_id is not None:
        outside = [i for i, p in enumerate(parcel) if p in parcels and parcels[p][1] != district_id]
        found.append(
            _problems(
                [rows[i] for i in outside],
                "parcel",
                "row_out_of_scope",
                value=[codes.get(parcels[parcel[i]][1]) for i in outside],
                district=codes.get(district_id),
            )
        )
    typed = typed.with_columns(
        enterprise_id=pl.Series([enterprises.get(u) for u in uscc], dtype=pl.Int64),
        parcel_id=pl.Series([parcels[p][0] if p in parcels else None for p in parcel], dtype=pl.Int64),
    )
    return typed, found


# ------------------------------------------------------------------------------------------------ comparing
def _db_frame(spec: Kind, typed: pl.DataFrame, present: list[str]) -> tuple[pl.DataFrame, list[str], list[str]]:
    """The rows as DB columns: (frame with the key and the compared columns, key, compared columns)."""
    if spec is LAND_USES:
        key = ["enterprise_id", "parcel_id", "year"]
        compared = ["used_area_m2"] if "used_area_m2" in present else []
        return typed.select(*key, *compared), key, compared
    key = list(spec.key)
    exprs: list[pl.Expr] = [pl.col(key[0])]
    compared: list[str] = []
    for column in spec.columns:
        name = column.key
        if name in key or name in ("geometry", "longitude", "latitude", "lead_groups") or name not in present:
            continue
        if name == "district":
            continue
        if name == "park":
            exprs.append(pl.col("park").alias("park_id"))
            compared.append("park_id")
            continue
        exprs.append(pl.col(name))
        compared.append(name)
    exprs.append(pl.col("district").alias("district_id"))
    compared.append("district_id")
    if spec is PARCELS:
        for name in ("area_m2", "area_mu"):
            if name not in compared:
                exprs.append(pl.col(name))
                compared.append(name)
    has_geometry = "geometry" in present or ("longitude" in present and "latitude" in present)
    if has_geometry:
        exprs += [pl.col("geometry·json").alias("geometry"), *[_coordinate(n) for n in _LOCATED[1:]]]
        compared += _LOCATED
    return typed.select(exprs), key, compared


def _stored(spec: Kind, key: list[str], compared: list[str], incoming: pl.DataFrame) -> pl.DataFrame:
    """The stored rows with the incoming keys (typed like the incoming frame), with ``id``."""
    from django.db import connection

    q = connection.ops.quote_name
    table = q(spec.model._meta.db_table)
    schema: dict[str, Any] = {"id": pl.Int64}
    for name in [*key, *compared]:
        dtype = incoming.schema[name]
        schema[name] = pl.String if name == "geometry" else dtype
    sql = f"SELECT {', '.join(q(n) for n in schema)} FROM {table}"
    params: list[Any] = []
    stored = read_frame(sql, params, schema)
    return stored.join(incoming.select(key), on=key, how="semi")


def _canonical(series: pl.Series) -> pl.Series:
    return pl.Series(
        [None if v is None else json.dumps(json.loads(v), sort_keys=True, separators=(",", ":")) for v in series],
        dtype=pl.String,
    )


def _plan(spec: Kind, incoming: pl.DataFrame, key: list[str], compared: list[str]) -> dict[str, Any]:
    stored = _stored(spec, key, compared, incoming)
    if "geometry" in compared:
        stored = stored.with_columns(geometry=_canonical(stored["geometry"]))
        incoming = incoming.with_columns(geometry=_canonical(incoming["geometry"]))
    old = stored.rename({n: f"{n}__old" for n in compared})
    joined = incoming.join(old, on=key, how="left")
    keeps = [pl.coalesce(c, f"{c}__old").alias(c) for c in ("district_id", "area_m2", "area_mu") if c in compared]
    joined = joined.with_columns(keeps) if keeps else joined
    differs = [pl.col(c).ne_missing(pl.col(f"{c}__old")) for c in compared]
    changed = pl.any_horizontal(differs) if differs else pl.lit(False)
    joined = joined.with_columns(_new=pl.col("id").is_null(), _changed=pl.col("id").is_not_null() & changed)
    return {
        "new": joined.filter("_new").select(*key, *compared),
        "changed": joined.filter("_changed").select(*key, *compared),
        "unchanged": int((~joined["_new"] & ~joined["_changed"]).sum()),
    }


# ------------------------------------------------------------------------------------------------ the service
def land_import_run(
    *,
    actor: Any,
    kind: str,
    file: Any,
    dry_run: bool = True,
    filename: str | None = None,
    progress: Any = None,
    rejected_path: Path | None = None,
) -> ImportResult:
    """Import ``file`` (a path, or an uploaded file which is stored first) as ``kind`` (parks, parcels or
    land_uses); nothing is written on a dry run or when any row has a problem.  Raises LandImportFileError for an
    unknown kind, LandImportNotAllowed for a role that may not import; a malformed file is reported in the
    result (outcome ``malformed``)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise LandImportFileError("unknown_kind", {"value": kind, "allowed": ", ".join(KINDS)})
    district_id = _scope_district(actor, spec)
    if hasattr(file, "chunks"):
        filename = filename or file.name
        file = import_upload_store(upload=file)
    path = Path(file)
    report = progress or (lambda done, total, phase: None)
    started = time.perf_counter()
    result = ImportResult(kind=spec.code, dry_run=dry_run, outcome="malformed", file={"name": filename or path.name})
    report(0, 100, "reading")
    try:
        raw = read_geojson(path, spec) if is_geojson(path) else read_table(path, spec)
    except ImportFileError as exc:
        result.problems = [
            {**p, "key": p.get("column"), "message": land_problem_message(p["code"], p["params"])} for p in exc.problems
        ]
        result.problems_total = len(exc.problems)
        return result
    result.file.update(format=raw.file_format, encoding=raw.encoding, header_row=raw.header_row)
    result.ignored_columns = raw.ignored
    report(10, 100, "checking")
    typed, found_cells = _check_cells(raw, spec)
    typed, land_problems = _land_checks(spec, typed, raw, district_id)
    problems = pl.concat(
        [p for p in [found_cells, *land_problems] if p.height], how="diagonal_relaxed"
    ) if any(p.height for p in [found_cells, *land_problems]) else pl.DataFrame()  # fmt: skip
    problems = _ordered(problems, list(raw.headers))
    rejected = problems["_row"].n_unique() if problems.height else 0
    report(40, 100, "comparing")
    present = list(raw.headers)
    valid = typed.filter(~pl.col("_row").is_in(problems["_row"].to_list())) if rejected else typed
    if spec is PARKS and "district" not in present and "geometry" not in present:
        present.append("district")
    write = not dry_run and rejected == 0
    with transaction.atomic():
        if write:
            lock_table(spec.model._meta.db_table)
        if spec is not LAND_USES and "district" not in present:
            present.append("district")
        incoming, key, compared = _db_frame(spec, valid, present)
        plan = _plan(spec, incoming, key, compared)
        lead_changed = _lead_groups_changed(spec, valid) if spec is PARKS and "lead_groups" in present else {}
        new_keys = set(plan["new"].get_column(key[0]).to_list())
        changed_keys = set(plan["changed"].get_column(key[0]).to_list()) | (set(lead_changed) - new_keys)
        changed = len(changed_keys) if spec is not LAND_USES else plan["changed"].height
        result.counts = {
            "rows": raw.frame.height,
            "new": plan["new"].height,
            "changed": changed,
            "unchanged": raw.frame.height - rejected - plan["new"].height - changed,
            "rejected": rejected,
        }
        if write:
            report(60, 100, "writing")
            result.audit_id = _write(spec, plan, key, compared, lead_changed, result)
            result.outcome = "committed"
    if result.outcome != "committed":
        result.outcome = "rejected" if rejected else "checked"
    result.problems_total = problems.height
    result.problems = _problem_dicts(problems.head(PROBLEMS_KEPT), raw.headers, spec, district_id)
    if rejected and rejected_path is not None:
        messages = pl.Series(
            "message", [p["message"] for p in _problem_dicts(problems, raw.headers, spec, district_id)]
        )
        rejected_xlsx(
            Path(rejected_path),
            raw.original.filter(pl.col("_row").is_in(problems["_row"].to_list())),
            raw.original_headers,
            problems_by_row(problems.select("_row", "column"), messages, raw.headers),
        )
        result.rejected_file = str(rejected_path)
    result.seconds = {"total": round(time.perf_counter() - started, 3)}
    report(100, 100, "done")
    return result


def _ordered(problems: pl.DataFrame, column_order: list[str]) -> pl.DataFrame:
    if problems.is_empty():
        return pl.DataFrame(schema={"_row": pl.Int64, "column": pl.String, "code": pl.String, "params": pl.String})
    rank = {key: i for i, key in enumerate(column_order)}
    return (
        problems.select(pl.col("_row").cast(pl.Int64), "column", "code", "params")
        .with_columns(_rank=pl.col("column").replace_strict(rank, default=len(rank), return_dtype=pl.Int32))
        .sort("_row", "_rank", maintain_order=True)
        .drop("_rank")
    )


def _problem_dicts(problems: pl.DataFrame, headers: dict[str, str], spec: Kind, district_id: int | None) -> list[dict]:
    constants = message_constants(spec, "")
    out = []
    for row in problems.iter_rows(named=True):
        code, key = row["code"], row["column"]
        params = json.loads(row["params"]) if row.get("params") else {}
        params.update(constants.get((code, key), {}))
        out.append(
            {
                "row": row["_row"],
                "column": headers.get(key, key),
                "key": key,
                "code": code,
                "params": params,
                "message": land_problem_message(code, params),
            }
        )
    return out


def localized_problems(problems: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Stored problems with their message rendered again in the active language."""
    return [{**p, "message": land_problem_message(p["code"], p.get("params") or {})} for p in problems]


def _lead_groups_changed(spec: Kind, valid: pl.DataFrame) -> dict[str, list[str]]:
    """Park code → its lead-group codes, for the parks whose lead groups differ from the stored ones."""
    from industria.land.models import Park

    stored: dict[str, set[str]] = {}
    for code, group in Park.objects.filter(code__in=valid["code"].to_list()).values_list("code", "lead_groups__code"):
        stored.setdefault(code, set())
        if group:
            stored[code].add(group)
    out = {}
    for code, text in zip(valid["code"].to_list(), valid["lead_groups"].to_list(), strict=True):
        wanted = _split(text)
        if set(wanted) != stored.get(code, set()):
            out[code] = wanted
    return out


def _write(
    spec: Kind, plan: dict[str, Any], key: list[str], compared: list[str], lead: dict[str, list[str]], result: Any
) -> int | None:
    """Insert the new rows, upsert the changed ones, set lead groups, and record one change-log entry."""
    table = spec.model._meta.db_table
    now = timestamp_value(timezone.now())
    new, changed = plan["new"], plan["changed"]
    if not (new.height or changed.height or lead):
        return None
    with suppress_row_logging():
        if new.height:
            insert_rows(table, _complete(spec, new, now))
        if changed.height:
            upsert_rows(table, _complete(spec, changed, now), key=key, update=[*compared, "updated_at"])
        if lead:
            _set_lead_groups(lead)
        entry = bulk_change_record(
            model=spec.model,
            object_repr=_("Import of %(kind)s from %(file)s: %(new)s new, %(changed)s changed")
            % {"kind": spec.label, "file": result.file["name"], "new": new.height, "changed": result.counts["changed"]},
            summary={
                "kind": spec.code,
                "file": result.file["name"],
                "counts": result.counts,
                "new": [_jsonable(v) for v in new.get_column(key[0]).head(1000).to_list()],
                "changed": [_jsonable(v) for v in changed.get_column(key[0]).head(1000).to_list()],
            },
        )
    return entry.pk


def _jsonable(value: Any) -> Any:
    return value if value is None or isinstance(value, (int, str)) else str(value)


def _complete(spec: Kind, frame: pl.DataFrame, now: str) -> pl.DataFrame:
    """Every NOT NULL column a new row needs: the model's defaults for the columns the file does not give."""
    defaults: list[pl.Expr] = []
    for field in spec.model._meta.concrete_fields:
        column = field.column
        if column in frame.columns or field.primary_key:
            continue
        if column in ("created_at", "updated_at"):
            defaults.append(pl.lit(now).alias(column))
        elif field.has_default():
            default = field.get_default()
            defaults.append(pl.lit(default if not hasattr(default, "value") else default.value).alias(column))
        elif field.null:
            continue
        elif getattr(field, "blank", False) and field.get_internal_type() in ("CharField", "TextField"):
            defaults.append(pl.lit("").alias(column))
    return frame.with_columns(defaults) if defaults else frame


def _set_lead_groups(lead: dict[str, list[str]]) -> None:
    from industria.enterprises.models import IndustryGroup
    from industria.land.models import Park

    groups: dict[str, list[int]] = {}
    for code, pk in IndustryGroup.objects.values_list("code", "pk"):
        groups.setdefault(code, []).append(pk)
    for park in Park.objects.filter(code__in=list(lead)):
        park.lead_groups.set([pk for code in lead[park.code] for pk in groups.get(code, [])])


# ------------------------------------------------------------------------------------------------ the job
def land_import_start(
    *, actor: Any, kind: str, upload: Any = None, path: Path | None = None, dry_run: bool = True, language: str = ""
) -> Job:
    """Store the upload (or reuse ``path``) and run ``land_import_run`` as a job with a progress bar."""
    from .tasks import land_import_run_task

    spec = KINDS.get(kind)
    if spec is None:
        raise LandImportFileError("unknown_kind", {"value": kind, "allowed": ", ".join(KINDS)})
    _scope_district(actor, spec)
    filename = ""
    if upload is not None:
        path, filename = import_upload_store(upload=upload), upload.name
    assert path is not None
    name = _("Import of %(kind)s: %(file)s") % {"kind": spec.label, "file": filename or path.name}
    if dry_run:
        name += " · " + _("dry run")
    return job_enqueue(
        actor=actor,
        kind=IMPORT_JOB_KIND,
        name=name[:200],
        task=land_import_run_task,
        kwargs={"kind": spec.code, "path": str(path), "filename": filename or path.name, "dry_run": dry_run,
                "language": language},
    )  # fmt: skip
