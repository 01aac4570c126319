"""Reading an import file (csv or xlsx) into a frame of strings, one column per recognised header.

Nothing is typed here: every cell stays text as written, so validation can say exactly what was wrong with it.
Row numbers are the spreadsheet's (header = the first non-empty row, usually row 1), blank rows included.

* Format by content, not by name: a zip with ``xl/workbook.xml`` is xlsx (read with calamine through
  fastexcel: ~250k rows/s), an OLE2 file is an old .xls (refused), anything else must be text.
* Text encoding: UTF-8 with or without BOM, checked strictly by Polars while reading; if that fails, GB18030
  (a superset of GBK/GB2312, which government systems export).  UTF-16 (Excel's "Unicode text") is accepted.
* The separator is the most frequent of ``,``, tab, ``;`` and ``|`` in the first records.
* The header row is the first of the first 20 non-empty rows that names a column of the kind (title rows above
  it are skipped).  A bracketed unit in a money header with a multiplier (``（万元）``) scales the values.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from .problems import ImportFileError
from .specs import Kind, normalize_header

HEADER_SEARCH_ROWS = 20
SNIFF_BYTES = 1 << 16
_MULTIPLIERS = (  # (pattern on the normalised unit, factor); the first match wins.  千瓦时 is kWh, not 1000 Wh.
    (re.compile(r"^(百万|million|mn)"), 1_000_000),
    (re.compile(r"^(千万|tenmillion)"), 10_000_000),
    (re.compile(r"^(亿|100million|hundredmillion)"), 100_000_000),
    (re.compile(r"^(万|10k|10thousand|tenthousand)"), 10_000),
    (re.compile(r"^(千(?!瓦|克|米)|thousand|k(?=cny|yuan|rmb))"), 1_000),
)
_UNIT = re.compile(r"[(\[【〔]([^)\]】〕]*)[)\]】〕]")


@dataclass
class RawTable:
    """The file's data rows as text.

    ``frame`` has ``_row`` (the spreadsheet row) and one String column per recognised column key;
    ``original`` keeps every column of the file (``c0``, ``c1``, … named by ``original_headers``) for the
    rejected-rows workbook.
    """

    frame: pl.DataFrame
    original: pl.DataFrame
    original_headers: list[str]
    headers: dict[str, str]  # column key → header as written
    ignored: list[str]
    scales: dict[str, int] = field(default_factory=dict)  # column key → multiplier from the header's unit
    file_format: str = "csv"
    encoding: str = ""
    header_row: int = 1


def sniff_format(path: Path) -> str:
    """``xlsx`` or ``csv`` from the file's first bytes; raises ImportFileError for empty or other files."""
    with open(path, "rb") as handle:
        head = handle.read(SNIFF_BYTES)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportFileError("empty_file")
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError) as exc:
            raise ImportFileError("corrupt_xlsx", {"detail": str(exc)}) from exc
        if "xl/workbook.xml" not in names:
            raise ImportFileError("unsupported_format")
        return "xlsx"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "csv"  # UTF-16 text
    if b"\x00" in head or head.startswith(b"\xd0\xcf\x11\xe0"):  # binary, or an OLE2 (.xls, .doc) file
        raise ImportFileError("unsupported_format")
    return "csv"


def read_table(path: str | Path, kind: Kind) -> RawTable:
    """Read ``path`` as text cells, find the header row and map the headers to the kind's columns."""
    path = Path(path)
    file_format = sniff_format(path)
    if file_format == "xlsx":
        cells, encoding = _read_xlsx(path), ""
    else:
        cells, encoding = _read_csv(path)
    table = map_headers(cells, kind)
    table.file_format, table.encoding = file_format, encoding
    return table


def _read_xlsx(path: Path) -> pl.DataFrame:
    import fastexcel

    try:
        reader = fastexcel.read_excel(str(path))
        sheet = reader.load_sheet(0, header_row=None, skip_rows=0, dtypes="string")
        cells = sheet.to_polars()
    except Exception as exc:  # calamine reports damage of every sort as CalamineError
        raise ImportFileError("corrupt_xlsx", {"detail": str(exc).splitlines()[0][:200]}) from exc
    if cells.width == 0 or cells.height == 0:
        raise ImportFileError("empty_file")
    return cells.rename({name: f"c{i}" for i, name in enumerate(cells.columns)})


def _read_csv(path: Path) -> tuple[pl.DataFrame, str]:
    with open(path, "rb") as handle:
        first = handle.read(SNIFF_BYTES)
    data: bytes | Path = path  # Polars reads (and checks UTF-8 of) the file itself: no copy in Python
    encoding = "utf-8"
    if first.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data, encoding = path.read_bytes().decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeError as exc:
            raise ImportFileError("unsupported_format") from exc
        first = data[:SNIFF_BYTES]
    head = _decode_head(first)
    separator, width = _sniff_layout(head)
    try:
        cells = _polars_csv(data, separator, width)
    except pl.exceptions.PolarsError as exc:
        if "utf-8" not in str(exc).lower() or encoding != "utf-8":
            raise ImportFileError("bad_csv", {"detail": _first_line(exc)}) from exc
        try:
            data = path.read_bytes().decode("gb18030").encode("utf-8")
        except UnicodeDecodeError as decode_error:
            raise ImportFileError("unsupported_format") from decode_error
        encoding = "gb18030"
        try:
            cells = _polars_csv(data, separator, width)
        except pl.exceptions.PolarsError as exc2:
            raise ImportFileError("bad_csv", {"detail": _first_line(exc2)}) from exc2
    if encoding == "utf-8" and first.startswith(b"\xef\xbb\xbf"):
        encoding = "utf-8-sig"
    return cells, encoding


