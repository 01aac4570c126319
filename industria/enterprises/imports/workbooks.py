"""Workbooks the import hands out: the template of each kind, and the rejected rows with their problems.

The template's first sheet has the header row (in the active language; the other language is accepted too)
and one example row; the second explains each column.  The rejected-rows workbook keeps the file's own headers
and cells, so the user can fix the rows in it and import it again; its two extra columns (row, problems) are
ignored on re-import.
"""

from __future__ import annotations

import io
from pathlib import Path

import polars as pl
import xlsxwriter
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .specs import Column, Kind

TEXT_KINDS = ("uscc", "district", "industry", "date", "text", "choice", "bool")


def _chinese() -> bool:
    return (get_language() or "zh").startswith("zh")


def template_header(column: Column) -> str:
    """The header the template writes: label, unit in brackets, ``*`` when required."""
    label = column.label()
    if column.unit:
        label = f"{label}（{column.unit_label()}）" if _chinese() else f"{label} ({column.unit_label()})"
    return f"{label}*" if column.required else label


def _allowed(column: Column) -> str:
    if column.kind == "choice":
        return "; ".join(f"{code} = {label}" for code, label in column.allowed_values())
    if column.kind == "bool":
        return _("是/否, yes/no, true/false, 1/0")
    if column.kind == "district":
        return _("district code or name, e.g. 310115, 浦东新区, Pudong")
    if column.kind == "date":
        return _("2023-05-18, 2023/5/18, 2023年5月18日 or an Excel date")
    if column.kind in ("int", "decimal"):
        low = column.min_value if column.min_value is not None else (None if column.allow_negative else 0)
        high = column.max_value
        if low is not None and high is not None:
            return f"{low} – {high}"
        if low is not None:
            return f"≥ {low}"
    return ""


def template_xlsx(kind: Kind) -> bytes:
    """The import template of ``kind`` as xlsx bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E8EEF7", "border": 1})
    text = book.add_format({"num_format": "@"})
    example = book.add_format({"italic": True, "font_color": "#555555"})
    example_text = book.add_format({"italic": True, "font_color": "#555555", "num_format": "@"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    data = book.add_worksheet(_("data"))
    for index, column in enumerate(kind.columns):
        is_text = column.kind in TEXT_KINDS
        data.set_column(index, index, 22 if is_text else 18, text if is_text else None)
        data.write_string(0, index, template_header(column), bold)
        if column.kind in ("int", "decimal") and column.example:
            data.write_number(1, index, float(column.example), example)
        else:
            data.write_string(1, index, column.example, example_text)
    data.freeze_panes(1, 0)
    data.write_comment(
        0, 0, _("Row 2 is an example: replace it with your rows (a row with the example's credit code is rejected).")
    )
    notes = book.add_worksheet(_("columns"))
    heads = [
        _("Column"),
        _("Meaning"),
        _("Unit"),
        _("Required"),
        _("Allowed values"),
        _("Also accepted headers"),
        _("Example"),
    ]
    for index, head in enumerate(heads):
        notes.write_string(0, index, head, bold)
    widths = (28, 48, 16, 8, 48, 48, 24)
    for index, width in enumerate(widths):
        notes.set_column(index, index, width, wrap)
    for row, column in enumerate(kind.columns, start=1):
        accepted = [h for h in column.accepted_headers() if h != column.label()]
        values = [
            template_header(column),
            str(column.meaning),
            column.unit_label(),
            _("yes") if column.required else _("no"),
            _allowed(column),
            ", ".join(accepted),
            column.example,
        ]
        for index, value in enumerate(values):
            notes.write_string(row, index, value)
    footer = len(kind.columns) + 2
    for offset, line in enumerate(_notes(kind)):
        notes.write_string(footer + offset, 0, line)
    book.close()
    return buffer.getvalue()


def _notes(kind: Kind) -> list[str]:
    keys = ", ".join(template_header(kind.column(k)).rstrip("*") for k in kind.key)
    return [
        _("Each row is identified by: %(keys)s. A row that matches a stored one updates it; others are added.")
        % {"keys": keys},
        _("Headers may be in Chinese or English; units in brackets are ignored (万元 and 千元 multiply the values)."),
        _(
            "Columns left out are not changed. An empty cell clears the stored figure; an empty yes/no or choice "
            "cell keeps it."
        ),
        _("csv files may be UTF-8 (with or without BOM) or GBK/GB18030."),
    ]


def rejected_xlsx(target: Path, original: pl.DataFrame, headers: list[str], row_messages: pl.DataFrame) -> int:
    """Write the rejected rows (``original`` joined with ``row_messages``: ``_row``, ``messages``) to ``target``.

    Returns the number of rows written.  Streams in constant memory; cells keep the text they had in the file.
    """
    rows = original.join(row_messages, on="_row", how="inner").sort("_row")
    target.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(
        str(target),
        {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False, "strings_to_urls": False},
    )
    sheet = book.add_worksheet(_("rejected rows"))
    bold = book.add_format({"bold": True, "bg_color": "#F7E8E8", "border": 1})
    error = book.add_format({"font_color": "#9C0006"})
    names = [c for c in original.columns if c != "_row"]
    for index, header in enumerate([*headers, _("Row in the file"), _("Problems")]):
        sheet.write_string(0, index, header, bold)
    sheet.set_column(len(headers) + 1, len(headers) + 1, 80)
    written = 0
    for written, row in enumerate(rows.select(*names, "_row", "messages").iter_rows(), start=1):
        for index, value in enumerate(row[: len(names)]):
            if value is not None:
                sheet.write_string(written, index, value)
        sheet.write_number(written, len(names), row[len(names)])
        sheet.write_string(written, len(names) + 1, row[len(names) + 1], error)
    book.close()
    return written


def problems_by_row(problems: pl.DataFrame, messages: pl.Series, headers: dict[str, str]) -> pl.DataFrame:
    """``_row`` → every problem of the row as "header: message", joined."""
    return (
        problems.select("_row", "column")
        .with_columns(messages.alias("message"))
        .with_columns(
            text=pl.col("column").replace_strict(headers, default=pl.col("column")) + pl.lit(": ") + pl.col("message")
        )
        .group_by("_row", maintain_order=True)
        .agg(messages=pl.col("text").str.join("; "))
    )
