"""Benchmark of the plan overview and of the computed indicators (issue 4, performance).

Usage:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/test .venv/bin/python -m bench plan
        [BENCH_PLAN_KEEP=1 keeps the database; BENCH_PLAN_ENTERPRISES=500000; BENCH_PLAN_REQUESTS=200]

Creates a dedicated PostgreSQL database ``bench_plan`` on the server of DATABASE_URL, migrates it (the shipped
Shanghai plan is loaded by migration), then, with set-based ``INSERT … SELECT generate_series`` statements:

* a registry of 500,000 enterprises, each with 3 years of yearly facts, memberships of the six key clusters
  (some also tagged explicitly to a sub-area, so the largest-weight rule matters) and ~60,000 tiers;
* 151 more indicators (200 in all), each with 10 years of monthly figures city-wide and for the 16 districts
  (410,000 figure rows).

It reports, as a markdown table: the overview page's server time (in-process Django client, signed-in analyst)
warm (engine results and the rendered body cached) p50/p95, after a change of the plan's data (figures re-read,
engine re-run, registry values from their cache) and fully cold (empty cache: every registry aggregate too),
with the query count of each, for the shipped plan alone and with 200 indicators (the count must not grow);
and each computed indicator's evaluation time against a hand-written SQL aggregate of the same definition,
with the ratio. The database is dropped at the end.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DB_NAME = "bench_plan"
N_ENTERPRISES = int(os.environ.get("BENCH_PLAN_ENTERPRISES", "500000"))
N_REQUESTS = int(os.environ.get("BENCH_PLAN_REQUESTS", "200"))
EXTRA_INDICATORS = 151
YEARS = (2016, 2025)
FACT_YEARS = (2022, 2023, 2024)
AS_OF = dt.date(2026, 6, 30)


def _server_url() -> tuple[str, str]:
    url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test")
    if not url.startswith("postgres"):
        sys.exit("bench_plan_overview needs PostgreSQL: DATABASE_URL=postgres://postgres@127.0.0.1:5432/test")
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    bench = urlunsplit(parts._replace(path=f"/{DB_NAME}"))
    return admin, bench


def _recreate_database(admin_url: str, *, drop_only: bool = False) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DB_NAME} WITH (FORCE)")
        if not drop_only:
            conn.execute(f"CREATE DATABASE {DB_NAME}")


def _setup_django(bench_url: str) -> None:
    os.environ["DATABASE_URL"] = bench_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "industria.settings.test")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _insert_select(cursor, table: str, explicit: dict[str, str], source: str, params: list | None = None) -> int:
    """INSERT … SELECT with the given column expressions; other NOT NULL columns get a neutral value."""
    cursor.execute(
        "SELECT column_name, data_type, is_nullable, column_default FROM information_schema.columns "
        "WHERE table_name = %s AND table_schema = 'public'",
        [table],
    )
    columns, exprs = list(explicit), list(explicit.values())  # in this order: the %s parameters follow it
    neutral = {"boolean": "false", "date": "current_date", "timestamp with time zone": "now()", "jsonb": "'{}'"}
    numeric = ("integer", "smallint", "bigint", "numeric")
    for name, data_type, nullable, default in cursor.fetchall():
        if name not in explicit and name != "id" and nullable == "NO" and default is None:
            columns.append(name)
            exprs.append(neutral.get(data_type, "0" if data_type in numeric else "''"))
    quoted = ", ".join(f'"{c}"' for c in columns)
    cursor.execute(f"INSERT INTO {table} ({quoted}) SELECT {', '.join(exprs)} {source}", params or [])
    return cursor.rowcount


def build_registry(n: int) -> dict[str, float]:
    """500,000 enterprises with facts, cluster memberships and tiers, inserted set-based."""
    from django.db import connection

    from industria.accounts.models import District
    from industria.enterprises.choices import TierKind
    from industria.enterprises.models import IndustryGroup

    timings = {}
    districts = list(District.objects.order_by("code").values_list("pk", flat=True))
    clusters = list(
        IndustryGroup.objects.filter(system__is_current=True, kind="key_cluster", parent__isnull=True)
        .order_by("sort_order")
        .values_list("pk", flat=True)
    )
    sub_areas = list(
        IndustryGroup.objects.filter(system__is_current=True, parent_id__in=clusters).values_list("pk", "parent_id")
    )
    kinds = [k for k in TierKind.values if k != "headquarters"]
    codes = ["3973", "2710", "3670", "2614", "1810", "3311", "3511", "4011", "3963", "2929"]
    with connection.cursor() as cur:
        start = time.perf_counter()
        _insert_select(
            cur,
            "enterprises_enterprise",
            {
                "uscc": "'91310000' || lpad(g::text, 10, '0')",
                "name_zh": "'基准企业' || g",
                "name_en": "'Benchmark enterprise ' || g",
                "district_id": "(%s::int[])[1 + g %% %s]",
                "industry_code": "(%s::text[])[1 + g %% %s]",
                "ownership_type": "'private'",
                "synthetic": "true",
                "created_at": "now()",
                "updated_at": "now()",
            },
            "FROM generate_series(1, %s) AS g",
            [districts, len(districts), codes, len(codes), n],
        )
        cur.execute("SELECT min(id) FROM enterprises_enterprise WHERE uscc LIKE '91310000%%'")
        first_id = cur.fetchone()[0]
        timings["enterprises"] = time.perf_counter() - start

        start = time.perf_counter()
        _insert_select(
            cur,
            "enterprises_enterprisegroup",
            {
                "enterprise_id": "e.id",
                "group_id": "(%s::int[])[1 + e.id %% %s]",
                "source": "'mapping'",
                "weight": "(0.3 + (e.id %% 7) / 10.0)::numeric(5,4)",
                "primary": "true",
            },
            "FROM enterprises_enterprise e WHERE e.id >= %s AND e.id %% 10 < 7",
            [clusters, len(clusters), first_id],
        )
        sub_ids = [pk for pk, _parent in sub_areas]
        sub_parent = [parent for _pk, parent in sub_areas]
        _insert_select(  # 1 in 7: an explicit tag to a sub-area of the same cluster (the largest weight wins, once)
            cur,
            "enterprises_enterprisegroup",
            {
                "enterprise_id": "l.enterprise_id",
                "group_id": "s.sub",
                "source": "'explicit'",
                "weight": "1",
                "primary": "false",
            },
            "FROM enterprises_enterprisegroup l JOIN LATERAL (SELECT sub"
            " FROM unnest(%s::int[], %s::int[]) AS u(sub, parent) WHERE u.parent = l.group_id"
            " ORDER BY (u.sub * 31 + l.enterprise_id) %% 97 LIMIT 1) s ON true"
            " WHERE l.enterprise_id %% 7 = 0",
            [sub_ids, sub_parent],
        )
        timings["memberships"] = time.perf_counter() - start

        start = time.perf_counter()
        _insert_select(
            cur,
            "enterprises_enterpriseyearfact",
            {
                "enterprise_id": "e.id",
                "year": "y",
                "gross_output_cny": "((e.id %% 1000 + 1) * 1000000 * (1 + 0.05 * (y - 2022)))::numeric(18,2)",
                "value_added_cny": "((e.id %% 1000 + 1) * 250000)::numeric(18,2)",
                "main_revenue_cny": "((e.id %% 1000 + 1) * 1100000)::numeric(18,2)",
                "employees_avg": "10 + e.id %% 500",
                "above_size": "e.id %% 5 = 0",
                "synthetic": "true",
                "created_at": "now()",
                "updated_at": "now()",
            },
            "FROM enterprises_enterprise e CROSS JOIN unnest(%s::int[]) AS y WHERE e.id >= %s",
            [list(FACT_YEARS), first_id],
        )
        timings["year facts"] = time.perf_counter() - start

        start = time.perf_counter()
        for modulus, offset in ((10, 0), (40, 5)):  # ~10 % hold a tier; 2.5 % a second grant (renewals)
            _insert_select(
                cur,
                "enterprises_tier",
                {
                    "enterprise_id": "e.id",
                    "kind": "(%s::text[])[1 + (e.id / 10) %% %s]",
                    "level": "CASE WHEN (%s::text[])[1 + (e.id / 10) %% %s] = 'little_giant' THEN 'national' "
                    "ELSE 'municipal' END",
                    "batch": "'bench'",
                    "granted_on": f"date '2014-01-01' + ((e.id * 7 + {offset} * 400) %% 4200)::int",
                    "valid_until": f"CASE WHEN e.id %% 3 = 0 THEN NULL ELSE date '2014-01-01' + "
                    f"((e.id * 7 + {offset} * 400) %% 4200)::int + 1095 END",
                    "source_document": "'bench'",
                    "status": "CASE WHEN e.id %% 97 = 0 THEN 'revoked' ELSE 'valid' END",
                    "synthetic": "true",
                    "created_at": "now()",
                    "updated_at": "now()",
                },
                f"FROM enterprises_enterprise e WHERE e.id >= %s AND e.id %% {modulus} = {offset % modulus}",
                [kinds, len(kinds), kinds, len(kinds), first_id],
            )
        timings["tiers"] = time.perf_counter() - start
        start = time.perf_counter()
        cur.execute("ANALYZE")
        timings["analyze"] = time.perf_counter() - start
    return timings


def build_indicators(plan) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """151 more indicators with targets and 10 years of monthly figures, city-wide and for 16 districts."""
    from decimal import Decimal

    from django.db import connection

    from industria.plan.models import DataSource, IndicatorTarget, PlanIndicator

    start = time.perf_counter()
    bench_source, _ = DataSource.objects.get_or_create(code="BENCH", defaults={"title": "Benchmark data"})
    kinds = [
        ("annual", "level", "level", "CNY_100M"),
        ("stock", "count", "count", "count"),
        ("stock", "ratio", "ratio", "pct"),
    ]
    indicators = [
        PlanIndicator(
            plan=plan,
            code=f"bench_{i:03d}",
            name_zh=f"基准指标{i}",
            name_en=f"Benchmark indicator {i}",
            unit=kinds[i % 3][3],
            measure=kinds[i % 3][0],
            target_kind=kinds[i % 3][1],
            value_kind=kinds[i % 3][2],
            is_headline=i % 8 == 0,
            is_public=i % 2 == 0,
            breakdown_district=True,
            cadence="monthly",
            next_due_on=dt.date(2026, 7, 20),
            sort_order=1000 + i,
            rag_rules=[
                {"status": "green", "when": "forecast >= target"},
                {"status": "amber", "when": "upper >= target or forecast >= 0.9 * target"},
                {"status": "red", "when": "true"},
            ],
        )
        for i in range(EXTRA_INDICATORS)
    ]
    PlanIndicator.objects.bulk_create(indicators)
    ids = list(
        PlanIndicator.objects.filter(plan=plan, code__startswith="bench_").order_by("code").values_list("pk", flat=True)
    )
    IndicatorTarget.objects.bulk_create(
        [
            IndicatorTarget(indicator_id=pk, year=2025, value=Decimal("60"), comparator="gte", source=bench_source)
            for pk in ids
        ]
    )
    with connection.cursor() as cur:
        _insert_select(
            cur,
            "plan_indicatoractual",
            {
                "indicator_id": "i",
                "series": "'value'",
                "period": "(make_date(y, m, 1) + interval '1 month - 1 day')::date",
                "period_type": "'month'",
                "district_id": "d",
                "value": "(3 + (i %% 17) + (y - 2016) * 0.4 + m * 0.01 + coalesce(d, 0) %% 5)::numeric(24,6)",
                "qualifier": "''",
                "status": "'synthetic'",
                "uncertain": "false",
                "vintage": "'first_release'",
                "as_of_date": "(make_date(y, m, 1) + interval '1 month 19 days')::date",
                "as_of_inferred": "false",
                "source_id": "%s",
                "citation": "''",
                "confidence": "'D'",
                "note": "''",
                "created_at": "now()",
                "updated_at": "now()",
            },
            "FROM unnest(%s::int[]) AS i CROSS JOIN generate_series(%s, %s) AS y "
            "CROSS JOIN generate_series(1, 12) AS m "
            "CROSS JOIN (SELECT NULL::int AS d UNION ALL SELECT id FROM accounts_district) AS ds",
            [bench_source.pk, ids, YEARS[0], YEARS[1]],
        )
        rows = cur.rowcount
        cur.execute("ANALYZE plan_indicatoractual")
    return {"indicators": time.perf_counter() - start, "figure rows": rows}


def time_overview(label: str, plan) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """GET /plan/ warm (p50/p95), after a change of the plan's data, and fully cold; query count of each."""
    import uuid

    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from industria.accounts.tests.factories import make_user
    from industria.plan.services import plan_touch

    client = Client()
    client.force_login(make_user("municipal_analyst", username=f"bench-{uuid.uuid4().hex[:8]}"))
    url = f"/plan/?as_of={AS_OF.isoformat()}"

    def timed(prepare) -> tuple[float, int]:  # type: ignore[no-untyped-def]
        prepare()
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
        assert response.status_code == 200, response.status_code
        return elapsed, len(ctx.captured_queries)

    cold = [timed(cache.clear) for _ in range(3)]
    changed = [timed(lambda: plan_touch(plan_id=plan.pk)) for _ in range(3)]
    _t, warm_queries = timed(lambda: None)
    warm = []
    for _ in range(N_REQUESTS):
        start = time.perf_counter()
        client.get(url)
        warm.append(time.perf_counter() - start)
    warm.sort()
    p95 = warm[int(0.95 * (len(warm) - 1))]
    return [
        (
            f"{label}: overview warm p50 / p95 ({N_REQUESTS} requests)",
            f"{statistics.median(warm) * 1000:.1f} / {p95 * 1000:.1f} ms",
        ),
        (f"{label}: overview warm, queries", str(warm_queries)),
        (
            f"{label}: overview after a figure is recorded (engine re-run, registry values cached), median of 3",
            f"{statistics.median(t for t, _q in changed) * 1000:.0f} ms",
        ),
        (f"{label}: overview after a figure is recorded, queries", str(changed[-1][1])),
        (
            f"{label}: overview fully cold (empty cache: registry aggregates + engine), median of 3",
            f"{statistics.median(t for t, _q in cold) * 1000:.0f} ms",
        ),
        (f"{label}: overview fully cold, queries", str(cold[-1][1])),
    ]


