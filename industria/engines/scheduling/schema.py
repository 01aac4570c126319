"""Input checks of the scheduling engine: named columns of the right kind, or a SchedulingSchemaError."""

from __future__ import annotations

from collections.abc import Mapping

import polars as pl


class SchedulingSchemaError(ValueError):
    """A frame handed to the engine lacks columns or has columns of the wrong kind (the message names them)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


def _kind(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "integer"
    if dtype.is_float() or dtype.is_decimal():
        return "number"
    if dtype == pl.Date:
        return "date"
    if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum):
        return "text"
    if dtype == pl.Boolean:
        return "boolean"
    if dtype == pl.Null:
        return "null"
    return str(dtype)


def check_frame(
    frame: pl.DataFrame,
    name: str,
    schema: Mapping[str, pl.DataType | type[pl.DataType]],
    optional: Mapping[str, pl.DataType | type[pl.DataType]] | None = None,
) -> None:
    """Raise ``SchedulingSchemaError`` naming every missing column and every column of the wrong kind.

    Integers may be any width, numbers any float or decimal, text String or Categorical; an all-null column
    passes (it is cast by the caller).
    """
    problems: list[str] = []
    for column, dtype in {**schema, **(optional or {})}.items():
        if column not in frame.columns:
            if column in schema:
                problems.append(f"{name}.{column}: missing")
            continue
        want = _kind(dtype() if isinstance(dtype, type) else dtype)
        have = _kind(frame.schema[column])
        compatible = have == want or have == "null" or (want == "number" and have == "integer")
        if not compatible:
            problems.append(f"{name}.{column}: expected {want}, got {frame.schema[column]}")
    if problems:
        raise SchedulingSchemaError(problems)


def cast_frame(frame: pl.DataFrame, schema: Mapping[str, pl.DataType | type[pl.DataType]]) -> pl.DataFrame:
    """The schema's columns, cast to its types (after ``check_frame``)."""
    return frame.select([pl.col(c).cast(t) for c, t in schema.items()])
