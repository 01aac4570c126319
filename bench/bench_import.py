"""Yearly-fact import (issue 3): rows/s, seconds and peak RSS, with ratios measured in the same run.

Data: the baseline generator (/work/shared/reference/baselines/gen_data.py, deterministic) writes
bench/out/ey_1m.csv (1,000,000 rows) and bench/out/ey_200k.xlsx (the first 200,000 rows of the same stream).
The enterprises the file references are created set-based with insert_frame before timing (untimed), and the
rows are pre-resolved (uscc → enterprise_id) into bench/out/ey_1m_resolved.csv for the COPY / executemany limits.

Every measurement runs in a fresh subprocess (`--one NAME`) so its peak RSS is its own.  PostgreSQL uses the
database bench_import, SQLite the file var/bench_import_sqlite.sqlite3.  References in the same run:
- COPY FROM STDIN (psycopg, 1 MiB chunks) of the same rows into enterprises_enterpriseyearfact (its PK,
  unique (enterprise, year), check, FK and indexes) and into a bare table with the same columns and nothing else;
- django-import-export (the peer configurations of the baselines: default, use_bulk, use_bulk + skip_diff +
  force_init_instance) on a BENCH_IE_ROWS-row subset (default 10,000), scaled per row;
- SQLite: one executemany of the pre-resolved rows into the same table in one transaction.

Run: `.venv/bin/python -m bench import` (PostgreSQL at BENCH_PG_ADMIN_URL).  Environment: BENCH_IE_ROWS,
BENCH_SQLITE_ROWS (1,000,000; 200,000 for a quicker run), BENCH_ONLY (comma-separated measurement names),
BENCH_DOC=0 to leave docs/benchmarks_registry.md alone.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import peak_rss_mb, table, timed  # noqa: E402

OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks_registry.md"
GEN_DATA = Path(os.environ.get("BENCH_GEN_DATA", "/work/shared/reference/baselines/gen_data.py"))
CSV_1M = OUT / "ey_1m.csv"
XLSX_200K = OUT / "ey_200k.xlsx"
RESOLVED = OUT / "ey_1m_resolved.csv"
CHANGED = OUT / "ey_1m_changed.csv"
PG_DB = "bench_import"
SQLITE_DB = "bench_import_sqlite"
FACTS = "enterprises_enterpriseyearfact"
BARE = "bench_bare_yearfact"
IE_ROWS = int(os.environ.get("BENCH_IE_ROWS", "10000"))
SQLITE_ROWS = int(os.environ.get("BENCH_SQLITE_ROWS", "1000000"))
SEED, N_CSV, N_XLSX = 20250101, 1_000_000, 200_000
VALUE_COLUMNS = [
    "main_revenue_cny",
    "operating_revenue_cny",
    "value_added_cny",
    "tax_paid_cny",
    "rd_expense_cny",
    "employees_avg",
    "energy_tce",
    "emissions_t",
    "land_area_mu",
]
TARGET_COLUMNS = ["enterprise_id", "year", *VALUE_COLUMNS, "above_size", "synthetic", "created_at", "updated_at"]
STAMP = "2026-01-01 00:00:00+00"
RESULT_TAG = "BENCH_RESULT "


# --- data ------------------------------------------------------------------------------------------------------


def subset_csv(rows: int) -> Path:
    path = OUT / f"ey_{rows // 1000}k.csv"
    if not path.exists():
        with open(CSV_1M) as src, open(path, "w") as dst:
            for i, line in enumerate(src):
                if i > rows:
                    break
                dst.write(line)
    return path


def generate_data() -> None:
    """The baseline files (cached under bench/out/), generated with the baseline generator's own functions."""
    OUT.mkdir(parents=True, exist_ok=True)
    if CSV_1M.exists() and XLSX_200K.exists():
        return
    import importlib.util

    spec = importlib.util.spec_from_file_location("baseline_gen_data", GEN_DATA)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)  # type: ignore[union-attr]
    start = time.perf_counter()
    gen.write_csv(str(CSV_1M), gen.panel_stream(SEED, N_CSV))
    gen.write_xlsx(str(XLSX_200K), gen.panel_stream(SEED, N_XLSX))
    print(f"generated {CSV_1M.name}, {XLSX_200K.name} in {time.perf_counter() - start:.0f} s", flush=True)