def hand_sql(definition, dates: list[dt.date]) -> tuple[str, list]:  # type: ignore[no-untyped-def]
    """The same definition as a hand-written SQL aggregate."""
    from industria.plan.computed import CountTiers, _group_ids, group_tree

    if isinstance(definition, CountTiers):
        level = "AND t.level = %s" if definition.level else ""
        params: list = [dates, definition.tier_kind] + ([definition.level] if definition.level else [])
        if definition.first_granted_from is None:
            sql = (
                "SELECT d.day, count(DISTINCT t.enterprise_id) FROM unnest(%s::date[]) AS d(day) "
                "LEFT JOIN enterprises_tier t ON t.kind = %s AND t.status <> 'revoked' "
                + level
                + " AND t.granted_on <= d.day AND (t.valid_until IS NULL OR t.valid_until >= d.day) "
                "GROUP BY d.day ORDER BY d.day"
            )
            return sql, params
        sql = (
            "WITH firsts AS (SELECT enterprise_id, min(granted_on) AS first FROM enterprises_tier t "
            "WHERE t.kind = %s AND t.status <> 'revoked' " + level + " GROUP BY enterprise_id) "
            "SELECT d.day, count(f.enterprise_id) FROM unnest(%s::date[]) AS d(day) "
            "LEFT JOIN firsts f ON f.first >= %s AND f.first <= d.day GROUP BY d.day ORDER BY d.day"
        )
        return sql, params[1:] + [dates, definition.first_granted_from]
    years = sorted({d.year for d in dates if (d.month, d.day) == (12, 31)})
    groups = _group_ids(definition.industry_group, group_tree())
    sql = (
        "WITH w AS (SELECT enterprise_id, max(weight) AS weight FROM enterprises_enterprisegroup "
        "WHERE group_id = ANY(%s) GROUP BY enterprise_id) "
        f"SELECT f.year, sum(f.{definition.fact} * w.weight) / %s FROM enterprises_enterpriseyearfact f "
        f"JOIN w USING (enterprise_id) WHERE f.year = ANY(%s) AND f.{definition.fact} IS NOT NULL "
        "GROUP BY f.year ORDER BY f.year"
    )
    return sql, [groups, definition.divide_by, years]