def _polars_csv(data: bytes | Path, separator: str, width: int) -> pl.DataFrame:
    try:
        return pl.read_csv(
            data,
            has_header=False,
            separator=separator,
            schema={f"c{i}": pl.String for i in range(width)},
            truncate_ragged_lines=True,
            missing_columns="insert",
            raise_if_empty=False,
        )
    except pl.exceptions.NoDataError as exc:
        raise ImportFileError("empty_file") from exc


def _decode_head(head: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return head.decode(encoding)
        except UnicodeDecodeError as exc:
            if exc.start > len(head) - 4:  # a character cut by the sniffing window
                return head[: exc.start].decode(encoding)
    raise ImportFileError("unsupported_format")


def _sniff_layout(head: str) -> tuple[str, int]:
    """(separator, number of fields) from the first records of the file."""
    lines = [line for line in head.splitlines()[:50] if line.strip()]
    if not lines:
        raise ImportFileError("empty_file")
    counts = {sep: sum(line.count(sep) for line in lines) for sep in (",", "\t", ";", "|")}
    separator = max(counts, key=lambda sep: counts[sep]) if any(counts.values()) else ","
    records = csv.reader(io.StringIO("\n".join(lines)), delimiter=separator)
    width = max((len(record) for record in records), default=1)
    return separator, max(width, 1)


def _first_line(exc: Exception) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    useful = [line for line in lines if "escaped" in line or "invalid" in line or "parse" in line]
    return (useful or lines or ["?"])[-1][:200]


def _blank(name: str) -> pl.Expr:
    return pl.col(name).is_null() | (pl.col(name).str.strip_chars() == "")


def map_headers(cells: pl.DataFrame, kind: Kind) -> RawTable:
    """Match the header row against ``kind``'s accepted zh/en headers (public: the land import reuses it)."""
    cells = cells.with_row_index("_row", offset=1).with_columns(pl.col("_row").cast(pl.UInt32))
    value_columns = [c for c in cells.columns if c != "_row"]
    non_blank = cells.filter(~pl.all_horizontal([_blank(c) for c in value_columns]))
    if non_blank.is_empty():
        raise ImportFileError("empty_file")
    accepted = {normalize_header(h): c.key for c in kind.columns for h in c.accepted_headers()}
    header = None
    for row in non_blank.head(HEADER_SEARCH_ROWS).iter_rows(named=True):
        if any(normalize_header(row[c]) in accepted for c in value_columns if row[c]):
            header = row
            break
    if header is None:
        header = non_blank.row(0, named=True)
    header_row = int(header["_row"])
    written = {c: str(header[c]).strip() for c in value_columns if header[c] is not None and str(header[c]).strip()}
    headers: dict[str, str] = {}
    positions: dict[str, str] = {}
    ignored: list[str] = []
    problems: list[dict] = []
    for position, text in written.items():
        key = accepted.get(normalize_header(text))
        if key is None:
            ignored.append(text)
        elif key in headers:
            params = {"first": headers[key], "second": text, "column": kind.column(key).label()}
            problems.append({"row": header_row, "column": text, "code": "duplicate_column", "params": params})
        else:
            headers[key], positions[key] = text, position
    for column in kind.required:
        if column.key not in headers:
            params = {
                "column": column.label(),
                "accepted": " / ".join(dict.fromkeys((column.zh, column.en, column.key))),
            }
            problems.append({"row": None, "column": column.label(), "code": "missing_column", "params": params})
    if problems:
        raise ImportFileError(problems[0]["code"], problems[0]["params"], problems=problems)
    data = cells.filter(pl.col("_row") > header_row)
    data = data.filter(~pl.all_horizontal([_blank(c) for c in value_columns]))
    if data.is_empty():
        raise ImportFileError("no_data")
    kept = [c for c in value_columns if c in written]
    frame = data.select("_row", *[pl.col(positions[key]).alias(key) for key in headers])
    return RawTable(
        frame=frame,
        original=data.select("_row", *kept),
        original_headers=[written[c] for c in kept],
        headers=headers,
        ignored=ignored,
        scales={key: factor for key, text in headers.items() if (factor := unit_multiplier(text)) != 1},
        header_row=header_row,
    )


def unit_multiplier(header: str) -> int:
    """The factor a bracketed unit asks for: ``主营业务收入（万元）`` → 10000; 1 when there is none."""
    text = unicodedata.normalize("NFKC", header)
    for unit in _UNIT.findall(text):
        unit = re.sub(r"\s+", "", unit.lower())
        for pattern, factor in _MULTIPLIERS:
            if pattern.match(unit):
                return factor
    return 1