# --- set-up (untimed) ------------------------------------------------------------------------------------------


def django_for(vendor: str, *, fresh: bool = False) -> None:
    """A fresh database is created and migrated (harness); the measurements reuse it as set up, without
    migrating again, so a migration added to the tree mid-run cannot change the schema between measurements."""
    from bench.harness import PG_ADMIN_URL, setup_django

    if fresh:
        setup_django(PG_DB if vendor == "postgresql" else SQLITE_DB, vendor=vendor, fresh=True)
        return
    if vendor == "postgresql":
        os.environ["DATABASE_URL"] = PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DB
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{ROOT / 'var' / (SQLITE_DB + '.sqlite3')}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "industria.settings.dev")
    import django

    django.setup()


def read_file_frame(path: Path, rows: int | None = None):
    import polars as pl

    schema = dict.fromkeys(("uscc", "district_code", "industry_code"), pl.String)
    frame = pl.read_csv(path, schema_overrides=schema, n_rows=rows)
    return frame


def setup_database(vendor: str) -> dict:
    """Fresh database, the enterprises of the file (set-based), the bare table and the pre-resolved csv files."""
    import polars as pl

    django_for(vendor, fresh=True)
    from django.db import connection, transaction

    from industria.accounts.models import District
    from industria.core.bulk import insert_frame
    from industria.enterprises.models import Enterprise

    frame = read_file_frame(CSV_1M)
    districts = pl.DataFrame(
        list(District.objects.values_list("code", "pk")),
        schema={"district_code": pl.String, "district_id": pl.Int64},
        orient="row",
    )
    enterprises = (
        frame.select("uscc", "district_code", "industry_code")
        .unique("uscc", keep="first", maintain_order=True)
        .join(districts, on="district_code", how="inner")
        .with_columns(
            name_zh=pl.lit("基准企业") + pl.col("uscc"),
            name_en=pl.lit(""),
            ownership_type=pl.lit("private"),
            is_listed=pl.lit(False),
            is_headquarters=pl.lit(False),
            synthetic=pl.lit(True),
            created_at=pl.lit(STAMP),
            updated_at=pl.lit(STAMP),
        )
    )
    with transaction.atomic():
        insert_frame(
            Enterprise._meta.db_table,
            enterprises,
            [
                "uscc",
                "name_zh",
                "name_en",
                "district_id",
                "industry_code",
                "ownership_type",
                "is_listed",
                "is_headquarters",
                "synthetic",
                "created_at",
                "updated_at",
            ],
        )
    ids = pl.DataFrame(
        list(Enterprise.objects.values_list("uscc", "pk")),
        schema={"uscc": pl.String, "enterprise_id": pl.Int64},
        orient="row",
    )
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {BARE}")
        cursor.execute(f"CREATE TABLE {BARE} AS SELECT {', '.join(TARGET_COLUMNS)} FROM {FACTS} WHERE false")
        if vendor == "postgresql":
            cursor.execute("ANALYZE")
    if vendor == "postgresql":
        resolved = frame.join(ids, on="uscc", how="inner").with_columns(
            above_size=pl.lit(False), synthetic=pl.lit(False), created_at=pl.lit(STAMP), updated_at=pl.lit(STAMP)
        )
        resolved.select(TARGET_COLUMNS).write_csv(RESOLVED)
        # the re-import file: the same rows, every row changed (tax paid + 1 CNY)
        frame.with_columns(pl.col("tax_paid_cny") + 1).write_csv(CHANGED)
    return {"enterprises": enterprises.height, "rows": frame.height}


def truncate_facts() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {FACTS}, {BARE}")
            cursor.execute("CHECKPOINT")
        else:
            cursor.execute(f"DELETE FROM {FACTS}")
            cursor.execute(f"DELETE FROM {BARE}")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def count_facts(table_name: str = FACTS) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table_name}")
        return cursor.fetchone()[0]


# --- measurements (each in its own process) --------------------------------------------------------------------


