"""Spreadsheet in, results out: the public file interface of every rule set (CLI and UI), with no database.

* ``read_text_table(path)`` — csv (UTF-8 with or without BOM, or GB18030) or xlsx (calamine via fastexcel),
  every cell as text, the first row as the header.
* ``evaluate_file(rules, engine, raw, as_of)`` — ``coerce_facts`` with the rule set's columns required and the
  credit code required in every row; any problem → ``FileProblems`` with one line per cell (row and column).
* ``write_results(frame, path)`` — csv / xlsx / json by the file suffix; ``results_for_output`` makes Decimals
  exact text, booleans ``true``/``false`` and the findings one readable cell.
* ``template_csv(rules)`` — the downloadable template of a rule set: its columns, one header row.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
from django.utils.translation import gettext as _

from industria.engines.common.schema import FactError, coerce_facts

OUTPUT_FORMATS = ("csv", "xlsx", "json")
MAX_ERRORS_SHOWN = 50


class FileProblems(ValueError):
    """A spreadsheet cannot be evaluated: each problem names its row and column."""

    def __init__(self, problems: Sequence[FactError | str]):
        self.problems = list(problems)
        super().__init__("\n".join(describe(p) if isinstance(p, FactError) else p for p in self.problems))


def read_text_table(path: str | Path, data: bytes | None = None) -> pl.DataFrame:
    """Every cell as text, header from the first row; raises FileProblems for an unreadable file."""
    path = Path(path)
    content = data if data is not None else None
    head = (content[:8] if content is not None else _head(path)) or b""
    if head.startswith(b"PK\x03\x04"):
        return _read_xlsx(content if content is not None else path)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileProblems([_("Old .xls workbooks are not supported: save the file as .xlsx or .csv.")])
    raw = content if content is not None else path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise FileProblems([_("The file is neither UTF-8 nor GB18030 text, nor an xlsx workbook.")])
    try:
        frame = pl.read_csv(io.StringIO(text), infer_schema=False, raise_if_empty=False)
    except pl.exceptions.PolarsError as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise FileProblems([_("The csv file cannot be read: %(detail)s") % {"detail": detail}]) from exc
    return frame.rename({c: c.strip().lstrip("\ufeff") for c in frame.columns})


def _head(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(8)


def _read_xlsx(source: bytes | Path) -> pl.DataFrame:
    import fastexcel

    try:
        reader = fastexcel.read_excel(source if isinstance(source, bytes) else str(source))
        sheet = reader.load_sheet(0, header_row=0, dtypes="string")
        frame = sheet.to_polars()
    except Exception as exc:  # calamine reports damage of every kind as CalamineError
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise FileProblems([_("The xlsx workbook cannot be read: %(detail)s") % {"detail": detail}]) from exc
    frame = frame.rename({c: str(c).strip() for c in frame.columns})
    return frame.with_columns(pl.all().cast(pl.String))


def describe(error: FactError) -> str:
    """One problem as a sentence naming the spreadsheet row and the column."""
    params = dict(error.params)
    value = params.get("value")
    messages = {
        "missing_column": _("the column is missing"),
        "not_a_number": _("not a number: %(value)r"),
        "not_an_integer": _("not a whole number: %(value)r"),
        "out_of_range": _("the number is out of range: %(value)r"),
        "bad_boolean": _("expected true or false, got %(value)r"),
        "bad_choice": _("%(value)r is not one of %(choices)s"),
        "bad_uscc": _("not a valid unified social credit code: %(value)r (%(problem)s)"),
        "required_value": _("a value is required"),
    }
    template = messages.get(error.code, error.code)
    text = template % {
        "value": value,
        "choices": ", ".join(params.get("choices") or []),
        "problem": params.get("problem", ""),
    }
    if error.row is None:
        return _("column %(column)s: %(problem)s") % {"column": error.column, "problem": text}
    return _("row %(row)s, column %(column)s: %(problem)s") % {
        "row": error.row + 1,
        "column": error.column,
        "problem": text,
    }


def coerce(raw: pl.DataFrame, engine: Any, rules: Any, *, required: Sequence[str] | None = None) -> pl.DataFrame:
    """Typed facts of a raw text table, or FileProblems listing every bad cell (row = spreadsheet row).

    ``required`` defaults to every column of the rule set (the public interface); a partial upload of declared
    facts requires the credit code only."""
    columns = rules.columns if required is None else required
    typed, errors = coerce_facts(raw, engine.facts_schema, required=columns, not_null=["uscc"])
    if errors:
        raise FileProblems(errors)
    if typed.get_column("uscc").is_duplicated().any():
        rows = (
            typed.with_row_index("_row", offset=2).filter(pl.col("uscc").is_duplicated()).select("_row", "uscc").rows()
        )
        raise FileProblems(
            [_("row %(row)s, column uscc: the credit code %(uscc)s appears more than once") % {"row": r, "uscc": u}
             for r, u in rows[:MAX_ERRORS_SHOWN]]
        )  # fmt: skip
    return typed


def evaluate_table(raw: pl.DataFrame, engine: Any, rules: Any, *, as_of: date | None = None) -> pl.DataFrame:
    """Coerce and evaluate a raw text table with ``rules``: the engine's results table."""
    facts = coerce(raw, engine, rules)
    return engine.evaluate(facts, rules, as_of=as_of)


