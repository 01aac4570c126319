"""Export exactly the rows a list shows (after filters and scope) to csv or xlsx, streaming."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CHUNK_ROWS = 2000


class _Echo:
    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    """A spreadsheet cell: numbers and dates as they are, booleans as true/false, objects as their text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, str)) or hasattr(value, "isoformat"):
        return value
    if hasattr(value, "as_tuple"):  # Decimal: exact text keeps every digit of money
        return value
    return str(value)


def export_csv(filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingHttpResponse:
    """UTF-8 with a BOM so that Excel on Chinese Windows opens it correctly."""
    writer = csv.writer(_Echo())

    def stream() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(list(headers))
        for row in rows:
            yield writer.writerow([_cell(v) for v in row])

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def export_xlsx(
    filename: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, sheet: str = "data"
) -> HttpResponse:
    """An xlsx written in constant-memory mode."""
    import xlsxwriter

    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"constant_memory": True, "in_memory": True})
    worksheet = workbook.add_worksheet(sheet[:31])
    bold = workbook.add_format({"bold": True})
    worksheet.write_row(0, 0, list(headers), bold)
    for r, row in enumerate(rows, start=1):
        worksheet.write_row(r, 0, [v.isoformat() if hasattr(v, "isoformat") else _xlsx(_cell(v)) for v in row])
    workbook.close()
    response = HttpResponse(buffer.getvalue(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _xlsx(value: Any) -> Any:
    """xlsxwriter writes Decimal as text; money goes out as a number (Excel has 15 significant digits)."""
    return float(value) if hasattr(value, "as_tuple") else value


def export_filename(stem: str) -> str:
    """``stem-YYYYMMDD-HHMM`` in local time."""
    return f"{stem}-{timezone.localtime():%Y%m%d-%H%M}"
