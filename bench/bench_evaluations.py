"""Land efficiency over the nation-scale synthetic registry, end to end (issue 6), and the CLI on 100,000 rows.

* (e2e) ``evaluation_round_compute``: read the year's facts from PostgreSQL (COPY → Polars, split over two
  connections sharing the round transaction's snapshot), grade, store every result (Assessment rows by COPY +
  the column-wise archive by binary COPY) — a fresh round each repeat;
* (a) the per-enterprise ORM loop a Django team would write first: iterate the facts as model instances, score
  in Python, ``Assessment(...).save()`` one by one (with facts and result JSON) — measured on a 10,000 sample and
  scaled to the population;
* (b) the engine alone on the same facts already in memory (the limit);
* the CLI (``industria evaluate``) on a 100,000-row xlsx, in a subprocess.

Run: `.venv/bin/python -m bench evaluations` (PostgreSQL at BENCH_PG_ADMIN_URL; database bench_evaluations,
kept between runs unless BENCH_FRESH=1).  Figures go to docs/benchmarks_evaluations.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.harness import peak_rss_mb, setup_django, table, timed  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SCALE = os.environ.get("BENCH_SCALE", "nation")
REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "10000"))
CLI_ROWS = 100_000
OUT = ROOT / "docs" / "benchmarks_evaluations.md"
LOAD_BEFORE: list[float] = []  # load average just before the e2e runs


NOTES = """## Notes

