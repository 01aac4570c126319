"""Shared fixtures and builders of the import tests (no tests here)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from stdnum.cn import uscc as stdnum_uscc

from industria.accounts.models import District
from industria.enterprises.models import Enterprise

DATA = Path(__file__).resolve().parent / "data"
HOME = "310115"  # Pudong
OTHER = "310114"  # Jiading

YEAR_HEADERS_ZH = [
    "统一社会信用代码",
    "年份",
    "主营业务收入（元）",
    "工业总产值（元）",
    "利润总额（元）",
    "从业人员平均人数（人）",
    "综合能耗（吨标准煤）",
]
YEAR_HEADERS_EN = [
    "Unified social credit code",
    "Year",
    "Main-business revenue (CNY)",
    "Gross industrial output (CNY)",
    "Total profit (CNY)",
    "Average employees",
    "Energy use (tce)",
]


def code(n: int, region: str = HOME) -> str:
    """A valid credit code numbered ``n`` registered in ``region``."""
    body = f"91{region}{n:09d}"[:17]
    return body + stdnum_uscc.calc_check_digit(body)


def bad_check_digit(valid: str) -> str:
    return valid[:17] + ("1" if valid[17] != "1" else "2")


def enterprises(n: int, district: str = HOME, start: int = 1) -> list[Enterprise]:
    """``n`` stored enterprises with codes ``code(start…)`` in ``district``."""
    place = District.objects.get(code=district)
    rows = [
        Enterprise(uscc=code(start + i, district), name_zh=f"测试企业{start + i}", district=place, industry_code="3460")
        for i in range(n)
    ]
    return Enterprise.objects.bulk_create(rows)


def year_rows(codes: Iterable[str], year: int = 2023, revenue: int = 30_000_000) -> list[list[Any]]:
    return [[c, year, revenue + i, revenue * 2 + i, 1_000_000 - i, 100 + i, "12.5"] for i, c in enumerate(codes)]


def write_csv(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def media_root(settings: Any, tmp_path: Path) -> Path:
    """Point MEDIA_ROOT at a temporary folder (for the ``media`` fixture of the modules that upload)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT
