"""Problems an import reports: stable codes, localized messages, and their vectorised rendering.

A problem is one (row, column, code, params): ``row`` is the spreadsheet row (header = row 1; None for a problem
with the whole file), ``column`` the header as written in the file.  Messages are ``gettext_lazy`` templates
that use only ``%(name)s`` placeholders, so the same text can be produced for two hundred problems in Python
(``problem_message``) and for a million in Polars (``messages_column``) and the two always agree.

Problems about the file as a whole (unknown kind, empty, not csv/xlsx, corrupt, missing columns) are raised as
``ImportFileError``: nothing of such a file can be imported.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import polars as pl
from django.utils.translation import gettext_lazy as _

from industria.core.exceptions import DomainError

# Per-row parameters travel in these columns of the problems frame (all strings); constant parameters
# (range limits, allowed values, the user's district) are filled in per (code, column) when rendering.
ROW_PARAMS = ("value", "n", "position", "char", "got", "expected", "rows", "other", "district")

FILE_MESSAGES: dict[str, Any] = {
    "unknown_kind": _("“%(value)s” is not a kind of import; use one of: %(allowed)s."),
    "empty_file": _("The file is empty."),
    "unsupported_format": _(
        "The file is neither a csv nor an xlsx workbook (old .xls files must be saved as .xlsx first)."
    ),
    "corrupt_xlsx": _("The xlsx workbook cannot be read; it may be damaged (%(detail)s)."),
    "bad_csv": _("The csv file cannot be read: %(detail)s."),
    "no_header": _("No header row found: the first non-empty row must name the columns."),
    "no_data": _("The file has a header row but no data rows."),
    "missing_column": _("The required column “%(column)s” is missing (accepted headers: %(accepted)s)."),
    "duplicate_column": _("The columns “%(first)s” and “%(second)s” both mean “%(column)s”; keep one of them."),
    "not_allowed": _("Your role may not import %(kind)s."),
}

ROW_MESSAGES: dict[str, Any] = {
    "required_value": _("A value is required."),
    "not_a_number": _("“%(value)s” is not a number."),
    "not_an_integer": _("“%(value)s” is not a whole number."),
    "too_large": _("“%(value)s” is too large for this column."),
    "below_minimum": _("%(value)s is below the minimum %(min)s."),
    "above_maximum": _("%(value)s is above the maximum %(max)s."),
    "negative": _("%(value)s is negative; this column does not allow negative values."),
    "too_long": _("The text has %(n)s characters; at most %(max)s are allowed."),
    "bad_boolean": _("“%(value)s” is not yes or no (use 是/否, yes/no, true/false or 1/0)."),
    "bad_choice": _("“%(value)s” is not an allowed value; allowed: %(allowed)s."),
    "bad_date": _("“%(value)s” is not a date (use 2023-05-18, 2023/5/18, 2023年5月18日 or an Excel date)."),
    "date_out_of_range": _("The date %(value)s is outside the years %(min)s–%(max)s."),
    "uscc_length": _("A credit code has 18 characters; this one has %(n)s."),
    "uscc_character": _(
        "Character %(position)s of the credit code (“%(char)s”) is not allowed (I, O, S, V and Z never occur)."
    ),
    "uscc_check_digit": _("The check digit of the credit code is wrong: it is “%(got)s”, it should be “%(expected)s”."),
    "unknown_district": _(
        "“%(value)s” is not a district of the city (use a code such as 310115 or a name such as 浦东新区)."
    ),
    "bad_industry_code": _("“%(value)s” is not an industry code (2 to 4 digits of GB/T 4754-2017)."),
    "unknown_industry_division": _("The industry code %(value)s is unknown: GB/T 4754-2017 has no division %(other)s."),
    "duplicate_key": _("The same %(key)s appears more than once in the file (rows %(rows)s)."),
    "unknown_enterprise": _("No enterprise with the credit code %(value)s is in the registry; import it first."),
    "enterprise_out_of_scope": _("The enterprise %(value)s is outside your scope (it is not in %(district)s)."),
    "district_out_of_scope": _("You may only import enterprises of %(district)s, not of %(value)s."),
    "moved_out_of_scope": _("The enterprise %(value)s belongs to another district; you may not change it."),
    "valid_until_before_granted": _("The end of validity %(value)s is before the grant date %(other)s."),
    "example_row": _("This is the template's example row; delete it before importing."),
}

MESSAGES: dict[str, Any] = {**FILE_MESSAGES, **ROW_MESSAGES}
_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


class ImportFileError(DomainError):
    """The file as a whole cannot be imported (nothing is read from it).  ``problems`` lists every reason."""

    code = "import_file_invalid"
    default_message = _("The file cannot be imported.")

    def __init__(self, code: str, params: Mapping[str, Any] | None = None, *, problems: list[dict] | None = None):
        params = dict(params or {})
        self.problems = problems or [{"row": None, "column": params.get("column"), "code": code, "params": params}]
        super().__init__(MESSAGES[code], params=params, code=code)


def problem_message(code: str, params: Mapping[str, Any]) -> str:
    """The message of one problem in the active language."""
    template = str(MESSAGES.get(code, code))
    values = {name: "" if params.get(name) is None else params[name] for name in _PLACEHOLDER.findall(template)}
    return template % values if values else template


def messages_column(problems: pl.DataFrame, constants: Mapping[tuple[str, str], Mapping[str, Any]]) -> pl.Series:
    """The message of every problem of a frame (``code``, ``column`` and the ``ROW_PARAMS`` columns), vectorised.

    ``constants[(code, column)]`` holds the parameters that are the same for every row of that group.
    """
    if problems.is_empty():
        return pl.Series("message", [], pl.String)
    chain: Any = pl
    for code, column in problems.select("code", "column").unique().rows():
        fixed = constants.get((code, column), {})
        template = str(MESSAGES.get(code, code))
        parts: list[pl.Expr] = []
        position = 0
        for match in _PLACEHOLDER.finditer(template):
            parts.append(pl.lit(template[position : match.start()]))
            name = match.group(1)
            if name in fixed:
                parts.append(pl.lit(str(fixed[name])))
            elif name in ROW_PARAMS and name in problems.columns:
                parts.append(pl.col(name).fill_null(""))
            else:
                parts.append(pl.lit(""))
            position = match.end()
        parts.append(pl.lit(template[position:]))
        condition = (pl.col("code") == code) & (pl.col("column") == column)
        chain = chain.when(condition).then(pl.concat_str(parts))
    return problems.select(chain.otherwise(None).alias("message")).to_series()