def time_computed(plan) -> list[tuple[str, str, str, str, str, str]]:  # type: ignore[no-untyped-def]
    """Each computed indicator: ORM (one aggregate query) vs hand-written SQL, median of 5, same answer."""
    from django.db import connection

    from industria.plan.computed import RatioOfIndicators, evaluate_computed, evaluate_many, parse_computed
    from industria.plan.models import PlanIndicator
    from industria.plan.progress import computed_dates

    dates = computed_dates(plan, AS_OF)
    rows = []
    definitions = {}
    for indicator in PlanIndicator.objects.filter(plan=plan, computed__isnull=False).order_by("sort_order"):
        definition = parse_computed(indicator.computed)
        if isinstance(definition, RatioOfIndicators):
            continue
        definitions[indicator.code] = definition
        orm_times, sql_times = [], []
        for _ in range(5):
            start = time.perf_counter()
            points = evaluate_computed(definition, dates=dates)
            orm_times.append(time.perf_counter() - start)
            sql, params = hand_sql(definition, dates)
            start = time.perf_counter()
            with connection.cursor() as cur:
                cur.execute(sql, params)
                expected = cur.fetchall()
            sql_times.append(time.perf_counter() - start)
        orm, hand = statistics.median(orm_times), statistics.median(sql_times)
        got = {p.period: round(p.value, 4) for p in points}
        want = {d if isinstance(d, dt.date) else dt.date(d, 12, 31): round(float(v or 0), 4) for d, v in expected}
        same = all(want.get(k) == v for k, v in got.items())
        rows.append(
            (
                indicator.code,
                definition.kind,
                f"{orm * 1000:.1f}",
                f"{hand * 1000:.1f}",
                f"{orm / hand:.2f}",
                "yes" if same else "NO",
            )
        )
    batch = []
    for _ in range(3):
        start = time.perf_counter()
        evaluate_many(definitions, dates=dates)
        batch.append(time.perf_counter() - start)
    rows.append(
        (
            f"all {len(definitions)} together (evaluate_many: tier counts in one query, one query per sum)",
            "all",
            f"{statistics.median(batch) * 1000:.1f}",
            "",
            "",
            "",
        )
    )
    return rows


