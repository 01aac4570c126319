"""Set-based checks of an import: every cell typed and checked with Polars expressions, every problem collected.

Each column runs through a few stages of expressions (clean, parse, type) that end in its typed value and, beside
it, a small integer naming the first problem of the cell (null when the cell is fine); shared intermediate
results are columns, computed once.  One regex per column first tells whether any cell needs trimming at all,
and each distinct credit code is checked once (a panel repeats it every year).  Only the cells with a problem
are then taken out, and only those get their message parameters worked out, so a million clean rows cost a
few vectorised passes.  Rules: numbers accept thousands separators, exponents and a lone dash for "none";
money is rounded half away from zero to the field's scale after any unit multiplier; credit codes are checked
by ``engines.common.uscc``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import polars as pl

from industria.engines.common.uscc import uscc_diagnosis, uscc_problems

from .problems import ROW_MESSAGES, ROW_PARAMS
from .reading import RawTable
from .specs import CHOICE_NOISE, EXAMPLE_USCC, Column, Kind

CODES: tuple[str, ...] = tuple(ROW_MESSAGES)
_INDEX = {code: i for i, code in enumerate(CODES)}
TRUE_WORDS = ("true", "t", "yes", "y", "1", "1.0", "是", "有", "√", "✓")
FALSE_WORDS = ("false", "f", "no", "n", "0", "0.0", "否", "无", "×")
NONE_WORDS = ("-", "—", "–", "－", "/")  # a lone dash in a number cell: no figure
PARSE_DTYPE = pl.Decimal(38, 8)
INT_MAX = 2_147_483_647  # PositiveIntegerField on every backend
EXCEL_EPOCH = date(1899, 12, 30)
COLUMNS_AT_ONCE = 4
PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "_row": pl.UInt32(),
    "column": pl.String(),
    "code": pl.String(),
    **{name: pl.String() for name in ROW_PARAMS},
}
_DATE = r"^(?<y>\d{4})\s*[-/.年]\s*(?<m>\d{1,2})\s*[-/.月]\s*(?<d>\d{1,2})\s*日?(?:[\sT].*)?$"


@dataclass(frozen=True)
class References:
    """Reference data the checks need, loaded once per import (see ``selectors.references_load``)."""

    districts: Mapping[str, int]  # normalised code or name → district id
    divisions: frozenset[str]  # the 2-digit divisions of GB/T 4754-2017
    choices: Mapping[str, Mapping[str, str]]  # column key → normalised code, label or alias → code


@dataclass
class Checked:
    """The typed rows (``_row`` + one column per column of the file, DB-ready) and every problem found."""

    typed: pl.DataFrame
    problems: pl.DataFrame


def empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


def _code(name: str) -> pl.Expr:
    return pl.lit(_INDEX[name], pl.UInt8)


def _first(rules: list[tuple[pl.Expr, str]]) -> pl.Expr:
    """The code of the first rule whose condition holds (null when none does)."""
    if not rules:
        return pl.lit(None, pl.UInt8)
    chain = pl.when(rules[0][0]).then(_code(rules[0][1]))
    for condition, name in rules[1:]:
        chain = chain.when(condition).then(_code(name))
    return chain.otherwise(pl.lit(None, pl.UInt8))


def _clean(expr: pl.Expr) -> pl.Expr:
    text = expr.str.strip_chars()
    return pl.when(text == "").then(pl.lit(None, pl.String)).otherwise(text)


def normalized_choice(expr: pl.Expr) -> pl.Expr:
    return expr.str.normalize("NFKC").str.to_lowercase().str.replace_all(CHOICE_NOISE, "")


def _parse_date(text: pl.Expr) -> pl.Expr:
    text = text.str.normalize("NFKC")
    parts = text.str.extract_groups(_DATE)
    iso = pl.concat_str(
        parts.struct.field("y"),
        pl.lit("-"),
        parts.struct.field("m").str.zfill(2),
        pl.lit("-"),
        parts.struct.field("d").str.zfill(2),
    )
    compact = text.str.extract_groups(r"^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$")
    compact_iso = pl.concat_str(
        compact.struct.field("y"), pl.lit("-"), compact.struct.field("m"), pl.lit("-"), compact.struct.field("d")
    )
    serial = pl.when(text.str.contains(r"^\d{5}(\.\d+)?$")).then(text.cast(pl.Float64, strict=False).floor())
    serial_days = pl.when(serial.is_between(10_000, 80_000)).then(serial.cast(pl.Int64))
    return pl.coalesce(
        iso.str.to_date("%Y-%m-%d", strict=False),
        compact_iso.str.to_date("%Y-%m-%d", strict=False),
        pl.lit(EXCEL_EPOCH) + pl.duration(days=serial_days),
    )


def cell_stages(
    column: Column, refs: References, scale: int = 1, separators: bool = True, clean: bool = True
) -> list[list[pl.Expr]]:
    """How one column is typed and checked, as stages of expressions over the text frame.

    Each stage may use the columns the earlier stages made (``<key>·t`` the cleaned text, ``<key>·p`` the parsed
    number, …); the last stage makes ``<key>`` (the typed value, replacing the text) and ``!<key>`` (the code of
    the cell's first problem, null when there is none).  Intermediate results are columns, not repeated
    subexpressions: Polars evaluates every branch of a ``when`` chain, so a shared parse must be computed once.
    ``separators`` says whether the column has thousands separators or inner blanks to remove, ``clean`` whether
    any cell needs trimming (blanks around it, empty text, a lone dash, lower case in a credit code): a clean
    column skips that work (``cleaning_needs`` finds out with one regex over each column).  A credit code column
    expects ``<key>·t`` and ``<key>·p`` made beforehand by ``uscc_columns`` (each distinct code checked once).
    """
    key, kind = column.key, column.kind
    t, p = pl.col(f"{key}·t"), pl.col(f"{key}·p")
    rules: list[tuple[pl.Expr, str]] = [(t.is_null(), "required_value")] if column.required else []

    def stage_t(expr: pl.Expr) -> list[pl.Expr]:
        return [expr.alias(f"{key}·t")]

    def last(value: pl.Expr) -> list[pl.Expr]:
        return [value.alias(key), _first(rules).alias(f"!{key}")]

    text = _clean(pl.col(key)) if clean else pl.col(key)
    if kind == "uscc":
        problem = pl.col(f"{key}·p")
        rules += [
            (problem == "bad_length", "uscc_length"),
            (problem == "bad_character", "uscc_character"),
            (problem == "bad_check_digit", "uscc_check_digit"),
        ]
        return [last(t)]
    if kind == "text":
        if column.max_length:
            rules.append((t.str.len_chars() > column.max_length, "too_long"))
        return [stage_t(text), last(t.fill_null(""))]
    if kind in ("int", "decimal"):
        compact = t.str.replace_all(r"[,，\s]", "") if separators else t
        stages = [
            stage_t(pl.when(text.is_in(NONE_WORDS)).then(pl.lit(None, pl.String)).otherwise(text) if clean else text),
            [compact.cast(PARSE_DTYPE, strict=False).alias(f"{key}·p")],
        ]
        # unreadable: "not a number" here; cell_problems tells a too-large number apart on those rows only
        rules.append((t.is_not_null() & p.is_null(), "not_a_number"))
        value = pl.col(f"{key}·v")
        if kind == "int":
            rules.append((p.is_not_null() & (p != p.round(0)), "not_an_integer"))
            rules.append((p.is_not_null() & value.is_null(), "too_large"))
            if column.min_value is not None:
                rules.append((value < column.min_value, "below_minimum"))
            if column.max_value is not None:
                rules.append((value > column.max_value, "above_maximum"))
            typed = pl.when(p.abs() <= INT_MAX).then(p).cast(pl.Int64, strict=False)
        else:
            guarded = p  # a multiplier could overflow Decimal(38, 8): huge values become null (too large) first
            if scale != 1:
                guarded = pl.when(p.abs() < 10**20).then(p) * pl.lit(scale, pl.Decimal(38, 0))
            rounded = guarded.round(column.decimal_places, mode="half_away_from_zero")
            typed = rounded.cast(pl.Decimal(column.max_digits, column.decimal_places), strict=False)
            rules.append((p.is_not_null() & value.is_null(), "too_large"))
            if not column.allow_negative:
                rules.append((value < 0, "negative"))
        return [*stages, [typed.alias(f"{key}·v")], last(value)]
    value = pl.col(f"{key}·v")
    if kind == "bool":
        lower = t.str.to_lowercase()
        typed = pl.when(lower.is_in(TRUE_WORDS)).then(True).when(lower.is_in(FALSE_WORDS)).then(False)
        rules.append((t.is_not_null() & value.is_null(), "bad_boolean"))
    elif kind == "choice":
        typed = normalized_choice(t).replace_strict(dict(refs.choices[key]), default=None, return_dtype=pl.String)
        rules.append((t.is_not_null() & value.is_null(), "bad_choice"))
    elif kind == "date":
        typed = _parse_date(t)
        rules.append((t.is_not_null() & value.is_null(), "bad_date"))
        if column.min_value is not None and column.max_value is not None:
            rules.append((~value.dt.year().is_between(column.min_value, column.max_value), "date_out_of_range"))
    elif kind == "district":
        normal = normalized_choice(t).str.replace(r"^上海市?", "").str.replace(r"\.0+$", "")
        typed = normal.replace_strict(dict(refs.districts), default=None, return_dtype=pl.Int64)
        rules.append((t.is_not_null() & value.is_null(), "unknown_district"))
    elif kind == "industry":
        code = t.str.replace(r"\.0+$", "")
        typed = pl.when(code.str.contains(r"^\d$")).then(pl.lit("0") + code).otherwise(code)
        rules.append((t.is_not_null() & ~value.str.contains(r"^\d{2,4}$"), "bad_industry_code"))
        rules.append(
            (t.is_not_null() & ~value.str.slice(0, 2).is_in(sorted(refs.divisions)), "unknown_industry_division")
        )
        return [stage_t(text), [typed.alias(f"{key}·v")], last(value.fill_null(""))]
    else:  # pragma: no cover - a spec error
        raise ValueError(f"unknown column kind {kind!r}")
    return [stage_t(text), [typed.alias(f"{key}·v")], last(value)]


def cleaning_needs(frame: pl.DataFrame, columns: list[Column]) -> dict[str, dict[str, bool]]:
    """For each column: does any cell need trimming (``clean``), do numbers carry separators (``separators``)?

    One regex pass per column (a few milliseconds per million cells) lets clean columns skip the trimming.
    """
    probes: list[pl.Expr] = []
    for column in columns:
        dirty = r"^\s|\s$|^$"
        if column.kind in ("int", "decimal"):
            dirty += r"|^[-—–－/]$"
        if column.kind == "uscc":
            dirty += r"|[\s\-－a-z]"
        probes.append(pl.col(column.key).str.contains(dirty).any().fill_null(False).alias(f"{column.key}|clean"))
        separated = pl.col(column.key).str.contains(r"\S[,，\s]\S").any().fill_null(False)
        probes.append((separated if column.kind in ("int", "decimal") else pl.lit(False)).alias(f"{column.key}|sep"))
    found = frame.select(probes).row(0, named=True) if probes else {}
    return {c.key: {"clean": bool(found[f"{c.key}|clean"]), "separators": bool(found[f"{c.key}|sep"])} for c in columns}


def uscc_columns(frame: pl.DataFrame, key: str, *, clean: bool) -> list[pl.Series]:
    """``<key>·t`` (the normalised code) and ``<key>·p`` (its problem, from ``engines.common.uscc``).

    Each distinct code is checked once: a panel of yearly facts repeats every code for each year.
    """
    text = _clean(pl.col(key)).str.replace_all(r"[\s\-－]", "").str.to_uppercase() if clean else pl.col(key)
    codes = frame.select(text.alias("code"))["code"]
    distinct = pl.DataFrame({"code": codes.unique()}).with_columns(problem=uscc_problems(pl.col("code")))
    problems = codes.replace_strict(distinct["code"], distinct["problem"], default=None, return_dtype=pl.String)
    return [codes.alias(f"{key}·t"), problems.alias(f"{key}·p")]


def typed_and_codes(frame: pl.DataFrame, plans: dict[str, list[list[pl.Expr]]]) -> pl.DataFrame:
    """Run the stages of each column (a few columns at a time, to bound the intermediate columns' memory);
    returns ``_row``, each typed column and each ``!<key>`` code column."""
    keys = list(plans)
    out = frame.select("_row")
    for start in range(0, len(keys), COLUMNS_AT_ONCE):
        group = keys[start : start + COLUMNS_AT_ONCE]
        work = frame.select("_row", *[c for c in frame.columns if c.split("·")[0] in group])
        for depth in range(max(len(plans[k]) for k in group)):
            exprs = [e for k in group for e in (plans[k][depth] if depth < len(plans[k]) else [])]
            work = work.with_columns(exprs)
        out = out.with_columns(work.select([c for k in group for c in (k, f"!{k}")]))
    return out


def check_cells(raw: RawTable, kind: Kind, refs: References) -> Checked:
    """Type every cell and collect the cell problems, then the row problems (example row, dates, duplicates)."""
    present = [c for c in kind.columns if c.key in raw.headers]
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
    frame = raw.frame
    if "uscc" in plans:
        frame = frame.with_columns(uscc_columns(frame, "uscc", clean=needs["uscc"]["clean"]))
    wide = typed_and_codes(frame, plans)
    del frame
    key_defaults = [
        pl.col(c.key).fill_null(pl.lit(c.default))
        for c in present
        if c.key in kind.key and not c.required and c.default not in (None, "")
    ]
    key_defaults += [
        pl.lit(c.default).alias(c.key)
        for c in kind.columns
        if c.key in kind.key and c.key not in raw.headers and c.default not in (None, "")
    ]
    wide = wide.with_columns(key_defaults) if key_defaults else wide
    parts = [cell_problems(wide, raw.frame, column) for column in present]
    typed = wide.select("_row", *[c.key for c in kind.columns if c.key in wide.columns])
    parts.append(_row_problems(typed, raw.frame, kind))
    found = pl.concat(
        [p for p in parts if p is not None and not p.is_empty()] or [empty_problems()], how="diagonal_relaxed"
    )
    parts.append(_duplicates(typed, found, kind))
    problems = pl.concat(
        [p for p in parts if p is not None and not p.is_empty()] or [empty_problems()], how="diagonal_relaxed"
    )
    return Checked(typed=typed, problems=order_problems(problems, list(raw.headers)))


def cell_problems(wide: pl.DataFrame, text: pl.DataFrame, column: Column) -> pl.DataFrame | None:
    """The row/column problems of one typed column (public: the land import reuses it)."""
    codes = wide[f"!{column.key}"]
    if codes.null_count() == wide.height:
        return None
    mask = codes.is_not_null()
    found = pl.DataFrame(
        {
            "_row": wide["_row"].filter(mask),
            "column": pl.Series([column.key] * int(mask.sum()), dtype=pl.String),
            "code": codes.filter(mask).replace_strict(dict(enumerate(CODES)), return_dtype=pl.String),
            "value": text[column.key].filter(mask).str.strip_chars(),
        }
    )
    if column.kind == "uscc":
        normal = pl.col("value").str.replace_all(r"[\s\-－]", "").str.to_uppercase()
        found = (
            found.with_columns(diagnosis=uscc_diagnosis(normal))
            .with_columns(
                n=pl.col("diagnosis").struct.field("length").cast(pl.String),
                position=pl.col("diagnosis").struct.field("position").cast(pl.String),
                char=pl.col("diagnosis").struct.field("character"),
                got=pl.when(pl.col("code") == "uscc_check_digit").then(normal.str.slice(17, 1)),
                expected=pl.col("diagnosis").struct.field("expected"),
            )
            .drop("diagnosis")
        )
    elif column.kind == "text":
        found = found.with_columns(n=pl.col("value").str.len_chars().cast(pl.String))
    elif column.kind in ("int", "decimal"):
        number = pl.col("value").str.replace_all(r"[,，\s]", "").cast(pl.Float64, strict=False)
        found = found.with_columns(
            code=pl.when((pl.col("code") == "not_a_number") & number.is_finite())
            .then(pl.lit("too_large"))
            .otherwise(pl.col("code"))
        )
    elif column.kind == "industry":
        found = found.with_columns(other=pl.col("value").str.replace(r"\.0+$", "").str.zfill(2).str.slice(0, 2))
    return found


def _row_problems(typed: pl.DataFrame, text: pl.DataFrame, kind: Kind) -> pl.DataFrame | None:
    """Problems that need more than one cell: the template's example row, validity before grant."""
    found = [
        typed.filter(pl.col("uscc") == EXAMPLE_USCC).select(
            "_row", column=pl.lit("uscc"), code=pl.lit("example_row"), value=pl.col("uscc")
        )
    ]
    if "valid_until" in typed.columns and "granted_on" in typed.columns:
        found.append(
            typed.with_columns(value=text["valid_until"].str.strip_chars())
            .filter(pl.col("valid_until") < pl.col("granted_on"))
            .select(
                "_row",
                column=pl.lit("valid_until"),
                code=pl.lit("valid_until_before_granted"),
                value="value",
                other=pl.col("granted_on").cast(pl.String),
            )
        )
    return pl.concat(found, how="diagonal_relaxed")


def _duplicates(typed: pl.DataFrame, problems: pl.DataFrame, kind: Kind) -> pl.DataFrame | None:
    """Rows whose key appears more than once (every occurrence is rejected: which one is right is unknown)."""
    keys = list(kind.key)
    bad_key_rows = problems.filter(pl.col("column").is_in(keys))["_row"].unique()
    candidates = typed.filter(
        ~pl.col("_row").is_in(bad_key_rows.implode()) & pl.all_horizontal([pl.col(k).is_not_null() for k in keys])
    )
    repeated = candidates.filter(pl.len().over(keys) > 1)
    if repeated.is_empty():
        return None
    listed = (
        repeated.group_by(keys)
        .agg(rows=pl.col("_row").sort().head(10).cast(pl.String).str.join(", "), n=pl.len())
        .with_columns(rows=pl.when(pl.col("n") > 10).then(pl.col("rows") + pl.lit(", …")).otherwise(pl.col("rows")))
    )
    return repeated.join(listed, on=keys, how="left", nulls_equal=True).select(
        "_row", column=pl.lit("uscc"), code=pl.lit("duplicate_key"), value=pl.col("uscc"), rows="rows"
    )


def order_problems(problems: pl.DataFrame, column_order: list[str]) -> pl.DataFrame:
    """Problems by row, then by the column's place in the file; the columns of ``PROBLEM_SCHEMA`` only."""
    if problems.is_empty():
        return empty_problems()
    rank = {key: i for i, key in enumerate(column_order)}
    missing = [name for name in PROBLEM_SCHEMA if name not in problems.columns]
    problems = problems.with_columns([pl.lit(None, PROBLEM_SCHEMA[name]).alias(name) for name in missing])
    return (
        problems.select([pl.col(name).cast(dtype) for name, dtype in PROBLEM_SCHEMA.items()])
        .with_columns(_rank=pl.col("column").replace_strict(rank, default=len(rank), return_dtype=pl.Int32))
        .sort("_row", "_rank", maintain_order=True)
        .drop("_rank")
    )


def registry_problems(
    typed: pl.DataFrame, stored: pl.DataFrame, *, kind: Kind, district_id: int | None, text: pl.DataFrame
) -> pl.DataFrame:
    """Problems against the registry, from the stored enterprises joined on the credit code.

    ``stored`` has ``uscc``, ``enterprise_id`` and ``stored_district_id``; ``district_id`` is the user's
    district when the user's scope is one district (None: the whole city).  For enterprise rows the district
    in the file must be the user's, and an existing enterprise must not lie in another district; for facts and
    tiers the enterprise must exist and lie in the user's district.  ``text`` is the file's text frame.
    """
    joined = typed.join(stored.select("uscc", "enterprise_id", "stored_district_id"), on="uscc", how="left")
    found: list[pl.DataFrame] = []
    if kind.is_enterprise:
        if district_id is not None:
            found.append(
                joined.filter(pl.col("district").is_not_null() & (pl.col("district") != district_id))
                .join(text.select("_row", value=pl.col("district").str.strip_chars()), on="_row")
                .select("_row", column=pl.lit("district"), code=pl.lit("district_out_of_scope"), value="value")
            )
            found.append(
                joined.filter(
                    pl.col("stored_district_id").is_not_null() & (pl.col("stored_district_id") != district_id)
                ).select("_row", column=pl.lit("uscc"), code=pl.lit("moved_out_of_scope"), value="uscc")
            )
    else:
        found.append(
            joined.filter(pl.col("enterprise_id").is_null()).select(
                "_row", column=pl.lit("uscc"), code=pl.lit("unknown_enterprise"), value="uscc"
            )
        )
        if district_id is not None:
            found.append(
                joined.filter(
                    pl.col("enterprise_id").is_not_null() & (pl.col("stored_district_id") != district_id)
                ).select("_row", column=pl.lit("uscc"), code=pl.lit("enterprise_out_of_scope"), value="uscc")
            )
    found = [f for f in found if not f.is_empty()]
    return pl.concat(found, how="diagonal_relaxed") if found else empty_problems()
