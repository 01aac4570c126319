"""``industria import KIND FILE [--dry-run] [--actor USER]``: counts, problems, exit status 2, channel "cli"."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.base import CommandError

from industria.core.models import ObjectChange
from industria.enterprises.models import EnterpriseYearFact

from .test_imports_helpers import DATA, enterprises

pytestmark = pytest.mark.django_db


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def failing(*args: str) -> tuple[CommandError, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import", *args, stdout=out, stderr=io.StringIO())
    return caught.value, out.getvalue()


def test_import_prints_counts_and_progress_and_logs_one_entry_as_cli(make_user: Any) -> None:
    enterprises(3)
    admin = make_user("municipal_admin", username="zhang.wei")

    out, err = command("year-facts", str(DATA / "year_facts_gbk.csv"), "--actor", "zhang.wei")

    assert "rows 3: new 3, changed 0, unchanged 0, rejected 0" in out
    assert "imported" in out
    assert "writing" in err
    assert "100%" in err
    assert EnterpriseYearFact.objects.count() == 3
    entry = ObjectChange.objects.get(content_type=ContentType.objects.get_for_model(EnterpriseYearFact))
    assert (entry.action, entry.source, entry.user) == ("bulk", "cli", admin)


def test_dry_run_writes_nothing(make_user: Any) -> None:
    enterprises(3)

    out, _err = command("year-facts", str(DATA / "year_facts_zh.xlsx"), "--dry-run")

    assert "rows 3: new 3" in out
    assert "nothing was written" in out
    assert not EnterpriseYearFact.objects.exists()


def test_rejected_rows_print_row_column_message_and_exit_2(tmp_path: Path) -> None:
    enterprises(40)

    error, out = failing(
        "year-facts", str(DATA / "year_facts_one_bad_row.csv"), "--rejected", str(tmp_path / "rejected.xlsx")
    )

    assert error.returncode == 2
    assert "row 27, column Unified social credit code: The check digit of the credit code is wrong" in out
    assert (tmp_path / "rejected.xlsx").exists()
    assert not EnterpriseYearFact.objects.exists()


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [("year-facts", "corrupt.xlsx", "cannot be read"), ("coupons", "year_facts_en.csv", "not a kind of import")],
)
def test_malformed_input_exits_2_with_a_message(kind: str, name: str, expected: str) -> None:
    error, out = failing(kind, str(DATA / name))

    assert error.returncode == 2
    assert expected in out + str(error)


def test_missing_file_exits_2(tmp_path: Path) -> None:
    error, _out = failing("tiers", str(tmp_path / "nowhere.xlsx"))

    assert error.returncode == 2