def main() -> int:
    admin_url, bench_url = _server_url()
    keep = bool(os.environ.get("BENCH_PLAN_KEEP"))
    _recreate_database(admin_url)
    try:
        start = time.perf_counter()
        _setup_django(bench_url)
        from industria.plan.models import IndicatorActual, PlanIndicator
        from industria.plan.selectors import plan_current
        from industria.plan.services import plan_touch

        migrate_s = time.perf_counter() - start
        plan = plan_current()
        results: list[tuple[str, str]] = [("migrate (schema + shipped plan)", f"{migrate_s:.1f} s")]
        build = build_registry(N_ENTERPRISES)
        results += [(f"insert {k} (set-based)", f"{v:.1f} s") for k, v in build.items()]
        n_shipped = PlanIndicator.objects.filter(plan=plan).count()
        plan_touch(plan_id=plan.pk)
        plan.refresh_from_db()
        results += time_overview(f"{n_shipped} indicators (shipped plan)", plan)
        built = build_indicators(plan)
        plan_touch(plan_id=plan.pk)
        n_all = PlanIndicator.objects.filter(plan=plan).count()
        results.append(("insert indicators and monthly figures (set-based)", f"{built['indicators']:.1f} s"))
        results.append(("figure rows", f"{IndicatorActual.objects.count():,}"))
        results += time_overview(f"{n_all} indicators", plan)
        computed = time_computed(plan)
    finally:
        if not keep:
            from django.db import connections

            connections.close_all()
            _recreate_database(admin_url, drop_only=True)
    from django.db import connection

    print(f"\n### Plan overview ({N_ENTERPRISES:,} enterprises, PostgreSQL {connection.pg_version // 10000})\n")
    print("| measure | value |\n| --- | ---: |")
    for name, value in results:
        print(f"| {name} | {value} |")
    print("\n### Computed indicators: ORM (one aggregate query) vs hand-written SQL, median of 5\n")
    print("| indicator | kind | ORM ms | SQL ms | ratio | same values |\n| --- | --- | ---: | ---: | ---: | --- |")
    for row in computed:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
