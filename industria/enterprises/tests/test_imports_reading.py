"""Reading import files: formats, encodings, headers in Chinese or English, row numbers, malformed files."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from industria.enterprises.imports.kinds import KINDS, kind_get
from industria.enterprises.imports.problems import ImportFileError
from industria.enterprises.imports.reading import read_table, unit_multiplier
from industria.enterprises.imports.specs import normalize_header

from .test_imports_helpers import DATA, YEAR_HEADERS_EN, YEAR_HEADERS_ZH, code, write_csv, write_xlsx, year_rows

YEAR = KINDS["year-facts"]


def file_error(path: Path) -> ImportFileError:
    with pytest.raises(ImportFileError) as caught:
        read_table(path, YEAR)
    return caught.value


@pytest.mark.parametrize(
    ("header", "key"),
    [
        ("统一社会信用代码", "uscc"),
        ("统一社会信用代码*", "uscc"),
        ("  Unified Social Credit Code ", "uscc"),
        ("USCC", "uscc"),
        ("主营业务收入（元）", "main_revenue_cny"),
        ("主营业务收入(元)", "main_revenue_cny"),
        ("主营业务收入 【元】", "main_revenue_cny"),
        ("main_revenue_cny", "main_revenue_cny"),
        ("MAIN_REVENUE_CNY", "main_revenue_cny"),
        ("Main-business revenue (CNY)", "main_revenue_cny"),
        ("main revenue", "main_revenue_cny"),
        ("年份", "year"),
        ("ＹＥＡＲ", "year"),  # full-width letters
        ("从业人员平均人数（人）", "employees_avg"),
    ],
)
def test_headers_match_in_chinese_or_english_ignoring_case_spaces_brackets_and_units(header: str, key: str) -> None:
    accepted = {normalize_header(h): c.key for c in YEAR.columns for h in c.accepted_headers()}

    assert accepted[normalize_header(header)] == key


def test_every_accepted_header_names_one_column_only() -> None:
    for kind in KINDS.values():
        seen: dict[str, str] = {}
        for column in kind.columns:
            for header in column.accepted_headers():
                normal = normalize_header(header)
                assert seen.setdefault(normal, column.key) == column.key, (kind.code, header)


def test_kind_names_are_forgiving() -> None:
    assert kind_get("year_facts") is kind_get("YEAR-FACTS") is YEAR
    assert kind_get("nonsense") is None


@pytest.mark.parametrize(
    ("header", "factor"),
    [
        ("主营业务收入（元）", 1),
        ("主营业务收入（万元）", 10_000),
        ("注册资本(千元)", 1_000),
        ("产值（亿元）", 100_000_000),
        ("产值（百万元）", 1_000_000),
        ("用电量（千瓦时）", 1),
        ("用电量（万千瓦时）", 10_000),
        ("Revenue (10k CNY)", 10_000),
        ("Revenue (thousand CNY)", 1_000),
        ("Electricity (kWh)", 1),
        ("年份", 1),
    ],
)
def test_unit_multipliers_in_headers(header: str, factor: int) -> None:
    assert unit_multiplier(header) == factor


def test_english_csv_reads_every_cell_as_text_with_spreadsheet_rows() -> None:
    table = read_table(DATA / "year_facts_en.csv", YEAR)

    assert table.file_format == "csv"
    assert table.encoding == "utf-8"
    assert table.headers["main_revenue_cny"] == "Main-business revenue (CNY)"
    assert table.frame["_row"].to_list() == [2, 3, 4]
    assert table.frame["main_revenue_cny"].to_list() == ["25,000,000.00", "18000000", "120000000"]
    assert table.frame["uscc"][0] == code(1)


def test_gbk_csv_is_detected_and_decoded() -> None:
    table = read_table(DATA / "year_facts_gbk.csv", YEAR)

    assert table.encoding == "gb18030"
    assert list(table.headers.values()) == YEAR_HEADERS_ZH


def test_gbk_is_detected_even_when_the_only_chinese_is_at_the_end(tmp_path: Path) -> None:
    rows = year_rows([code(n) for n in range(1, 3001)])
    path = write_csv(
        tmp_path / "late.csv",
        ["uscc", "year", "main_revenue_cny", "gross_output_cny", "profit_cny", "employees_avg", "备注"],
        rows + [[code(3001), 2023, 1, 1, 1, 1, "中文"]],
        encoding="gbk",
    )

    table = read_table(path, YEAR)

    assert table.encoding == "gb18030"
    assert table.original["c6"].to_list()[-1] == "中文"
    assert table.ignored == ["备注"]


def test_chinese_xlsx_with_numbers_in_numeric_cells() -> None:
    table = read_table(DATA / "year_facts_zh.xlsx", YEAR)

    assert table.file_format == "xlsx"
    assert table.headers["uscc"] == "统一社会信用代码*"
    assert table.frame["year"].to_list() == ["2023", "2023", "2023"]
    assert table.frame["main_revenue_cny"].to_list() == ["25000000", "18000000", "120000000"]


def test_title_rows_and_blank_rows_keep_spreadsheet_row_numbers(tmp_path: Path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet["A1"] = "2023年规模以上工业企业主要指标"
    sheet.append(YEAR_HEADERS_ZH)  # row 2
    sheet.append(year_rows([code(1)])[0])  # row 3
    sheet.append([])  # row 4
    sheet.append(year_rows([code(2)])[0])  # row 5
    book.save(tmp_path / "titled.xlsx")

    table = read_table(tmp_path / "titled.xlsx", YEAR)

    assert table.header_row == 2
    assert table.frame["_row"].to_list() == [3, 5]


@pytest.mark.parametrize("separator", [";", "\t"])
def test_semicolon_and_tab_separated_files(tmp_path: Path, separator: str) -> None:
    lines = [separator.join(YEAR_HEADERS_EN), separator.join(map(str, year_rows([code(1)])[0]))]
    path = tmp_path / "sep.csv"
    path.write_text("\n".join(lines), encoding="utf-8")

    table = read_table(path, YEAR)

    assert table.frame["uscc"].to_list() == [code(1)]


def test_utf16_unicode_text_from_excel(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_bytes(
        "\t".join(YEAR_HEADERS_ZH).encode("utf-16")
        + "\n".join(["", "\t".join(map(str, year_rows([code(1)])[0]))]).encode("utf-16")[2:]
    )

    table = read_table(path, YEAR)

    assert table.encoding == "utf-16"
    assert table.frame["uscc"].to_list() == [code(1)]


def test_unknown_columns_are_ignored_and_listed(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "x.csv", [*YEAR_HEADERS_EN[:2], "企业名称", "district_code"], [[code(1), 2023, "甲", "1"]]
    )

    table = read_table(path, YEAR)

    assert table.ignored == ["企业名称", "district_code"]
    assert list(table.headers) == ["uscc", "year"]


def test_empty_file_is_refused(tmp_path: Path) -> None:
    for content in (b"", b"\xef\xbb\xbf", b"\n\n  \n"):
        (tmp_path / "empty.csv").write_bytes(content)

        assert file_error(tmp_path / "empty.csv").code == "empty_file"


def test_header_without_data_is_refused(tmp_path: Path) -> None:
    assert file_error(write_csv(tmp_path / "h.csv", YEAR_HEADERS_EN, [])).code == "no_data"


def test_binary_and_old_excel_files_are_refused(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    (tmp_path / "image.csv").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with zipfile.ZipFile(tmp_path / "letter.docx", "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    assert file_error(tmp_path / "old.xls").code == "unsupported_format"
    assert file_error(tmp_path / "image.csv").code == "unsupported_format"
    assert file_error(tmp_path / "letter.docx").code == "unsupported_format"


def test_corrupt_xlsx_is_refused_with_its_reason() -> None:
    error = file_error(DATA / "corrupt.xlsx")

    assert error.code == "corrupt_xlsx"
    assert "cannot be read" in str(error)


def test_missing_required_columns_are_all_named(tmp_path: Path) -> None:
    error = file_error(write_csv(tmp_path / "m.csv", ["主营业务收入（元）"], [["1"]]))

    assert [(p["code"], p["params"]["column"]) for p in error.problems] == [
        ("missing_column", "Unified social credit code"),
        ("missing_column", "Year"),
    ]


def test_two_headers_for_one_column_are_refused(tmp_path: Path) -> None:
    error = file_error(
        write_csv(tmp_path / "d.csv", ["uscc", "year", "主营业务收入", "main revenue"], [[code(1), 2023, 1, 1]])
    )

    assert error.code == "duplicate_column"
    assert error.problems[0]["row"] == 1
    assert error.params == {"first": "主营业务收入", "second": "main revenue", "column": "Main-business revenue"}


def test_xlsx_with_a_leading_blank_row(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "blank.xlsx", [], [])
    import openpyxl

    book = openpyxl.load_workbook(path)
    sheet = book.active
    sheet.delete_rows(1)
    for row_number, values in ((2, YEAR_HEADERS_EN), (3, year_rows([code(1)])[0])):
        for column_number, value in enumerate(values, start=1):
            sheet.cell(row=row_number, column=column_number, value=value)
    book.save(path)

    table = read_table(path, YEAR)

    assert (table.header_row, table.frame["_row"].to_list()) == (2, [3])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.binary(max_size=400),
        st.text(alphabet=st.sampled_from(list('ab,;\t"\n\r 统一社会信用代码年份1.-\ufeff')), max_size=300).map(
            lambda t: t.encode("utf-8")
        ),
        st.text(max_size=200).map(lambda t: ("uscc,year\n" + t).encode("gb18030", errors="replace")),
    )
)
def test_any_bytes_give_a_table_or_a_clear_file_error(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "fuzz.csv"
    path.write_bytes(content)

    try:
        table = read_table(path, YEAR)
    except ImportFileError as error:
        code = error.code
    else:
        code = "read" if table.frame.height >= 1 else "no rows"

    assert code in {
        "read",
        "empty_file",
        "unsupported_format",
        "bad_csv",
        "no_data",
        "missing_column",
        "duplicate_column",
        "corrupt_xlsx",
    }