def our_import(path: Path, expect: str) -> dict:
    from industria.enterprises.imports.services import import_file_run

    seconds, result = timed(lambda: import_file_run(actor=None, kind="year-facts", path=path, dry_run=False))
    rows = result.counts.get("rows", 0)
    assert result.outcome == "committed", (result.outcome, result.problems[:3])
    assert result.counts[expect] == rows, result.counts
    return {"rows": rows, "seconds": seconds, "phases": result.seconds, "counts": result.counts}


def copy_file(table_name: str, path: Path) -> dict:
    from django.db import connection, transaction

    def run() -> int:
        with transaction.atomic(), connection.cursor() as cursor:
            sql = f"COPY {table_name} ({', '.join(TARGET_COLUMNS)}) FROM STDIN (FORMAT csv, HEADER)"
            with cursor.cursor.copy(sql) as copy, open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)
            return cursor.cursor.rowcount

    seconds, rows = timed(run)
    return {"rows": rows, "seconds": seconds}


def resource_classes():
    """django-import-export on EnterpriseYearFact: the three peer configurations of the baselines."""
    from import_export import fields, resources, widgets

    from industria.enterprises.models import Enterprise, EnterpriseYearFact

    names = ("enterprise", "year", *VALUE_COLUMNS)

    class Default(resources.ModelResource):
        enterprise = fields.Field(
            attribute="enterprise", column_name="uscc", widget=widgets.ForeignKeyWidget(Enterprise, field="uscc")
        )

        class Meta:
            model = EnterpriseYearFact
            fields = names
            import_id_fields = ("enterprise", "year")

    class Bulk(Default):
        class Meta(Default.Meta):
            use_bulk = True
            batch_size = 1000

    class BulkFast(Default):
        class Meta(Default.Meta):
            use_bulk = True
            batch_size = 1000
            skip_diff = True
            force_init_instance = True

    return {"ie_default": Default, "ie_bulk": Bulk, "ie_fast": BulkFast}


def ie_import(name: str) -> dict:
    import tablib

    resource = resource_classes()[name]()
    dataset = tablib.Dataset().load(subset_csv(IE_ROWS).read_text(), "csv")
    seconds, result = timed(lambda: resource.import_data(dataset, dry_run=False, use_transactions=True))
    assert not result.has_errors(), [e.error for e in result.base_errors]
    assert not result.has_validation_errors()
    stored = count_facts()
    assert stored == IE_ROWS, stored
    return {"rows": IE_ROWS, "seconds": seconds}


def sqlite_raw(rows: int) -> dict:
    import polars as pl
    from django.db import transaction

    from industria.core.bulk import insert_frame
    from industria.enterprises.models import Enterprise

    frame = read_file_frame(CSV_1M, rows)
    ids = pl.DataFrame(
        list(Enterprise.objects.values_list("uscc", "pk")),
        schema={"uscc": pl.String, "enterprise_id": pl.Int64},
        orient="row",
    )
    resolved = (
        frame.join(ids, on="uscc", how="inner")
        .with_columns(
            above_size=pl.lit(False), synthetic=pl.lit(False), created_at=pl.lit(STAMP), updated_at=pl.lit(STAMP)
        )
        .select(TARGET_COLUMNS)
    )
    del frame

    def run() -> int:
        with transaction.atomic():
            return insert_frame(FACTS, resolved)

    seconds, n = timed(run)
    return {"rows": n, "seconds": seconds}


def measure_one(name: str) -> dict:
    vendor = "sqlite" if "sqlite" in name else "postgresql"
    if name.startswith("setup"):
        return setup_database(vendor)
    django_for(vendor)
    truncate_facts()
    if name == "pg_import_fresh":
        out = our_import(CSV_1M, "new")
    elif name == "pg_import_10k":
        out = our_import(subset_csv(IE_ROWS), "new")
    elif name == "pg_copy_target":
        out = copy_file(FACTS, RESOLVED)
    elif name == "pg_copy_bare":
        out = copy_file(BARE, RESOLVED)
    elif name == "pg_reimport_changed":
        copy_file(FACTS, RESOLVED)  # untimed: the stored rows the changed file differs from in every row
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {FACTS}")
            cursor.execute("CHECKPOINT")
        out = our_import(CHANGED, "changed")
    elif name == "pg_import_xlsx":
        out = our_import(XLSX_200K, "new")
    elif name.startswith("ie_"):
        out = ie_import(name)
    elif name == "sqlite_import_fresh":
        out = our_import(CSV_1M if SQLITE_ROWS >= N_CSV else subset_csv(SQLITE_ROWS), "new")
    elif name == "sqlite_raw":
        out = sqlite_raw(SQLITE_ROWS)
    else:
        raise SystemExit(f"unknown measurement {name}")
    stored = count_facts(BARE if name == "pg_copy_bare" else FACTS)
    assert stored == out["rows"], (stored, out["rows"])
    return out