* **Where the time goes.** Reading 445,612 rows of facts joined to the enterprises by `COPY (SELECT …) TO STDOUT`
  into `pl.read_csv` with the engine's Decimal dtypes: the query runs in ~0.6 s, PostgreSQL's formatting of nine
  `numeric` columns to csv (47 MB) takes ~0.7 s more, all in one backend. The read is therefore split in two
  ranges of enterprise ids (on both sides of the join, so each backend reads only its half of the facts table,
  which is stored in enterprise order), each read by its own connection inside the round transaction's exported
  snapshot (`pg_export_snapshot`, used only while that transaction has written nothing, so both see exactly what
  it would see; otherwise, e.g. inside a test's transaction, one connection reads as before). Storing: the
  `Assessment` COPY (12 narrow columns, a primary key, the unique (round, enterprise) index and the enterprise
  index; ~1.36 million WAL records, 133 MB of WAL) is now the largest step; the Parquet archive is encoded in a
  thread during that COPY and then written by one `COPY … (FORMAT binary)` into columns with `STORAGE EXTERNAL`.
* **What was measured and kept or dropped** (A/B runs interleaved at the same load, because absolute times varied
  2–3× with the other sessions): split read 0.6–0.7× the single-connection read; archive by binary COPY
  0.25–0.35× the former one-`INSERT`-per-part with binary parameters (0.23 s instead of 0.83 s at load 4);
  frames identical (tests compare the split and the single read). Dropped: binary COPY of the `Assessment`
  rows (no measurable gain on the indexed table), staging in a temporary table + `INSERT … SELECT` (no
  faster), integers scaled in SQL instead of `numeric` text (not faster: the cast costs what `numeric_out` saves),
  dropping and re-creating indexes around the insert (it would lock every round's assessments and re-sort all of
  them on each run: only a one-round benchmark table would gain). The remaining lever is the index set of
  `Assessment`: without the enterprise index the COPY took 0.55–0.9× as long, without the unique (round,
  enterprise) index 0.75–0.9× (same runs); replacing them by a unique (enterprise, round) index plus a BRIN index
  on the round (rows are appended round by round) would save one B-tree per row, but changes how rounds and
  enterprise histories are read, so it is left for a schema decision.
* **Why no JSON document per row in the bulk path.** Prototype on the same machine: 500,000 facts (~280 B) +
  result (~940 B) JSON documents through COPY took ~35 s into `jsonb` and ~17 s into `json` (682 MB of csv),
  i.e. three to six times the whole budget. The per-row JSON lives in the archive (every column of the
  engine's results table, exact), is served per enterprise from one 50,000-row part, and is written on the row
  itself only when a row is re-run (accepted objection).
* **The machine was shared.** Other sessions' test runs kept the 1-minute load average between 2 and 12 on the 2
  cores during this work; the `Assessment` COPY alone varied from 1.6 s (quiet, before this change) to 10 s. The
  figures above are one bench run at the load stated at the top; on the quiet machine of the previous run the
  same steps were read 1.5 + engine 0.36 + COPY 1.6 + archive 0.8 = 4.3 s, and the two kept changes take
  roughly 0.5 s from the read and 0.6 s from the archive, i.e. about 3.1–3.2 s expected quiet: re-run quiet to
  confirm; the ≤ 3 s goal needs the index decision above (or a faster disk / larger `wal_buffers`: the COPY
  fills the 4 MB WAL buffers ~9,400 times per round).
* **The loops.** (a) saves one `Assessment` per object with autocommit (one WAL flush per row, slow on a
  loaded disk); (a′) the same saves in one transaction. Both read the facts as model instances with
  `select_related` and score in Python against ORM-aggregated benchmarks.
* **CLI.** Reading 100,000 xlsx rows as text (calamine) and coercing them takes ~1 s; the engine ~0.3 s. Writing
  xlsx output is slow (xlsxwriter is pure Python: 3.6 million cells); write csv or json for large files.
"""


def load_registry() -> int:
    from django.db import connection

    from industria.enterprises.demo import synthetic_city_load
    from industria.enterprises.models import Enterprise

    if Enterprise.objects.filter(synthetic=True).exists():
        return Enterprise.objects.count()
    seconds, counts = timed(lambda: synthetic_city_load(scale=SCALE, seed=11, monthly=False))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded {counts} in {seconds:.1f} s", flush=True)
    return counts["enterprises"]


def fresh_round(year: int):  # type: ignore[no-untyped-def]
    from industria.evaluations import services

    ruleset = services.ruleset_active("land_efficiency")
    return services.evaluation_round_open(
        actor=None, ruleset=ruleset, year=year, as_of=date(year + 1, 6, 30), name=f"bench {time.time()}"
    )


def end_to_end(year: int) -> list[dict]:
    from industria.evaluations import services
    from industria.evaluations.models import EvaluationRound

    summaries = []
    LOAD_BEFORE[:] = os.getloadavg()
    for _ in range(REPEAT):
        round_ = fresh_round(year)
        start = time.perf_counter()
        summary = services.evaluation_round_compute(round_=round_)
        summary["wall_s"] = time.perf_counter() - start
        summaries.append(summary)
        print(f"  e2e {summary['wall_s']:.2f} s {summary}", flush=True)
    for round_ in EvaluationRound.objects.filter(name__startswith="bench "):  # keep the database small
        from industria.evaluations.archive import delete_results

        delete_results(round_)
        round_.delete()
    return summaries


def engine_alone(year: int) -> tuple[float, int]:
    from industria.evaluations import rulesets, services
    from industria.evaluations.models import EvaluationRound

    round_ = fresh_round(year)
    engine, rules = rulesets.parse(round_.ruleset.parameters)
    facts = services.round_facts(round_, engine, rules).drop("enterprise_id")
    EvaluationRound.objects.filter(pk=round_.pk).delete()
    seconds, _result = timed(lambda: engine.evaluate(facts, rules), repeat=5)
    return seconds, facts.height


def naive_loop(year: int, population: int, *, atomic: bool = False) -> tuple[float, float]:
    """Score in Python per model instance and save one Assessment per object (autocommit, or all the saves in
    one transaction with ``atomic``), on a sample."""
    from contextlib import nullcontext
    from decimal import Decimal

    from django.db import transaction
    from django.db.models import Q, Sum

    from industria.enterprises.models import EnterpriseYearFact
    from industria.evaluations.models import Assessment, EvaluationRound

    round_ = fresh_round(year)
    weights = {  # (numerator, denominator) → weight, above designated size
        ("tax_paid_cny", "land_area_mu"): 30,
        ("value_added_cny", "land_area_mu"): 20,
        ("value_added_cny", "energy_tce"): 20,
        ("value_added_cny", "emissions_t"): 10,
        ("value_added_cny", "employees_avg"): 10,
        ("rd_expense_cny", "main_revenue_cny"): 10,
    }
    start = time.perf_counter()
    above = EnterpriseYearFact.objects.filter(year=year, main_revenue_cny__gte=20_000_000)
    benchmarks = {}
    for (num, den), _w in weights.items():  # one aggregate per indicator, over the whole population
        sums = above.filter(Q(**{f"{num}__isnull": False}), Q(**{f"{den}__gt": 0})).aggregate(n=Sum(num), d=Sum(den))
        benchmarks[(num, den)] = (sums["n"] or 0) / (sums["d"] or 1)
    rows = list(
        EnterpriseYearFact.objects.filter(year=year).select_related("enterprise").order_by("enterprise_id")[:SAMPLE]
    )
    scored = []
    for fact in rows:
        total, result, facts = Decimal(0), {}, {}
        for (num, den), weight in weights.items():
            n, d = getattr(fact, num), getattr(fact, den)
            facts[num], facts[den] = str(n), str(d)
            if n is None or not d or not benchmarks[(num, den)]:
                continue
            points = Decimal(weight) * (Decimal(n) / Decimal(d)) / Decimal(benchmarks[(num, den)])
            result[f"{num}/{den}"] = str(points.quantize(Decimal("0.01")))
            total += points
        scored.append((fact, total.quantize(Decimal("0.01")), result, facts))
    scored.sort(key=lambda item: -item[1])
    with transaction.atomic() if atomic else nullcontext():
        for rank, (fact, total, result, facts) in enumerate(scored, start=1):
            p = rank / len(scored)
            grade = "A" if p <= 0.25 else "B" if p <= 0.70 else "C" if p <= 0.95 else "D"
            Assessment(
                round=round_, enterprise_id=fact.enterprise_id, ruleset=round_.ruleset, engine_version="naive",
                total_points=total, grade=grade, rank=rank, rank_population=len(scored), facts=facts, result=result,
            ).save()  # fmt: skip
    seconds = time.perf_counter() - start
    from industria.evaluations.archive import delete_results

    delete_results(round_)
    EvaluationRound.objects.filter(pk=round_.pk).delete()
    return seconds, seconds * population / len(rows)


def cli_xlsx(year: int) -> list[list[str]]:
    """Write a 100,000-row xlsx of the template's columns (once), then time the CLI on it in a subprocess."""
    import polars as pl

    from industria.evaluations import rulesets, services
    from industria.evaluations.facts import to_text
    from industria.evaluations.models import EvaluationRound

    path = ROOT / "var" / "bench" / f"land-{CLI_ROWS}.xlsx"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        round_ = fresh_round(year)
        engine, rules = rulesets.parse(round_.ruleset.parameters)
        facts = services.round_facts(round_, engine, rules).head(CLI_ROWS)
        EvaluationRound.objects.filter(pk=round_.pk).delete()
        columns = list(rules.columns)
        text = to_text(facts, columns).with_columns(pl.col("exempt_class", "veto").fill_null(""))
        text.write_excel(path, worksheet="facts", autofit=False)
    rows = []
    for out in ("csv", "xlsx"):
        target = ROOT / "var" / "bench" / f"land-{CLI_ROWS}-out.{out}"
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "industria", "evaluate", "land-efficiency-zj", str(path), "--out", str(target)],
            capture_output=True, text=True, cwd=ROOT,
            env={**os.environ, "DATABASE_URL": "postgres://nobody@127.0.0.1:9/none"},
        )  # fmt: skip
        seconds = time.perf_counter() - start
        if done.returncode != 0:
            raise SystemExit(done.stderr)
        rows.append([f"CLI on a {CLI_ROWS:,}-row xlsx → {out}", f"{seconds:.2f}", done.stderr.strip().splitlines()[-1]])
        print(f"  {rows[-1]}", flush=True)
    return rows