# --------------------------------------------------------------------------------------------- output


def findings_text(column: str = "findings") -> pl.Expr:
    """The findings list as one cell: ``code(subject=value); …``."""
    item = pl.concat_str(
        pl.element().struct.field("code"),
        pl.lit("("),
        pl.element().struct.field("subject").fill_null(""),
        pl.when(pl.element().struct.field("value").is_not_null())
        .then(pl.lit("=") + pl.element().struct.field("value"))
        .otherwise(pl.lit("")),
        pl.lit(")"),
    )
    return pl.col(column).list.eval(item).list.join("; ")


def results_for_output(results: pl.DataFrame, *, flat: bool = True) -> pl.DataFrame:
    """Decimals as exact text, enums as text, booleans as true/false, findings as one text cell (``flat``)."""
    exprs = []
    for name, dtype in results.schema.items():
        if isinstance(dtype, pl.Decimal | pl.Enum):
            exprs.append(pl.col(name).cast(pl.String))
        elif dtype == pl.Boolean:
            exprs.append(
                pl.when(pl.col(name)).then(pl.lit("true")).when(~pl.col(name)).then(pl.lit("false")).alias(name)
            )
        elif name == "findings" and flat:
            exprs.append(findings_text(name))
        else:
            exprs.append(pl.col(name))
    return results.select(exprs)


def write_results(results: pl.DataFrame, target: str | Path | io.IOBase) -> str:
    """Write to ``target`` by its suffix (csv, xlsx, json; a stream gets csv); returns the format."""
    fmt = "csv"
    if isinstance(target, str | Path):
        fmt = Path(target).suffix.lower().lstrip(".") or "csv"
        if fmt not in OUTPUT_FORMATS:
            raise FileProblems([_("Unknown output format %(fmt)r: use .csv, .xlsx or .json.") % {"fmt": fmt}])
    if fmt == "json":
        rows = results_for_output(results, flat=False).to_dicts()
        with open(target, "w", encoding="utf-8") as handle:  # type: ignore[arg-type]
            json.dump(rows, handle, ensure_ascii=False, indent=1, default=str)
        return fmt
    out = results_for_output(results)
    if fmt == "xlsx":
        _write_xlsx(out, target)  # type: ignore[arg-type]
        return fmt
    if isinstance(target, str | Path):
        with open(target, "wb") as handle:
            handle.write(b"\xef\xbb\xbf")
            out.write_csv(handle)
    else:
        out.write_csv(target)  # type: ignore[arg-type]
    return fmt


def _write_xlsx(frame: pl.DataFrame, target: str | Path) -> None:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(target), {"constant_memory": True})
    sheet = workbook.add_worksheet("results")
    bold = workbook.add_format({"bold": True})
    sheet.write_row(0, 0, frame.columns, bold)
    for r, row in enumerate(frame.iter_rows(), start=1):
        sheet.write_row(r, 0, ["" if v is None else v for v in row])
    workbook.close()


def template_csv(rules: Any) -> bytes:
    """The rule set's template: a UTF-8 csv (with BOM, for Excel) with one header row of its columns."""
    return ("\ufeff" + ",".join(rules.columns) + "\n").encode("utf-8")
