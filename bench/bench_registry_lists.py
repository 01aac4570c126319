"""Enterprise list page and API with 500,000 enterprises (issue 3): p95 server time and queries per page.

Reference measured in the same run: the raw SQL of the same page (the rows query and the count) through the same
connection, so the ratio says what the framework, scoping, filtering and rendering add.
Run: `.venv/bin/python -m bench registry_lists` (PostgreSQL at BENCH_PG_ADMIN_URL; database bench_registry, kept
and migrated unless BENCH_FRESH=1; BENCH_PAGES=text runs only the name-search pages).
"""

from __future__ import annotations

import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.harness import p95, setup_django, table, timed  # noqa: E402

N_REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
SCALE = os.environ.get("BENCH_SCALE", "nation")
#: only the pages whose label contains this text (e.g. BENCH_PAGES=text for the name searches); all by default
PAGES = os.environ.get("BENCH_PAGES", "")


def load_registry() -> int:
    import polars as pl
    from django.db import connection, transaction

    from industria.enterprises.demo import synthetic_city_load
    from industria.enterprises.models import Enterprise

    if Enterprise.objects.exists():
        return Enterprise.objects.count()
    seconds, counts = timed(lambda: synthetic_city_load(scale=SCALE, seed=11, monthly=False))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"loaded {counts} in {seconds:.1f} s")
    del pl, transaction
    return counts["enterprises"]


def measure(client, url: str) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    samples = []
    queries = set()
    status = 200
    for i in range(N_REQUESTS):
        page_url = f"{url}{'&' if '?' in url else '?'}page={1 + (i * 37) % 200}"
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            response = client.get(page_url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
            samples.append(time.perf_counter() - start)
        status = response.status_code
        queries.add(len(ctx.captured_queries))
    return p95(samples[3:]), max(queries), status


def raw_page_seconds(where: str = "", params: tuple = ()) -> float:
    from django.db import connection

    sql = (
        "SELECT e.id, e.uscc, e.name_zh, e.name_en, e.industry_code, e.ownership_type, d.code, d.name_zh "
        "FROM enterprises_enterprise e JOIN accounts_district d ON d.id = e.district_id "
        f"{where} ORDER BY e.uscc LIMIT 50 OFFSET %s"
    )
    count_sql = f"SELECT count(*) FROM enterprises_enterprise e {where}"
    samples = []
    for i in range(N_REQUESTS):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(count_sql, params)
            cursor.fetchone()
            cursor.execute(sql, (*params, 50 * ((i * 37) % 200)))
            cursor.fetchall()
        samples.append(time.perf_counter() - start)
    return p95(samples[3:])


def main() -> None:
    setup_django("bench_registry", fresh=os.environ.get("BENCH_FRESH", "0") == "1")
    from django.test import Client

    from industria.accounts.demo import seed as seed_accounts
    from industria.accounts.models import District, User

    n = load_registry()
    seed_accounts(scale="tiny", seed=1, log=lambda *_: None)
    pudong = District.objects.get(code="310115").pk
    rows = []
    for username, label, where, params in (
        ("analyst", "analyst, whole city", "", ()),
        ("officer_pudong", "district officer (Pudong)", "WHERE e.district_id = %s", (pudong,)),
    ):
        client = Client()
        client.force_login(User.objects.get(username=username))
        reference = raw_page_seconds(where, params)
        for kind, url in (
            ("UI list", "/enterprises/"),
            ("API list", "/api/enterprises/enterprises/"),
            ("UI list, text filter “精密”", "/enterprises/?q=%E7%B2%BE%E5%AF%86"),
            ("UI list, text filter “科技”", "/enterprises/?q=%E7%A7%91%E6%8A%80"),
            ("UI list, year 2024 above size", "/enterprises/?year=2024&size_class=above"),
        ):
            if PAGES not in kind:
                continue
            seconds, queries, status = measure(client, url)
            rows.append(
                [
                    f"{kind} — {label}",
                    f"{n:,}",
                    status,
                    f"{seconds * 1000:.1f}",
                    queries,
                    f"{reference * 1000:.1f}",
                    f"{seconds / reference:.1f}×",
                ]
            )
    print(table(["page", "enterprises", "HTTP", "p95 ms", "queries/page", "raw SQL p95 ms", "ratio to raw SQL"], rows))


if __name__ == "__main__":
    main()