def main() -> None:
    setup_django("bench_evaluations", fresh=os.environ.get("BENCH_FRESH", "0") == "1")
    from industria.enterprises.selectors import facts_latest_year

    load_registry()
    year = facts_latest_year()
    print(f"year {year}", flush=True)
    summaries = end_to_end(year)
    best = min(summaries, key=lambda s: s["wall_s"])
    median = sorted(s["wall_s"] for s in summaries)[len(summaries) // 2]
    n = best["rows"]
    engine_s, engine_rows = engine_alone(year)
    print(f"  engine alone {engine_s:.3f} s on {engine_rows}", flush=True)
    sample_s, naive_s = naive_loop(year, n)
    print(f"  naive {sample_s:.1f} s on {SAMPLE} → {naive_s:.0f} s", flush=True)
    atomic_s, naive_atomic_s = naive_loop(year, n, atomic=True)
    print(f"  naive in one transaction {atomic_s:.1f} s on {SAMPLE} → {naive_atomic_s:.0f} s", flush=True)
    cli_rows = cli_xlsx(year)
    load = os.getloadavg()
    lines = [
        "# Benchmarks: evaluations (issue 6)",
        "",
        f"Measured {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC on the 2-core machine (1-minute load average "
        f"{LOAD_BEFORE[0]:.1f} before the e2e runs, {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} at the end: other "
        "sessions were running), PostgreSQL 15, "
        f"nation-scale synthetic registry (seed 11), facts year {year}: **{n:,} enterprises**. "
        "Re-run: `.venv/bin/python -m bench evaluations`.",
        "",
        "## Land efficiency, end to end",
        "",
        table(
            ["what", "rows", "seconds", "ratio"],
            [
                [
                    f"e2e `evaluation_round_compute` (median of {REPEAT}, fresh round each)",
                    f"{n:,}",
                    f"{median:.2f}",
                    "1×",
                ],
                ["e2e best run", f"{n:,}", f"{best['wall_s']:.2f}", ""],
                ["— read facts (COPY → Polars, 2 connections, one snapshot)", "", f"{best['read_s']:.2f}", ""],
                ["— engine", "", f"{best['compute_s']:.2f}", ""],
                [
                    "— store Assessment rows (COPY, archive encoded alongside)",
                    "",
                    f"{best['write_assessments_s']:.2f}",
                    "",
                ],
                [
                    f"— store the archive ({best['archive_parts']} parts, "
                    f"{best['archive_bytes'] / 1e6:.1f} MB, binary COPY)",
                    "",
                    f"{best['write_archive_s']:.2f}",
                    "",
                ],
                [f"(a) ORM loop, measured on {SAMPLE:,}", f"{SAMPLE:,}", f"{sample_s:.1f}", ""],
                [
                    "(a) ORM loop scaled to the population",
                    f"{n:,}",
                    f"≈ {naive_s:.0f}",
                    f"e2e is **{naive_s / median:.0f}× faster**",
                ],
                [
                    f"(a′) same loop, saves in one transaction, measured on {SAMPLE:,}",
                    f"{SAMPLE:,}",
                    f"{atomic_s:.1f}",
                    "",
                ],
                [
                    "(a′) scaled to the population",
                    f"{n:,}",
                    f"≈ {naive_atomic_s:.0f}",
                    f"e2e is **{naive_atomic_s / median:.0f}× faster**",
                ],
                [
                    "(b) engine alone, facts in memory (median of 5)",
                    f"{engine_rows:,}",
                    f"{engine_s:.2f}",
                    f"e2e = {median / engine_s:.1f}× the engine",
                ],
            ],
        ),  # fmt: skip
        "",
        f"Goals: ≥ 50× the loop — {'met' if naive_s / median >= 50 else 'NOT met'} ({naive_s / median:.0f}× the "
        f"autocommit loop, {naive_atomic_s / median:.0f}× the one-transaction loop); "
        f"≤ 3 s end to end — {'met' if median <= 3 else 'NOT met'} ({median:.2f} s median).",
        "",
        "## CLI (`industria evaluate`, no database)",
        "",
        table(["what", "seconds", "summary"], cli_rows),
        "",
        f"Goal: < 10 s for the 100,000-row xlsx — {'met' if float(cli_rows[0][1]) < 10 else 'NOT met'}.",
        "",
        f"Peak RSS of the benchmark process: {peak_rss_mb():.0f} MB.",
        "",
        NOTES,
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