# --- orchestration ---------------------------------------------------------------------------------------------

# (name, label) in run order; the set-up steps come first
MEASUREMENTS = [
    ("setup_pg", "set-up PostgreSQL (untimed)"),
    ("pg_import_fresh", "Industria import, fresh, csv, full validation — PostgreSQL"),
    ("pg_copy_target", "COPY FROM STDIN → enterprises_enterpriseyearfact (PK, unique, FK, check, index)"),
    ("pg_copy_bare", "COPY FROM STDIN → bare table (same columns, no constraints or indexes)"),
    ("pg_reimport_changed", "Industria re-import, every row changed (tax_paid_cny + 1) — PostgreSQL"),
    ("pg_import_xlsx", "Industria import, fresh, xlsx — PostgreSQL"),
    ("pg_import_10k", "Industria import, fresh, csv subset — PostgreSQL"),
    ("ie_default", "django-import-export, default (per-row lookup + save + diff), csv subset"),
    ("ie_bulk", "django-import-export, use_bulk, batch_size=1000, csv subset"),
    ("ie_fast", "django-import-export, use_bulk + skip_diff + force_init_instance (insert-only), csv subset"),
    ("setup_sqlite", "set-up SQLite (untimed)"),
    ("sqlite_import_fresh", "Industria import, fresh, csv, full validation — SQLite"),
    ("sqlite_raw", "executemany of the pre-resolved rows, one transaction — SQLite (limit)"),
]


def run_child(name: str) -> dict:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--one", name],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    for line in proc.stdout.splitlines():
        if line.startswith(RESULT_TAG):
            return json.loads(line[len(RESULT_TAG) :])
    sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-5000:])
    raise SystemExit(f"{name} failed (exit {proc.returncode})")


def fmt_rate(rows: int, seconds: float) -> str:
    return f"{rows / seconds:,.0f}"


