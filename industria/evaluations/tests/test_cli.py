"""``industria evaluate``: no database, clear errors naming row and column with exit status 2, every format."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from industria.evaluations.tests.helpers import template

ROOT = Path(__file__).resolve().parents[3]
NO_DATABASE = "postgres://nobody@127.0.0.1:9/unreachable"  # port 9 (discard): nothing listens


def evaluate(*args: str, database_url: str = NO_DATABASE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "industria.settings.dev"}
    env.pop("REDIS_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "industria", "evaluate", *args, "--lang", "en"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_the_database_is_really_unreachable() -> None:
    import psycopg

    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(NO_DATABASE.replace("postgres://", "postgresql://"), connect_timeout=2)


@pytest.mark.parametrize(
    "code", ["land-efficiency-zj", "sme-innovative-2022", "sme-srdi-2022", "sme-little-giant-2022"]
)
def test_template_files_evaluate_without_a_database(code: str, tmp_path: Path) -> None:
    out = tmp_path / "out.csv"

    done = evaluate(code, str(template(code)), "--out", str(out))

    assert done.returncode == 0, done.stderr
    results = pl.read_csv(out, infer_schema=False)
    source = pl.read_csv(template(code), infer_schema=False)
    assert results["uscc"].to_list() == source["uscc"].to_list()
    assert "total_points" in results.columns
    assert "findings" in results.columns


def test_land_output_has_grades_and_json_and_xlsx_outputs(tmp_path: Path) -> None:
    as_json, as_xlsx = tmp_path / "out.json", tmp_path / "out.xlsx"

    assert evaluate("land-efficiency-zj", str(template("land-efficiency-zj")), "--out", str(as_json)).returncode == 0
    assert evaluate("land-efficiency-zj", str(template("land-efficiency-zj")), "--out", str(as_xlsx)).returncode == 0

    rows = json.loads(as_json.read_text(encoding="utf-8"))
    assert [r["grade"] for r in rows] == [
        "A",
        "B",
        "D",
        "B",
        "ungraded",
        "D",
        "C",
        "B",
        "D",
        "not_covered",
        "not_covered",
    ]
    assert rows[0]["total_points"] == "145.00"
    assert rows[0]["size_class"] == "above"
    assert rows[2]["findings"][0]["code"] == "missing_value"
    workbook = pl.read_excel(as_xlsx)
    assert workbook.height == 11
    assert workbook["grade"][0] == "A"


def test_xlsx_input_gives_the_same_results_as_csv(tmp_path: Path) -> None:
    source = pl.read_csv(template("sme-innovative-2022"), infer_schema=False)
    xlsx = tmp_path / "in.xlsx"
    source.write_excel(xlsx)

    from_csv = evaluate("sme-innovative-2022", str(template("sme-innovative-2022")), "--out", str(tmp_path / "a.csv"))
    from_xlsx = evaluate("sme-innovative-2022", str(xlsx), "--out", str(tmp_path / "b.csv"))

    assert from_csv.returncode == from_xlsx.returncode == 0, from_xlsx.stderr
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()


def test_malformed_file_names_row_and_column_and_exits_2(tmp_path: Path) -> None:
    source = pl.read_csv(template("land-efficiency-zj"), infer_schema=False)
    bad = source.with_columns(
        pl.when(pl.int_range(pl.len()) == 1).then(pl.lit("91310000000000002X")).otherwise(pl.col("uscc")).alias("uscc"),
        pl.when(pl.int_range(pl.len()) == 3).then(pl.lit("lots")).otherwise(pl.col("tax_cny")).alias("tax_cny"),
    ).drop("veto")
    path = tmp_path / "bad.csv"
    bad.write_csv(path)

    done = evaluate("land-efficiency-zj", str(path))

    assert done.returncode == 2
    assert "column veto: the column is missing" in done.stderr
    assert "row 3, column uscc: not a valid unified social credit code: '91310000000000002X'" in done.stderr
    assert "row 5, column tax_cny: not a number: 'lots'" in done.stderr


def test_unknown_rule_set_and_bad_date_exit_2(tmp_path: Path) -> None:
    assert evaluate("no-such-rules", str(template("land-efficiency-zj"))).returncode == 2
    assert evaluate("land-efficiency-zj", str(template("land-efficiency-zj")), "--as-of", "2025-13-01").returncode == 2
    outside = evaluate("sme-srdi-2022", str(template("sme-srdi-2022")), "--as-of", "2020-01-01")
    assert outside.returncode == 2


def test_template_option_writes_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "t.csv"

    done = evaluate("sme-srdi-2022", str(path), "--template")

    assert done.returncode == 0
    header = path.read_text(encoding="utf-8-sig").strip().split(",")
    assert header[:3] == ["uscc", "name", "years_in_niche"]
