"""The import workflow (``import_file_run``): dry run, all-or-nothing commit, idempotence, scope, the change log."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType

from industria.core.changelog import change_context
from industria.core.models import ObjectChange
from industria.enterprises.imports import writing
from industria.enterprises.imports.services import ImportNotAllowed, import_file_run
from industria.enterprises.models import Enterprise, EnterpriseMonthFact, EnterpriseYearFact, SizeRule, Tier

from .test_imports_helpers import (
    DATA,
    HOME,
    OTHER,
    YEAR_HEADERS_EN,
    YEAR_HEADERS_ZH,
    bad_check_digit,
    code,
    enterprises,
    write_csv,
    year_rows,
)

pytestmark = pytest.mark.django_db


def run(path: Path, kind: str = "year-facts", *, actor: Any = None, dry_run: bool = False, **kwargs: Any) -> Any:
    return import_file_run(actor=actor, kind=kind, path=path, dry_run=dry_run, **kwargs)


def bulk_entries(model: Any = EnterpriseYearFact) -> Any:
    return ObjectChange.objects.filter(action="bulk", content_type=ContentType.objects.get_for_model(model))


@pytest.fixture
def size_rule() -> None:
    SizeRule.objects.get_or_create(
        effective_from_year=2011, defaults={"main_revenue_threshold_cny": Decimal("20000000"), "source": "NBS (test)"}
    )


# --- dry run and commit ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("fixture", ["year_facts_gbk.csv", "year_facts_en.csv", "year_facts_zh.xlsx"])
def test_gbk_english_and_chinese_files_import_the_same_facts(fixture: str, size_rule: None) -> None:
    enterprises(3)

    checked = run(DATA / fixture, dry_run=True)
    committed = run(DATA / fixture)

    assert checked.outcome == "checked", checked.problems
    assert checked.counts == {"rows": 3, "new": 3, "changed": 0, "unchanged": 0, "rejected": 0}
    assert committed.outcome == "committed"
    facts = {f.enterprise.uscc: f for f in EnterpriseYearFact.objects.select_related("enterprise")}
    first, second = facts[code(1)], facts[code(2)]
    assert first.main_revenue_cny == Decimal("25000000.00")  # "25,000,000.00" with thousands separators
    assert first.profit_cny == Decimal("-1200000.00")  # profit may be negative
    assert first.employees_avg == 120
    assert first.energy_tce == Decimal("850.500")
    assert second.gross_output_cny == Decimal("19000000.50")
    assert second.energy_tce is None  # an empty cell stores null
    assert [first.above_size, second.above_size] == [True, False]  # revenue 25 M and 18 M vs the 20 M threshold


def test_gbk_file_is_detected_and_reported(size_rule: None) -> None:
    enterprises(3)

    result = run(DATA / "year_facts_gbk.csv", dry_run=True)

    assert result.file["encoding"] == "gb18030"
    assert result.file["format"] == "csv"


def test_dry_run_writes_nothing(size_rule: None) -> None:
    enterprises(3)

    result = run(DATA / "year_facts_en.csv", dry_run=True)

    assert result.outcome == "checked"
    assert result.counts["new"] == 3
    assert not EnterpriseYearFact.objects.exists()
    assert not bulk_entries().exists()


def test_one_bad_row_among_many_rejects_the_file_and_writes_nothing(tmp_path: Path) -> None:
    enterprises(40)

    result = run(DATA / "year_facts_one_bad_row.csv", rejected_path=tmp_path / "rejected.xlsx")

    assert result.outcome == "rejected"
    assert result.counts == {"rows": 40, "new": 39, "changed": 0, "unchanged": 0, "rejected": 1}
    assert [(p["row"], p["column"], p["code"]) for p in result.problems] == [
        (27, "Unified social credit code", "uscc_check_digit")
    ]
    assert "check digit of the credit code is wrong" in result.problems[0]["message"]
    assert not EnterpriseYearFact.objects.exists()
    assert not bulk_entries().exists()


def test_rejected_rows_workbook_keeps_the_cells_and_adds_the_problems(tmp_path: Path) -> None:
    import openpyxl

    enterprises(40)

    result = run(DATA / "year_facts_one_bad_row.csv", rejected_path=tmp_path / "rejected.xlsx")

    sheet = openpyxl.load_workbook(tmp_path / "rejected.xlsx").active
    rows = list(sheet.iter_rows(values_only=True))
    assert result.rejected_file
    assert rows[0][: len(YEAR_HEADERS_EN)] == tuple(YEAR_HEADERS_EN)
    assert rows[0][-2:] == ("Row in the file", "Problems")
    assert len(rows) == 2
    assert rows[1][0] == bad_check_digit(code(26))
    assert rows[1][-2] == 27
    assert rows[1][-1].startswith("Unified social credit code: The check digit of the credit code is wrong")


def test_every_problem_is_collected_with_row_and_column(tmp_path: Path) -> None:
    stored = enterprises(6)
    rows = year_rows([e.uscc for e in stored])
    rows[0][0] = bad_check_digit(rows[0][0])  # row 2
    rows[1][2] = "about 3 million"  # row 3: text in a number column
    rows[2][1] = "1800"  # row 4: year out of range
    rows[3][5] = "12.5"  # row 5: fractional employees
    rows[4][5] = "-3"  # row 6: negative employees
    rows[5][3] = "-10"  # row 7: negative output
    path = write_csv(tmp_path / "bad.csv", YEAR_HEADERS_ZH, rows)

    result = run(path)

    assert result.outcome == "rejected"
    assert [(p["row"], p["column"], p["code"]) for p in result.problems] == [
        (2, "统一社会信用代码", "uscc_check_digit"),
        (3, "主营业务收入（元）", "not_a_number"),
        (4, "年份", "below_minimum"),
        (5, "从业人员平均人数（人）", "not_an_integer"),
        (6, "从业人员平均人数（人）", "below_minimum"),
        (7, "工业总产值（元）", "negative"),
    ]
    assert result.problems[1]["message"] == "“about 3 million” is not a number."
    assert result.counts["rejected"] == 6
    assert not EnterpriseYearFact.objects.exists()


def test_duplicates_in_the_file_are_rejected_with_both_rows(tmp_path: Path) -> None:
    stored = enterprises(2)
    rows = year_rows([e.uscc for e in stored])
    path = write_csv(tmp_path / "dup.csv", YEAR_HEADERS_EN, [*rows, rows[0]])

    result = run(path)

    duplicates = [p for p in result.problems if p["code"] == "duplicate_key"]
    assert [p["row"] for p in duplicates] == [2, 4]
    assert "rows 2, 4" in duplicates[0]["message"]
    assert not EnterpriseYearFact.objects.exists()


# --- idempotence and changes ---------------------------------------------------------------------------------------


def test_reimport_is_idempotent_and_moves_no_updated_at(tmp_path: Path, size_rule: None) -> None:
    stored = enterprises(5)
    path = write_csv(tmp_path / "y.csv", YEAR_HEADERS_ZH, year_rows([e.uscc for e in stored]))
    run(path)
    before = dict(EnterpriseYearFact.objects.values_list("pk", "updated_at"))
    entries = bulk_entries().count()

    again = run(path)

    assert again.outcome == "committed"
    assert again.counts == {"rows": 5, "new": 0, "changed": 0, "unchanged": 5, "rejected": 0}
    assert dict(EnterpriseYearFact.objects.values_list("pk", "updated_at")) == before
    assert bulk_entries().count() == entries  # nothing changed: nothing to log


def test_changed_rows_are_updated_and_the_rest_left_alone(tmp_path: Path, size_rule: None) -> None:
    stored = enterprises(4)
    rows = year_rows([e.uscc for e in stored])
    run(write_csv(tmp_path / "a.csv", YEAR_HEADERS_ZH, rows))
    before = dict(EnterpriseYearFact.objects.values_list("enterprise__uscc", "updated_at"))
    rows[1][2] = 10_000_000  # revenue falls below the size threshold
    rows[3][6] = "99.125"

    result = run(write_csv(tmp_path / "b.csv", YEAR_HEADERS_ZH, rows))

    assert result.counts == {"rows": 4, "new": 0, "changed": 2, "unchanged": 2, "rejected": 0}
    facts = {f.enterprise.uscc: f for f in EnterpriseYearFact.objects.select_related("enterprise")}
    assert facts[stored[1].uscc].main_revenue_cny == Decimal("10000000.00")
    assert facts[stored[1].uscc].above_size is False
    assert facts[stored[3].uscc].energy_tce == Decimal("99.125")
    assert facts[stored[0].uscc].updated_at == before[stored[0].uscc]
    assert facts[stored[1].uscc].updated_at > before[stored[1].uscc]


def test_columns_left_out_are_not_touched(tmp_path: Path) -> None:
    stored = enterprises(1)
    run(write_csv(tmp_path / "a.csv", YEAR_HEADERS_ZH, year_rows([stored[0].uscc])))

    result = run(write_csv(tmp_path / "b.csv", ["uscc", "year", "tax_paid_cny"], [[stored[0].uscc, 2023, "500"]]))

    fact = EnterpriseYearFact.objects.get()
    assert result.counts["changed"] == 1
    assert fact.tax_paid_cny == Decimal("500.00")
    assert fact.main_revenue_cny == Decimal("30000000.00")
    assert fact.employees_avg == 100


def test_a_killed_import_leaves_nothing_written(tmp_path: Path, monkeypatch: Any) -> None:
    stored = enterprises(30)
    path = write_csv(tmp_path / "y.csv", YEAR_HEADERS_ZH, year_rows([e.uscc for e in stored]))
    monkeypatch.setattr(writing, "COPY_BATCH_ROWS", 10)
    monkeypatch.setattr(writing, "SQLITE_BATCH_ROWS", 10)
    original, calls = writing.write_batch, []

    def dies_after_the_first_batch(*args: Any, **kwargs: Any) -> None:
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("worker killed")
        original(*args, **kwargs)

    monkeypatch.setattr(writing, "write_batch", dies_after_the_first_batch)

    with pytest.raises(RuntimeError, match="worker killed"):
        run(path)

    assert len(calls) == 2
    assert not EnterpriseYearFact.objects.exists()
    assert not bulk_entries().exists()


def test_a_killed_update_leaves_the_stored_rows_as_they_were(tmp_path: Path, monkeypatch: Any) -> None:
    stored = enterprises(30)
    rows = year_rows([e.uscc for e in stored])
    run(write_csv(tmp_path / "a.csv", YEAR_HEADERS_ZH, rows))
    before = sorted(EnterpriseYearFact.objects.values_list("pk", "main_revenue_cny", "updated_at"))
    for row in rows:
        row[2] += 1
    monkeypatch.setattr(writing, "COPY_BATCH_ROWS", 10)
    monkeypatch.setattr(writing, "SQLITE_BATCH_ROWS", 10)
    original_upsert = writing.upsert_rows

    def dies_half_way(table: str, frame: Any, **kwargs: Any) -> int:
        original_upsert(table, frame.head(10), **kwargs)  # the first rows are updated, then the worker dies
        raise RuntimeError("worker killed")

    monkeypatch.setattr("industria.enterprises.imports.services.upsert_rows", dies_half_way)

    with pytest.raises(RuntimeError):
        run(write_csv(tmp_path / "b.csv", YEAR_HEADERS_ZH, rows))

    assert sorted(EnterpriseYearFact.objects.values_list("pk", "main_revenue_cny", "updated_at")) == before


# --- other kinds ---------------------------------------------------------------------------------------------------


def test_enterprises_import_with_bom_chinese_headers_district_names_and_units() -> None:
    result = run(DATA / "enterprises_bom.csv", "enterprises")

    assert result.outcome == "committed", result.problems
    assert result.file["encoding"] == "utf-8-sig"
    assert result.scaled_columns == {"注册资本（万元）": 10_000}
    stored = {e.uscc: e for e in Enterprise.objects.select_related("district")}
    first, second, third = stored[code(101)], stored[code(102)], stored[code(103)]
    assert {first.district.code, second.district.code, third.district.code} == {HOME}
    assert first.registered_capital_cny == Decimal("50000000.00")  # 5,000 万元
    assert third.registered_capital_cny == Decimal("8005000.00")
    assert (first.ownership_type, second.ownership_type, third.ownership_type) == ("private", "foreign", "state")
    assert str(first.established_on) == "2015-06-30"
    assert str(second.established_on) == "2018-03-01"
    assert (first.is_listed, second.is_listed, third.is_listed) == (False, True, False)
    assert third.industry_code == "27"


def test_enterprise_flags_and_choices_left_empty_keep_their_stored_values(tmp_path: Path) -> None:
    run(DATA / "enterprises_bom.csv", "enterprises")
    path = write_csv(
        tmp_path / "e.csv",
        ["uscc", "name_zh", "district", "ownership_type", "is_listed"],
        [[code(102), "上海乙汽车零部件有限公司（更名）", "310115", "", ""]],
    )

    result = run(path, "enterprises")

    enterprise = Enterprise.objects.get(uscc=code(102))
    assert result.counts["changed"] == 1
    assert enterprise.name_zh.endswith("（更名）")
    assert (enterprise.ownership_type, enterprise.is_listed) == ("foreign", True)


def test_tiers_accept_excel_slashed_and_chinese_dates() -> None:
    enterprises(3)

    result = run(DATA / "tiers_zh.xlsx", "tiers")

    assert result.outcome == "committed", result.problems
    tiers = {t.enterprise.uscc: t for t in Tier.objects.select_related("enterprise")}
    assert (tiers[code(1)].kind, tiers[code(1)].level, str(tiers[code(1)].granted_on)) == (
        "srdi_sme",
        "municipal",
        "2023-05-18",
    )
    assert str(tiers[code(1)].valid_until) == "2026-05-17"
    assert (tiers[code(2)].kind, tiers[code(2)].level, str(tiers[code(2)].granted_on)) == (
        "little_giant",
        "national",
        "2023-07-14",
    )
    assert tiers[code(2)].status == "valid"  # empty: the default
    assert tiers[code(3)].valid_until is None


def test_tier_validity_before_grant_and_unknown_tier_are_rejected(tmp_path: Path) -> None:
    enterprises(2)
    path = write_csv(
        tmp_path / "t.csv",
        ["uscc", "kind", "granted_on", "valid_until"],
        [[code(1), "srdi_sme", "2023-05-18", "2023-01-01"], [code(2), "golden eagle", "2023-05-18", ""]],
    )

    result = run(path, "tiers")

    assert [(p["row"], p["key"], p["code"]) for p in result.problems] == [
        (2, "valid_until", "valid_until_before_granted"),
        (3, "kind", "bad_choice"),
    ]
    assert "srdi_sme" in result.problems[1]["message"]
    assert not Tier.objects.exists()


def test_monthly_facts_with_units_in_ten_thousand_cny() -> None:
    enterprises(1)

    result = run(DATA / "month_facts.csv", "month-facts")

    assert result.counts["new"] == 12
    january = EnterpriseMonthFact.objects.get(month=1)
    assert january.gross_output_cny == Decimal("10015000.00")  # 1001.5 万元
    assert january.value_added_cny == Decimal("2500000.00")


def test_facts_of_an_enterprise_not_in_the_registry_are_rejected(tmp_path: Path) -> None:
    enterprises(1)
    path = write_csv(tmp_path / "y.csv", YEAR_HEADERS_EN, year_rows([code(1), code(999)]))

    result = run(path)

    assert [(p["row"], p["code"]) for p in result.problems] == [(3, "unknown_enterprise")]
    assert not EnterpriseYearFact.objects.exists()


# --- scope and roles -----------------------------------------------------------------------------------------------


def test_district_officer_imports_only_their_district(tmp_path: Path, make_user: Any) -> None:
    officer = make_user("district_officer", district_code=HOME)
    path = write_csv(
        tmp_path / "e.csv",
        ["统一社会信用代码", "企业名称", "所属区"],
        [
            [code(1), "浦东甲公司", "浦东新区"],
            [code(2, OTHER), "嘉定乙公司", "嘉定区"],
            [code(3), "浦东丙公司", "310115"],
        ],
    )

    result = run(path, "enterprises", actor=officer)

    assert result.outcome == "rejected"
    assert [(p["row"], p["column"], p["code"]) for p in result.problems] == [(3, "所属区", "district_out_of_scope")]
    assert "嘉定区" in result.problems[0]["message"]
    assert "Pudong" in result.problems[0]["message"]
    assert not Enterprise.objects.exists()


def test_district_officer_cannot_move_another_districts_enterprise(tmp_path: Path, make_user: Any) -> None:
    other = enterprises(1, OTHER)[0]
    officer = make_user("district_officer", district_code=HOME)
    path = write_csv(tmp_path / "e.csv", ["uscc", "name_zh", "district"], [[other.uscc, "改名", HOME]])

    result = run(path, "enterprises", actor=officer)

    assert [p["code"] for p in result.problems] == ["moved_out_of_scope"]
    other.refresh_from_db()
    assert other.district.code == OTHER


def test_district_officer_cannot_import_facts_of_other_districts(tmp_path: Path, make_user: Any) -> None:
    home, away = enterprises(1)[0], enterprises(1, OTHER)[0]
    officer = make_user("district_officer", district_code=HOME)
    path = write_csv(tmp_path / "y.csv", YEAR_HEADERS_EN, year_rows([home.uscc, away.uscc]))

    result = run(path, actor=officer)

    assert [(p["row"], p["column"], p["code"]) for p in result.problems] == [
        (3, "Unified social credit code", "enterprise_out_of_scope")
    ]
    assert not EnterpriseYearFact.objects.exists()


def test_enterprise_users_and_analysts_cannot_import(make_user: Any) -> None:
    enterprise = enterprises(1)[0]

    with pytest.raises(ImportNotAllowed):
        run(DATA / "year_facts_en.csv", actor=make_user("enterprise_user", enterprise=enterprise))
    with pytest.raises(ImportNotAllowed):
        run(DATA / "year_facts_en.csv", actor=make_user("municipal_analyst"))


def test_municipal_admin_imports_city_wide(tmp_path: Path, make_user: Any) -> None:
    path = write_csv(
        tmp_path / "e.csv", ["uscc", "name_zh", "district"], [[code(1), "甲", HOME], [code(2, OTHER), "乙", OTHER]]
    )

    result = run(path, "enterprises", actor=make_user("municipal_admin"))

    assert result.outcome == "committed"
    assert Enterprise.objects.count() == 2


# --- the change log ------------------------------------------------------------------------------------------------


def test_one_change_log_entry_per_batch_with_actor_channel_and_rows(
    tmp_path: Path, make_user: Any, size_rule: None
) -> None:
    admin = make_user("municipal_admin")
    stored = enterprises(3)
    rows = year_rows([e.uscc for e in stored])
    run(write_csv(tmp_path / "a.csv", YEAR_HEADERS_ZH, rows[:2]), actor=admin)
    rows[0][2] = 40_000_000

    with change_context(actor=admin, source="cli"):
        result = run(write_csv(tmp_path / "b.csv", YEAR_HEADERS_ZH, rows), actor=admin)

    entry = bulk_entries().order_by("-pk").first()
    assert bulk_entries().count() == 2
    assert result.audit_id == entry.pk
    assert (entry.user, entry.source) == (admin, "cli")
    assert entry.summary["counts"] == {"rows": 3, "new": 1, "changed": 1, "unchanged": 1}
    update = next(r for r in entry.summary["rows"] if r["action"] == "update")
    assert update["key"] == {"uscc": stored[0].uscc, "year": 2023}
    assert update["changed"] == {"main_revenue_cny": ["30000000.00", "40000000.00"]}
    create = next(r for r in entry.summary["rows"] if r["action"] == "create")
    assert create["key"] == {"uscc": stored[2].uscc, "year": 2023}
    assert not ObjectChange.objects.filter(
        action__in=["create", "update"], content_type__model="enterpriseyearfact"
    ).exists()


def test_malformed_files_are_reported_not_raised(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    pdf = tmp_path / "report.csv"
    pdf.write_bytes(b"%PDF-1.4\x00\x01\x02binary")
    no_year = write_csv(tmp_path / "y.csv", ["uscc", "main_revenue_cny"], [[code(1), "1"]])
    corrupt = tmp_path / "copy.xlsx"
    shutil.copy(DATA / "corrupt.xlsx", corrupt)

    results = {
        name: run(path, dry_run=True)
        for name, path in {"empty": empty, "pdf": pdf, "no_year": no_year, "corrupt": corrupt}.items()
    }

    assert {name: r.outcome for name, r in results.items()} == dict.fromkeys(results, "malformed")
    assert results["empty"].problems[0]["code"] == "empty_file"
    assert results["pdf"].problems[0]["code"] == "unsupported_format"
    assert results["corrupt"].problems[0]["code"] == "corrupt_xlsx"
    missing = results["no_year"].problems[0]
    assert (missing["row"], missing["column"], missing["code"]) == (None, "Year", "missing_column")
    assert missing["message"] == "The required column “Year” is missing (accepted headers: 年份 / Year / year)."