def report(results: dict[str, dict]) -> str:
    labels = dict(MEASUREMENTS)
    rows = []
    for name, _label in MEASUREMENTS:
        r = results.get(name)
        if not r or name.startswith("setup"):
            continue
        rows.append(
            [
                labels[name],
                f"{r['rows']:,}",
                f"{r['seconds']:.2f}",
                fmt_rate(r["rows"], r["seconds"]),
                f"{r['peak_rss_mb']:.0f}",
            ]
        )
    out = [table(["what", "rows", "seconds", "rows/s", "peak RSS MB"], rows), ""]

    def rate(name: str) -> float | None:
        r = results.get(name)
        return r["rows"] / r["seconds"] if r else None

    ratios = []

    def ratio(label: str, value: float | None, goal: str, ok: bool | None) -> None:
        if value is None:
            return
        verdict = "—" if ok is None else ("met" if ok else "**missed**")
        ratios.append([label, f"{value:.2f}×" if value < 10 else f"{value:,.0f}×", goal, verdict])

    if results.get("pg_import_fresh") and results.get("pg_copy_target"):
        v = results["pg_import_fresh"]["seconds"] / results["pg_copy_target"]["seconds"]
        ratio("fresh import ÷ COPY into the target table (time)", v, "≤ 1.5×", v <= 1.5)
    if results.get("pg_import_fresh") and results.get("pg_copy_bare"):
        v = results["pg_import_fresh"]["seconds"] / results["pg_copy_bare"]["seconds"]
        ratio("fresh import ÷ COPY into the bare table (time)", v, "(for reference)", None)
    if results.get("pg_reimport_changed") and results.get("pg_copy_target"):
        v = results["pg_reimport_changed"]["seconds"] / results["pg_copy_target"]["seconds"]
        ratio("re-import, every row changed ÷ COPY into the target table (time)", v, "≤ 3×", v <= 3)
    if results.get("pg_import_fresh"):
        r = results["pg_import_fresh"]
        v = r["peak_rss_mb"] / (r["rows"] / 1e6)
        ratios.append(["peak RSS per million rows, fresh csv import", f"{v:,.0f} MB", "< 1,536 MB", _ok(v < 1536)])
    if results.get("pg_reimport_changed"):
        r = results["pg_reimport_changed"]
        v = r["peak_rss_mb"] / (r["rows"] / 1e6)
        ratios.append(["peak RSS per million rows, re-import", f"{v:,.0f} MB", "< 1,536 MB", _ok(v < 1536)])
    ours = rate("pg_import_fresh")
    peers = (("ie_default", "≥ 100×", 100), ("ie_bulk", "(for reference)", None), ("ie_fast", "≥ 15×", 15))
    for name, goal, bound in peers:
        theirs = rate(name)
        if ours and theirs:
            v = ours / theirs
            peer = labels[name].split(",", 1)[1].rsplit(",", 1)[0].strip()
            ratio(f"our rows/s (1M csv) ÷ django-import-export {peer}", v, goal, None if bound is None else v >= bound)
    small = rate("pg_import_10k")
    if small and rate("ie_fast"):
        v = small / rate("ie_fast")
        ratio("our rows/s on the same subset ÷ django-import-export insert-only", v, "(same rows)", None)
    if results.get("sqlite_import_fresh") and results.get("sqlite_raw"):
        v = results["sqlite_import_fresh"]["seconds"] / results["sqlite_raw"]["seconds"]
        ratio("SQLite: fresh import ÷ executemany limit (time)", v, "(no goal)", None)
    if ratios:
        out += [table(["ratio", "value", "goal", ""], ratios), ""]
    phases = []
    for name, _label in MEASUREMENTS:
        r = results.get(name) or {}
        if r.get("phases"):
            p = r["phases"]
            phases.append([name, *(f"{p.get(k, 0):.2f}" for k in ("read", "check", "compare", "write", "total"))])
    if phases:
        out += ["Phases of our import (seconds, from `ImportResult.seconds`):", ""]
        out += [table(["measurement", "read", "check", "compare", "write", "total"], phases), ""]
    return "\n".join(out)


def _ok(ok: bool) -> str:
    return "met" if ok else "**missed**"


def write_doc_section(key: str, body: str) -> None:
    """Replace (or append) the section between `<!-- key:start -->` and `<!-- key:end -->` in the figures doc."""
    start, end = f"<!-- {key}:start -->", f"<!-- {key}:end -->"
    text = DOC.read_text() if DOC.exists() else "# Benchmarks: registry, import and list pages (issue 3)\n"
    block = f"{start}\n{body.rstrip()}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    DOC.write_text(text)


def main() -> None:
    if "--one" in sys.argv:
        name = sys.argv[sys.argv.index("--one") + 1]
        out = measure_one(name)
        out["peak_rss_mb"] = peak_rss_mb()
        print(RESULT_TAG + json.dumps(out), flush=True)
        return
    generate_data()
    only = [n for n in os.environ.get("BENCH_ONLY", "").split(",") if n]
    results: dict[str, dict] = {}
    cache = OUT / "import_results.json"
    if only and cache.exists():
        results = json.loads(cache.read_text())
    for name, _label in MEASUREMENTS:
        if only and name not in only:
            continue
        start = time.perf_counter()
        results[name] = run_child(name)
        r = results[name]
        extra = f"{r['rows']:,} rows in {r['seconds']:.2f} s" if "seconds" in r else json.dumps(r)
        print(f"{name}: {extra} ({time.perf_counter() - start:.0f} s wall)", flush=True)
        cache.write_text(json.dumps(results, indent=1))
    body = report(results)
    print(body)
    if os.environ.get("BENCH_DOC", "1") == "1":
        note = (
            f"Subsets: django-import-export and the subset row of ours on the first {IE_ROWS:,} rows of ey_1m.csv; "
            f"SQLite on {'all 1,000,000' if SQLITE_ROWS >= N_CSV else f'the first {SQLITE_ROWS:,}'} rows.\n\n"
        )
        write_doc_section("bench_import", note + body)


if __name__ == "__main__":
    main()
